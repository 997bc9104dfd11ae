"""The plain functions behind the DAGs: load planning and batches, summaries, settings, alerts,
Airflow's environment."""

from __future__ import annotations

import json
import os
import stat
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from antt.config import DagSettings, file_areas, load_settings
from antt.ingest.plan import FILE_COST_BYTES, batches, lane_weight, plan_loads
from antt.local_airflow import environment as airflow_env
from antt.orchestration import ingest_tasks


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
    plan = plan_loads(landing, limit=100)
    assert plan.lanes == [[str(first), str(correction)], [str(other)]]


def test_su_vu_files_of_one_territory_share_a_lane_across_periods(landing):
    may = touch(landing / "CAH847_2023-05_su_vu.csv")
    june = touch(landing / "CAH847_2023-06_su_vu.xlsx")
    # A unit of another territory (Hà Nội): units of one province share a lane (contract v2).
    other_unit = touch(landing / "CAH001_2023-06_su_vu.csv")
    monthly = touch(landing / "CAH847_2023-05_chi_tieu.csv")
    monthly2 = touch(landing / "CAH847_2023-06_chi_tieu.csv")
    lanes = plan_loads(landing, limit=100).lanes
    assert [str(may), str(june)] in lanes
    assert [str(other_unit)] in lanes
    assert [str(monthly)] in lanes and [str(monthly2)] in lanes
    assert len(lanes) == 4


def test_su_vu_lane_loads_in_period_order_when_a_successors_name_sorts_first(landing):
    # Province 86 after 2025-07: the district CAH847 (Trà Vinh 84) opens an incident in June,
    # the commune CAX29392 takes it over in August, the province CAT86 updates it in September.
    # By name CAT86 sorts before CAX29392: loaded first, its update was rejected (no incident).
    june = touch(landing / "CAH847_2025-06_su_vu.csv")
    august = touch(landing / "CAX29392_2025-08_su_vu.csv")
    september = touch(landing / "CAT86_2025-09_su_vu.csv")
    monthly = touch(landing / "CAT86_2025-09_chi_tieu.csv")
    lanes = plan_loads(landing, limit=100).lanes
    assert lanes == [[str(june), str(august), str(september)], [str(monthly)]]
    # a run limit keeps the earlier months: the first three files by name are June, September's
    # chi_tieu and September's su_vu; the lane's first two loads are June and August
    assert plan_loads(landing, limit=3).lanes == [[str(june), str(august)], [str(monthly)]]
    assert plan_loads(landing, limit=3).deferred == 1
    assert plan_loads(landing, limit=1).lanes == [[str(june)]]


def test_su_vu_period_order_keeps_deliveries_in_folder_order(landing):
    # A correction of August delivered after September was loaded replaces August then: the
    # later folder loads after the earlier one, as an operator dropped them.
    august = touch(landing / "01_initial" / "CAX29392_2025-08_su_vu.csv")
    september = touch(landing / "01_initial" / "CAT86_2025-09_su_vu.csv")
    fixed = touch(landing / "02_corrections" / "CAX29392_2025-08_su_vu.csv")
    assert plan_loads(landing, limit=100).lanes == [[str(august), str(september), str(fixed)]]


def test_the_cli_loads_su_vu_in_the_plans_period_order(landing, monkeypatch):
    from antt.ingest import pipeline

    september = touch(landing / "CAT86_2025-09_su_vu.csv")
    august = touch(landing / "CAX29392_2025-08_su_vu.csv")
    monthly = touch(landing / "CAT86_2025-09_chi_tieu.csv")
    for workers in (1, 4):
        order = []
        monkeypatch.setattr(
            pipeline,
            "_ingest",
            lambda conn, path, areas, move, seen=order: seen.append(path.name) or path.name,
        )
        monkeypatch.setattr(pipeline, "loader_connection", _no_connection)
        outcomes = pipeline.ingest_paths([landing], move=False, workers=workers)
        su_vu = [name for name in order if "su_vu" in name]
        assert su_vu == [august.name, september.name], workers
        assert sorted(order) == sorted(p.name for p in (september, august, monthly))
        assert outcomes == [monthly.name, september.name, august.name]  # the order given


def _no_connection():
    from contextlib import nullcontext

    return nullcontext(None)


