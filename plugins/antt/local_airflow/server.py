"""`antt airflow`: a local Airflow 3 — api-server, scheduler, dag-processor and triggerer as
separate processes (LocalExecutor, parallelism 4) — that stops cleanly on Ctrl-C.

Each component runs in its own session, so Ctrl-C reaches only this process, which then sends
SIGTERM to every component (api-server last: the others report to it) and to every process they
started, waits a few seconds, and SIGKILLs whatever is left. LocalExecutor task processes leave
their parent's process group (and may ignore SIGTERM while dbt runs), so "everything it started"
is every descendant seen while stopping and every process that carries this run's marker in its
environment, whichever group or parent it has by then. Task instances those processes were
running are then set back to "no status", so the next start schedules them again at once.

The log servers of the scheduler and the triggerer are not started: they listen on every
interface, and the api-server of this one machine reads the task logs from the log folder.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from antt.errors import AnttError

# The api-server first: task execution and the scheduler talk to it.
COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")
# Components that would start a log server on 0.0.0.0 (`[logging] worker_log_server_port`).
NO_LOG_SERVER = ("scheduler", "triggerer")
STOP_TIMEOUT_S = 10
KILL_WAIT_S = 5
# Set in every component's environment: their task processes and dbt inherit it.
RUN_MARKER = "ANTT_AIRFLOW_RUN"
# Task states of work the stopped processes were doing: scheduled again on the next start.
INTERRUPTED_STATES = ["running", "queued", "restarting"]


@dataclass
class Component:
    name: str
    proc: subprocess.Popen
    log_path: Path


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def health(port: int) -> dict | None:
    import json

    url = f"http://127.0.0.1:{port}/api/v2/monitor/health"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own server
            return json.loads(response.read())
    except (OSError, ValueError):
        return None


def all_healthy(report: dict | None) -> bool:
    if not report:
        return False
    parts = ("metadatabase", "scheduler", "triggerer", "dag_processor")
    return all((report.get(p) or {}).get("status") == "healthy" for p in parts)


def component_command(executable: str, name: str) -> list[str]:
    return [executable, name, *(["--skip-serve-logs"] if name in NO_LOG_SERVER else [])]


def start(env: dict, log_dir: Path) -> list[Component]:
    from antt.local_airflow.environment import airflow_executable

    log_dir.mkdir(parents=True, exist_ok=True)
    components = []
    for name in COMPONENTS:
        log_path = log_dir / f"{name}.log"
        with log_path.open("ab") as log:
            proc = subprocess.Popen(
                component_command(airflow_executable(), name),
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        components.append(Component(name, proc, log_path))
    return components


def _started_by(components: list[Component], marker: str | None, found: dict) -> None:
    """Add to `found` (pid -> psutil.Process) every live descendant of the components and every
    process whose environment carries `marker` (task processes whose parent already died)."""
    import psutil

    for comp in components:
        with suppress(psutil.Error):
            root = psutil.Process(comp.proc.pid)
            for proc in [root, *root.children(recursive=True)]:
                found.setdefault(proc.pid, proc)
    if marker is None:
        return
    own = os.getpid()
    for proc in psutil.process_iter():
        if proc.pid == own or proc.pid in found:
            continue
        with suppress(psutil.Error):
            if proc.environ().get(RUN_MARKER) == marker:
                found[proc.pid] = proc


def _alive(found: dict) -> list:
    import psutil

    alive = []
    for proc in found.values():
        with suppress(psutil.Error):
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(proc)
    return alive


def stop(
    components: list[Component], timeout: float = STOP_TIMEOUT_S, marker: str | None = None
) -> dict[str, int | None]:
    """SIGTERM each component (api-server last) and every process they started, wait up to
    `timeout`, SIGKILL whatever is left of them; the components' exit codes."""
    import psutil

    found: dict = {}
    _started_by(components, marker, found)
    for comp in reversed(components):
        if comp.proc.poll() is None:
            comp.proc.send_signal(signal.SIGTERM)
    components_pids = {c.proc.pid for c in components}
    for proc in found.values():  # the components' own processes shut down on their SIGTERM
        if proc.pid not in components_pids:
            with suppress(psutil.Error):
                proc.terminate()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _started_by(components, marker, found)  # children reparented meanwhile keep the marker
        if not _alive(found) and all(c.proc.poll() is not None for c in components):
            break
        time.sleep(0.1)
    _started_by(components, marker, found)
    own_group = os.getpgrp()
    groups = set()
    for proc in _alive(found):
        with suppress(psutil.Error, OSError):
            groups.add(os.getpgid(proc.pid))
            proc.kill()
    for group in groups - {own_group}:
        with suppress(OSError):
            os.killpg(group, signal.SIGKILL)
    # SIGKILL is delivered when the process next runs: wait until none is left (bounded).
    killed_by = time.monotonic() + KILL_WAIT_S
    while _alive(found) and time.monotonic() < killed_by:
        time.sleep(0.05)
    for comp in components:
        comp.proc.wait()
    return {c.name: c.proc.returncode for c in components}


