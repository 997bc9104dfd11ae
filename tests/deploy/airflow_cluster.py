"""A real Airflow 3 cluster with the CeleryExecutor, as separate local processes, for tests.

The same topology as docker-compose.yml: api-server, scheduler, dag-processor and N Celery workers
sharing a PostgreSQL metadata database and a Redis broker. Every process runs in its own process
group and is killed (SIGTERM, then SIGKILL) when the context exits, whatever happened.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from base64 import urlsafe_b64encode
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

AIRFLOW = Path(sys.executable).parent / "airflow"
HERE = Path(__file__).resolve().parent
# The api-server's health endpoint; docker-compose.yml's healthcheck uses the same path.
HEALTH_PATH = "/api/v2/monitor/health"
# as docker-compose.yml: the scheduler's pause between idle loops (Airflow's default 1 s), which
# each step of a DAG run waits for up to once (bench/ingest_celery.py, docs/decisions.md)
SCHEDULER_IDLE_SLEEP = "0.2"
# as docker-compose.yml: [workers] min_heartbeat_interval, seconds between a task's heartbeats
HEARTBEAT_INTERVAL = "1"


class ClusterError(AssertionError):
    """The cluster did not reach the state a test waits for; the message carries the log tails."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sqlalchemy_url(url: str, prefix: str = "") -> str:
    """A libpq URL as a SQLAlchemy URL on psycopg 3, with an optional scheme prefix (`db+`)."""
    from antt.warehouse import sqlalchemy_url as psycopg_url

    return prefix + psycopg_url(url)


@dataclass
class Process:
    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    popen: subprocess.Popen | None = None
    stopped_after: float | None = None  # seconds from SIGTERM until its group was gone

    def start(self, cwd: Path) -> None:
        log = self.log_path.open("ab")
        self.popen = subprocess.Popen(
            self.argv,
            env=self.env,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: we kill the whole tree
        )
        log.close()

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return "(no log)"
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def signal(self, sig: int, group: bool) -> None:
        """Signal the leader (it shuts its children down itself) or its whole process group."""
        if self.popen is None:
            return
        with suppress(ProcessLookupError):
            if group:
                os.killpg(self.popen.pid, sig)  # start_new_session: group id == leader pid
            else:
                self.popen.send_signal(sig)

    def finished(self) -> bool:
        return self.popen is None or (
            self.popen.poll() is not None and not _group_alive(self.popen.pid)
        )


def stop_all(processes: list[Process], grace: float = 15.0) -> None:
    """SIGTERM every leader at once (a graceful stop), then SIGKILL whatever is left of a group."""
    for process in processes:
        process.signal(signal.SIGTERM, group=False)
    started = time.monotonic()
    pending = [p for p in processes if not p.finished()]
    while pending and time.monotonic() < started + grace:
        time.sleep(0.2)
        for process in [p for p in pending if p.finished()]:
            process.stopped_after = time.monotonic() - started
            pending.remove(process)
    for process in pending:
        process.signal(signal.SIGKILL, group=True)
        process.stopped_after = None  # killed
    for process in processes:
        if process.popen is not None:
            process.popen.wait(timeout=10)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@dataclass
