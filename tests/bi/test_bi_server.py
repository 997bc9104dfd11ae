"""`antt bi` and antt.bi.server without a running Superset: what it refuses and why, the
Superset home it prepares, and how it stops what it started."""

from __future__ import annotations

import stat
import subprocess
import sys

import pytest
from dbt_helpers import run_cli

from antt.bi import server
from antt.errors import AnttError


def test_bi_without_superset_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("ANTT_SUPERSET_BIN", str(tmp_path / "missing" / "superset"))
    code, output = run_cli(["bi"])
    assert code == 1
    assert "Superset chưa được cài / Superset is not installed" in output
    assert "make bi-setup" in output


def test_bi_without_marts_says_to_build_them(warehouse_url, monkeypatch):
    monkeypatch.setenv("ANTT_SUPERSET_BIN", sys.executable)  # present: the marts are checked next
    code, output = run_cli(["bi"])
    assert code == 1
    assert "the warehouse has no marts" in output and "make demo" in output


def test_bi_reports_a_reader_that_cannot_log_in(pg_admin_url, monkeypatch):
    monkeypatch.setenv("ANTT_SUPERSET_BIN", sys.executable)
    monkeypatch.setenv("ANTT_WAREHOUSE_URL", pg_admin_url.rsplit("/", 1)[0] + "/no_such_db_bi")
    monkeypatch.delenv("ANTT_READER_URL", raising=False)
    code, output = run_cli(["bi"])
    assert code == 1
    assert "cannot log in as antt_reader" in output


def test_reader_url_takes_the_reader_login(monkeypatch):
    monkeypatch.delenv("ANTT_READER_URL", raising=False)
    monkeypatch.delenv("ANTT_READER_PASSWORD", raising=False)
    embedded = "postgresql://postgres@/antt?host=/w/.antt/pg"
    assert server.reader_url(embedded) == "postgresql://antt_reader@/antt?host=/w/.antt/pg"
    monkeypatch.setenv("ANTT_READER_PASSWORD", "p@ss")
    assert server.reader_url("postgresql://admin:x@db:5432/antt") == (
        "postgresql://antt_reader:p%40ss@db:5432/antt"
    )
    monkeypatch.setenv("ANTT_READER_URL", "postgresql://antt_reader:r@other/antt")
    assert server.reader_url(embedded) == "postgresql://antt_reader:r@other/antt"


def test_home_keeps_its_secrets_private_and_stable(tmp_path, monkeypatch):
    monkeypatch.delenv("ANTT_BI_ADMIN_PASSWORD", raising=False)
    home = server.prepare_home(tmp_path / "superset", "EXTRA_SETTING = 1\n")
    key = (home.folder / "secret_key").read_text()
    password = server.admin_password(home)
    config = home.config.read_text()
    assert server.SHARED_CONFIG.read_text() in config and config.endswith("EXTRA_SETTING = 1\n")
    assert stat.S_IMODE(home.folder.stat().st_mode) == 0o700
    for secret in (home.folder / "secret_key", home.admin_password_file):
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    again = server.prepare_home(tmp_path / "superset")
    assert (again.folder / "secret_key").read_text() == key
    assert server.admin_password(again) == password and len(password) >= 16
    env = home.env()
    assert env["SUPERSET_SECRET_KEY"] == key.strip()
    assert env["SUPERSET_DATABASE_URL"] == f"sqlite:///{home.folder}/superset.db"
    monkeypatch.setenv("ANTT_BI_ADMIN_PASSWORD", "given")
    assert server.admin_password(home) == "given"


def test_a_failing_setup_reports_its_last_lines(tmp_path, monkeypatch):
    fake = tmp_path / "venv" / "bin"
    fake.mkdir(parents=True)
    (fake / "superset").write_text("")
    (fake / "python").write_text("#!/bin/sh\necho 'sqlalchemy says: no such table' >&2\nexit 3\n")
    (fake / "python").chmod(0o755)
    monkeypatch.setenv("ANTT_SUPERSET_BIN", str(fake / "superset"))
    home = server.prepare_home(tmp_path / "home")
    with pytest.raises(AnttError, match=r"setup failed \(exit 3\): sqlalchemy says: no such"):
        server.setup(home, "pw", "postgresql+psycopg2://antt_reader@h/antt")


def test_wait_healthy_fails_when_the_server_exits_or_never_answers():
    gone = subprocess.Popen([sys.executable, "-c", "raise SystemExit(4)"])
    gone.wait()
    with pytest.raises(AnttError, match="exited during start-up"):
        server.wait_healthy("http://127.0.0.1:9", gone, timeout=5)
    silent = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(30)"], start_new_session=True
    )
    try:
        with pytest.raises(AnttError, match="did not answer"):
            server.wait_healthy("http://127.0.0.1:9", silent, timeout=1)
    finally:
        server.stop_server(silent, timeout=5)
    assert silent.returncode is not None


def test_stop_server_ends_the_whole_process_group(tmp_path):
    pidfile = tmp_path / "child.pid"
    parent = subprocess.Popen(
        [
            "sh",
            "-c",
            f"sleep 60 & echo $! > {pidfile}; trap '' TERM; wait",
        ],
        start_new_session=True,
    )
    for _ in range(100):
        if pidfile.exists() and pidfile.read_text().strip():
            break
        subprocess.run(["sleep", "0.05"], check=True)
    child = int(pidfile.read_text())
    server.stop_server(parent, timeout=2)
    assert parent.returncode is not None
    done = subprocess.run(["ps", "-o", "stat=", "-p", str(child)], capture_output=True, text=True)
    assert done.stdout.strip() in ("", "Z")  # gone, or a zombie waiting for init


def test_check_marts_counts_the_scorecard_as_the_reader(warehouse_url):
    import psycopg

    reader = server.reader_url(warehouse_url)
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute("SET ROLE antt_transformer")  # the marts' owner, as dbt builds them
        for mart in server.REQUIRED_MARTS[1:]:
            conn.execute(f"CREATE TABLE marts.{mart} (x int)")
        with pytest.raises(AnttError, match="no marts commune_scorecard readable by antt_reader"):
            server.check_marts(reader)
        conn.execute("CREATE TABLE marts.commune_scorecard (commune_code text)")
        assert server.check_marts(reader) == 0
        conn.execute("INSERT INTO marts.commune_scorecard VALUES ('29374'), ('29377')")
    assert server.check_marts(reader) == 2
