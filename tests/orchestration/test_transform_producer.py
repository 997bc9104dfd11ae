"""The watcher producer (`antt.transform.producer`) and the node tasks
(`antt.transform.node_with_tests`): the producer starts from the runner's partial parse when
Cosmos has none and pushes each node's final state from dbt's run results, under the keys the
node tasks read; a node task fails when its node or one of its tests did not pass."""

from __future__ import annotations

import json

import pytest
from airflow.exceptions import AirflowException

from antt.transform import producer
from antt.transform.node_with_tests import _AnswersForTests
from antt.transform.runner import PARTIAL_PARSE, shared_target


@pytest.fixture
def shared_parse(antt_home):
    shared_target().mkdir(parents=True, exist_ok=True)
    parse = shared_target() / PARTIAL_PARSE
    parse.write_bytes(b"runner's parse")
    return parse


def test_the_runners_parse_seeds_a_project_copy_without_one(shared_parse, tmp_path):
    assert producer.seed_partial_parse(tmp_path) is True
    assert (tmp_path / "target" / PARTIAL_PARSE).read_bytes() == b"runner's parse"


def test_cosmos_own_parse_is_kept(shared_parse, tmp_path):
    own = tmp_path / "target" / PARTIAL_PARSE
    own.parent.mkdir()
    own.write_bytes(b"cosmos' parse")
    assert producer.seed_partial_parse(tmp_path) is False
    assert own.read_bytes() == b"cosmos' parse"


def test_no_runner_parse_leaves_the_copy_to_a_full_parse(antt_home, tmp_path):
    assert producer.seed_partial_parse(tmp_path) is False
    assert not (tmp_path / "target").exists()


MODEL = "model.antt_warehouse.m"
SEED = "seed.antt_warehouse.s"
TEST_A = "test.antt_warehouse.a"
TEST_B = "test.antt_warehouse.b"


def _results(*pairs: tuple[str, str]) -> dict:
    return {"results": [{"unique_id": u, "status": s, "message": f"{u} {s}"} for u, s in pairs]}


def test_outcomes_a_built_node_with_passing_tests():
    statuses, tests, events = producer.node_outcomes(
        _results((SEED, "success"), (MODEL, "success"), (TEST_A, "pass"), (TEST_B, "warn")),
        {MODEL: [TEST_A, TEST_B]},
    )
    assert statuses == {SEED: "success", MODEL: "success"}
    assert tests == {MODEL: "pass"}  # a warning passes, as in `antt build`
    assert events == {}


def test_outcomes_a_failing_test_fails_its_nodes_tests_and_is_explained():
    statuses, tests, events = producer.node_outcomes(
        _results((MODEL, "success"), (TEST_A, "fail"), (TEST_B, "pass")),
        {MODEL: [TEST_A, TEST_B]},
    )
    assert statuses == {MODEL: "success"}
    assert tests == {MODEL: "fail"}
    assert events == {TEST_A: {"status": "fail", "msg": f"{TEST_A} fail"}}


def test_outcomes_a_test_dbt_did_not_report_does_not_pass():
    _, tests, _ = producer.node_outcomes(
        _results((MODEL, "success"), (TEST_A, "pass")), {MODEL: [TEST_A, TEST_B]}
    )
    assert tests == {MODEL: "fail"}


def test_outcomes_a_node_dbt_skipped_is_failed_and_one_it_did_not_run_is_absent():
    statuses, tests, events = producer.node_outcomes(
        _results((MODEL, "skipped"), (TEST_A, "skipped")), {MODEL: [TEST_A], SEED: [TEST_B]}
    )
    assert statuses == {MODEL: "failed"}  # its task fails, and can be retried
    assert tests == {MODEL: "fail"}
    assert SEED not in tests and set(events) == {MODEL, TEST_A}


class _RecordingTI:
    def __init__(self, pushed: dict | None = None, try_number: int = 1):
        self.pushed: dict[str, object] = dict(pushed or {})
        self.try_number = try_number

    def xcom_push(self, key, value):
        self.pushed[key] = value

    def xcom_pull(self, task_ids=None, key=None, **_):
        return self.pushed.get(key)


def test_outcomes_are_pushed_in_one_xcom(tmp_path):
    run_results = tmp_path / "run_results.json"
    run_results.write_text(json.dumps(_results((MODEL, "error"), (SEED, "success"))))
    ti = _RecordingTI()
    assert producer.push_outcomes(ti, run_results, {MODEL: [TEST_A]}) == 1
    assert ti.pushed[producer.OUTCOMES_XCOM_KEY] == {
        "status": {MODEL: "error", SEED: "success"},
        "tests": {MODEL: "fail"},
        "events": {MODEL: {"status": "error", "msg": f"{MODEL} error"}},
    }


