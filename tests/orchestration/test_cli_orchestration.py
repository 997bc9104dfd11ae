"""`antt airflow` and `antt demo` fail with one readable line, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ANTT = Path(sys.executable).parent / "antt"


def run_antt(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    full = dict(os.environ)
    full.update({"ANTT_HOME": str(tmp_path / "home"), **env})
    return subprocess.run(
        [str(ANTT), *args], env=full, capture_output=True, text=True, timeout=120, check=False
    )


def assert_one_line_error(proc: subprocess.CompletedProcess, fragment: str) -> None:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert fragment in proc.stderr


def test_airflow_refuses_a_port_in_use(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        proc = run_antt(["airflow", "--port", str(port)], tmp_path)
    assert_one_line_error(proc, f"port {port}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("command", [["demo"], ["airflow", "--port"]])
def test_unreachable_warehouse_is_one_line(tmp_path, command):
    if command[-1] == "--port":
        command = [*command, str(free_port())]
    proc = run_antt(command, tmp_path, ANTT_WAREHOUSE_URL="postgresql://postgres@127.0.0.1:1/x")
    assert_one_line_error(proc, "cannot connect to the warehouse")


def test_airflow_port_out_of_range_is_refused(tmp_path):
    proc = run_antt(["airflow", "--port", "80"], tmp_path)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr


def test_bad_warehouse_url_is_one_line(tmp_path):
    proc = run_antt(["demo"], tmp_path, ANTT_WAREHOUSE_URL="mysql://db/antt")
    assert_one_line_error(proc, "postgresql://")
