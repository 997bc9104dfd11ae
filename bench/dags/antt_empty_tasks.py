"""antt_empty_tasks: as many tasks as antt_transform renders, each doing nothing — a DAG for
`bench/transform_airflow.py` only, to measure what one task costs Airflow where the demo runs
it (`dag.test()`); not deployed."""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task

# antt_transform: 61 seed and model tasks, the producer and its gate, freshness, announce_marts
TASKS = 65
WIDTH = 8


@task
def nothing() -> None:
    """The task's start, state changes and end, with no work."""


@dag(dag_id="antt_empty_tasks", schedule=None, start_date=datetime(2024, 1, 1))
def antt_empty_tasks():
    previous = None
    for first in range(0, TASKS, WIDTH):
        layer = [
            nothing.override(task_id=f"t{n}")() for n in range(first, min(first + WIDTH, TASKS))
        ]
        if previous is not None:
            previous >> layer
        previous = layer[0]


antt_empty_tasks()
