"""A Cosmos watcher task that answers for a seed or model and for its tests (imports Cosmos).

`antt_transform` renders the project without test tasks: one producer runs one `dbt build`
(tests included), then one task per seed and model reads what the build did. This task fails
when the node failed or when one of its tests failed, so the failure shows on the model's own
task and Airflow does not run what depends on it; a retry builds the node and runs its tests
alone (`dbt build --select <node>`, Cosmos' fallback with `build` instead of `run`).

The task starts after the build (`cosmos.wait_for_the_build`), so its first try reads one XCom,
the outcomes of every node (`antt.transform.producer.push_outcomes`), and nothing else: Cosmos'
own check asks for the producer's state, dbt's start-up events, the node's status, event and
compiled SQL (then rewrites the task's rendered fields), each a call to Airflow's API. Without
an outcome for the node (the build stopped before reporting it), and on a retry, Cosmos' own
check decides.
"""

from __future__ import annotations

from airflow.exceptions import AirflowException
from cosmos.operators._watcher.state import get_xcom_val, is_dbt_node_status_success
from cosmos.operators.watcher import DbtRunWatcherOperator, DbtSeedWatcherOperator

from antt.transform.producer import OUTCOMES_XCOM_KEY


class _AnswersForTests:
    # Cosmos' retry fallback runs this command for the node alone: its tests run with it.
    base_cmd = ["build"]
    node_tests: list[str] = []

    def poke(self, context) -> bool:
        ti = context["ti"]
        uid = self.model_unique_id  # type: ignore[attr-defined]
        producer = self.producer_task_id  # type: ignore[attr-defined]
        if ti.try_number > 1:
            # Cosmos: after the build a retry runs the node alone (here with its tests).
            return super().poke(context)  # type: ignore[misc]
        outcomes = get_xcom_val(ti, producer, OUTCOMES_XCOM_KEY) or {}
        status = outcomes.get("status", {}).get(uid)
        if status is None:
            return super().poke(context)  # type: ignore[misc]
        if not is_dbt_node_status_success(status):
            event = outcomes.get("events", {}).get(uid) or {}
            raise AirflowException(
                f"dbt: '{uid}' finished with status '{status}': {event.get('msg') or ''} "
                f"(the producer task's log has dbt's output)"
            )
        if not self.node_tests:
            return True
        tests = outcomes.get("tests", {}).get(uid)
        if tests is None:
            raise AirflowException(
                f"dbt build reported no outcome for the {len(self.node_tests)} test(s) of "
                f"'{uid}'; see the producer task's log"
            )
        if not is_dbt_node_status_success(tests):
            raise AirflowException(
                f"kiểm thử dữ liệu không đạt / data tests failed for '{uid}' "
                f"({tests}); the producer task's log names the failing test"
            )
        return True


class RunWithTestsWatcher(_AnswersForTests, DbtRunWatcherOperator):
    """A model's task: the model built and all its tests passed."""


class SeedWithTestsWatcher(_AnswersForTests, DbtSeedWatcherOperator):
    """A seed's task: the seed loaded and all its tests passed."""


WITH_TESTS = {
    DbtRunWatcherOperator: RunWithTestsWatcher,
    DbtSeedWatcherOperator: SeedWithTestsWatcher,
}
