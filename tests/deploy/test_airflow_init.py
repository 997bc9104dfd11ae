"""docker/airflow-init.sh for real, with the environment docker-compose.yml gives airflow-init.

The compose environment (interpolated with a .env from docker/generate-secrets.sh) is pointed at
the local PostgreSQL: `airflow-db` becomes a fresh metadata database, `warehouse-db` a fresh empty
warehouse database, and /opt/airflow and /data become temporary folders.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

from .airflow_cluster import sqlalchemy_url
from .compose_file import env_of

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "docker" / "airflow-init.sh"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def localised(value: str, warehouse: str, folders: dict[str, Path]) -> str:
    """A compose value with the compose hosts and container paths replaced by local ones."""
    parts = urlsplit(warehouse)
    value = value.replace("@warehouse-db:5432/antt", f"@{parts.hostname}:{parts.port}{parts.path}")
    for container_path, local in folders.items():
        value = value.replace(container_path, str(local))
    return value


def test_airflow_init_prepares_everything_the_services_need(
    compose, generated_env, make_database, pg_admin_url, tmp_path
):
    if os.geteuid() != 0:
        pytest.skip("airflow-init.sh hands folders to group 0 (root in the container): run as root")
    if not urlsplit(pg_admin_url).hostname:
        pytest.skip("the role logins need a TCP PostgreSQL; this test server is socket-only")
    warehouse, meta = make_database(), make_database()
    folders = {"/opt/airflow": tmp_path / "opt_airflow", "/data": tmp_path / "data"}
    env = {
        key: localised(value, warehouse, folders)
        for key, value in env_of(compose["services"]["airflow-init"]).items()
    }
    env.update(
        {
            "AIRFLOW_HOME": str(folders["/opt/airflow"]),
            "AIRFLOW_UID": str(os.getuid()),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": sqlalchemy_url(meta),
            "AIRFLOW__CELERY__RESULT_BACKEND": sqlalchemy_url(meta, "db+"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "ANTT_WAREHOUSE_OWNER_URL": warehouse,  # the test server's admin owns the database
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "HOME": os.environ.get("HOME", str(tmp_path)),
        }
    )
    result = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=240
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]

    # no secret is echoed into the logs
    for key in ("AIRFLOW_ADMIN_PASSWORD", "ANTT_LOADER_PASSWORD", "ANTT_READER_PASSWORD"):
        assert generated_env[key] not in output, key
    # file areas exist, owned by AIRFLOW_UID, where the services mount them
    for var in (
        "ANTT_LANDING_DIR",
        "ANTT_ARCHIVE_DIR",
        "ANTT_QUARANTINE_DIR",
        "ANTT_PUBLISHED_DIR",
    ):
        folder = Path(env[var])
        assert folder.is_dir() and folder.is_relative_to(tmp_path), var
        assert folder.stat().st_uid == os.getuid() and folder.stat().st_gid == 0
    # the admin login the api-server reads
    passwords = Path(env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"])
    assert json.loads(passwords.read_text()) == {
        generated_env["AIRFLOW_ADMIN_USER"]: generated_env["AIRFLOW_ADMIN_PASSWORD"]
    }
    assert stat.S_IMODE(passwords.stat().st_mode) == 0o640
    # the Airflow metadata schema, the warehouse, the role logins and dbt's profile
    with psycopg.connect(meta) as conn:
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
    with psycopg.connect(warehouse) as conn:
        communes = conn.execute("SELECT count(*) FROM raw.admin_commune").fetchone()[0]
    assert communes > 10_000
    for role in ("antt_loader", "antt_transformer", "antt_reader"):
        assert f"{role}: login ok" in output
    parts = urlsplit(warehouse)
    assert (
        f"dbt -> antt_transformer@{parts.hostname}:{parts.port}/{parts.path.lstrip('/')}" in output
    )
