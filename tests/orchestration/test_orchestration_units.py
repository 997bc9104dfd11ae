"""The plain functions behind the DAGs: load planning, summaries, alerts, connection and env."""

from __future__ import annotations

import json
import os
import stat
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from antt.orchestration import airflow_env, ingest_tasks, settings
from antt.orchestration.connection import url_from_connection
from antt.warehouse import airflow_conn_uri, url_parts


def touch(path: Path, text: str | None = None) -> Path:
    """A file whose bytes are unique unless `text` says otherwise (equal bytes share a lane)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(path) if text is None else text, encoding="utf-8")
    return path


# --- which files a run loads -------------------------------------------------------------


@pytest.fixture
def landing(tmp_path) -> Path:
    return tmp_path / "landing"


def test_files_of_one_scope_share_a_lane_in_sorted_path_order(landing):
    first = touch(landing / "01_initial" / "CAH847_2023-06_chi_tieu.csv", "1")
    other = touch(landing / "01_initial" / "CAH848_2023-06_chi_tieu.csv", "2")
    correction = touch(landing / "02_corrections" / "cah847_2023-06_CHI_TIEU.csv", "3")
    plan = ingest_tasks.plan_loads(landing, limit=100)
    assert plan.lanes == [[str(first), str(correction)], [str(other)]]


def test_su_vu_files_of_one_territory_share_a_lane_across_periods(landing):
    may = touch(landing / "CAH847_2023-05_su_vu.csv")
    june = touch(landing / "CAH847_2023-06_su_vu.xlsx")
    # A unit of another territory (Hà Nội): units of one province share a lane (contract v2).
    other_unit = touch(landing / "CAH001_2023-06_su_vu.csv")
    monthly = touch(landing / "CAH847_2023-05_chi_tieu.csv")
    monthly2 = touch(landing / "CAH847_2023-06_chi_tieu.csv")
    lanes = ingest_tasks.plan_loads(landing, limit=100).lanes
    assert [str(may), str(june)] in lanes
    assert [str(other_unit)] in lanes
    assert [str(monthly)] in lanes and [str(monthly2)] in lanes
    assert len(lanes) == 4


def test_files_with_the_same_bytes_share_a_lane_so_the_first_is_accepted(landing):
    y2022 = touch(landing / "CAH846_2022_mo_hinh.csv", "same register")
    y2023 = touch(landing / "CAH846_2023_mo_hinh.csv", "same register")
    y2024 = touch(landing / "CAH846_2024_mo_hinh.csv", "another register")
    lanes = ingest_tasks.plan_loads(landing, limit=100).lanes
    assert lanes == [[str(y2022), str(y2023)], [str(y2024)]]


def test_lanes_join_transitively(landing):
    a = touch(landing / "01" / "CAH847_2023-06_chi_tieu.csv", "v1")
    b = touch(landing / "01" / "CAH848_2023-06_chi_tieu.csv", "v2")
    c = touch(landing / "02" / "CAH847_2023-06_chi_tieu.csv", "v2")  # a's scope, b's bytes
    assert ingest_tasks.plan_loads(landing, limit=100).lanes == [[str(a), str(b), str(c)]]


def test_plan_skips_partial_uploads_and_unparsed_names_are_their_own_lane(landing):
    touch(landing / ".CAH847_2023-06_chi_tieu.csv.part")
    touch(landing / "CAH847_2023-07_chi_tieu.csv.part")
    touch(landing / "~$CAH847_2023-08_chi_tieu.xlsx")
    touch(landing / ".hidden" / "CAH847_2023-09_chi_tieu.csv")
    bad1 = touch(landing / "bao cao thang 6.csv")
    bad2 = touch(landing / "bao cao thang 7.csv")
    plan = ingest_tasks.plan_loads(landing, limit=100)
    assert plan.lanes == [[str(bad1)], [str(bad2)]]


def test_run_limit_never_splits_a_lane_out_of_order(landing):
    for month in range(1, 13):
        touch(landing / f"CAH847_2023-{month:02d}_chi_tieu.csv")
        touch(landing / f"CAH847_2023-{month:02d}_su_vu.csv")
    plan = ingest_tasks.plan_loads(landing, limit=5)
    assert len(plan.paths) == 5 and plan.deferred == 19
    su_vu = [Path(p).name for lane in plan.lanes for p in lane if "su_vu" in p]
    # a prefix of the unit's su_vu files, never a later month without the earlier ones
    assert su_vu == [f"CAH847_2023-{m:02d}_su_vu.csv" for m in range(1, len(su_vu) + 1)]


def test_a_lane_loads_in_order_and_stops_at_an_infrastructure_error(monkeypatch, tmp_path):
    from antt.errors import WarehouseUnavailable

    seen = []

    def fake_load(path):
        seen.append(path)
        if path.endswith("b"):
            raise WarehouseUnavailable("cannot connect to the warehouse")
        return {"path": path, "status": "accepted"}

    monkeypatch.setattr(ingest_tasks, "load_one", fake_load)
    assert ingest_tasks.load_lane(["a"]) == [{"path": "a", "status": "accepted"}]
    with pytest.raises(WarehouseUnavailable):
        ingest_tasks.load_lane(["a", "b", "c"])
    assert seen == ["a", "a", "b"]  # c never ran before b


def test_lane_label():
    assert ingest_tasks.lane_label(["/l/x/A.csv"]) == "A.csv"
    assert ingest_tasks.lane_label(["/l/A.csv", "/l/B.csv", "/l/C.csv"]) == "A.csv +2"


def test_plan_of_missing_landing_is_empty(tmp_path):
    assert ingest_tasks.plan_loads(tmp_path / "nope", limit=10).paths == []


def test_summary_counts_statuses_and_names_files_whose_task_failed():
    planned = ["/l/a.csv", "/l/b.csv", "/l/c.csv", "/l/d.csv"]
    results = [
        {"path": "/l/a.csv", "file": "a.csv", "status": "accepted"},
        {
            "path": "/l/b.csv",
            "file": "b.csv",
            "status": "rejected",
            "error_count": 2,
            "first_error_row": 4,
            "first_error_column": "gia_tri",
            "first_error_vi": "Giá trị âm",
            "first_error_en": "Negative value",
            "report_path": "/q/b.json",
        },
        None,
        {"path": "/l/d.csv", "file": "d.csv", "status": "duplicate"},
    ]
    summary = ingest_tasks.summarize(planned, results)
    assert summary["counts"]["accepted"] == 1
    assert summary["counts"]["rejected"] == 1
    assert summary["counts"]["duplicate"] == 1
    assert summary["failed"] == ["/l/c.csv"]
    text = ingest_tasks.describe_result(summary["rejected"][0])
    assert "row 4" in text and "gia_tri" in text and "Negative value" in text
    assert "Giá trị âm" in text and "/q/b.json" in text


# --- settings from the environment ---------------------------------------------------------


def test_settings_read_the_environment(monkeypatch):
    monkeypatch.setenv("ANTT_DAG_RETRIES", "1")
    monkeypatch.setenv("ANTT_DAG_RETRY_DELAY_SECONDS", "2")
    monkeypatch.setenv("ANTT_INGEST_SCHEDULE", "manual")
    assert settings.retries() == 1
    assert settings.retry_delay().total_seconds() == 2
    assert settings.ingest_schedule() is None
    monkeypatch.delenv("ANTT_INGEST_SCHEDULE")
    assert settings.ingest_schedule() == "*/15 * * * *"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ANTT_DAG_RETRIES", "three"),
        ("ANTT_DAG_RETRIES", "-1"),
        ("ANTT_DAG_RETRY_DELAY_SECONDS", "0"),
    ],
)
def test_bad_settings_fail_with_the_variable_name(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        settings.retries() if name == "ANTT_DAG_RETRIES" else settings.retry_delay()


# --- failure alerts ------------------------------------------------------------------------


class _FakeTI:
    dag_id, task_id, map_index, run_id, try_number = "antt_ingest", "load_file", 7, "r1", 3


def test_failure_message_names_task_try_and_error():
    from antt.orchestration.callbacks import describe_failure, failure_message

    facts = describe_failure({"ti": _FakeTI(), "exception": RuntimeError("db gone\nmore")})
    message = failure_message(facts)
    assert "antt_ingest.load_file[7]" in message and "try 3" in message
    assert message.endswith("db gone")


def test_webhook_notifier_posts_json_to_the_configured_endpoint(monkeypatch):
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server API
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("ANTT_ALERT_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/x")
        monkeypatch.delenv("ANTT_ALERT_EMAIL", raising=False)
        from antt.orchestration.callbacks import AnttWebhookNotifier, failure_callbacks

        callbacks = failure_callbacks()
        assert len(callbacks) == 2 and isinstance(callbacks[1], AnttWebhookNotifier)
        callbacks[1].notify({"ti": _FakeTI(), "exception": OSError("connection refused")})
    finally:
        server.shutdown()
    assert received and received[0]["task_id"] == "load_file"
    assert received[0]["try_number"] == 3
    assert "connection refused" in received[0]["text"]


def test_dead_webhook_is_logged_not_raised(caplog):
    from antt.orchestration.callbacks import AnttWebhookNotifier

    AnttWebhookNotifier("http://127.0.0.1:9/nothing").notify({"ti": _FakeTI()})
    assert "alert webhook" in caplog.text


def test_email_alerts_use_airflows_smtp_notifier(monkeypatch):
    monkeypatch.delenv("ANTT_ALERT_WEBHOOK_URL", raising=False)
    monkeypatch.setenv("ANTT_ALERT_EMAIL", "oncall@example.org, lead@example.org")
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    from antt.orchestration.callbacks import failure_callbacks

    callbacks = failure_callbacks()
    assert isinstance(callbacks[-1], SmtpNotifier)
    assert list(callbacks[-1].to) == ["oncall@example.org", "lead@example.org"]


def test_webhook_url_must_be_http(monkeypatch):
    monkeypatch.setenv("ANTT_ALERT_WEBHOOK_URL", "file:///etc/passwd")
    from antt.orchestration.callbacks import failure_callbacks

    with pytest.raises(ValueError, match="http"):
        failure_callbacks()


# --- the warehouse connection and Airflow's environment -----------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres@/antt?host=%2Ftmp%2Fpg+data&port=5432",
        "postgresql://loader:s%40cret@db.example.org:6543/antt",
    ],
)
def test_airflow_connection_round_trips_to_the_same_url_parts(url):
    from airflow.sdk import Connection

    conn = Connection.from_uri(airflow_conn_uri(url), conn_id="antt_warehouse")
    back = url_from_connection(conn.host, conn.port, conn.login, conn.password, conn.schema)
    assert url_parts(back) == url_parts(url)


def test_metadata_database_is_never_the_warehouse(monkeypatch):
    monkeypatch.delenv("ANTT_AIRFLOW_DATABASE_URL", raising=False)
    meta = airflow_env.meta_admin_url("postgresql://postgres@127.0.0.1:5432/antt")
    assert meta == "postgresql://postgres@127.0.0.1:5432/airflow_meta"
    socket_meta = airflow_env.meta_admin_url("postgresql://postgres@/antt?host=/x/pg")
    assert airflow_env.sqlalchemy_url(socket_meta) == (
        "postgresql+psycopg://postgres@/airflow_meta?host=%2Fx%2Fpg"
    )
    with pytest.raises(Exception, match="must not be"):
        airflow_env.meta_admin_url("postgresql://postgres@127.0.0.1:5432/airflow_meta")


def test_airflow_env_generates_private_stable_secrets(antt_home, monkeypatch):
    monkeypatch.delenv("ANTT_AIRFLOW_HOME", raising=False)
    url = "postgresql://postgres@127.0.0.1:5432/antt"
    env1 = airflow_env.airflow_env(url, port=8123, base={})
    env2 = airflow_env.airflow_env(url, port=8123, base={})
    home = Path(env1["AIRFLOW_HOME"])
    assert home == antt_home / "airflow"
    for key in ("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__CORE__FERNET_KEY"):
        assert env1[key] == env2[key] and len(env1[key]) >= 32
    for secret in [
        *(home / ".secrets").iterdir(),
        Path(env1["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]),
    ]:
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600, secret
    assert env1["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://127.0.0.1:8123/execution/"
    assert env1["AIRFLOW_CONN_ANTT_WAREHOUSE"].startswith("postgresql://postgres:unused@")
    assert airflow_env.admin_password(home)
    assert "airflow_meta" in env1["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert os.environ.get("AIRFLOW_HOME") != env1["AIRFLOW_HOME"]  # this process untouched


def test_airflows_plugin_loader_never_executes_the_antt_package():
    # A deployment whose plugins folder is plugins/ must not run antt's modules as Airflow
    # plugins (antt/__main__.py would exit the process): plugins/.airflowignore keeps them out.
    from airflow.sdk._shared.module_loading.file_discovery import find_path_from_directory

    plugins = Path(__file__).resolve().parents[2] / "plugins"
    assert list(find_path_from_directory(str(plugins), ".airflowignore", "glob")) == []
    assert list(find_path_from_directory(str(plugins), ".no-such-ignore-file", "glob"))
