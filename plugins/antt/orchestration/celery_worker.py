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

When a worker starts (Celery's `worker_init`, in its main process before the pool forks; the
scheduler and api-server, which read this configuration too, are left alone), `prepare_worker`
maps Airflow's ORM models, which the Celery result backend's first write in each pool child (the
task's `STARTED` state) would otherwise do by importing every model: 0.5 s on a quiet machine,
0.9 s under load, on the path of the child's first task (measured, docs/decisions.md); and it
makes the worker free a slot as soon as its task process exits (`task_exit_watch`). It also
reads the official unit lists and the crosswalk (installed package data and a committed file,
no connection): planning a run and each batch's first file need them to lock a file's scope, and
a task process reading them itself spent 0.2 s of the plan task (cProfile, sample set).
"""

from __future__ import annotations

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
from celery.signals import worker_init

from antt.orchestration import task_exit_watch

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
def prepare_worker(**_signal) -> None:
    """Map Airflow's ORM models (imports only, no connection), read the static unit lists, and
    let the pool children's task supervisors free a slot as soon as its task exits."""
    from airflow.models import import_all_models
    from sqlalchemy.orm import configure_mappers

    from antt.units.periods import read_static_lists

    import_all_models()
    configure_mappers()
    read_static_lists()
    task_exit_watch.install()
