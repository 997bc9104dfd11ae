"""The Celery configuration the ANTT workers run with: Airflow's own, plus the modules a worker
imports once before it forks (antt.orchestration.celery_worker)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG

from antt.orchestration.celery_worker import CELERY_CONFIG, PRELOADED_MODULES

from .compose_file import env_of
from .test_compose import AIRFLOW_SERVICES

OPTION = "antt.orchestration.celery_worker.CELERY_CONFIG"
INGEST_DAG = Path(__file__).resolve().parents[2] / "dags" / "antt_ingest.py"


def test_airflows_celery_settings_are_kept():
    for key, value in DEFAULT_CELERY_CONFIG.items():
        if key != "imports":
            assert CELERY_CONFIG[key] == value, key
    assert set(PRELOADED_MODULES) <= set(CELERY_CONFIG["imports"])


def test_every_preloaded_module_imports():
    for name in PRELOADED_MODULES:
        importlib.import_module(name)


def test_preloading_opens_no_connection_and_starts_no_thread():
    # a forked pool child inherits the parent's state: a socket or a thread there would be shared
    # or lost; importing the modules must do neither (psycopg connects only when asked)
    code = (
        "import threading, importlib, os\n"
        f"for name in {PRELOADED_MODULES!r}: importlib.import_module(name)\n"
        "from celery.signals import worker_init\n"
        "import antt.orchestration.celery_worker\n"
        "worker_init.send(sender=None)\n"  # a worker starting: it also maps the ORM models
        "print(threading.active_count(), len(os.listdir('/proc/self/fd')))\n"
    )
    baseline = (
        "import threading, os; print(threading.active_count(), len(os.listdir('/proc/self/fd')))"
    )
    after = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before = subprocess.run(
        [sys.executable, "-c", baseline], capture_output=True, text=True, check=True
    )
    threads, fds = map(int, after.stdout.split()[-2:])
    threads0, fds0 = map(int, before.stdout.split()[-2:])
    assert threads == threads0
    assert fds == fds0


def test_a_pool_childs_first_result_write_imports_no_model(make_database, tmp_path):
    # the STARTED state a child writes before its first task: with the models mapped in the
    # worker's main process, it connects and writes, and imports none of Airflow's models
    backend = "db+" + make_database().replace("postgresql://", "postgresql+psycopg://", 1)
    code = (
        "import os, sys\n"
        "from celery.signals import worker_init\n"
        "import antt.orchestration.celery_worker\n"
        "worker_init.send(sender=None)\n"  # the worker's main process, before the pool forks
        "from airflow.providers.celery.executors.celery_executor_utils import app\n"
        "before = set(sys.modules)\n"
        "pid = os.fork()\n"  # a pool child
        "if pid == 0:\n"
        "    app.backend.store_result('first-task', None, 'STARTED')\n"
        "    new = sorted(set(sys.modules) - before)\n"
        "    print('models:', ' '.join(n for n in new if n.startswith('airflow.models')) or '-')\n"
        "    print('state:', app.backend.get_task_meta('first-task')['status'])\n"
        "    sys.stdout.flush(); os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
    )
    env = os.environ | {"AIRFLOW_HOME": str(tmp_path), "AIRFLOW__CELERY__RESULT_BACKEND": backend}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert "models: -" in done.stdout.splitlines(), done.stdout + done.stderr
    assert "state: STARTED" in done.stdout.splitlines()


def test_a_forked_task_process_finds_the_unit_lists_read(tmp_path):
    # planning a run and locking a file's scope need the official lists: read before the fork
    code = (
        "import os\n"
        "from celery.signals import worker_init\n"
        "import antt.orchestration.celery_worker\n"
        "worker_init.send(sender=None)\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    from antt.units import lists, periods\n"
        "    cached = [f.cache_info().currsize for f in "
        "(lists._old_lists, lists._new_lists, periods._absorbing)]\n"
        "    province = periods.successor_province_of_unit('CAH', '847')\n"
        "    print('cached:', cached, 'province:', province)\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
    )
    env = os.environ | {"AIRFLOW_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert "cached: [1, 1, 1] province: 86" in done.stdout, done.stdout + done.stderr


def test_an_ingest_task_process_finds_the_plugins_and_its_dag_files_imports_preloaded(tmp_path):
    # what each antt_ingest task process does before its work: load Airflow's plugins, run its
    # DAG file; the modules they need should come from the worker's main process already
    code = (
        "import importlib, runpy, sys\n"
        f"for name in {PRELOADED_MODULES!r}: importlib.import_module(name)\n"
        "before = set(sys.modules)\n"
        "from airflow.sdk.plugins_manager import _get_plugins\n"
        "_get_plugins()\n"
        f"runpy.run_path({str(INGEST_DAG)!r})\n"
        "print(' '.join(sorted(set(sys.modules) - before)))\n"
    )
    env = os.environ | {
        "AIRFLOW_HOME": str(tmp_path),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(tmp_path / "plugins"),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    imported = done.stdout.split()
    heavy = ("cosmos", "fastapi", "starlette", "airflow.sdk.definitions.decorators", "antt.")
    assert [name for name in imported if name.startswith(heavy)] == []


def test_compose_and_the_test_cluster_configure_the_workers_with_it(compose, tmp_path):
    from .airflow_cluster import CeleryCluster

    for name in AIRFLOW_SERVICES:
        assert env_of(compose["services"][name])["AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"] == OPTION
    cluster = CeleryCluster(
        home=tmp_path,
        dags_folder=tmp_path,
        metadata_url="postgresql://airflow@127.0.0.1:5432/meta",
        broker_url="redis://127.0.0.1:6379/0",
    )
    assert cluster.base_env()["AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"] == OPTION


def test_the_test_cluster_sleeps_between_idle_scheduler_loops_as_compose_does(compose, tmp_path):
    from .airflow_cluster import SCHEDULER_IDLE_SLEEP, CeleryCluster

    name = "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME"
    for service in AIRFLOW_SERVICES:
        assert float(env_of(compose["services"][service])[name]) == float(SCHEDULER_IDLE_SLEEP)
    cluster = CeleryCluster(
        home=tmp_path,
        dags_folder=tmp_path,
        metadata_url="postgresql://airflow@127.0.0.1:5432/meta",
        broker_url="redis://127.0.0.1:6379/0",
    )
    assert cluster.base_env()[name] == SCHEDULER_IDLE_SLEEP
    assert float(SCHEDULER_IDLE_SLEEP) < 1.0  # below Airflow's default: the point of it