def requeue_interrupted_tasks(meta_url: str) -> int:
    """Task instances the stopped processes were running go back to "no status" (as Airflow's
    clear does), so the next start schedules them again; how many. Best effort."""
    import psycopg

    try:
        with psycopg.connect(meta_url, connect_timeout=5) as conn:
            return conn.execute(
                "UPDATE task_instance SET state = NULL WHERE state = ANY(%s)",
                (INTERRUPTED_STATES,),
            ).rowcount
    except (psycopg.Error, OSError):
        return 0


def _last_line(path: Path) -> str:
    try:
        lines = [ln for ln in path.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return ""
    return lines[-1][:300] if lines else ""


def serve(console, *, port: int = 8080, ready_timeout: float = 120) -> None:
    """Start everything, print the login, run until Ctrl-C or SIGTERM, then stop cleanly."""
    from antt import warehouse
    from antt.bootstrap import init_database
    from antt.local_airflow.environment import (
        ADMIN_USER,
        admin_password,
        airflow_home,
        meta_admin_url,
        prepare,
    )

    if not port_is_free(port):
        raise AnttError(f"port {port} on 127.0.0.1 is in use (another Airflow?): use --port")
    url = warehouse.warehouse_url()
    init_database(url)
    console.print("preparing Airflow: metadata database, migrations, dbt manifest ...")
    marker = uuid.uuid4().hex
    env = {**prepare(url, port=port), RUN_MARKER: marker}
    home = airflow_home()
    log_dir = home / "logs" / "components"

    stopping = {"signal": None}

    def on_signal(signum, _frame):
        stopping["signal"] = signum

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    components = start(env, log_dir)
    try:
        started = time.monotonic()
        ready = False
        while stopping["signal"] is None:
            dead = [c for c in components if c.proc.poll() is not None]
            if dead:
                comp = dead[0]
                raise AnttError(
                    f"airflow {comp.name} exited with code {comp.proc.returncode}: "
                    f"{_last_line(comp.log_path)} (log: {comp.log_path})"
                )
            if not ready and all_healthy(health(port)):
                ready = True
                console.print(
                    f"Airflow is up in {time.monotonic() - started:.0f} s: "
                    f"http://127.0.0.1:{port}\n"
                    f"  đăng nhập / login: {ADMIN_USER} / {admin_password(home)}\n"
                    f"  (password file: {home / 'simple_auth_manager_passwords.json.generated'})\n"
                    f"  component logs: {log_dir}\n"
                    "  Ctrl-C stops every component."
                )
            if not ready and time.monotonic() - started > ready_timeout:
                raise AnttError(
                    f"Airflow not healthy after {ready_timeout:.0f} s; component logs: {log_dir}"
                )
            time.sleep(0.5)
    finally:
        console.print("stopping Airflow components (SIGTERM) ...")
        codes = stop(components, marker=marker)
        requeued = requeue_interrupted_tasks(meta_admin_url(url))
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        console.print(
            "stopped: "
            + ", ".join(f"{name} (exit {code})" for name, code in codes.items())
            + (
                f"; {requeued} interrupted task(s) will run again on the next start"
                if requeued
                else ""
            )
        )