def test_files_with_the_same_bytes_share_a_lane_so_the_first_is_accepted(landing):
    y2022 = touch(landing / "CAH846_2022_mo_hinh.csv", "same register")
    y2023 = touch(landing / "CAH846_2023_mo_hinh.csv", "same register")
    y2024 = touch(landing / "CAH846_2024_mo_hinh.csv", "another register")
    lanes = plan_loads(landing, limit=100).lanes
    assert lanes == [[str(y2022), str(y2023)], [str(y2024)]]


def test_lanes_join_transitively(landing):
    a = touch(landing / "01" / "CAH847_2023-06_chi_tieu.csv", "v1")
    b = touch(landing / "01" / "CAH848_2023-06_chi_tieu.csv", "v2")
    c = touch(landing / "02" / "CAH847_2023-06_chi_tieu.csv", "v2")  # a's scope, b's bytes
    assert plan_loads(landing, limit=100).lanes == [[str(a), str(b), str(c)]]


def test_plan_skips_partial_uploads_and_unparsed_names_are_their_own_lane(landing):
    touch(landing / ".CAH847_2023-06_chi_tieu.csv.part")
    touch(landing / "CAH847_2023-07_chi_tieu.csv.part")
    touch(landing / "~$CAH847_2023-08_chi_tieu.xlsx")
    touch(landing / ".hidden" / "CAH847_2023-09_chi_tieu.csv")
    bad1 = touch(landing / "bao cao thang 6.csv")
    bad2 = touch(landing / "bao cao thang 7.csv")
    plan = plan_loads(landing, limit=100)
    assert plan.lanes == [[str(bad1)], [str(bad2)]]


def test_run_limit_never_splits_a_lane_out_of_order(landing):
    for month in range(1, 13):
        touch(landing / f"CAH847_2023-{month:02d}_chi_tieu.csv")
        touch(landing / f"CAH847_2023-{month:02d}_su_vu.csv")
    plan = plan_loads(landing, limit=5)
    assert len(plan.paths) == 5 and plan.deferred == 19
    su_vu = [Path(p).name for lane in plan.lanes for p in lane if "su_vu" in p]
    # a prefix of the unit's su_vu files, never a later month without the earlier ones
    assert su_vu == [f"CAH847_2023-{m:02d}_su_vu.csv" for m in range(1, len(su_vu) + 1)]


def test_batches_keep_lanes_whole_and_even_out_file_counts():
    lanes = [["a1", "a2", "a3", "a4"], ["b1"], ["c1", "c2"], ["d1"], ["e1"], ["f1", "f2"]]
    dealt = batches(lanes, 3)
    assert len(dealt) == 3
    assert sorted(lane for batch in dealt for lane in batch) == sorted(lanes)
    assert sorted(sum(len(lane) for lane in batch) for batch in dealt) == [3, 4, 4]
    assert batches(lanes[:2], 8) == [[lanes[0]], [lanes[1]]]  # never an empty batch
    assert batches([], 4) == []
    with pytest.raises(ValueError):
        batches(lanes, 0)


def test_batches_even_out_a_weight_when_given():
    lanes = [["big"], ["s1"], ["s2"], ["s3"], ["s4"]]
    weight = {"big": 40, "s1": 10, "s2": 10, "s3": 10, "s4": 10}
    dealt = batches(lanes, 2, lambda lane: sum(weight[p] for p in lane))
    assert sorted(dealt, key=len) == [[["big"]], [["s1"], ["s2"], ["s3"], ["s4"]]]
    assert sorted(map(len, batches(lanes, 2)), reverse=True) == [3, 2]  # by count: 3 and 2


def test_a_runs_batches_take_about_equal_bytes(landing):
    # one province's large file weighs as much as many small ones: by bytes, the batches load
    # for about as long (by file count, one batch would get the large file and half the rest)
    touch(landing / "CAT01_2023-01_chi_tieu.csv", "x" * (8 * FILE_COST_BYTES))
    for n in range(8):
        touch(landing / f"CAT{n + 2:02d}_2023-01_chi_tieu.csv", "x" * FILE_COST_BYTES)
    run = ingest_tasks.plan_batches(landing, DagSettings())
    names = sorted(sorted(Path(p).name[:5] for lane in batch for p in lane) for batch in run)
    assert names == [["CAT01"], [f"CAT{n:02d}" for n in range(2, 10)]]
    assert lane_weight([str(landing / "CAT02_2023-01_chi_tieu.csv")]) == 2 * FILE_COST_BYTES
    assert lane_weight([str(landing / "gone.csv")]) == FILE_COST_BYTES  # a file moved since


