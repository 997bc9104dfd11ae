"""bench/transform_airflow.py's report: every measured part has its column, an unmeasured one a
dash (the Airflow runs themselves take minutes: run the benchmark, not a test, for them)."""

from __future__ import annotations

import transform_airflow


def _results(api_start):
    return {
        "machine": {"git_commit": "abc1234", "cpu_count": 2},
        "sample": "province 84, years [2022, 2023]",
        "files": 351,
        "cli": [
            {"seconds": 40.0, "loadavg_before": 1.0},
            {"seconds": 44.0, "loadavg_before": 2.0},
        ],
        "antt_build_seconds": 42.0,
        "airflow": [
            {
                "mode": "watcher",
                "tasks": 66,
                "dag_run_seconds": 63.0,
                "process_seconds": 90.0,
                "execution_api_start_seconds": api_start,
                "task_seconds": {
                    "freshness": 0.2,
                    "producer": 45.0,
                    "other_sum": 8.1,
                    "other_median": 0.12,
                },
                "loadavg_before": 1.5,
                "loadavg_after": 1.7,
            }
        ],
    }


def test_the_report_gives_the_ratio_and_each_part():
    text = transform_airflow.markdown(_results(3.2))
    assert (
        "| watcher | kept | 66 | 63.0 | 1.50 | 90.0 (–) | 3.2 | 0.2 | 45.0 | 8.1 (0.12) | –, –, – "
        "| 1.5 / 1.7 |" in text
    )
    assert "`antt build`: 42.0 s" in text


def test_an_unmeasured_execution_api_start_is_a_dash():
    text = transform_airflow.markdown(_results(None))
    assert "| 90.0 (–) | – | 0.2 |" in text


def test_a_variant_and_the_time_outside_tasks_have_their_columns():
    results = _results(3.2)
    results["airflow"][0]["variant"] = "before"
    results["airflow"][0]["process_cpu_seconds"] = 61.5
    results["cli"][0]["dbt_cpu_seconds"] = 20.5
    results["airflow"][0]["task_seconds"]["timeline"] = {
        "to_first_task": 0.4,
        "between_tasks": 1.4,
        "after_last_task": 0.0,
    }
    text = transform_airflow.markdown(results)
    assert "| watcher | before | 66 |" in text
    assert "| 90.0 (61.5) |" in text
    assert "40.0 s at load 1.0, dbt CPU 20.5 s, 44.0 s at load 2.0)" in text
    assert "| 0.4, 1.4, 0.0 | 1.5 / 1.7 |" in text


def test_the_time_outside_tasks_from_their_spans():
    from datetime import datetime, timedelta

    t0 = datetime(2026, 11, 30, 20, 0, 0)

    def at(seconds):
        return t0 + timedelta(seconds=seconds)

    # tasks one after another, with gaps of 0.5 s and 1.0 s; one overlapping its predecessor
    spans = [(at(1), at(10)), (at(10.5), at(11)), (at(10.8), at(11.2)), (at(12.2), at(13))]
    assert transform_airflow.timeline(spans, (at(0), at(13.5))) == {
        "to_first_task": 1.0,
        "between_tasks": 1.5,
        "after_last_task": 0.5,
    }
    assert transform_airflow.timeline([], (at(0), at(1))) == {}
    assert transform_airflow.timeline(spans, (at(0), None)) == {}
