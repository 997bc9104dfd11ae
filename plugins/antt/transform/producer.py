"""The watcher producer's `dbt build` at the cost of `antt build`'s (imports Cosmos).

What Cosmos' producer adds to the same `dbt build`, and what is done here instead (measured in
`bench/transform_airflow.py`, docs/decisions.md):

- A full parse. Cosmos runs dbt in a copy of the project and reuses only its own partial-parse
  cache, empty until a producer has run in this Airflow home; `antt build` and `dbt parse`
  leave theirs in the runner's shared target folder (`runner.shared_target`). With its cache
  empty the producer starts from that one. dbt accepts it because the runner names the profile and
  target on the command line as Cosmos does (dbt rejects a partial parse made with other
  `--profile`/`--target` arguments).
- Every log line as JSON, parsed while dbt runs, with XComs pushed per event (status, event,
  compiled SQL). In `antt_transform` the node tasks start only after the build
  (`cosmos.wait_for_the_build`), so nothing reads them during it. Here dbt logs text, as for
  `antt build`, and the nodes' final states are pushed after dbt exits, from its
  `run_results.json`, in one XCom (`push_outcomes`).
- OpenLineage events computed from the manifest after the build: nothing reads them here (no
  OpenLineage provider; under Airflow 3 Cosmos keeps them on the operator only).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from cosmos.operators._watcher.aggregation import get_tests_status_xcom_key
from cosmos.operators._watcher.state import (
    DbtNodeStatus,
    DbtTestStatus,
    get_dbt_event_xcom_key,
    get_status_xcom_key,
    is_dbt_node_status_skipped,
    is_dbt_node_status_success,
    safe_xcom_push,
)
from cosmos.operators.watcher import DbtProducerWatcherOperator

from antt.transform.runner import PARTIAL_PARSE, shared_target

# dbt's log format for the producer: the outcomes come from run_results.json, not the log.
DBT_LOG_FORMAT = "text"


def seed_partial_parse(project_copy: Path) -> bool:
    """Put the runner's partial parse in the project copy's target folder when Cosmos put none
    there (its cache is empty until a producer has run); whether it did. Cosmos' own, when it
    has one, was made by a producer with this very profile, so it is kept."""
    shared = shared_target() / PARTIAL_PARSE
    target = project_copy / "target" / PARTIAL_PARSE
    if not shared.exists() or target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shared, target)
    return True


def node_outcomes(
    run_results: dict, tests_per_node: dict[str, list[str]]
) -> tuple[dict[str, str], dict[str, str], dict[str, dict]]:
    """What the node tasks read, from dbt's run results: (status per seed and model, aggregated
    test status per node with tests, an event with dbt's message per node that did not pass).

    A node dbt skipped is reported as failed, as Cosmos' log parser does (dbt skips only below
    a failure), so its task fails and can be retried rather than skip. A node's tests pass only
    when every one of them ran and passed (a test dbt did not report counts as not passed).
    """
    statuses: dict[str, str] = {}
    tests: dict[str, str] = {}
    events: dict[str, dict] = {}
    for result in run_results.get("results", []):
        uid = result.get("unique_id") or ""
        status = str(result.get("status") or "").lower()
        if is_dbt_node_status_skipped(status):
            status = DbtNodeStatus.FAILED.value
        if uid.startswith("test."):
            tests[uid] = status
        else:
            statuses[uid] = status
        if not is_dbt_node_status_success(status):
            events[uid] = {"status": status, "msg": result.get("message")}
    aggregated = {
        node: (
            DbtTestStatus.PASS.value
            if all(is_dbt_node_status_success(tests.get(t)) for t in node_tests)
            else DbtTestStatus.FAIL.value
        )
        for node, node_tests in tests_per_node.items()
        if node_tests and node in statuses
    }
    return statuses, aggregated, events


# The one XCom the node tasks of `antt_transform` read (`node_with_tests`): every node's outcome.
OUTCOMES_XCOM_KEY = "antt_node_outcomes"


def push_outcomes(
    ti: Any, run_results_file: Path, tests_per_node: dict[str, list[str]], one_xcom: bool = True
) -> int:
    """Push each node's final state from `run_results.json`; how many XComs.

    `one_xcom`: all of them in one XCom (`OUTCOMES_XCOM_KEY`: status, tests and events by node),
    what `node_with_tests` reads; each push is a call to Airflow's API, tens of milliseconds.
    Otherwise one XCom per node, tests and event, under Cosmos' keys, for Cosmos' own node and
    test tasks (`watcher_split`). No file (dbt stopped before writing it): nothing is pushed,
    and the node tasks go by the producer's failure, as Cosmos' own do.
    """
    if not run_results_file.is_file():
        return 0
    run_results = json.loads(run_results_file.read_text(encoding="utf-8"))
    statuses, aggregated, events = node_outcomes(run_results, tests_per_node)
    if one_xcom:
        pushes = [(OUTCOMES_XCOM_KEY, {"status": statuses, "tests": aggregated, "events": events})]
    else:
        pushes = [
            (get_status_xcom_key(u), {"status": s, "outlet_uris": []}) for u, s in statuses.items()
        ]
        pushes += [(get_tests_status_xcom_key(u), s) for u, s in aggregated.items()]
        pushes += [(get_dbt_event_xcom_key(u), e) for u, e in events.items()]
    for key, value in pushes:
        safe_xcom_push(task_instance=ti, key=key, value=value)
    return len(pushes)


class LeanProducer(DbtProducerWatcherOperator):
    """Cosmos' watcher producer, starting from the runner's parse, dbt logging text, and the
    nodes' final states pushed after the build (in one XCom unless Cosmos' own tasks read
    them: `outcomes_in_one_xcom`)."""

    outcomes_in_one_xcom = True

    def _handle_partial_parse(self, tmp_dir_path: Path) -> None:
        super()._handle_partial_parse(tmp_dir_path)
        if seed_partial_parse(tmp_dir_path):
            self.log.info("partial parse: starting from %s", shared_target() / PARTIAL_PARSE)

    def _make_parse_callable(self):
        def log_line(line: str, _extra_kwargs: Any) -> None:
            self.log.info("%s", line)  # the task log, as dbt wrote it

        return log_line

    def calculate_openlineage_events_completes(self, *args: Any, **kwargs: Any) -> bool:
        return False

    def _handle_post_execution(self, tmp_project_dir: str, context, *args: Any, **kwargs: Any):
        super()._handle_post_execution(tmp_project_dir, context, *args, **kwargs)
        run_results = Path(tmp_project_dir) / "target" / "run_results.json"
        pushed = push_outcomes(
            context["ti"], run_results, self.tests_per_model, self.outcomes_in_one_xcom
        )
        self.log.info("node outcomes: %d XComs from run_results.json", pushed)
