"""Expected failures print one readable line and exit non-zero, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ANTT = Path(sys.executable).parent / "antt"


def run_antt(*args: str, env: dict[str, str] | None = None, timeout: int = 120):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ANTT_")}
    full_env.update(env or {})
    return subprocess.run(
        [str(ANTT), *args], capture_output=True, text=True, env=full_env, timeout=timeout
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://root@localhost/antt", "must be a postgresql:// URL"),
        ("postgresql://postgres@127.0.0.1:5432", "names no database"),
        ("postgresql://postgres@127.0.0.1:1/antt", "cannot connect to the warehouse"),
        ("not a url at all", "must be a postgresql:// URL"),
    ],
)
def test_bad_warehouse_url_is_one_line(url, expected, tmp_path):
    result = run_antt("db", "init", env={"ANTT_WAREHOUSE_URL": url, "ANTT_HOME": str(tmp_path)})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_command_is_a_usage_error(tmp_path):
    result = run_antt("no-such-command", env={"ANTT_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_embedded_warehouse_init_twice_then_down(tmp_path):
    env = {"ANTT_HOME": str(tmp_path / "home")}
    first = run_antt("db", "init", env=env)
    assert first.returncode == 0, first.stderr
    assert "communes +10035" in first.stdout.replace("\n", "")
    second = run_antt("db", "init", env=env)
    assert second.returncode == 0, second.stderr
    assert "nothing changed" in second.stdout
    url = run_antt("db", "url", env=env)
    assert url.stdout.strip().startswith("postgresql://")
    assert str(tmp_path / "home" / "pg") in url.stdout
    down = run_antt("db", "down", env=env)
    assert down.returncode == 0
    assert "stopped" in down.stdout
    again = run_antt("db", "down", env=env)
    assert "was not running" in again.stdout
