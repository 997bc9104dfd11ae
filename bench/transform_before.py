"""The watcher's previous producer and node tasks (main at a71c031), for alternating with the
kept ones in `bench/transform_airflow.py --variants`: applied to the classes in the child
process before the DAG is parsed.

- `stream` (the producer before): dbt logs JSON; every line is parsed as it comes, and each
  node's final state is pushed with its event and compiled SQL (Cosmos' parser; progress events
  only logged); OpenLineage events are computed from the manifest after the build.
- `cosmos_poke` (the node tasks before): Cosmos' own check (producer state, start-up events,
  status, compiled SQL with the rendered fields rewritten, the node's event), then the tests.
- `loud` (commit c1a5527): the kept designs, with dbt writing its debug log file in the
  project copy and printing its info lines (no `--log-level-file none`, no `--quiet`).
- `per_key` (commit 9f89261): the kept producer, but an XCom per node, per node's tests and per
  event that did not pass (Cosmos' keys); the node tasks read the node's and its tests'.
"""

from __future__ import annotations

import functools
import json

PROGRESS_EVENTS = frozenset({"NodeStart", "NodeCompiling", "NodeExecuting"})


def _is_progress_line(line: str) -> bool:
    try:
        event = json.loads(line)
    except ValueError:
        return False
    return isinstance(event, dict) and event.get("info", {}).get("name") in PROGRESS_EVENTS


def _progress_only_logged(parse, line: str, extra_kwargs) -> None:
    if _is_progress_line(line):
        extra_kwargs = {k: v for k, v in (extra_kwargs or {}).items() if k != "context"}
    parse(line, extra_kwargs)


def stream() -> None:
    from cosmos.operators.local import DbtLocalBaseOperator
    from cosmos.operators.watcher import DbtProducerWatcherOperator

    from antt.transform import producer

    producer.DBT_LOG_FORMAT = "json"
    lean = producer.LeanProducer
    lean._make_parse_callable = lambda self: functools.partial(
        _progress_only_logged, DbtProducerWatcherOperator._make_parse_callable(self)
    )
    lean.calculate_openlineage_events_completes = (
        DbtLocalBaseOperator.calculate_openlineage_events_completes
    )
    lean._handle_post_execution = DbtLocalBaseOperator._handle_post_execution


def cosmos_poke() -> None:
    from airflow.exceptions import AirflowException
    from cosmos.operators._watcher.aggregation import get_tests_status_xcom_key
    from cosmos.operators._watcher.base import BaseConsumerSensor
    from cosmos.operators._watcher.state import get_xcom_val, is_dbt_node_status_success

    from antt.transform import node_with_tests

    def poke(self, context) -> bool:
        if not BaseConsumerSensor.poke(self, context):
            return False
        if context["ti"].try_number > 1 or not self.node_tests:
            return True
        status = get_xcom_val(
            context["ti"],
            self.producer_task_id,
            get_tests_status_xcom_key(self.model_unique_id),
        )
        if status is None or not is_dbt_node_status_success(status):
            raise AirflowException(f"tests of {self.model_unique_id}: {status}")
        return True

    node_with_tests._AnswersForTests.poke = poke


def per_key() -> None:
    from airflow.exceptions import AirflowException
    from cosmos.operators._watcher.aggregation import get_tests_status_xcom_key
    from cosmos.operators._watcher.state import (
        get_status_xcom_key,
        get_xcom_val,
        is_dbt_node_status_success,
    )

    from antt.transform import node_with_tests, producer

    producer.LeanProducer.outcomes_in_one_xcom = False

    def poke(self, context) -> bool:
        ti, uid = context["ti"], self.model_unique_id
        reported = get_xcom_val(ti, self.producer_task_id, get_status_xcom_key(uid))
        if reported is None or not is_dbt_node_status_success(reported.get("status")):
            raise AirflowException(f"{uid}: {reported}")
        if not self.node_tests:
            return True
        tests = get_xcom_val(ti, self.producer_task_id, get_tests_status_xcom_key(uid))
        if not is_dbt_node_status_success(tests):
            raise AirflowException(f"tests of {uid}: {tests}")
        return True

    node_with_tests._AnswersForTests.poke = poke


def loud() -> None:
    from antt.transform import cosmos

    configs = cosmos.cosmos_configs

    def without_global_flags(*args, **kwargs):
        kept = configs(*args, **kwargs)
        kept["operator_args"].pop("dbt_cmd_global_flags", None)
        return kept

    cosmos.cosmos_configs = without_global_flags


# variant name -> the patches it applies (none: the tree as it is); the producer's and the node
# tasks' designs go together (each reads what the other pushes)
VARIANTS = {
    "kept": (),
    "before": (stream, cosmos_poke, loud),
    "per_key": (per_key, loud),
    "loud": (loud,),
}
