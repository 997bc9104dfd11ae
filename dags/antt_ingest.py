"""antt_ingest: landing folder -> validated submissions in the raw layer (Airflow DAG)."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowSkipException

from antt.orchestration import settings

RAW = Asset(settings.RAW_ASSET_URI, group="antt")

DOC = """
### antt_ingest — nạp báo cáo / load submissions

Every 15 minutes (and on demand) it plans the finished files in the landing folder
(`antt.ingest.plan`, the same plan as `antt ingest`) and maps one task per *batch* of lanes; each
file is validated against the report contract and loaded into `raw` in one transaction
(`antt.ingest.ingest_file`). Accepted files move to the archive, rejected ones to quarantine
beside a report in Vietnamese and English.

- **Order.** Files that must load one after the other share a *lane*, in sorted-path order: the
  files of one scope (unit, dataset, period) — a correction after its original —, the `su_vu`
  files of one territory (an incident's update after its first report: in period order, even
  when a successor unit's name sorts first) and files with the same bytes. Lanes are dealt, by
  bytes plus a fixed cost per file, into a batch per parallel slot
  (`ANTT_INGEST_PARALLEL_BATCHES` batches load at once, default 2, each on
  `ANTT_INGEST_CONNECTIONS_PER_BATCH` loader connections), a lane always whole in one batch.
- **Rejections do not fail the run**: `report` lists them with their first error. If the plan
  task itself failed (no plan), `report` fails too, so the run does. A batch whose
  task fails (warehouse down) retries with exponential backoff; its unloaded files stay in
  landing and the run fails, so someone looks; the next run resumes them, in order.
- `announce_raw` emits the raw-layer asset, which schedules `antt_transform`, when at least one
  file was accepted (or a batch failed midway, since it may have accepted some).
"""

DAG_SETTINGS = settings.dag_settings()


def _pulled() -> tuple[list | None, list[dict]]:
    """This run's plan and its batches' results (a failed batch has none), pulled inside the task:
    passed as arguments they would be rendered into the task's fields, which the API server
    stores (its `PUT …/rtif` took 0.6 s for the sample's results, measured)."""
    ti = get_current_context()["ti"]
    batches = ti.xcom_pull(task_ids="find_new_files")
    if not batches:
        return batches, []
    per_batch = ti.xcom_pull(task_ids="load_batch", map_indexes=range(len(batches)))
    return batches, [item for results in per_batch for item in (results or [])]


def _planned(batches) -> list[str]:
    return [path for batch in (batches or []) for lane in batch for path in lane]


@dag(
    dag_id="antt_ingest",
    schedule=DAG_SETTINGS.ingest_schedule,
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=settings.default_args(timedelta(minutes=20), DAG_SETTINGS),
    tags=[*settings.TAGS_COMMON, "ingest"],
    doc_md=DOC,
)
def antt_ingest():
    @task
    def find_new_files() -> list[list[list[str]]]:
        from antt.config import load_settings
        from antt.orchestration.ingest_tasks import plan_batches

        found = load_settings()
        return plan_batches(found.areas.ensure().landing, found.dag)

    @task(
        max_active_tis_per_dagrun=DAG_SETTINGS.ingest_parallel_batches,
        map_index_template="{{ batch_label }}",
    )
    def load_batch(batch: list[list[str]]) -> list[dict]:
        from antt.orchestration import ingest_tasks

        get_current_context()["batch_label"] = ingest_tasks.batch_label(batch)
        return ingest_tasks.load_batch(batch, DAG_SETTINGS.ingest_connections_per_batch)

    @task(trigger_rule="all_done", retries=0)  # deterministic: a retry cannot help
    def report() -> dict:
        from antt.orchestration.ingest_tasks import log_summary, require_plan, summarize

        batches, results = _pulled()
        require_plan(batches)
        summary = summarize(_planned(batches), results)
        log_summary(summary)
        if summary["failed"]:
            raise RuntimeError(
                f"{len(summary['failed'])} tệp chưa nạp / file(s) not loaded (their batch failed "
                f"or an earlier file of their lane had an error; the next run resumes them): "
                f"{', '.join(summary['failed'][:5])}"
            )
        return summary["counts"]

    @task(trigger_rule="all_done", outlets=[RAW], retries=0)
    def announce_raw() -> int:
        batches, results = _pulled()
        done = [r for r in results if r["status"] != "error"]
        accepted = sum(1 for r in done if r["status"] == "accepted")
        unconfirmed = len(_planned(batches)) - len(done)
        if not accepted and not unconfirmed:
            raise AirflowSkipException("no file accepted: the raw layer did not change")
        extra = {"accepted_files": accepted, "unconfirmed_files": unconfirmed}
        get_current_context()["outlet_events"][RAW].extra = extra
        return accepted

    batches = find_new_files()
    results = load_batch.expand(batch=batches)
    results >> [report(), announce_raw()]


antt_ingest()
