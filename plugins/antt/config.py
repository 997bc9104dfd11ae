"""Settings: repository paths, and every `ANTT_*` variable read in one place into one typed object.

`load_settings()` is the only reader of the environment for the project's own settings: the
CLI, a DAG file and a task read it once and pass what they need (URLs, folders) as arguments.
Airflow's own `AIRFLOW__*` variables are Airflow's business and stay out of it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
INCLUDE_DIR = REPO_ROOT / "include"
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
DAGS_DIR = REPO_ROOT / "dags"

# The three run-time roles (`antt db init` creates them): the key is what code asks for.
ROLE_NAMES: dict[str, str] = {
    "loader": "antt_loader",
    "transformer": "antt_transformer",
    "reader": "antt_reader",
}
# How antt_transform runs dbt (antt.transform.cosmos): one `dbt build` watched by a task per
# model (watcher), or one dbt invocation per model and test (local) or per model (build).
DBT_AIRFLOW_MODES = ("watcher", "watcher_split", "local", "build")
INGEST_SCHEDULE_DEFAULT = "*/15 * * * *"
# A bound on one antt_ingest run: the national year (756 files) loads in one run.
INGEST_MAX_FILES_DEFAULT = 1000
# Batch tasks of one antt_ingest run loading at once: one per core of the 2-core machine it was
# measured on (2 beat 4 on the sample and the national year: docs/decisions.md, issue 14).
INGEST_PARALLEL_BATCHES_DEFAULT = 2
INGEST_BATCHES_PER_SLOT_DEFAULT = 1
INGEST_CONNECTIONS_PER_BATCH_DEFAULT = 2
# The daily run of antt_publish (cron, Vietnam time): reports re-rendered for the new date and
# the list of overdue reports sent.
REMINDER_SCHEDULE_DEFAULT = "30 7 * * *"


@dataclass(frozen=True)
class FileAreas:
    landing: Path
    archive: Path
    quarantine: Path
    published: Path

    def ensure(self) -> FileAreas:
        for folder in (self.landing, self.archive, self.quarantine, self.published):
            folder.mkdir(parents=True, exist_ok=True)
        return self


@dataclass(frozen=True)
class DagSettings:
    """What every ANTT DAG shares and an operator may tune (read when a DAG file is parsed)."""

    retries: int = 3
    retry_delay: timedelta = timedelta(seconds=30)
    max_retry_delay: timedelta = timedelta(seconds=600)
    ingest_schedule: str | None = INGEST_SCHEDULE_DEFAULT
    ingest_max_files: int = INGEST_MAX_FILES_DEFAULT
    # Batch tasks of one antt_ingest run that load at the same time (max_active_tis_per_dagrun),
    # and the batches of a run (times ingest_batches_per_slot).
    ingest_parallel_batches: int = INGEST_PARALLEL_BATCHES_DEFAULT
    # Ingest batches per worker slot: one, since each task costs seconds of Airflow start-up
    # (bench/ingest_celery.py).
    ingest_batches_per_slot: int = INGEST_BATCHES_PER_SLOT_DEFAULT
    # Loader connections of one batch task, its lanes side by side (1 and 2 measured within the
    # noise of each other: docs/decisions.md, antt_ingest on Celery).
    ingest_connections_per_batch: int = INGEST_CONNECTIONS_PER_BATCH_DEFAULT
    reminder_schedule: str = REMINDER_SCHEDULE_DEFAULT
    alert_webhook_url: str | None = None
    alert_emails: tuple[str, ...] = ()
    alert_smtp_conn_id: str = "smtp_default"


@dataclass(frozen=True)
class Settings:
    home: Path
    areas: FileAreas
    # ANTT_WAREHOUSE_URL; None: the embedded server under home/pg, started on demand.
    warehouse_url: str | None
    # Dedicated logins of the roles (ANTT_LOADER_URL, ...), when the operator gave them.
    role_urls: Mapping[str, str] = field(default_factory=dict)
    airflow_home: Path | None = None
    airflow_database_url: str | None = None  # ANTT_AIRFLOW_DATABASE_URL
    dbt_threads: int = 4
    dbt_quiet: bool = False
    dbt_airflow_mode: str = DBT_AIRFLOW_MODES[0]
    dbt_manifest: Path = DBT_PROJECT_DIR / "target" / "cosmos" / "manifest.json"
    dag: DagSettings = field(default_factory=DagSettings)
    timezone: str = "Asia/Ho_Chi_Minh"


def env_int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    """The integer setting `name` of `env`; `default` when unset or blank."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def _text(env: Mapping[str, str], name: str) -> str | None:
    return env.get(name, "").strip() or None


