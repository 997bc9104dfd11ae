"""`antt airflow`: a local Airflow 3 — api-server, scheduler, dag-processor and triggerer as
separate processes (LocalExecutor, parallelism 4) — that stops cleanly on Ctrl-C.

Each component runs in its own session, so Ctrl-C reaches only this process, which then sends
SIGTERM to every component (api-server last: the others report to it) and waits for them.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from antt.errors import AnttError

# The api-server first: task execution and the scheduler talk to it.
COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")
STOP_TIMEOUT_S = 30


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


def start(env: dict, log_dir: Path) -> list[Component]:
    from antt.local_airflow.environment import airflow_executable

    log_dir.mkdir(parents=True, exist_ok=True)
    components = []
    for name in COMPONENTS:
        log_path = log_dir / f"{name}.log"
        with log_path.open("ab") as log:
            proc = subprocess.Popen(
                [airflow_executable(), name],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        components.append(Component(name, proc, log_path))
    return components


def stop(components: list[Component], timeout: float = STOP_TIMEOUT_S) -> dict[str, int | None]:
    """SIGTERM each component (api-server last), wait, SIGKILL what is left; exit codes."""
    for comp in reversed(components):
        if comp.proc.poll() is None:
            comp.proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for comp in components:
        try:
            comp.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            import os

            os.killpg(comp.proc.pid, signal.SIGKILL)
            comp.proc.wait()
    return {c.name: c.proc.returncode for c in components}


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
    from antt.local_airflow.environment import ADMIN_USER, admin_password, airflow_home, prepare

    if not port_is_free(port):
        raise AnttError(f"port {port} on 127.0.0.1 is in use (another Airflow?): use --port")
    url = warehouse.warehouse_url()
    init_database(url)
    console.print("preparing Airflow: metadata database, migrations, dbt manifest ...")
    env = prepare(url, port=port)
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
        codes = stop(components)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        console.print(
            "stopped: " + ", ".join(f"{name} (exit {code})" for name, code in codes.items())
        )