def test_for_cosmos_own_tasks_outcomes_are_pushed_under_their_keys(tmp_path):
    from cosmos.operators._watcher.aggregation import get_tests_status_xcom_key
    from cosmos.operators._watcher.state import get_dbt_event_xcom_key, get_status_xcom_key

    run_results = tmp_path / "run_results.json"
    run_results.write_text(
        json.dumps(_results((MODEL, "error"), (SEED, "success"), (TEST_A, "skipped")))
    )
    ti = _RecordingTI()
    assert producer.push_outcomes(ti, run_results, {MODEL: [TEST_A]}, one_xcom=False) == 5
    assert ti.pushed[get_status_xcom_key(MODEL)] == {"status": "error", "outlet_uris": []}
    assert ti.pushed[get_status_xcom_key(SEED)]["status"] == "success"
    assert ti.pushed[get_tests_status_xcom_key(MODEL)] == "fail"
    assert ti.pushed[get_dbt_event_xcom_key(MODEL)]["msg"] == f"{MODEL} error"
    assert get_dbt_event_xcom_key(TEST_A) in ti.pushed


def test_no_run_results_pushes_nothing(tmp_path):
    ti = _RecordingTI()
    assert producer.push_outcomes(ti, tmp_path / "run_results.json", {MODEL: [TEST_A]}) == 0
    assert ti.pushed == {}


class _CosmosCheck:
    def poke(self, context):
        return "cosmos' own check"


class _Node(_AnswersForTests, _CosmosCheck):
    model_unique_id = MODEL
    producer_task_id = "dbt.dbt_producer_watcher"


def _poke(tests: list[str], ti: _RecordingTI):
    node = _Node()
    node.node_tests = tests
    return node.poke({"ti": ti})


def _pushed(tmp_path, *pairs: tuple[str, str]) -> dict:
    run_results = tmp_path / "run_results.json"
    run_results.write_text(json.dumps(_results(*pairs)))
    ti = _RecordingTI()
    producer.push_outcomes(ti, run_results, {MODEL: [TEST_A]})
    return ti.pushed


def test_a_node_task_passes_when_its_node_and_its_tests_passed(tmp_path):
    pushed = _pushed(tmp_path, (MODEL, "success"), (TEST_A, "pass"))
    assert _poke([TEST_A], _RecordingTI(pushed)) is True
    assert _poke([], _RecordingTI(pushed)) is True


def test_a_node_task_fails_on_a_failing_test(tmp_path):
    pushed = _pushed(tmp_path, (MODEL, "success"), (TEST_A, "fail"))
    with pytest.raises(AirflowException, match="data tests failed"):
        _poke([TEST_A], _RecordingTI(pushed))


def test_a_node_task_fails_on_its_nodes_error_with_dbts_message(tmp_path):
    pushed = _pushed(tmp_path, (MODEL, "error"), (TEST_A, "skipped"))
    with pytest.raises(AirflowException, match=f"status 'error': {MODEL} error"):
        _poke([TEST_A], _RecordingTI(pushed))


def test_a_node_task_fails_when_the_build_reported_no_outcome_for_its_tests(tmp_path):
    pushed = _pushed(tmp_path, (MODEL, "success"))
    pushed[producer.OUTCOMES_XCOM_KEY]["tests"] = {}
    with pytest.raises(AirflowException, match="no outcome for the 1 test"):
        _poke([TEST_A], _RecordingTI(pushed))


def test_a_node_task_fails_when_dbt_skipped_its_node(tmp_path):
    """dbt skips a node only below a failure: its task fails (and may be retried alone), it
    does not skip."""
    pushed = _pushed(tmp_path, (MODEL, "skipped"))
    with pytest.raises(AirflowException, match=f"status 'failed': {MODEL} skipped"):
        _poke([], _RecordingTI(pushed))


def test_without_an_outcome_or_on_a_retry_cosmos_check_decides(tmp_path):
    assert _poke([TEST_A], _RecordingTI()) == "cosmos' own check"
    no_node = _pushed(tmp_path, (SEED, "success"))
    assert _poke([TEST_A], _RecordingTI(no_node)) == "cosmos' own check"
    pushed = _pushed(tmp_path, (MODEL, "success"), (TEST_A, "fail"))
    assert _poke([TEST_A], _RecordingTI(pushed, try_number=2)) == "cosmos' own check"