def _dag_settings(env: Mapping[str, str]) -> DagSettings:
    schedule = env.get("ANTT_INGEST_SCHEDULE", INGEST_SCHEDULE_DEFAULT).strip()
    webhook = _text(env, "ANTT_ALERT_WEBHOOK_URL")
    if webhook and not webhook.startswith(("http://", "https://")):
        raise ValueError("ANTT_ALERT_WEBHOOK_URL must be an http(s) URL")
    return DagSettings(
        retries=env_int(env, "ANTT_DAG_RETRIES", 3),
        retry_delay=timedelta(seconds=env_int(env, "ANTT_DAG_RETRY_DELAY_SECONDS", 30, minimum=1)),
        max_retry_delay=timedelta(
            seconds=env_int(env, "ANTT_DAG_MAX_RETRY_DELAY_SECONDS", 600, minimum=1)
        ),
        ingest_schedule=None if schedule.lower() in ("", "none", "manual") else schedule,
        ingest_max_files=env_int(
            env, "ANTT_INGEST_MAX_FILES_PER_RUN", INGEST_MAX_FILES_DEFAULT, minimum=1
        ),
        ingest_parallel_batches=env_int(
            env, "ANTT_INGEST_PARALLEL_BATCHES", INGEST_PARALLEL_BATCHES_DEFAULT, minimum=1
        ),
        ingest_batches_per_slot=env_int(
            env, "ANTT_INGEST_BATCHES_PER_SLOT", INGEST_BATCHES_PER_SLOT_DEFAULT, minimum=1
        ),
        ingest_connections_per_batch=env_int(
            env,
            "ANTT_INGEST_CONNECTIONS_PER_BATCH",
            INGEST_CONNECTIONS_PER_BATCH_DEFAULT,
            minimum=1,
        ),
        reminder_schedule=_text(env, "ANTT_REMINDER_SCHEDULE") or REMINDER_SCHEDULE_DEFAULT,
        alert_webhook_url=webhook,
        alert_emails=tuple(
            a.strip() for a in env.get("ANTT_ALERT_EMAIL", "").split(",") if a.strip()
        ),
        alert_smtp_conn_id=_text(env, "ANTT_ALERT_SMTP_CONN_ID") or "smtp_default",
    )


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings from `environ` (default: this process's environment)."""
    env = os.environ if environ is None else environ
    home = Path(env.get("ANTT_HOME") or REPO_ROOT / ".antt").resolve()
    areas = FileAreas(
        landing=Path(env.get("ANTT_LANDING_DIR") or home / "landing"),
        archive=Path(env.get("ANTT_ARCHIVE_DIR") or home / "archive"),
        quarantine=Path(env.get("ANTT_QUARANTINE_DIR") or home / "quarantine"),
        published=Path(env.get("ANTT_PUBLISHED_DIR") or home / "published"),
    )
    role_urls = {
        role: url for role in ROLE_NAMES if (url := _text(env, f"ANTT_{role.upper()}_URL"))
    }
    manifest = _text(env, "ANTT_DBT_MANIFEST")
    mode = (_text(env, "ANTT_DBT_AIRFLOW_MODE") or DBT_AIRFLOW_MODES[0]).lower()
    if mode not in DBT_AIRFLOW_MODES:
        raise ValueError(
            f"ANTT_DBT_AIRFLOW_MODE must be one of {', '.join(DBT_AIRFLOW_MODES)}, got {mode!r}"
        )
    return Settings(
        home=home,
        areas=areas,
        warehouse_url=_text(env, "ANTT_WAREHOUSE_URL"),
        role_urls=role_urls,
        airflow_home=Path(env.get("ANTT_AIRFLOW_HOME") or home / "airflow").resolve(),
        airflow_database_url=_text(env, "ANTT_AIRFLOW_DATABASE_URL"),
        dbt_threads=env_int(env, "ANTT_DBT_THREADS", 4, minimum=1),
        dbt_quiet=env.get("ANTT_DBT_QUIET", "").strip().lower() in ("1", "true", "yes"),
        dbt_manifest=Path(manifest) if manifest else Settings.dbt_manifest,
        dbt_airflow_mode=mode,
        dag=_dag_settings(env),
        timezone=_text(env, "ANTT_TIMEZONE") or "Asia/Ho_Chi_Minh",
    )


def state_dir() -> Path:
    """The folder that holds the embedded warehouse and the file areas (default `.antt/`)."""
    return load_settings().home


def file_areas() -> FileAreas:
    return load_settings().areas
