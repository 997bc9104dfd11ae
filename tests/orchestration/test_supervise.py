"""How `antt demo` stops: the worker process and its subprocesses on SIGINT/SIGTERM, the Airflow
runs it leaves, the dbt manifest a killed `dbt parse` would have cut short."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg
import pytest

# A worker that behaves like `antt demo` inside Airflow's task runner: it ignores SIGTERM and
# SIGINT; its child (a subprocess such as initdb or `dbt parse`) cleans up on SIGTERM and would
# die without cleaning up on SIGINT or SIGHUP.
CHILD = textwrap.dedent(
    """
    import pathlib, signal, sys, time
    def on_term(signum, frame):
        pathlib.Path(sys.argv[1], "child_cleaned").write_text("yes")
        sys.exit(1)
    signal.signal(signal.SIGTERM, on_term)
    pathlib.Path(sys.argv[1], "child_ready").write_text("yes")
    time.sleep(120)
    """
)
WORKER = textwrap.dedent(
    """
    import pathlib, signal, subprocess, sys, time
    signal.signal(signal.SIGTERM, lambda *a: None)
    signal.signal(signal.SIGINT, lambda *a: None)
    folder = sys.argv[1]
    if sys.argv[2] == "exit":
        sys.exit(3)
    child = subprocess.Popen([sys.executable, "-c", sys.argv[3], folder])
    pathlib.Path(folder, "child_pid").write_text(str(child.pid))
    child.wait()
    time.sleep(120)
    """
)
SUPERVISOR = textwrap.dedent(
    """
    import json, os, sys
    from antt.local_airflow.supervise import run_supervised
    result = run_supervised(json.loads(sys.argv[1]), dict(os.environ), grace=10)
    print(json.dumps({"returncode": result.returncode, "signal": result.signal}))
    """
)


def start_supervisor(tmp_path: Path, mode: str) -> subprocess.Popen:
    worker = [sys.executable, "-c", WORKER, str(tmp_path), mode, CHILD]
    # its own session, like a shell job: a signal to its group is what Ctrl-C at a terminal does
    return subprocess.Popen(
        [sys.executable, "-c", SUPERVISOR, json.dumps(worker)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.05)


def alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_stops_a_worker_that_ignores_it_and_lets_its_subprocesses_clean_up(
    tmp_path, signum
):
    sup = start_supervisor(tmp_path, "work")
    try:
        wait_for(tmp_path / "child_ready")
        wait_for(tmp_path / "child_pid")
        child_pid = int((tmp_path / "child_pid").read_text())
        started = time.monotonic()
        os.killpg(sup.pid, signum)
        out, err = sup.communicate(timeout=30)
        elapsed = time.monotonic() - started
    finally:
        if sup.poll() is None:
            os.killpg(sup.pid, signal.SIGKILL)
    assert sup.returncode == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert result == {"returncode": -signal.SIGKILL, "signal": signum}
    assert elapsed < 8, f"took {elapsed:.1f} s"
    assert (tmp_path / "child_cleaned").read_text() == "yes"  # SIGTERM first, then SIGKILL
    assert not alive(child_pid)


def test_a_worker_that_ends_by_itself_gives_its_exit_code(tmp_path):
    sup = start_supervisor(tmp_path, "exit")
    out, err = sup.communicate(timeout=30)
    assert json.loads(out.strip().splitlines()[-1]) == {"returncode": 3, "signal": None}


AIRFLOW_TABLES = """
CREATE TABLE dag_run (dag_id text, run_id text, state text, end_date timestamptz, conf jsonb);
CREATE TABLE task_instance (dag_id text, run_id text, map_index int, state text,
                            end_date timestamptz);
