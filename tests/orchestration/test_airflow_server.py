"""`antt airflow`: the four components start against a metadata database of their own, the
printed login works, the DAGs are there, and Ctrl-C stops every component cleanly."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest

from .test_end_to_end import demo_env

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_json(url: str, payload: dict | None = None, token: str | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_antt_airflow_serves_logs_in_and_stops_on_ctrl_c(
    antt_home, warehouse_url, airflow_meta_url
):
    port = free_port()
    env = demo_env(antt_home, warehouse_url, airflow_meta_url, ANTT_INGEST_SCHEDULE="manual")
    exe = Path(sys.executable).parent / "antt"
    proc = subprocess.Popen(
        [str(exe), "airflow", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 240
        while not any("Airflow is up" in line for line in lines):
            assert proc.poll() is None, "".join(lines)[-4000:]
            assert time.monotonic() < deadline, "not up in 240 s:\n" + "".join(lines)[-4000:]
            time.sleep(0.5)
        base = f"http://127.0.0.1:{port}"
        health = http_json(f"{base}/api/v2/monitor/health")
        assert health["scheduler"]["status"] == "healthy"
        assert health["dag_processor"]["status"] == "healthy"
        assert health["triggerer"]["status"] == "healthy"

        # nothing it started listens beyond the loopback interface (no log servers on 0.0.0.0)
        import psutil

        for child in psutil.Process(proc.pid).children(recursive=True):
            for conn in child.net_connections(kind="inet"):
                if conn.status == psutil.CONN_LISTEN:
                    assert conn.laddr.ip in ("127.0.0.1", "::1"), (child.cmdline(), conn)

        # the login the command printed works
        login_line = next(line for line in lines if "login:" in line)
        user, password = login_line.split("login:")[1].strip().split(" / ")
        token = http_json(f"{base}/auth/token", {"username": user, "password": password})
        assert token["access_token"]

        dag_ids: set[str] = set()
        while time.monotonic() < deadline and len(dag_ids) < 3:
            listed = http_json(f"{base}/api/v2/dags", token=token["access_token"])
            dag_ids = {d["dag_id"] for d in listed["dags"]} & {
                "antt_ingest",
                "antt_transform",
                "antt_publish",
            }
            time.sleep(1)
        assert dag_ids == {"antt_ingest", "antt_transform", "antt_publish"}

        # a run triggered through the API executes on the LocalExecutor: a badly named file
        # is rejected (registered, quarantined) and the run still succeeds
        bad = antt_home / "landing" / "bao cao thang 6.csv"
        bad.parent.mkdir(parents=True, exist_ok=True)
        bad.write_text("ma_xa,gia_tri\n29269,1\n", encoding="utf-8")
        run = http_json(
            f"{base}/api/v2/dags/antt_ingest/dagRuns",
            {"logical_date": None},
            token=token["access_token"],
        )
        state = run["state"]
        while state not in ("success", "failed") and time.monotonic() < deadline + 120:
            time.sleep(2)
            try:
                state = http_json(
                    f"{base}/api/v2/dags/antt_ingest/dagRuns/{run['dag_run_id']}",
                    token=token["access_token"],
                )["state"]
            except TimeoutError:  # one slow answer on a loaded machine: the deadline decides
                continue
        assert state == "success", "".join(lines)[-3000:]
        assert not bad.exists()
        with psycopg.connect(warehouse_url) as conn:
            status = conn.execute(
                "SELECT status FROM raw.submissions WHERE file_name = %s", (bad.name,)
            ).fetchone()
        assert status == ("rejected",)

        # Ctrl-C: every component gets SIGTERM and exits
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=90) == 0, "".join(lines)[-4000:]
        assert time.monotonic() - started < 60
    finally:
        if proc.poll() is None:
            proc.kill()
    reader.join(timeout=5)
    output = "".join(lines)
    assert "stopped:" in output
    for component in ("api-server", "scheduler", "dag-processor", "triggerer"):
        assert f"{component} (exit" in output
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0, "the api-server still listens"
