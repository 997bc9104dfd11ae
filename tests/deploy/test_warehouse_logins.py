"""docker/warehouse_logins.py (run by airflow-init) against a real initialised warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "docker" / "warehouse_logins.py"
ROLES = {"LOADER": "antt_loader", "TRANSFORMER": "antt_transformer", "READER": "antt_reader"}


def login_url(url: str, user: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    netloc = f"{user}@{host}:{parts.port}" if parts.port else f"{user}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def run_script(owner_url: str, **overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTT_")}
    env["ANTT_WAREHOUSE_OWNER_URL"] = owner_url
    for key, role in ROLES.items():
        env[f"ANTT_{key}_PASSWORD"] = f"test-only-{role}-pw"
        env[f"ANTT_{key}_URL"] = login_url(owner_url, role)
    env.update(overrides)
    return subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def tcp_warehouse(warehouse_url: str) -> str:
    if not urlsplit(warehouse_url).hostname:
        pytest.skip("role logins are checked over TCP; this test server is socket-only")
    return warehouse_url


def test_roles_get_passwords_and_each_url_logs_in_as_its_role(tcp_warehouse):
    result = run_script(tcp_warehouse)
    assert result.returncode == 0, result.stdout + result.stderr
    for role in ROLES.values():
        assert f"{role}: login ok" in result.stdout
    with psycopg.connect(tcp_warehouse) as conn:
        rows = conn.execute(
            "SELECT rolname, rolcanlogin, rolpassword IS NOT NULL, rolsuper"
            " FROM pg_authid WHERE rolname = ANY(%s) ORDER BY rolname",
            (list(ROLES.values()),),
        ).fetchall()
    assert rows == [(role, True, True, False) for role in sorted(ROLES.values())]
    # idempotent: a second run succeeds and changes nothing visible
    assert run_script(tcp_warehouse).returncode == 0


def test_a_url_that_logs_in_as_another_role_is_refused(tcp_warehouse):
    wrong = login_url(tcp_warehouse, "antt_loader")
    result = run_script(tcp_warehouse, ANTT_READER_URL=wrong)
    assert result.returncode == 1
    assert "ANTT_READER_URL logs in as 'antt_loader', expected 'antt_reader'" in result.stdout


def test_a_short_password_is_refused_before_anything_changes(tcp_warehouse):
    result = run_script(tcp_warehouse, ANTT_TRANSFORMER_PASSWORD="short")
    assert result.returncode == 1
    assert "ANTT_TRANSFORMER_PASSWORD must have at least 12 characters" in result.stdout
