"""The watcher producer (`antt.transform.producer`): it starts from the runner's partial parse
when Cosmos has none, and pushes an XCom for a node's final state, not for its progress."""

from __future__ import annotations

import json

import pytest

from antt.transform import producer
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


def _line(name: str, status: str = "") -> str:
    node = {"unique_id": "model.antt_warehouse.m", "node_status": status}
    return json.dumps({"info": {"name": name, "msg": name}, "data": {"node_info": node}})


def test_progress_lines_reach_the_parser_without_a_context_final_ones_with_it():
    calls = []
    context = {"ti": object()}
    for name, status in [
        ("NodeStart", "started"),
        ("NodeCompiling", "compiling"),
        ("NodeExecuting", "executing"),
        ("NodeFinished", "success"),
        ("RunResultError", ""),
    ]:
        producer._progress_only_logged(
            lambda line, kw: calls.append((json.loads(line)["info"]["name"], "context" in kw)),
            _line(name, status),
            {"context": context, "project_dir": "/tmp/x"},
        )
    assert calls == [
        ("NodeStart", False),
        ("NodeCompiling", False),
        ("NodeExecuting", False),
        ("NodeFinished", True),
        ("RunResultError", True),
    ]


def test_lines_that_are_not_dbt_json_pass_unchanged():
    seen = []
    producer._progress_only_logged(lambda line, kw: seen.append((line, kw)), "plain text", None)
    producer._progress_only_logged(lambda line, kw: seen.append((line, kw)), "[1, 2]", {"a": 1})
    assert seen == [("plain text", None), ("[1, 2]", {"a": 1})]


class _RecordingTI:
    def __init__(self):
        self.pushed: dict[str, object] = {}

    def xcom_push(self, key, value):
        self.pushed[key] = value

    def xcom_pull(self, key=None, **_):
        return self.pushed.get(key)


def test_with_cosmos_parser_only_the_final_state_is_pushed_and_it_is_what_tasks_read():
    import functools

    from cosmos.operators._watcher.base import store_dbt_resource_status_from_log

    ti = _RecordingTI()
    parse = functools.partial(store_dbt_resource_status_from_log, should_generate_model_uris=False)
    for name, status in [("NodeStart", "started"), ("NodeExecuting", "executing")]:
        producer._progress_only_logged(parse, _line(name, status), {"context": {"ti": ti}})
    assert ti.pushed == {}
    producer._progress_only_logged(parse, _line("NodeFinished", "success"), {"context": {"ti": ti}})
    assert ti.pushed["model__antt_warehouse__m_status"]["status"] == "success"
    assert ti.pushed["model__antt_warehouse__m_dbt_event"]["status"] == "success"