"""


def test_runs_the_stopped_worker_left_running_are_marked_failed(make_database, monkeypatch):
    from antt.local_airflow.supervise import fail_interrupted_runs

    meta = make_database()
    with psycopg.connect(meta) as conn:
        conn.execute(AIRFLOW_TABLES)
        for run_id, state, tag in [
            ("r1", "running", "mine"),
            ("r2", "success", "mine"),
            ("r3", "running", "other"),
            ("r4", "running", None),
        ]:
            conf = json.dumps({"antt_demo_run": tag} if tag else {})
            conn.execute(
                "INSERT INTO dag_run VALUES ('antt_ingest', %s, %s, NULL, %s)",
                (run_id, state, conf),
            )
            for i, ti_state in enumerate(["success", "running", "up_for_retry", "scheduled", None]):
                conn.execute(
                    "INSERT INTO task_instance VALUES ('antt_ingest', %s, %s, %s, NULL)",
                    (run_id, i, ti_state),
                )
    monkeypatch.setenv("ANTT_WAREHOUSE_URL", meta)
    monkeypatch.setenv("ANTT_AIRFLOW_DATABASE_URL", meta)

    assert fail_interrupted_runs("mine") == 1

    with psycopg.connect(meta) as conn:
        runs = dict(conn.execute("SELECT run_id, state FROM dag_run").fetchall())
        tis = conn.execute(
            "SELECT run_id, map_index, state, end_date IS NOT NULL FROM task_instance"
            " ORDER BY run_id, map_index"
        ).fetchall()
    assert runs == {"r1": "failed", "r2": "success", "r3": "running", "r4": "running"}
    assert [t[1:] for t in tis if t[0] == "r1"] == [
        (0, "success", False),
        (1, "failed", True),
        (2, "failed", True),
        (3, "skipped", True),
        (4, "skipped", True),
    ]
    others = [t[1:] for t in tis if t[0] != "r1"]
    assert [t[1] for t in others] == ["success", "running", "up_for_retry", "scheduled", None] * 3
    assert not any(t[2] for t in others)


def test_marking_runs_is_best_effort(make_database, monkeypatch):
    from antt.local_airflow.supervise import fail_interrupted_runs

    monkeypatch.setenv("ANTT_AIRFLOW_DATABASE_URL", make_database())  # not migrated: no tables
    monkeypatch.setenv("ANTT_WAREHOUSE_URL", "postgresql://postgres@127.0.0.1:5432/x")
    assert fail_interrupted_runs("mine") == 0
    monkeypatch.setenv("ANTT_AIRFLOW_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/x")
    assert fail_interrupted_runs("mine") == 0  # no server


def test_a_dbt_parse_that_dies_leaves_the_previous_manifest(tmp_path, monkeypatch):
    from antt.errors import AnttError
    from antt.transform import cosmos as dbt
    from antt.transform import runner as transform

    manifest = tmp_path / "cosmos" / "manifest.json"
    monkeypatch.setenv("ANTT_DBT_MANIFEST", str(manifest))

    def parse(target_dir: Path) -> Path:
        (target_dir / "manifest.json").write_text('{"nodes": {"model.a"')  # killed mid-write
        raise AnttError("dbt parse failed")

    monkeypatch.setattr(transform, "parse_manifest", parse)
    manifest.parent.mkdir()
    manifest.write_text('{"nodes": {}}')
    with pytest.raises(AnttError):
        dbt.ensure_manifest(force=True)
    assert json.loads(manifest.read_text()) == {"nodes": {}}

    def parse_ok(target_dir: Path) -> Path:
        (target_dir / "manifest.json").write_text('{"nodes": {"model.a": {}}}')
        return target_dir / "manifest.json"

    monkeypatch.setattr(transform, "parse_manifest", parse_ok)
    assert dbt.ensure_manifest(force=True) == (manifest, True)
    assert json.loads(manifest.read_text()) == {"nodes": {"model.a": {}}}


def test_ctrl_c_outside_the_demo_is_one_word_and_130(monkeypatch, capsys):
    from antt import cli

    def interrupted(**_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "app", interrupted)
    assert cli.main(["db", "up"]) == 130
    assert capsys.readouterr().err.strip() == "aborted"
