"""antt_transform_layers: the dbt project as three `dbt build` tasks, one per layer — a DAG for
`bench/transform_airflow.py` only (no task per model), not deployed."""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task

LAYERS = ("resource_type:seed path:models/staging", "path:models/intermediate", "path:models/marts")


@task
def build_layer(select: str) -> None:
    from antt.transform.runner import run_dbt

    run = run_dbt(["build", "--select", *select.split()])
    if not run.success:
        raise RuntimeError("; ".join(run.failures[:3]) or "dbt build failed")


@dag(dag_id="antt_transform_layers", schedule=None, start_date=datetime(2024, 1, 1))
def antt_transform_layers():
    previous = None
    for number, select in enumerate(LAYERS):
        current = build_layer.override(task_id=f"layer_{number}")(select)
        if previous is not None:
            previous >> current
        previous = current


antt_transform_layers()
