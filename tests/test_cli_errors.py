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


def test_build_against_an_unreachable_warehouse_says_why_and_writes_under_antt_home(tmp_path):
    """dbt's "Database Error" comes with PostgreSQL's reason, in one line (issue 15), and dbt's
    run-time files go under ANTT_HOME, not into the repository."""
    from antt.config import DBT_PROJECT_DIR

    repo_log = DBT_PROJECT_DIR / "logs" / "dbt.log"
    before = repo_log.stat().st_mtime_ns if repo_log.exists() else None
    home = tmp_path / "home"
    result = run_antt(
        "build",
        env={
            "ANTT_WAREHOUSE_URL": "postgresql://postgres@127.0.0.1:1/antt",
            "ANTT_HOME": str(home),
        },
        timeout=300,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    (line,) = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert "Database Error: connection to server at" in line and "port 1 failed" in line
    assert "Connection refused" in line
    assert (home / "dbt" / "logs" / "dbt.log").exists()
    assert (home / "dbt" / "target").is_dir()
    after = repo_log.stat().st_mtime_ns if repo_log.exists() else None
    assert after == before  # nothing written to dbt_project/logs


def test_dbt_reason_joins_the_heading_and_postgresqls_message():
    from antt.transform.runner import _last_error_line, dbt_reason

    message = (
        "Database Error in model x (models/x.sql)\n"
        '  relation "raw.nope" does not exist\n'
        "  LINE 1: select * from raw.nope\n"
    )
    assert dbt_reason(message) == (
        'Database Error in model x (models/x.sql): relation "raw.nope" does not exist'
    )
    assert dbt_reason("Compilation Error") == "Compilation Error"
    output = "11:33:00  Encountered an error:\nRuntime Error\n  Could not find profile named 'x'\n"
    assert _last_error_line(output) == "Runtime Error: Could not find profile named 'x'"