def test_a_run_has_a_few_batches_per_parallel_slot(landing):
    for n in range(60):
        touch(landing / f"CAH847_2023-{n % 12 + 1:02d}_chi_tieu_{n}.csv")
        touch(landing / f"CAH8{n:02d}_2023-01_chi_tieu.csv")
    dag = DagSettings(ingest_batches_per_slot=2)
    run = ingest_tasks.plan_batches(landing, dag)
    assert len(run) == dag.ingest_parallel_batches * 2
    assert sorted(p for batch in run for lane in batch for p in lane) == sorted(
        plan_loads(landing, 500).paths
    )


def _fake_ingest(seen: list[str], broken: str, error):
    from antt.ingest import IngestOutcome

    def ingest_file(source: Path, areas, move: bool, conn):
        assert conn is not None  # a batch reuses its loader connections
        assert areas == file_areas()  # read once per batch, passed to every file
        seen.append(source.name)
        if source.name == broken:
            raise error
        return IngestOutcome(source, source.name, "accepted", 1, None, None, None, 1, None, None)

    return ingest_file


@pytest.fixture
def loader_connections(monkeypatch) -> list[str]:
    """Stand-in loader connections for load_batch: the roles of those opened (in autocommit
    mode, as `warehouse.loader_connection` opens them)."""
    from contextlib import contextmanager

    opened: list[str] = []

    @contextmanager
    def connect(role: str, autocommit: bool = False):
        opened.append(role if autocommit else f"{role}, not in autocommit mode")
        yield object()

    monkeypatch.setattr("antt.warehouse.connect", connect)
    return opened


def test_a_batch_loads_each_lane_in_order_and_a_file_error_stops_only_its_lane(
    monkeypatch, tmp_path, loader_connections
):
    from antt.errors import AnttError

    a1, a2, a3, b1 = (str(touch(tmp_path / name)) for name in ("a1", "a2", "a3", "b1"))
    seen: list[str] = []
    error = AnttError("a2: registered as accepted but the archive is not writable")
    monkeypatch.setattr("antt.ingest.ingest_file", _fake_ingest(seen, "a2", error))
    results = ingest_tasks.load_batch([[a1, a2, a3], [b1]], connections=1)
    assert seen == ["a1", "a2", "b1"]  # a3 waits for the next run, b1 still loads
    assert [r["status"] for r in results] == ["accepted", "error", "accepted"]
    assert loader_connections == ["loader"]  # one connection for the whole batch
    summary = ingest_tasks.summarize([a1, a2, a3, b1], results)
    assert summary["failed"] == [a2, a3]
    assert "archive is not writable" in ingest_tasks.describe_result(results[1])


def test_lanes_of_a_batch_load_side_by_side_each_in_order(
    monkeypatch, tmp_path, loader_connections
):
    from antt.ingest import IngestOutcome

    lanes = [[str(touch(tmp_path / f"{lane}{n}")) for n in range(3)] for lane in "abc"]
    both_started = threading.Barrier(2, timeout=10)
    seen: list[str] = []

    def ingest_file(source: Path, areas, move: bool, conn):
        if source.name in ("a0", "b0"):
            both_started.wait()  # a's and b's first files load at the same time
        seen.append(source.name)
        return IngestOutcome(source, source.name, "accepted", 1, None, None, None, 1, None, None)

    monkeypatch.setattr("antt.ingest.ingest_file", ingest_file)
    results = ingest_tasks.load_batch(lanes, connections=2)
    assert loader_connections == ["loader", "loader"]
    for lane in "abc":
        assert [name for name in seen if name[0] == lane] == [f"{lane}0", f"{lane}1", f"{lane}2"]
    # results come back lane by lane, in the batch's order, whatever finished first
    assert [r["path"] for r in results] == [p for lane in lanes for p in lane]


