"""antt_transform through Airflow when a data test fails: the failure shows on the tested model's
task (a model's task answers for its tests), what depends on that model does not run, the rest
of the project still builds, and the marts asset is not announced."""

from __future__ import annotations

import json
import subprocess
import sys

import psycopg
import pytest

from antt.ingest import ingest_paths

from .test_end_to_end import demo_env

pytestmark = pytest.mark.slow

# Xã Hòa Minh and Xã Hòa Thuận, district 847 (Trà Vinh): in the area of unit CAH847.
CHI_TIEU = "ma_xa,ma_chi_tieu,gia_tri\r\n29410,TP_MA_TUY,1\r\n29398,TP_MA_TUY,2\r\n"


def run_transform(env: dict) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "antt.local_airflow.dag_runs", "antt_transform"],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    records = [
        json.loads(line.removeprefix("ANTT_RUN "))
        for line in proc.stdout.splitlines()
        if line.startswith("ANTT_RUN ")
    ]
    assert len(records) == 1, (proc.stdout + proc.stderr)[-4000:]
    return records[0]


def test_a_failing_data_test_fails_its_models_task_after_its_retry_and_stops_its_dependants(
    antt_home, warehouse_url, airflow_meta_url, tmp_path
):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "CAH847_2023-01_chi_tieu.csv").write_text(CHI_TIEU, encoding="utf-8")
    [outcome] = ingest_paths([folder], move=False)
    assert outcome.status == "accepted"
    # A row the loader would never accept (the file's key twice), written behind its back:
    # stg_raw__chi_tieu's unique_combination test fails.
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO raw.chi_tieu (submission_id, source_row, ma_xa, ma_chi_tieu, gia_tri)"
            " SELECT submission_id, source_row + 100, ma_xa, ma_chi_tieu, gia_tri"
            " FROM raw.chi_tieu"
        )
    env = demo_env(
        antt_home,
        warehouse_url,
        airflow_meta_url,
        ANTT_DAG_RETRIES="1",
        ANTT_DAG_RETRY_DELAY_SECONDS="1",
    )

    record = run_transform(env)

    states = {task: next(iter(counts)) for task, counts in record["task_states"].items()}
    assert record["state"] == "failed"
    assert states["dbt.dbt_producer_watcher"] == "failed"  # the one dbt build failed
    assert not [t for t in states if t.endswith(".test")], "tests show on their model's task"
    assert states["dbt.stg_raw__chi_tieu_run"] == "failed"  # on the failing model's task
    # retried once: the retry builds and tests that model alone, and its test fails again
    assert record["tries"]["dbt.stg_raw__chi_tieu_run"] == 2
    assert record["tries"]["dbt.dbt_producer_watcher"] == 1  # one dbt build per run
    # its dependants do not run; models that do not depend on it still build
    assert states["dbt.fct_indicator_monthly_run"] == "upstream_failed"
    assert states["dbt.stg_raw__su_vu_run"] == "success"
    # a model the failing model's tests refer to is not stopped by them
    assert states["dbt.dim_indicator_run"] == "success"
    assert states["announce_marts"] == "upstream_failed"
    with psycopg.connect(warehouse_url) as conn:
        built = {
            name
            for (name,) in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'"
            )
        }
    assert "fct_indicator_monthly" not in built
    assert "fct_incident" in built