class CeleryCluster:
    """Airflow + Celery processes around one metadata database and one Redis database."""

    home: Path
    dags_folder: Path
    metadata_url: str  # libpq URL of an empty database
    broker_url: str  # redis://host:port/db
    workers: tuple[str, ...] = ("worker-a", "worker-b")
    concurrency: int = 2
    extra_env: dict[str, str] = field(default_factory=dict)
    queue: str = field(default_factory=lambda: f"antt_test_{uuid.uuid4().hex[:8]}")
    api_port: int = field(default_factory=free_port)
    scheduler_health_port: int = field(default_factory=free_port)
    processes: list[Process] = field(default_factory=list)
    stop_seconds: float | None = None

    def base_env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("AIRFLOW__", "AIRFLOW_CONN_", "AIRFLOW_VAR_", "AIRFLOW_HOME"))
        }
        fernet = urlsafe_b64encode(secrets.token_bytes(32)).decode()
        env.update(
            {
                "AIRFLOW_HOME": str(self.home / "airflow"),
                "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
                "AIRFLOW__CORE__DAGS_FOLDER": str(self.dags_folder),
                "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
                "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
                "AIRFLOW__CORE__PARALLELISM": "8",
                "AIRFLOW__CORE__FERNET_KEY": fernet,
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": (
                    f"http://127.0.0.1:{self.api_port}/execution/"
                ),
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": sqlalchemy_url(self.metadata_url),
                "AIRFLOW__CELERY__BROKER_URL": self.broker_url,
                "AIRFLOW__CELERY__RESULT_BACKEND": sqlalchemy_url(self.metadata_url, "db+"),
                # a queue of our own: other workers on the same Redis never take our tasks
                "AIRFLOW__OPERATORS__DEFAULT_QUEUE": self.queue,
                # only runs the test triggers: no scheduled run competes for the landing files
                "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
                "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
                "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
                "AIRFLOW__API__PORT": str(self.api_port),
                "AIRFLOW__API__WORKERS": "1",
                "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL": HEARTBEAT_INTERVAL,
                "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": SCHEDULER_IDLE_SLEEP,
                # as docker-compose.yml: workers import the task runner and loader before forking
                "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": (
                    "antt.orchestration.celery_worker.CELERY_CONFIG"
                ),
                "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
                "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": str(
                    self.scheduler_health_port
                ),
                "PATH": os.pathsep.join([str(AIRFLOW.parent), os.environ.get("PATH", "")]),
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
                "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(self.home / "task_logs"),
                "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
                "AIRFLOW__COSMOS__CACHE_DIR": str(self.home / "cosmos"),
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    # --- lifecycle -------------------------------------------------------------------------

    def airflow(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """One `airflow` CLI call; raises with its output when it fails."""
        result = subprocess.run(
            [str(AIRFLOW), *args],
            env=self.base_env() | {"AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING"},
            cwd=self.home,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise ClusterError(
                f"airflow {' '.join(args)} exited {result.returncode}:\n"
                f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
            )
        return result

    def start(self) -> None:
        (self.home / "logs").mkdir(parents=True, exist_ok=True)
        env = self.base_env()
        specs = [
            ("api-server", ["api-server", "--host", "127.0.0.1", "--port", str(self.api_port)], {}),
            ("scheduler", ["scheduler"], {}),
            ("dag-processor", ["dag-processor"], {}),
        ]
        for name in self.workers:
            worker_env = {
                "ANTT_TEST_WORKER_NAME": name,
                "AIRFLOW__CORE__HOSTNAME_CALLABLE": "worker_identity.hostname",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")])),
                "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
            }
            # node name celery@<name>, as a compose worker is celery@<container host name>
            argv = ["celery", "worker", "--celery-hostname", f"celery@{name}"]
            argv += ["--queues", self.queue, "--concurrency", str(self.concurrency)]
            argv += ["--without-gossip", "--without-mingle"]
            specs.append((name, argv, worker_env))
        for name, args, extra in specs:
            process = Process(
                name=name,
                argv=[str(AIRFLOW), *args],
                env=env | extra,
                log_path=self.home / "logs" / f"{name}.log",
            )
            self.processes.append(process)
            process.start(cwd=self.home)

    def stop(self) -> None:
        started = time.monotonic()
        self._stop()
        self.stop_seconds = time.monotonic() - started

    def _stop(self) -> None:
        # all at once: each leader stops its own children (Celery workers shut down warm)
        stop_all(self.processes)

    def logs(self, lines: int = 25) -> str:
        return "\n".join(
            f"----- {p.name} ({'alive' if p.alive() else 'exited'}) -----\n{p.log_tail(lines)}"
            for p in self.processes
        )

    # --- waiting ---------------------------------------------------------------------------

    def _wait(self, what: str, check, timeout: float, interval: float = 0.5):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dead = [p.name for p in self.processes if not p.alive()]
            if dead:
                names = ", ".join(dead)
                raise ClusterError(f"{names} exited while waiting for {what}\n{self.logs()}")
            value = check()
            if value:
                return value
            time.sleep(interval)
        raise ClusterError(f"timed out after {timeout:.0f} s waiting for {what}\n{self.logs()}")

    def api_healthy(self) -> bool:
        url = f"http://127.0.0.1:{self.api_port}{HEALTH_PATH}"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local URL)
                return response.status == 200
        except OSError:
            return False

    def workers_ready(self) -> bool:
        return all(
            " ready." in p.log_path.read_text(errors="replace")
            for p in self.processes
            if p.name in self.workers and p.log_path.exists()
        )

    def dag_registered(self, dag_id: str) -> bool:
        with psycopg.connect(self.metadata_url) as conn:
            row = conn.execute(
                "SELECT 1 FROM dag d JOIN serialized_dag s USING (dag_id)"
                " WHERE d.dag_id = %s AND NOT d.is_paused",
                (dag_id,),
            ).fetchone()
        return row is not None

    def wait_ready(self, dag_id: str, timeout: float = 120) -> None:
        self._wait("the api-server health endpoint", self.api_healthy, timeout)
        self._wait("both Celery workers", self.workers_ready, timeout)
        self._wait(f"DAG {dag_id} parsed", lambda: self.dag_registered(dag_id), timeout)

    def trigger(self, dag_id: str) -> str:
        """A manual run through the REST API (the test cluster treats every caller as admin)."""
        run_id = f"celery_test_{uuid.uuid4().hex[:8]}"
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.api_port}/api/v2/dags/{dag_id}/dagRuns",
            data=json.dumps({"dag_run_id": run_id, "logical_date": None}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                body = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:500]
            raise ClusterError(f"trigger of {dag_id} refused: {exc.code} {detail!r}") from exc
        assert body["dag_run_id"] == run_id, body
        return run_id

    def wait_run(
        self, dag_id: str, run_id: str, timeout: float = 240, interval: float = 1.0
    ) -> str:
        # One connection for the whole wait: a new one per poll costs about 5 ms, most of it a
        # new server process, which every 0.1 s took CPU from the run being measured.
        with psycopg.connect(self.metadata_url, autocommit=True) as conn:

            def finished() -> str | None:
                row = conn.execute(
                    "SELECT state FROM dag_run WHERE dag_id = %s AND run_id = %s",
                    (dag_id, run_id),
                ).fetchone()
                return row[0] if row and row[0] in ("success", "failed") else None

            return self._wait(f"run {run_id} of {dag_id} to finish", finished, timeout, interval)

    def task_instances(self, dag_id: str, run_id: str) -> list[dict]:
        with psycopg.connect(self.metadata_url) as conn:
            cur = conn.execute(
                "SELECT run_id, task_id, map_index, state, hostname, queue, start_date, end_date"
                " FROM task_instance WHERE dag_id = %s AND run_id = %s"
                " ORDER BY task_id, map_index",
                (dag_id, run_id),
            )
            names = [c.name for c in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


@contextmanager
def celery_cluster(**kwargs) -> Iterator[CeleryCluster]:
    """Migrate the metadata database, start every process, and always stop them all."""
    cluster = CeleryCluster(**kwargs)
    cluster.home.mkdir(parents=True, exist_ok=True)
    cluster.airflow("db", "migrate", timeout=180)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
