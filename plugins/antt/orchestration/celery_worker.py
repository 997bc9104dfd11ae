"""The Celery configuration of the ANTT workers (`[celery] celery_config_options`): Airflow's own,
plus modules the worker's main process imports once, before it forks its pool.

Every Airflow task on a Celery worker is a process forked from a pool child, and it imports
the task runner and, for a load, the loader (psycopg, the validation) before it does any work:
measured on the Celery topology, seconds per task on a busy 2-core machine, more than the
loading of a batch of the sample (bench/ingest_celery.py, docs/decisions.md). Imported in the
worker's main process, they are in every child and every task process already (copy-on-write
pages), so a task pays only for parsing its DAG file and its work. Importing is all they do: no
connection, thread or file is opened.

A task process also loads Airflow's plugins (Cosmos's, which imports FastAPI: 0.4 s) and runs the
DAG file (the task decorators, the asset and callback modules: 0.3 s), measured at load 5: those
modules are preloaded too (tests/deploy/test_celery_worker_config.py checks that a task process
finds them loaded).

The result backend (Airflow's: a database) is made once too, in the main process when the worker
starts (`worker_init`, before the pool forks): made in a pool child instead, at its first task
(`task_track_started` stores the STARTED state before the task runs), it checks and creates its
tables there, 0.5-1.3 s at load 6-7, seconds after the task was received. The children inherit it
with its tables known; made in the main process it holds no connection (a NullPool engine there).
"""

from __future__ import annotations

import logging

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import worker_init

log = logging.getLogger("antt.orchestration")

PRELOADED_MODULES = (
    # what a pool child imports for its first task, and the task process after the fork
    "airflow.executors.workloads",
    "airflow.sdk.execution_time.supervisor",
    "airflow.sdk.execution_time.task_runner",
    # the plugins every task process loads (Airflow's plugins manager: Cosmos's UI plugin)
    "cosmos.plugin.airflow3",
    # the DAG files' imports and antt_ingest's loads
    "airflow.sdk.definitions.decorators",
    "airflow.providers.standard.decorators",
    "airflow.providers.postgres.assets.postgres",
    "airflow.providers.common.io.assets.file",
    "airflow.sdk.definitions.timetables.interval",
    "airflow.sdk.definitions.timetables.trigger",
    "airflow.timetables.trigger",
    "antt.orchestration.callbacks",
    "antt.orchestration.settings",
    "antt.orchestration.ingest_tasks",
    "antt.ingest",
)

CELERY_CONFIG = {
    **DEFAULT_CELERY_CONFIG,
    "imports": (*DEFAULT_CELERY_CONFIG.get("imports", ()), *PRELOADED_MODULES),
}


@worker_init.connect
def make_result_backend(sender=None, **_kwargs) -> None:
    """Make the app's result backend before the pool forks (see the module's docstring). Should
    its database not answer now, the worker starts anyway and each child makes its own."""
    try:
        sender.app.backend  # noqa: B018 - the property makes and keeps it
    except Exception as exc:  # noqa: BLE001 - any failure here must not stop the worker
        log.warning("result backend not made before the fork (each child makes its own): %s", exc)
