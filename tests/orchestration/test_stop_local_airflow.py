"""Stopping `antt airflow` ends every process it started, task processes that left its process
group and ignore SIGTERM included, and leaves their task instances to run again (issue 15)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import psycopg

from antt.local_airflow.server import (
    RUN_MARKER,
    Component,
    component_command,
    requeue_interrupted_tasks,
    stop,
)

# A component that starts a "task process" the way LocalExecutor's do: in a session of its own,
# deaf to SIGTERM, with a child of its own (dbt), then exits on SIGTERM itself, so the task
# process is left to PID 1.
TASK = (
    "import os, signal, subprocess, sys, time\n"
    "os.setsid()\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "child = subprocess.Popen([sys.executable, '-c', 'import signal, time;"
    " signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)'])\n"
    "open(sys.argv[1], 'w').write(f'{os.getpid()} {child.pid}')\n"
    "time.sleep(600)\n"
)
COMPONENT = (
    "import subprocess, sys, time\n"
    "subprocess.Popen([sys.executable, '-c', sys.argv[1], sys.argv[2]])\n"
    "time.sleep(600)\n"
)


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_stop_ends_task_processes_that_left_the_group_and_ignore_sigterm(tmp_path: Path):
    pids_file = tmp_path / "task.pids"
    marker = "test-" + os.urandom(6).hex()
    proc = subprocess.Popen(
        [sys.executable, "-c", COMPONENT, TASK, str(pids_file)],
        env={**os.environ, RUN_MARKER: marker},
        start_new_session=True,
        stdin=subprocess.DEVNULL,
    )
    task_pids: list[int] = []
    try:
        for _ in range(300):
            if pids_file.exists() and pids_file.read_text().count(" ") == 1:
                break
            time.sleep(0.1)
        task_pids = [int(pid) for pid in pids_file.read_text().split()]
        assert all(_alive(pid) for pid in task_pids)
        assert os.getpgid(task_pids[0]) != proc.pid  # the task process left the group

        codes = stop([Component("scheduler", proc, tmp_path / "log")], timeout=2, marker=marker)

        assert codes["scheduler"] is not None
        assert not any(_alive(pid) for pid in task_pids)
    finally:
        for pid in [proc.pid, *task_pids]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)
        proc.wait()


def test_scheduler_and_triggerer_start_without_their_log_servers():
    for name in ("scheduler", "triggerer"):
        assert component_command("airflow", name) == ["airflow", name, "--skip-serve-logs"]
    for name in ("api-server", "dag-processor"):
        assert component_command("airflow", name) == ["airflow", name]


def test_interrupted_task_instances_are_scheduled_again(make_database):
    meta = make_database()
    states = ["success", "running", "queued", "restarting", "failed", "deferred", None]
    with psycopg.connect(meta) as conn:
        conn.execute("CREATE TABLE task_instance (task_id text, state text)")
        for i, state in enumerate(states):
            conn.execute("INSERT INTO task_instance VALUES (%s, %s)", (f"t{i}", state))
    assert requeue_interrupted_tasks(meta) == 3
    with psycopg.connect(meta) as conn:
        after = [r[0] for r in conn.execute("SELECT state FROM task_instance ORDER BY task_id")]
    assert after == ["success", None, None, None, "failed", "deferred", None]


def test_requeueing_is_best_effort(make_database):
    assert requeue_interrupted_tasks(make_database()) == 0  # no Airflow tables: nothing to do
