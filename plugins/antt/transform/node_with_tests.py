"""A Cosmos watcher task that answers for a seed or model and for its tests (imports Cosmos).

`antt_transform` renders the project without test tasks: one producer runs one `dbt build`
(tests included), then one task per seed and model reads what the build did. This task fails
when the node failed or when one of its tests failed, so the failure shows on the model's own
task and Airflow does not run what depends on it; a retry builds the node and runs its tests
alone (`dbt build --select <node>`, Cosmos' fallback with `build` instead of `run`).
"""

from __future__ import annotations

from airflow.exceptions import AirflowException
from cosmos.operators._watcher.aggregation import get_tests_status_xcom_key
from cosmos.operators._watcher.state import get_xcom_val, is_dbt_node_status_success
from cosmos.operators.watcher import DbtRunWatcherOperator, DbtSeedWatcherOperator


class _AnswersForTests:
    # Cosmos' retry fallback runs this command for the node alone: its tests run with it.
    base_cmd = ["build"]
    node_tests: list[str] = []

    def poke(self, context) -> bool:
        if context["ti"].try_number > 1:
            # Cosmos: after the build a retry runs the node alone (here with its tests).
            return super().poke(context)  # type: ignore[misc]
        if not super().poke(context):  # type: ignore[misc]
            return False
        if not self.node_tests:
            return True
        status = get_xcom_val(
            context["ti"],
            self.producer_task_id,  # type: ignore[attr-defined]
            get_tests_status_xcom_key(self.model_unique_id),  # type: ignore[attr-defined]
        )
        if status is None:
            raise AirflowException(
                f"dbt build reported no outcome for the {len(self.node_tests)} test(s) of "
                f"'{self.model_unique_id}'; see the producer task's log"  # type: ignore[attr-defined]
            )
        if not is_dbt_node_status_success(status):
            raise AirflowException(
                f"kiểm thử dữ liệu không đạt / data tests failed for '{self.model_unique_id}' "  # type: ignore[attr-defined]
                f"({status}); the producer task's log names the failing test"
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
