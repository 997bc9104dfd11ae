"""`antt demo` stops within seconds on SIGTERM and on Ctrl-C (SIGINT), with one line and no
traceback, and the next `antt demo` resumes: on the embedded warehouse of an isolated ANTT_HOME,
each run is stopped while antt_ingest is loading files (about a minute and a half in all)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import psycopg
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:XDG_RUNTIME_DIR")]

ANTT = Path(sys.executable).parent / "antt"
STOP_LIMIT_S = 15  # measured: under a second; generous for a loaded machine


@pytest.fixture
def home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("ANTT_HOME", str(home))  # for embedded_running_url() in this process
    yield home
    subprocess.run(
        [str(ANTT), "db", "down"], env=demo_env(home), capture_output=True, timeout=120, check=False
    )


def demo_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTT_", "AIRFLOW"))}
    env.update({"ANTT_HOME": str(home), "PYTHONUNBUFFERED": "1", "COLUMNS": "200"})
    return env


def accepted(url: str | None) -> int:
    if not url:
        return 0
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            return conn.execute(
                "SELECT count(*) FROM raw.submissions WHERE status = 'accepted'"
            ).fetchone()[0]
    except psycopg.Error:  # not created or not bootstrapped yet
        return 0


def demo_until(home: Path, tmp_path: Path, name: str, more_than: int) -> subprocess.Popen:
    """Start `antt demo`; return once it has accepted more than `more_than` files."""
    from antt.warehouse import embedded_running_url

    with (tmp_path / f"{name}.out").open("w") as out, (tmp_path / f"{name}.err").open("w") as err:
        proc = subprocess.Popen(
            [str(ANTT), "demo"], env=demo_env(home), stdout=out, stderr=err, start_new_session=True
        )
    deadline = time.monotonic() + 600
    while accepted(embedded_running_url()) <= more_than:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(
                f"{name} ended or stalled: {(tmp_path / f'{name}.err').read_text()[-3000:]}"
            )
        time.sleep(0.5)
    return proc


def stop(proc: subprocess.Popen, signum: int, to_group: bool) -> float:
    started = time.monotonic()
    if to_group:
        os.killpg(proc.pid, signum)  # what Ctrl-C at a terminal does
    else:
        os.kill(proc.pid, signum)
    try:
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    return time.monotonic() - started


def assert_stopped_cleanly(home: Path, tmp_path: Path, name: str, sig: str) -> None:
    from antt.local_airflow.environment import meta_admin_url
    from antt.warehouse import embedded_running_url

    out = (tmp_path / f"{name}.out").read_text()
    err = (tmp_path / f"{name}.err").read_text()
    assert "Traceback" not in out + err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"antt demo đã dừng / stopped ({sig}), 1 Airflow run(s) marked failed")
    assert last.endswith("run `antt demo` again to resume")
    # nothing of the demo keeps running but the embedded server, which still answers
    leftovers = []
    for p in psutil.process_iter(["name", "environ"]):
        if (p.info["environ"] or {}).get("ANTT_HOME") == str(home) and p.info["name"] != "postgres":
            leftovers.append(p.info["name"])
    assert not leftovers
    url = embedded_running_url()
    assert url is not None
    with psycopg.connect(meta_admin_url(url)) as conn:
        states = conn.execute("SELECT state FROM dag_run").fetchall()
    assert ("running",) not in states and ("failed",) in states


def test_sigterm_then_ctrl_c_stop_the_demo_and_the_next_run_resumes(home, tmp_path):
    from antt.warehouse import embedded_running_url

    first = demo_until(home, tmp_path, "first", more_than=5)
    elapsed = stop(first, signal.SIGTERM, to_group=False)
    assert first.returncode == 143, (tmp_path / "first.err").read_text()[-3000:]
    assert elapsed < STOP_LIMIT_S
    assert_stopped_cleanly(home, tmp_path, "first", "SIGTERM")
    after_first = accepted(embedded_running_url())

    # the next run reuses the warehouse and goes on loading where the first one stopped
    second = demo_until(home, tmp_path, "second", more_than=after_first + 5)
    out = (tmp_path / "second.out").read_text()
    assert "Airflow metadata database: migrating" not in out
    elapsed = stop(second, signal.SIGINT, to_group=True)
    assert second.returncode == 130, (tmp_path / "second.err").read_text()[-3000:]
    assert elapsed < STOP_LIMIT_S
    assert_stopped_cleanly(home, tmp_path, "second", "SIGINT")

    with psycopg.connect(embedded_running_url()) as conn:
        twice = conn.execute(
            "SELECT count(*) FROM (SELECT sha256 FROM raw.submissions WHERE status = 'accepted'"
            " GROUP BY sha256 HAVING count(*) > 1) AS d"
        ).fetchone()[0]
    assert twice == 0
    down = subprocess.run(
        [str(ANTT), "db", "down"], env=demo_env(home), capture_output=True, text=True, timeout=120
    )
    assert down.stdout.strip() == "embedded warehouse stopped", down.stderr
    assert not (home / "pg" / "postmaster.pid").exists()
