"""antt_ingest: landing folder -> validated submissions in the raw layer (Airflow DAG)."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowSkipException

from antt.orchestration import settings

RAW = Asset(settings.RAW_ASSET_URI, group="antt")

DOC = """
### antt_ingest — nạp báo cáo / load submissions

Every 15 minutes (and on demand) it lists the finished files in the landing folder and maps one
task per file that validates it against the report contract and loads it into `raw` in one
transaction (`antt.ingest.ingest_file`, the same code as `antt ingest`). Accepted files move to
the archive, rejected ones to quarantine beside a report in Vietnamese and English.

- Rejections do **not** fail the run: `report` lists them. A file whose task fails (warehouse
  down) stays in landing and is loaded by the next run; the run then fails so someone looks.
- Only the first file (sorted path) of each scope (unit, dataset, period) loads per run; later
  files of the same scope (corrections) wait for the next run, so they are accepted after it.
- `announce_raw` emits the raw-layer asset, which schedules `antt_transform`, only when at least
  one file was accepted.
"""


@dag(
    dag_id="antt_ingest",
    schedule=settings.ingest_schedule(),
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=settings.default_args(execution_timeout=timedelta(minutes=20)),
    tags=[*settings.TAGS_COMMON, "ingest"],
    doc_md=DOC,
)
def antt_ingest():
    @task
    def find_new_files() -> list[str]:
        from antt.config import file_areas
        from antt.orchestration.ingest_tasks import log, plan_loads

        plan = plan_loads(file_areas().ensure().landing, settings.ingest_max_files())
        log.info(
            "%d file(s) to load; %d held for the next run (same scope), %d over the run limit",
            len(plan.paths),
            len(plan.held),
            plan.deferred,
        )
        return plan.paths

    @task(max_active_tis_per_dagrun=4)
    def load_file(path: str) -> dict:
        from antt.orchestration.connection import ensure_warehouse_env
        from antt.orchestration.ingest_tasks import load_one

        ensure_warehouse_env()
        return load_one(path)

    @task(trigger_rule="all_done", retries=0)  # deterministic: a retry cannot help
    def report(planned: list[str], results) -> dict:
        from antt.orchestration.ingest_tasks import log_summary, summarize

        summary = summarize(planned or [], list(results or []))
        log_summary(summary)
        if summary["failed"]:
            raise RuntimeError(
                f"{len(summary['failed'])} tệp chưa nạp được / file(s) not loaded, they stay in "
                f"landing for the next run: {', '.join(summary['failed'][:5])}"
            )
        return summary["counts"]

    @task(trigger_rule="all_done", outlets=[RAW], retries=0)
    def announce_raw(results) -> int:
        accepted = sum(1 for r in (results or []) if r and r["status"] == "accepted")
        if not accepted:
            raise AirflowSkipException("no file accepted: the raw layer did not change")
        get_current_context()["outlet_events"][RAW].extra = {"accepted_files": accepted}
        return accepted

    planned = find_new_files()
    results = load_file.expand(path=planned)
    report(planned, results)
    announce_raw(results)


antt_ingest()
