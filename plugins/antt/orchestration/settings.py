"""What every ANTT DAG shares: owner, retries, timeouts, schedules and the assets between DAGs.

Values come from the environment so an operator (or a test) can tune them without editing a DAG
file; they are read when a DAG file is parsed. Nothing here imports Airflow, so the CLI can use
it before Airflow is configured.
"""

from __future__ import annotations

import os
from datetime import timedelta

OWNER = "antt-data-team"
TAGS_COMMON = ["antt", "ntm"]

# Asset identities (not connection strings): the raw layer and the criteria marts. The postgres
# scheme needs host, database, schema and table; the host/database here only name the warehouse.
RAW_ASSET_URI = "postgres://localhost:5432/warehouse/raw/submissions"
MARTS_ASSET_URI = "postgres://localhost:5432/warehouse/marts/commune_scorecard"

WAREHOUSE_CONN_ID = "antt_warehouse"
INGEST_SCHEDULE_DEFAULT = "*/15 * * * *"
# Dynamic task mapping refuses more than [core] max_map_length (1024) tasks per map.
INGEST_MAX_FILES_DEFAULT = 500


def _int_env(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def retries() -> int:
    return _int_env("ANTT_DAG_RETRIES", 3)


def retry_delay() -> timedelta:
    return timedelta(seconds=_int_env("ANTT_DAG_RETRY_DELAY_SECONDS", 30, minimum=1))


def max_retry_delay() -> timedelta:
    return timedelta(seconds=_int_env("ANTT_DAG_MAX_RETRY_DELAY_SECONDS", 600, minimum=1))


def ingest_schedule() -> str | None:
    value = os.environ.get("ANTT_INGEST_SCHEDULE", INGEST_SCHEDULE_DEFAULT).strip()
    return None if value.lower() in ("", "none", "manual") else value


def reminder_schedule() -> str:
    """The daily run of antt_publish (cron, Vietnam time): reports re-rendered for the new date
    and the list of overdue reports sent (ANTT_REMINDER_SCHEDULE, default 07:30 every day)."""
    return os.environ.get("ANTT_REMINDER_SCHEDULE", "30 7 * * *").strip() or "30 7 * * *"


def ingest_max_files() -> int:
    return _int_env("ANTT_INGEST_MAX_FILES_PER_RUN", INGEST_MAX_FILES_DEFAULT, minimum=1)


def default_args(execution_timeout: timedelta) -> dict:
    """Task defaults of every ANTT DAG: owner, exponential-backoff retries, timeout, alerts."""
    from antt.orchestration.callbacks import failure_callbacks

    return {
        "owner": OWNER,
        "retries": retries(),
        "retry_delay": retry_delay(),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": max_retry_delay(),
        "execution_timeout": execution_timeout,
        "on_failure_callback": failure_callbacks(),
    }
