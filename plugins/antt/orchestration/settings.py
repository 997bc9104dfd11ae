"""What every ANTT DAG shares: owner, tags, the assets between DAGs and the task defaults.

The tunable values (retries, schedules, limits, alerts) are the `dag` part of the project's
settings (`antt.config.load_settings`), read when a DAG file is parsed. Nothing here imports
Airflow, so the CLI can use it before Airflow is configured.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from antt.config import DagSettings, load_settings

OWNER = "antt-data-team"
TAGS_COMMON = ["antt", "ntm"]

# Asset identities (not connection strings): the raw layer and the criteria marts. The postgres
# scheme needs host, database, schema and table; the host/database here only name the warehouse.
RAW_ASSET_URI = "postgres://localhost:5432/warehouse/raw/submissions"
MARTS_ASSET_URI = "postgres://localhost:5432/warehouse/marts/commune_scorecard"


def dag_settings() -> DagSettings:
    return load_settings().dag


def default_args(execution_timeout: timedelta, dag: DagSettings | None = None) -> dict:
    """Task defaults of every ANTT DAG: owner, exponential-backoff retries, timeout, alerts."""
    from antt.orchestration.callbacks import failure_callbacks

    dag = dag or dag_settings()
    return {
        "owner": OWNER,
        "retries": dag.retries,
        "retry_delay": dag.retry_delay,
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": dag.max_retry_delay,
        "execution_timeout": execution_timeout,
        "on_failure_callback": failure_callbacks(dag),
    }


def chained_dag_args(*tags: str) -> dict:
    """`@dag` arguments of the DAGs an asset starts (antt_transform, antt_publish): one run at
    a time, no catch-up, the common task defaults with a 30-minute task timeout."""
    return {
        "start_date": datetime(2024, 1, 1),
        "catchup": False,
        "max_active_runs": 1,
        "default_args": default_args(timedelta(minutes=30)),
        "tags": [*TAGS_COMMON, *tags],
    }