def test_an_unreachable_warehouse_fails_the_batch_before_any_file(monkeypatch, tmp_path):
    from contextlib import contextmanager

    from antt.errors import WarehouseUnavailable

    @contextmanager
    def connect(role: str, autocommit: bool = False):
        raise WarehouseUnavailable("cannot connect to the warehouse")
        yield

    seen: list[str] = []
    monkeypatch.setattr("antt.warehouse.connect", connect)
    monkeypatch.setattr("antt.ingest.ingest_file", _fake_ingest(seen, "-", None))
    with pytest.raises(WarehouseUnavailable):
        ingest_tasks.load_batch([[str(touch(tmp_path / "a1"))], [str(touch(tmp_path / "b1"))]])
    assert seen == []


def test_an_infrastructure_error_fails_the_batch(monkeypatch, tmp_path, loader_connections):
    from antt.errors import WarehouseUnavailable

    a1, a2 = (str(touch(tmp_path / name)) for name in ("a1", "a2"))
    seen: list[str] = []
    error = WarehouseUnavailable("cannot connect to the warehouse")
    monkeypatch.setattr("antt.ingest.ingest_file", _fake_ingest(seen, "a1", error))
    with pytest.raises(WarehouseUnavailable):
        ingest_tasks.load_batch([[a1, a2]])
    assert seen == ["a1"]  # a2 stays in landing, in order, for the retry or the next run


def test_batch_label():
    assert ingest_tasks.batch_label([["/l/x/A.csv"]]) == "A.csv"
    assert ingest_tasks.batch_label([["/l/A.csv", "/l/B.csv"], ["/l/C.csv"]]) == "A.csv +2"


def test_plan_of_missing_landing_is_empty(tmp_path):
    assert plan_loads(tmp_path / "nope", limit=10).paths == []


def test_a_run_whose_plan_failed_fails_its_report():
    # find_new_files failed: its XCom is missing and the report gets None, not an empty plan
    with pytest.raises(RuntimeError, match="find_new_files failed"):
        ingest_tasks.require_plan(None)
    ingest_tasks.require_plan([])  # an empty landing folder is a plan


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
    monkeypatch.setenv("ANTT_LOADER_URL", "postgresql://antt_loader@h/w")
    monkeypatch.setenv("ANTT_DBT_AIRFLOW_MODE", "Build")
    found = load_settings()
    assert found.dag.retries == 1
    assert found.dag.retry_delay.total_seconds() == 2
    assert found.dag.ingest_schedule is None
    assert found.role_urls == {"loader": "postgresql://antt_loader@h/w"}
    assert found.dbt_airflow_mode == "build"
    monkeypatch.delenv("ANTT_INGEST_SCHEDULE")
    assert load_settings().dag.ingest_schedule == "*/15 * * * *"
    assert load_settings({}).dag.retries == 3  # an explicit environment, not this process's


def test_the_loader_connections_of_a_batch_are_a_setting():
    assert load_settings({}).dag.ingest_connections_per_batch == 2
    found = load_settings({"ANTT_INGEST_CONNECTIONS_PER_BATCH": "3"})
    assert found.dag.ingest_connections_per_batch == 3


def test_the_batches_loading_at_once_are_a_setting(landing):
    assert load_settings({}).dag.ingest_parallel_batches == 2
    dag = load_settings({"ANTT_INGEST_PARALLEL_BATCHES": "5"}).dag
    assert dag.ingest_parallel_batches == 5
    for n in range(30):
        touch(landing / f"CAH8{n:02d}_2023-01_chi_tieu.csv")
    assert len(ingest_tasks.plan_batches(landing, dag)) == 5
    assert len(ingest_tasks.plan_batches(landing, DagSettings())) == 2


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ANTT_DAG_RETRIES", "three"),
        ("ANTT_DAG_RETRIES", "-1"),
        ("ANTT_DAG_RETRY_DELAY_SECONDS", "0"),
        ("ANTT_INGEST_BATCHES_PER_SLOT", "0"),
        ("ANTT_INGEST_PARALLEL_BATCHES", "0"),
        ("ANTT_INGEST_PARALLEL_BATCHES", "many"),
        ("ANTT_INGEST_CONNECTIONS_PER_BATCH", "0"),
        ("ANTT_INGEST_CONNECTIONS_PER_BATCH", "two"),
        ("ANTT_DBT_AIRFLOW_MODE", "per-model"),
        ("ANTT_ALERT_WEBHOOK_URL", "file:///etc/passwd"),
    ],
)
def test_bad_settings_fail_with_the_variable_name(name, value):
    with pytest.raises(ValueError, match=name):
        load_settings({name: value})


# --- failure alerts ------------------------------------------------------------------------


