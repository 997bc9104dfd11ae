"""DAG integrity: every DAG file imports through Airflow's DagBag, parses fast, and carries the
owner, tags, doc, retries with backoff, timeouts and failure callbacks the platform relies on."""

from __future__ import annotations

import json

from antt.orchestration import settings

from .conftest import PARSED_PARALLEL_BATCHES

DAG_IDS = {"antt_ingest", "antt_transform", "antt_publish"}
# Bookkeeping tasks that only read XCom and emit assets: a retry could not change their result.
# The watcher's producer neither: Cosmos runs one dbt build per run (a retry only skips); a node
# task's retry re-runs that node alone.
NO_RETRY_TASKS = {"report", "announce_raw", "announce_marts", "dbt.dbt_producer_watcher"}
PARSE_LIMIT_S = 2.0
# The first parse in a fresh interpreter also imports Cosmos; loose, the machine may be busy.
FIRST_PARSE_LIMIT_S = 8.0


def test_every_dag_imports(dagbag_report):
    assert dagbag_report["errors"] == {}
    assert set(dagbag_report["dags"]) == DAG_IDS


def test_parse_time_under_limit(dagbag_report):
    # bench/dag_parse.py measures this precisely; here a loose ceiling catches a regression
    # such as dbt running at parse time (seconds) or a heavy top-level import.
    assert set(dagbag_report["best_parse"]) == {f"{d}.py" for d in DAG_IDS}
    for name, seconds in dagbag_report["best_parse"].items():
        assert seconds < PARSE_LIMIT_S, f"{name} took {seconds:.2f} s to parse"
    for name, seconds in dagbag_report["first_parse"].items():
        assert seconds < FIRST_PARSE_LIMIT_S, f"{name} took {seconds:.2f} s to parse first"


def test_dags_have_tags_doc_and_single_active_run(dagbag_report):
    for dag_id, dag in dagbag_report["dags"].items():
        assert "antt" in dag["tags"], dag_id
        assert len(dag["doc_md"]) > 200, f"{dag_id} needs a real doc_md"
        assert dag["max_active_runs"] == 1, dag_id
        assert dag["catchup"] is False, dag_id


def test_every_task_has_owner_timeout_callback_and_retries(dagbag_report):
    for dag_id, dag in dagbag_report["dags"].items():
        for task_id, task in dag["tasks"].items():
            where = f"{dag_id}.{task_id}"
            assert task["owner"] == settings.OWNER, where
            assert task["timeout_s"] and task["timeout_s"] > 0, where
            assert task["callbacks"] >= 1, where
            if task_id in NO_RETRY_TASKS:
                assert task["retries"] == 0, where
            else:
                assert task["retries"] >= 1, where
                assert task["backoff"] > 1, f"{where}: retries must back off exponentially"


def test_ingest_maps_one_task_per_batch_and_emits_raw_asset(dagbag_report):
    dag = dagbag_report["dags"]["antt_ingest"]
    assert dag["timetable"] == "CronTriggerTimetable"
    tasks = dag["tasks"]
    assert tasks["load_batch"]["mapped"]
    assert tasks["load_batch"]["upstream"] == ["find_new_files"]
    # as many batches load at once as the setting says (its default, 2, is a unit test's)
    assert tasks["load_batch"]["max_active_tis_per_dagrun"] == PARSED_PARALLEL_BATCHES == 3
    # rejections and failures must still be reported and accepted files announced
    assert tasks["report"]["trigger_rule"].endswith("ALL_DONE")
    assert tasks["announce_raw"]["trigger_rule"].endswith("ALL_DONE")
    assert tasks["announce_raw"]["outlets"] == [settings.RAW_ASSET_URI]


def test_transform_is_one_dbt_build_and_a_task_per_node_on_raw_asset(dagbag_report, dbt_manifest):
    dag = dagbag_report["dags"]["antt_transform"]
    assert dag["schedule_assets"] == [settings.RAW_ASSET_URI]
    tasks = dag["tasks"]
    (producer,) = [t for t, v in tasks.items() if v["type"] == "LeanProducer"]
    node_tasks = {
        v["dbt_node"]: t
        for t, v in tasks.items()
        if v["type"] in ("RunWithTestsWatcher", "SeedWithTestsWatcher")
    }
    manifest = json.loads(dbt_manifest.read_text(encoding="utf-8"))
    nodes = {u for u, n in manifest["nodes"].items() if n["resource_type"] in ("model", "seed")}
    tests_of: dict[str, set[str]] = {}  # a test is its attached node's, else each parent's
    for uid, node in manifest["nodes"].items():
        if node["resource_type"] == "test":
            owners = [node["attached_node"]] if node.get("attached_node") else []
            for parent in owners or node["depends_on"]["nodes"]:
                tests_of.setdefault(parent, set()).add(uid)
    assert set(node_tasks) == nodes, "one task per dbt seed and model"
    test_tasks = [t for t, v in tasks.items() if v["type"] == "DbtTestWatcherOperator"]
    assert not test_tasks, "a node's task answers for its tests"
    assert tests_of, "the project has dbt tests"
    # the one build runs the tests too (Cosmos drops them when it renders no test task)
    assert "--resource-type" not in tasks[producer]["dbt_cmd_flags"]
    # dbt logs text, as for `antt build`; the outcomes come from its run results, in one XCom
    assert tasks[producer]["log_format"] == "text"
    assert tasks[producer]["outcomes_in_one_xcom"] is True
    # its debug log file would be written in Cosmos' temporary project copy and deleted unread
    assert tasks[producer]["dbt_global_flags"][:2] == ["--log-level-file", "none"]
    for uid, task in node_tasks.items():
        # each node's task answers for the tests defined on it
        assert set(tasks[task]["node_tests"]) == tests_of.get(uid, set()), task
        dbt_parents = [u for u in tasks[task]["upstream"] if u != producer]
        if dbt_parents:
            assert tasks[task]["trigger_rule"].upper().endswith("ALL_SUCCESS"), task
        else:  # a root of the project starts when the build has ended, whatever its outcome
            assert tasks[task]["upstream"] == [producer], task
            assert tasks[task]["trigger_rule"].upper().endswith("ALL_DONE"), task
    assert "source_freshness" in tasks
    assert tasks["announce_marts"]["outlets"] == [settings.MARTS_ASSET_URI]
    assert tasks["announce_marts"]["upstream"], "announce_marts must wait for the dbt group"


def test_publish_runs_on_marts_asset(dagbag_report):
    dag = dagbag_report["dags"]["antt_publish"]
    assert dag["schedule_assets"] == [settings.MARTS_ASSET_URI]
    assert dag["tasks"]["build_reports"]["mapped"]
    assert "build_docs" in dag["tasks"]
    # and once a day: the trackers follow the calendar, the overdue reports are sent
    assert dag["timetable"] == "AssetOrTimeSchedule"
    assert dag["tasks"]["remind_missing_reports"]["upstream"] == []


def test_the_ingest_dag_file_imports_no_loader():
    """Every antt_ingest task parses its DAG file first: the plan, report and announce tasks
    need neither the loader nor psycopg, so the file must not import them (ingest_tasks does,
    lazily, where a task loads)."""
    import subprocess
    import sys
    from pathlib import Path

    dags = Path(__file__).resolve().parents[2] / "dags"
    code = (
        f"import sys; sys.path.insert(0, {str(dags)!r}); import antt_ingest; "
        "from antt.orchestration import ingest_tasks; "
        "print(sorted(m for m in ('psycopg', 'antt.ingest', 'antt.warehouse') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
