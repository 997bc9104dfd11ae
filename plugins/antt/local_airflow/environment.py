"""A local Airflow for ANTT: its home, its metadata database and its environment.

- AIRFLOW_HOME is `<ANTT_HOME>/airflow` (default `.antt/airflow`, never committed).
- Airflow's metadata lives in its own database (`airflow_meta`) on the warehouse's server, never
  in the warehouse database; `ANTT_AIRFLOW_DATABASE_URL` overrides it.
- Secrets Airflow needs (JWT secret, API secret key, Fernet key) and the simple auth manager's
  passwords are generated on first use into AIRFLOW_HOME with mode 0600.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from base64 import urlsafe_b64encode
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from antt.config import DAGS_DIR, Settings, load_settings
from antt.errors import AnttError
from antt.warehouse import sqlalchemy_url

META_DATABASE = "airflow_meta"
ADMIN_USER = "admin"


def airflow_home(settings: Settings | None = None) -> Path:
    return (settings or load_settings()).airflow_home


def meta_admin_url(warehouse_url: str, settings: Settings | None = None) -> str:
    """A libpq URL of the metadata database: same server as the warehouse, its own database."""
    given = (settings or load_settings()).airflow_database_url
    if given:
        return given
    parts = urlsplit(warehouse_url)
    if parts.path.strip("/") == META_DATABASE:
        raise AnttError("the warehouse database must not be Airflow's metadata database")
    return urlunsplit(parts._replace(path="/" + META_DATABASE))


def ensure_meta_database(meta_url: str) -> bool:
    """Create the metadata database when missing (through the server's `postgres` database)."""
    parts = urlsplit(meta_url)
    name = parts.path.strip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                return False
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise AnttError(f"cannot prepare Airflow's metadata database {name!r}: {first}") from exc


def _secret_file(home: Path, name: str, make) -> str:
    path = home / ".secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_text(make(), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def passwords_file(home: Path) -> Path:
    """The simple auth manager's passwords (JSON user -> password), generated once."""
    path = home / "simple_auth_manager_passwords.json.generated"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({ADMIN_USER: secrets.token_urlsafe(12)}), encoding="utf-8")
        path.chmod(0o600)
    return path


def admin_password(home: Path) -> str:
    return json.loads(passwords_file(home).read_text(encoding="utf-8"))[ADMIN_USER]


def airflow_env(warehouse_url: str, *, port: int = 8080, base: dict | None = None) -> dict:
    """The environment of every Airflow process (and of `dag.test()` in this process): the
    project's settings as given, with the warehouse URL resolved (the embedded server's, when
    none was given), and Airflow's own configuration."""
    settings = load_settings()
    env = dict(os.environ if base is None else base)
    home = settings.airflow_home
    home.mkdir(parents=True, exist_ok=True)
    meta = meta_admin_url(warehouse_url, settings)
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "ANTT_HOME": str(settings.home),
            "ANTT_WAREHOUSE_URL": warehouse_url,
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": sqlalchemy_url(meta),
            "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
            # antt is installed in the environment, not an Airflow plugin: Airflow would execute
            # every module under plugins/ (antt/__main__.py exits). An empty folder of our own.
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(home / "plugins"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__CORE__FERNET_KEY": _secret_file(
                home, "fernet_key", lambda: urlsafe_b64encode(secrets.token_bytes(32)).decode()
            ),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"{ADMIN_USER}:admin",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords_file(home)),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
            "AIRFLOW__API__WORKERS": "1",  # a laptop: one API worker is plenty
            "AIRFLOW__API__SECRET_KEY": _secret_file(
                home, "api_secret_key", lambda: secrets.token_urlsafe(32)
            ),
            "AIRFLOW__API_AUTH__JWT_SECRET": _secret_file(
                home, "jwt_secret", lambda: secrets.token_urlsafe(32)
            ),
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
            "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
            "AIRFLOW__OPENLINEAGE__NAMESPACE": "antt",  # Cosmos reads it even when unused
            "AIRFLOW__COSMOS__CACHE_DIR": str(home / "cosmos_cache"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "SCARF_ANALYTICS": "false",
            "DO_NOT_TRACK": "1",
        }
    )
    return env


def airflow_executable() -> str:
    return str(Path(sys.executable).parent / "airflow")


def migrate_meta(env: dict) -> None:
    """`airflow db migrate` (idempotent; about 7 s the first time)."""
    proc = subprocess.run(
        [airflow_executable(), "db", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        lines = [line for line in (proc.stderr + proc.stdout).splitlines() if line.strip()]
        raise AnttError(f"airflow db migrate failed: {lines[-1] if lines else proc.returncode}")


def _migration_stamp(meta_url: str) -> str:
    from importlib.metadata import version

    return json.dumps({"airflow": version("apache-airflow"), "database": meta_url})


def ensure_migrated(env: dict, meta_url: str, progress=None) -> bool:
    """Create and migrate the metadata database unless this Airflow version already migrated
    it (a stamp in AIRFLOW_HOME says so); whether it migrated. `airflow db migrate` costs 5-7 s
    even when nothing changes, on every `antt demo` and `antt airflow` otherwise."""
    created = ensure_meta_database(meta_url)
    stamp = Path(env["AIRFLOW_HOME"]) / ".antt-migrated"
    wanted = _migration_stamp(meta_url)
    if not created and stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return False
    if progress is not None:
        progress("Airflow metadata database: migrating (first run only)")
    migrate_meta(env)
    stamp.write_text(wanted, encoding="utf-8")
    return True


def prepare(warehouse_url: str, *, port: int = 8080) -> dict:
    """Metadata database created and migrated, dbt manifest current; the Airflow environment."""
    from antt.transform.cosmos import ensure_manifest

    env = airflow_env(warehouse_url, port=port)
    ensure_migrated(env, meta_admin_url(warehouse_url, load_settings(env)))
    ensure_manifest(settings=load_settings(env))
    return env