class _FakeTI:
    dag_id, task_id, map_index, run_id, try_number = "antt_ingest", "load_batch", 7, "r1", 3


def test_failure_message_names_task_try_and_error():
    from antt.orchestration.callbacks import describe_failure, failure_message

    facts = describe_failure({"ti": _FakeTI(), "exception": RuntimeError("db gone\nmore")})
    message = failure_message(facts)
    assert "antt_ingest.load_batch[7]" in message and "try 3" in message
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

        callbacks = failure_callbacks(load_settings().dag)
        assert len(callbacks) == 2 and isinstance(callbacks[1], AnttWebhookNotifier)
        callbacks[1].notify({"ti": _FakeTI(), "exception": OSError("connection refused")})
    finally:
        server.shutdown()
    assert received and received[0]["task_id"] == "load_batch"
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

    callbacks = failure_callbacks(load_settings().dag)
    assert isinstance(callbacks[-1], SmtpNotifier)
    assert list(callbacks[-1].to) == ["oncall@example.org", "lead@example.org"]


def test_every_dbt_task_gets_the_one_profile_at_run_time(monkeypatch):
    from antt.transform.cosmos import give_profile
    from antt.transform.profile import profile_env

    monkeypatch.setenv("ANTT_WAREHOUSE_URL", "postgresql://owner:pw@db.example:5433/antt")
    monkeypatch.delenv("ANTT_TRANSFORMER_URL", raising=False)

    class Operator:
        env = {"KEEP": "1"}

    give_profile({}, Operator)
    assert Operator.env == {"KEEP": "1", **profile_env()}
    assert Operator.env["ANTT_DBT_HOST"] == "db.example"
    assert Operator.env["ANTT_DBT_ROLE"] == "antt_transformer"


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
    assert not any(key.startswith("AIRFLOW_CONN_") for key in env1)  # settings flow one way
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


def test_airflow_metadata_is_migrated_once_per_version_and_database(
    make_database, tmp_path, monkeypatch
):
    migrations: list[str] = []
    monkeypatch.setattr(airflow_env, "migrate_meta", lambda env: migrations.append("migrate"))
    env = {"AIRFLOW_HOME": str(tmp_path)}
    meta = make_database()
    assert airflow_env.ensure_migrated(env, meta) is True  # no stamp yet
    assert airflow_env.ensure_migrated(env, meta) is False  # stamped: nothing to do
    other = make_database()
    assert airflow_env.ensure_migrated(env, other) is True  # another database
    (tmp_path / ".antt-migrated").write_text('{"airflow": "0.0"}')
    assert airflow_env.ensure_migrated(env, other) is True  # another Airflow version
    assert migrations == ["migrate"] * 3


def test_a_test_belongs_to_the_node_it_is_defined_on_else_to_each_node_it_reads(tmp_path):
    import json

    from antt.transform.cosmos import tests_by_node

    nodes = {
        "model.p.a": {"resource_type": "model"},
        "model.p.b": {"resource_type": "model"},
        # a relationships test defined on a, referring to b: a's alone
        "test.p.rel": {
            "resource_type": "test",
            "attached_node": "model.p.a",
            "depends_on": {"nodes": ["model.p.b", "model.p.a"]},
        },
        # a singular test reading both: each one's
        "test.p.both": {
            "resource_type": "test",
            "attached_node": None,
            "depends_on": {"nodes": ["model.p.a", "model.p.b"]},
        },
    }
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"nodes": nodes}), encoding="utf-8")
    assert tests_by_node(manifest) == {
        "model.p.a": ["test.p.rel", "test.p.both"],
        "model.p.b": ["test.p.both"],
    }


def test_the_producer_keeps_its_flags_but_not_cosmos_resource_types():
    from antt.transform.cosmos import _without_resource_types

    flags = ["--resource-type", "model", "--quiet", "--resource-type", "seed", "--threads", "4"]
    assert _without_resource_types(flags) == ["--quiet", "--threads", "4"]


def test_the_watchers_dbt_writes_no_log_file_and_is_quiet_when_asked():
    from antt.transform.cosmos import watcher_dbt_flags

    # its log file would be in Cosmos' temporary project copy, deleted unread
    assert watcher_dbt_flags(False) == ["--log-level-file", "none"]
    assert watcher_dbt_flags(True) == ["--log-level-file", "none", "--quiet"]
