"""`antt demo` in a worker process that Ctrl-C and SIGTERM always stop.

In one process neither signal stops the demo: Airflow's in-process task runner (`dag.test()`)
replaces the SIGTERM handler with one that only calls the running task's `on_kill()` and never
restores it, and it records a KeyboardInterrupt raised in a task as a task failure and goes on.
So `antt demo` runs the work as `python -m antt demo --in-process` in a session of its own (Ctrl-C
at the terminal reaches only this process) and, on SIGINT or SIGTERM (or SIGHUP: the worker has no
terminal that could send it one):

1. freezes the worker (SIGSTOP) and sends SIGTERM to the rest of its process group: initdb,
   pg_ctl, `dbt parse` and `airflow db migrate` clean up after themselves; it gives them a few
   seconds, then kills the worker and whatever is left (SIGKILL);
2. marks the Airflow runs the worker left running as failed: a scheduler (`antt airflow`) would
   otherwise resume them, and antt_ingest allows one active run;
3. prints one line and exits 128 + the signal number (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).

Killing the worker is safe because what it writes survives a kill: each file load is one
transaction and the file moves only after its commit, landed files, the sample set and the dbt
manifest are renamed into place. The embedded PostgreSQL runs in a session of its own, so it keeps
running, and the next `antt demo` resumes where this one stopped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import suppress
from dataclasses import dataclass

STOP_GRACE_S = 5.0
POLL_S = 0.2
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# Task states of an interrupted run: started ones become failed, the rest skipped.
STARTED = ["running", "queued", "restarting", "up_for_retry", "up_for_reschedule", "deferred"]
FINISHED = ["success", "failed", "skipped", "upstream_failed", "removed"]


@dataclass
class Supervised:
    returncode: int  # the worker's; negative when a signal ended it
    signal: int | None = None  # the signal this process received, when one stopped the worker


def _others_alive(pgid: int, worker: int) -> bool:
    """Whether a process of group `pgid` other than the worker is still alive (not a zombie)."""
    import psutil  # a dependency of Airflow and pgserver

    for proc in psutil.process_iter(["status"]):
        if proc.pid == worker or proc.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        with suppress(OSError):
            if os.getpgid(proc.pid) == pgid:
                return True
    return False


def stop_worker(proc: subprocess.Popen, grace: float = STOP_GRACE_S) -> None:
    """Stop a worker started with `start_new_session` and everything in its process group."""
    pgid = proc.pid
    with suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGSTOP)  # frozen: it starts nothing new and cannot ignore it
        os.killpg(pgid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and _others_alive(pgid, proc.pid):
            time.sleep(0.05)
        os.killpg(pgid, signal.SIGKILL)
    proc.wait()


def run_supervised(
    cmd: list[str], env: dict[str, str], *, grace: float = STOP_GRACE_S
) -> Supervised:
    """Run `cmd` in a session of its own until it ends, or until this process gets one of the
    STOP_SIGNALS, which stop it (`stop_worker`). Its output goes where this process's goes."""
    received: list[int] = []

    def on_signal(signum, _frame):
        received.append(signum)

    previous = {s: signal.signal(s, on_signal) for s in STOP_SIGNALS}
    try:
        proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, start_new_session=True)
        while not received:
            try:
                return Supervised(proc.wait(timeout=POLL_S))
            except subprocess.TimeoutExpired:
                continue
        stop_worker(proc, grace)
        return Supervised(proc.returncode, received[0])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def fail_interrupted_runs(tag: str) -> int:
    """Mark the Airflow runs tagged `tag` that are still running as failed (their started tasks
    failed, the others skipped), as Airflow's "mark failed" does; how many. Best effort: no
    metadata database yet (a demo stopped early) or no server is nothing to clean."""
    import psycopg

    from antt import warehouse
    from antt.config import load_settings
    from antt.local_airflow.demo import RUN_TAG_KEY
    from antt.local_airflow.environment import meta_admin_url

    url = load_settings().warehouse_url or warehouse.embedded_running_url()
    if not url:
        return 0
    try:
        with psycopg.connect(meta_admin_url(url), connect_timeout=5) as conn:
            runs = conn.execute(
                "SELECT dag_id, run_id FROM dag_run WHERE conf ->> %s = %s"
                " AND state IN ('running', 'queued') FOR UPDATE",
                (RUN_TAG_KEY, tag),
            ).fetchall()
            for dag_id, run_id in runs:
                conn.execute(
                    "UPDATE task_instance SET end_date = now(),"
                    " state = CASE WHEN state = ANY(%s) THEN 'failed' ELSE 'skipped' END"
                    " WHERE dag_id = %s AND run_id = %s"
                    " AND (state IS NULL OR NOT state = ANY(%s))",
                    (STARTED, dag_id, run_id, FINISHED),
                )
                conn.execute(
                    "UPDATE dag_run SET state = 'failed', end_date = now()"
                    " WHERE dag_id = %s AND run_id = %s",
                    (dag_id, run_id),
                )
            return len(runs)
    except (psycopg.Error, OSError):
        return 0


def supervise_demo(*, verbose: bool, err_console, province: str | None = None) -> int:
    """`antt demo` through a worker process; its exit code, or 128 + the stopping signal."""
    from antt.local_airflow.demo import RUN_TAG_ENV

    tag = uuid.uuid4().hex
    cmd = [sys.executable, "-m", "antt", "demo", "--in-process"]
    if verbose:
        cmd.append("--verbose")
    if province:
        cmd += ["--province", province]
    # Unbuffered: what the worker printed before it was killed is not lost.
    env = {**os.environ, RUN_TAG_ENV: tag, "PYTHONUNBUFFERED": "1"}
    result = run_supervised(cmd, env)
    if result.signal is None and result.returncode >= 0:
        return result.returncode
    stopped_by = result.signal or -result.returncode
    failed = fail_interrupted_runs(tag)
    runs = f", {failed} Airflow run(s) marked failed" if failed else ""
    name = signal.Signals(stopped_by).name
    if result.signal is None:
        line = f"[bold red]error:[/] antt demo worker killed by {name}{runs}"
    else:
        line = f"antt demo đã dừng / stopped ({name}){runs}"
    with suppress(OSError):  # after SIGHUP the terminal may be gone
        err_console.print(
            line + "; chạy lại / run `antt demo` again to resume", highlight=False, soft_wrap=True
        )
    return 128 + stopped_by
