"""Fixtures for the DAG tests: the dbt manifest, a parsed DagBag (in a child process, so this
process never configures Airflow), and a migrated Airflow metadata database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

DAGBAG_DUMP = r"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
bag = DagBag(dag_folder=sys.argv[1])
out = {"errors": {k: v for k, v in bag.import_errors.items()}, "dags": {},
       "first_parse": {s.file.rsplit("/", 1)[-1]: s.duration.total_seconds()
                       for s in bag.dagbag_stats}}
best = dict(out["first_parse"])
for _ in range(2):  # parse again: the steady state the DAG processor sees
    for s in DagBag(dag_folder=sys.argv[1]).dagbag_stats:
        name = s.file.rsplit("/", 1)[-1]
        best[name] = min(best[name], s.duration.total_seconds())
out["best_parse"] = best
for dag_id, dag in bag.dags.items():
    tasks = {}
    for t in dag.tasks:
        tasks[t.task_id] = {
            "owner": t.owner, "retries": t.retries,
            "backoff": float(t.retry_exponential_backoff or 0),
            "retry_delay_s": t.retry_delay.total_seconds(),
            "timeout_s": t.execution_timeout.total_seconds() if t.execution_timeout else None,
            "callbacks": len(t.on_failure_callback or []) if isinstance(
                t.on_failure_callback, list) else int(bool(t.on_failure_callback)),
            "mapped": "Mapped" in type(t).__name__,
            "max_active_tis_per_dagrun": t.max_active_tis_per_dagrun,
            "trigger_rule": str(t.trigger_rule),
            "outlets": [getattr(o, "uri", str(o)) for o in (t.outlets or [])],
            "upstream": sorted(t.upstream_task_ids),
            "type": type(t).__name__,
            "dbt_node": getattr(t, "model_unique_id", None),
            "node_tests": list(getattr(t, "node_tests", None) or []),
            "dbt_cmd_flags": list(getattr(t, "dbt_cmd_flags", None) or []),
            "log_format": getattr(t, "log_format", None),
            "dbt_global_flags": list(getattr(t, "dbt_cmd_global_flags", None) or []),
            "outcomes_in_one_xcom": getattr(t, "outcomes_in_one_xcom", None),
        }
    out["dags"][dag_id] = {
        "tags": sorted(dag.tags), "doc_md": dag.doc_md or "", "tasks": tasks,
        "max_active_runs": dag.max_active_runs, "catchup": dag.catchup,
        "timetable": type(dag.timetable).__name__,
        "schedule_assets": sorted(
            getattr(a, "uri", "") for a in getattr(dag.timetable.asset_condition, "objects", [])
        ) if hasattr(dag.timetable, "asset_condition") else [],
        "schedule": str(getattr(dag.timetable, "description", "") or ""),
    }
print(json.dumps(out, default=str))
"""


PARSED_PARALLEL_BATCHES = 3


def airflow_child_env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
            "AIRFLOW__COSMOS__CACHE_DIR": str(home / "cosmos"),
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "ERROR",
        }
    )
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    from antt.transform.cosmos import ensure_manifest

    path, _ = ensure_manifest()
    return path


@pytest.fixture(scope="session")
def dagbag_report(dbt_manifest, tmp_path_factory) -> dict:
    home = tmp_path_factory.mktemp("airflow_home")
    proc = subprocess.run(
        [sys.executable, "-c", DAGBAG_DUMP, str(REPO / "dags")],
        # a setting given here, not left to this process's environment (see the ingest test)
        env=airflow_child_env(home, ANTT_INGEST_PARALLEL_BATCHES=str(PARSED_PARALLEL_BATCHES)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def airflow_meta_url(make_database: Callable[[], str], tmp_path_factory) -> str:
    """A migrated Airflow metadata database (libpq URL), once per session (~7 s)."""
    from antt.local_airflow.environment import airflow_executable, sqlalchemy_url

    url = make_database()
    home = tmp_path_factory.mktemp("airflow_migrate")
    env = airflow_child_env(home, AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=sqlalchemy_url(url))
    proc = subprocess.run(
        [airflow_executable(), "db", "migrate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    return url
