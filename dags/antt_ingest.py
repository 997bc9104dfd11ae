"""antt_ingest: landing folder -> validated submissions in the raw layer (Airflow DAG)."""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowSkipException

from antt.orchestration import settings

RAW = Asset(settings.RAW_ASSET_URI, group="antt")

DOC = """
### antt_ingest — nạp báo cáo / load submissions

Every 15 minutes (and on demand) it lists the finished files in the landing folder and maps
one task per file that validates it against the report contract and loads it into `raw` in one
transaction (`antt.ingest.ingest_file`, the same code as `antt ingest`). Accepted files move to
the archive, rejected ones to quarantine beside a report in Vietnamese and English.

- **Order.** Files that must load one after the other share a task (a *lane*), in sorted-path
  order: the files of one scope (unit, dataset, period) — a correction after its original —
  and the `su_vu` files of one unit (an incident's update after its first report). Every other
  file has a task of its own; up to 4 load in parallel.
- **Rejections do not fail the run**: `report` lists them with their first error. A lane whose
  task fails (warehouse down) retries with exponential backoff; its unloaded files stay in
  landing and the run fails, so someone looks; the next run resumes them, in order.
- `announce_raw` emits the raw-layer asset, which schedules `antt_transform`, when at least one
  file was accepted (or a lane failed midway, since it may have accepted some).
"""


def _results(lazy) -> list[dict]:
    """Flatten the lanes' results (by position: the lazy sequence skips failed lanes)."""
    if lazy is None:
        return []
    return [item for i in range(len(lazy)) for item in (lazy[i] or [])]


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
    def find_new_files() -> list[list[str]]:
        from antt.config import file_areas
        from antt.orchestration.ingest_tasks import log, plan_loads

        plan = plan_loads(file_areas().ensure().landing, settings.ingest_max_files())
        log.info(
            "%d file(s) in %d lane(s) to load; %d left for the next run (run limit)",
            len(plan.paths),
            len(plan.lanes),
            plan.deferred,
        )
        return plan.lanes

    @task(max_active_tis_per_dagrun=4, map_index_template="{{ lane_label }}")
    def load_file(lane: list[str]) -> list[dict]:
        from antt.orchestration.connection import ensure_warehouse_env
        from antt.orchestration.ingest_tasks import lane_label, load_lane

        get_current_context()["lane_label"] = lane_label(lane)
        ensure_warehouse_env()
        return load_lane(lane)

    @task(trigger_rule="all_done", retries=0)  # deterministic: a retry cannot help
    def report(lanes: list[list[str]], results) -> dict:
        from antt.orchestration.ingest_tasks import log_summary, summarize

        planned = [p for lane in (lanes or []) for p in lane]
        summary = summarize(planned, _results(results))
        log_summary(summary)
        if summary["failed"]:
            raise RuntimeError(
                f"{len(summary['failed'])} tệp chưa xác nhận / file(s) not confirmed (their lane "
                f"failed; the next run resumes them): {', '.join(summary['failed'][:5])}"
            )
        return summary["counts"]

    @task(trigger_rule="all_done", outlets=[RAW], retries=0)
    def announce_raw(lanes: list[list[str]], results) -> int:
        done = _results(results)
        accepted = sum(1 for r in done if r["status"] == "accepted")
        unconfirmed = sum(len(lane) for lane in (lanes or [])) - len(done)
        if not accepted and not unconfirmed:
            raise AirflowSkipException("no file accepted: the raw layer did not change")
        extra = {"accepted_files": accepted, "unconfirmed_files": unconfirmed}
        get_current_context()["outlet_events"][RAW].extra = extra
        return accepted

    lanes = find_new_files()
    results = load_file.expand(lane=lanes)
    report(lanes, results)
    announce_raw(lanes, results)


antt_ingest()
