"""Run the ANTT DAGs through Airflow in this process (`dag.test()`), without a scheduler; as a
command, `python -m antt.local_airflow.dag_runs antt_ingest [antt_transform antt_publish]` runs
them in that order and prints one JSON line per DAG run (exit 1 when one failed): for operators
without a scheduler, and for tests that need Airflow's own retries and mapping.

`dag.test()` runs a whole DAG run with Airflow's own dependency, mapping, trigger-rule and retry
logic, recording it in the metadata database, but it does not start a scheduler, so an
Asset-scheduled DAG is not triggered by the asset its upstream emitted: the caller runs
`antt_ingest`, `antt_transform`, `antt_publish` in order, the way the assets would.

The process environment must hold the Airflow settings (`environment.airflow_env`) before this
module imports Airflow.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from antt.config import DAGS_DIR
from antt.errors import AnttError

DAG_IDS = ("antt_ingest", "antt_transform", "antt_publish")


@dataclass
class DagRunResult:
    dag_id: str
    run_id: str
    state: str
    seconds: float
    task_states: dict[str, Counter] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)  # task ids (with map index) that failed
    tries: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.state == "success"

    def state_of(self, task_id: str) -> Counter:
        return self.task_states.get(task_id, Counter())


def check_environment() -> None:
    if not os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"):
        raise AnttError("Airflow is not configured in this process (no metadata database set)")


_bag = None


def load_dags() -> dict:
    """The DAGs as Airflow's DagBag parses them; an import error is an AnttError."""
    global _bag
    check_environment()
    from airflow.dag_processing.dagbag import DagBag

    if _bag is None:
        bag = DagBag(dag_folder=str(DAGS_DIR))
        if bag.import_errors:
            path, error = next(iter(bag.import_errors.items()))
            last = error.strip().splitlines()[-1]
            raise AnttError(f"DAG file {path} does not import: {last}")
        _bag = bag
    missing = [d for d in DAG_IDS if d not in _bag.dags]
    if missing:
        raise AnttError(f"DAGs missing from {DAGS_DIR}: {', '.join(missing)}")
    return _bag.dags


# Seconds this process took to start the in-process Execution API (None: not started here).
execution_api_start_s: float | None = None


def start_execution_api() -> float:
    """Start the Execution API that `dag.test()` runs every task through, in this process; the
    seconds it took.

    Airflow builds it once per process, on the first task's first call: Cadwyn then generates
    the API's routes for every API version, seconds of CPU (17 s measured at load 8). Started
    here, with the DAGs parsed, it is part of preparing Airflow rather than of whichever DAG
    run comes first.
    """
    global execution_api_start_s
    import httpx
    from airflow.sdk.execution_time.supervisor import in_process_api_server

    started = time.monotonic()
    api = in_process_api_server()
    with httpx.Client(transport=api.transport, base_url="http://in-process.invalid.") as client:
        response = client.get("/health")
    if response.status_code != 200:
        raise AnttError(
            "không khởi động được Execution API của Airflow / Airflow's in-process Execution API"
            f" does not start: HTTP {response.status_code} {response.text[:200]}"
        )
    execution_api_start_s = time.monotonic() - started
    return execution_api_start_s


def run_dag(dag_id: str, conf: dict | None = None) -> DagRunResult:
    """One DAG run through `dag.test()` (with `conf` as the run's conf); its task states."""
    from airflow.sdk import timezone

    dag = load_dags()[dag_id]
    started = datetime.now()
    # logical_date=None: a run per call even when two fall in the same second.
    dag_run = dag.test(logical_date=None, run_after=timezone.utcnow(), run_conf=conf)
    seconds = (datetime.now() - started).total_seconds()
    result = DagRunResult(
        dag_id=dag_id, run_id=dag_run.run_id, state=str(dag_run.state), seconds=seconds
    )
    for ti in dag_run.get_task_instances():
        state = str(ti.state)
        result.task_states.setdefault(ti.task_id, Counter())[state] += 1
        label = ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]"
        result.tries[label] = ti.try_number
        if state in ("failed", "upstream_failed"):
            result.failed.append(label)
    return result


def last_success(dag_id: str) -> datetime | None:
    """When the last successful run of a DAG ended, from Airflow's metadata."""
    from airflow.models.dagrun import DagRun
    from airflow.utils.session import create_session
    from sqlalchemy import func, select

    with create_session() as session:
        return session.scalar(
            select(func.max(DagRun.end_date)).where(
                DagRun.dag_id == dag_id, DagRun.state == "success"
            )
        )


def consume_asset_events(dag_ids: tuple[str, ...]) -> int:
    """Drop the queued asset events that would trigger `dag_ids`: the caller has just run those
    DAGs on the data the events announce (a scheduler would run them a second time). How many."""
    from airflow.models.asset import AssetDagRunQueue
    from airflow.utils.session import create_session
    from sqlalchemy import delete

    with create_session() as session:
        done = session.execute(
            delete(AssetDagRunQueue).where(AssetDagRunQueue.target_dag_id.in_(dag_ids))
        )
        return done.rowcount or 0


def quiet_airflow_logs(level: int = logging.WARNING) -> None:
    for name in ("airflow", "sqlalchemy", "alembic", "antt.orchestration", "antt.transform"):
        logging.getLogger(name).setLevel(level)
    # Cosmos warns about optional integrations (OpenLineage) on every import; dag.test() warns
    # "No tasks to run" on every one-second tick it waits (a retry delay, an empty map).
    for name in ("cosmos", "airflow.sdk.definitions.dag"):
        logging.getLogger(name).setLevel(max(level, logging.ERROR))
    warnings.filterwarnings("ignore", message="Multiple rows returned with uselist=False")


def main(argv: list[str] | None = None) -> int:
    from antt import warehouse
    from antt.local_airflow.demo import prepare_in_process

    dag_ids = list(argv if argv is not None else sys.argv[1:])
    unknown = [d for d in dag_ids if d not in DAG_IDS]
    if not dag_ids or unknown:
        print(f"usage: python -m antt.local_airflow.dag_runs {' '.join(DAG_IDS)}", file=sys.stderr)
        return 2
    # The module prepared (imported as antt.local_airflow.dag_runs), not this __main__ copy.
    runner = prepare_in_process(warehouse.warehouse_url(), progress=lambda m: None)
    print("ANTT_PREPARE " + json.dumps({"execution_api_start_s": runner.execution_api_start_s}))
    ok = True
    for dag_id in dag_ids:
        result = runner.run_dag(dag_id)
        ok = ok and result.ok
        record = {
            "dag_id": dag_id,
            "run_id": result.run_id,
            "state": result.state,
            "seconds": round(result.seconds, 1),
            "failed": result.failed,
            "tries": result.tries,
            "task_states": {k: dict(v) for k, v in result.task_states.items()},
        }
        print("ANTT_RUN " + json.dumps(record), flush=True)
        if not result.ok:
            break
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
