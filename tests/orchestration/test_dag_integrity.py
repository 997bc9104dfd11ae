"""DAG integrity: every DAG file imports through Airflow's DagBag, parses fast, and carries the
owner, tags, doc, retries with backoff, timeouts and failure callbacks the platform relies on."""

from __future__ import annotations

import json

from antt.orchestration import settings

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
    # rejections and failures must still be reported and accepted files announced
    assert tasks["report"]["trigger_rule"].endswith("ALL_DONE")
    assert tasks["announce_raw"]["trigger_rule"].endswith("ALL_DONE")
    assert tasks["announce_raw"]["outlets"] == [settings.RAW_ASSET_URI]


def test_transform_is_one_watched_dbt_build_on_raw_asset(dagbag_report, dbt_manifest):
    dag = dagbag_report["dags"]["antt_transform"]
    assert dag["schedule_assets"] == [settings.RAW_ASSET_URI]
    tasks = dag["tasks"]
    producers = [t for t, v in tasks.items() if v["type"] == "DbtProducerWatcherOperator"]
    runs = {t for t, v in tasks.items() if v["type"] == "DbtRunWatcherOperator"}
    tests = {t for t, v in tasks.items() if v["type"] == "DbtTestWatcherOperator"}
    manifest = json.loads(dbt_manifest.read_text(encoding="utf-8"))
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    tested = {
        parent
        for n in manifest["nodes"].values()
        if n["resource_type"] == "test"
        for parent in n["depends_on"]["nodes"]
        if parent.startswith("model.")
    }
    assert len(producers) == 1, "one dbt build per run"
    assert len(runs) == len(models), "one task per dbt model"
    assert tested and len(tests) >= 1, "the models have dbt tests but Cosmos rendered none"
    assert "source_freshness" in tasks
    node_tests = {t for t in tests if t.endswith(".test")}  # a model's or seed's own tests
    detached = tests - node_tests  # tests of several parents, run once all parents passed
    assert node_tests and detached
    for test_task in node_tests:
        # a node's tests follow it and gate its dependants
        node = test_task.removesuffix(".test")
        (built,) = tasks[test_task]["upstream"]
        assert built in (f"{node}.run", f"{node}.seed"), test_task
        dependants = [t for t, v in tasks.items() if test_task in v["upstream"]]
        assert all(built not in tasks[d]["upstream"] for d in dependants), test_task
    for test_task in detached:
        parents = tasks[test_task]["upstream"]
        assert all(p in tasks for p in parents), test_task
        # a test of raw sources waits for the build; any other for the models it reads
        assert parents, test_task
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
