"""The work of the antt_ingest DAG: this run's batches of lanes, loading a batch, the summary.
Plain functions, so tests use them without a scheduler.

The plan (which files, which lanes must load in order) is `antt.ingest.plan`, the same as
`antt ingest`. A run maps one task per *batch*: the lanes dealt into a few batches per worker
slot (`batches_per_run`), so every worker stays busy and the run has a dozen tasks, not one per
file. Inside a batch each lane loads in order; a rejected file is a result, not an error. An
infrastructure error (warehouse unreachable) fails the batch, which Airflow retries; files not
loaded yet stay in landing and the next run plans them again, in order (the DAG runs one at a
time).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from antt.config import INGEST_CONNECTIONS_PER_BATCH_DEFAULT, DagSettings
from antt.errors import AnttError, WarehouseUnavailable

log = logging.getLogger("antt.orchestration")

STATUSES = ("accepted", "rejected", "duplicate")


def batches_per_run(dag: DagSettings) -> int:
    return dag.ingest_parallel_batches * dag.ingest_batches_per_slot


def plan_batches(landing: Path, dag: DagSettings) -> list[list[list[str]]]:
    """This run's batches (each a list of lanes), at most `ingest_max_files` files in all."""
    # imported here: the summary tasks import this module and need no loader (psycopg & co.)
    from antt.ingest.plan import batches, lane_weight, plan_loads

    started = time.perf_counter()
    plan = plan_loads(landing, dag.ingest_max_files)
    run_batches = batches(plan.lanes, batches_per_run(dag), lane_weight)  # even loading times
    log.info(
        "%d file(s) in %d lane(s) and %d batch(es) to load; %d left for the next run (run limit);"
        " planned in %.2f s",
        len(plan.paths),
        len(plan.lanes),
        len(run_batches),
        plan.deferred,
        time.perf_counter() - started,
    )
    return run_batches


def batch_label(batch: list[list[str]]) -> str:
    paths = [p for lane in batch for p in lane]
    first = Path(paths[0]).name if paths else "-"
    return first if len(paths) < 2 else f"{first} +{len(paths) - 1}"


def load_batch(
    batch: list[list[str]], connections: int = INGEST_CONNECTIONS_PER_BATCH_DEFAULT
) -> list[dict]:
    """Load every lane of a batch, each in order, on up to `connections` loader connections at
    once (lanes side by side: one validates while another waits for the database).

    A file that fails for a reason of its own (not a rejection: say the archive is not writable)
    is a result with status `error`; the rest of its lane waits for the next run, the other lanes
    go on. An infrastructure error stops the batch (the task fails and retries)."""
    from antt import warehouse
    from antt.config import file_areas
    from antt.ingest.plan import load_lanes

    started = time.perf_counter()
    areas = file_areas()  # once, not the settings read again for every file
    by_lane = load_lanes(
        batch,
        lambda conn, path: load_one(path, conn, areas),
        connections,
        warehouse.loader_connection,
        stop=lambda result: result["status"] == "error",
    )
    results = [result for lane in by_lane for result in lane]
    log.info("batch of %d file(s) loaded in %.2f s", len(results), time.perf_counter() - started)
    return results


def load_one(path: str, conn=None, areas=None) -> dict:
    """Validate and load one file (on the loader connection `conn` when given, into the file
    areas `areas`, the settings' by default). Rejections are results; only infrastructure errors
    raise."""
    from antt.ingest import ingest_file

    source = Path(path)
    if not os.path.lexists(source):  # a symlink is there to be refused, even a dangling one
        # Moved since it was planned (an operator, or an earlier try that got this far).
        log.warning("%s is no longer in the landing folder; nothing to do", path)
        return {"file": source.name, "path": path, "status": "gone"}
    try:
        outcome = ingest_file(source, areas, move=True, conn=conn)
    except WarehouseUnavailable:
        raise
    except AnttError as exc:
        log.error("%s: %s", source.name, exc)
        return {"file": source.name, "path": path, "status": "error", "error": str(exc)}
    first = outcome.first_error
    result = {
        "file": outcome.file_name,
        "path": path,
        "status": outcome.status,
        "submission_id": outcome.submission_id,
        "error_count": len(outcome.errors),
        "first_error_vi": first.message_vi if first else None,
        "first_error_en": first.message_en if first else None,
        "first_error_row": first.row if first else None,
        "first_error_column": first.column if first else None,
        "report_path": str(outcome.report_path) if outcome.report_path else None,
    }
    log.info("%s: %s", result["file"], describe_result(result))
    return result


def describe_result(result: dict) -> str:
    if result["status"] == "error":
        return f"lỗi / error: {result.get('error')}"
    if result["status"] != "rejected":
        return result["status"]
    where = ""
    if result.get("first_error_row") is not None:
        where = f" (dòng/row {result['first_error_row']}"
        if result.get("first_error_column"):
            where += f", cột/column {result['first_error_column']}"
        where += ")"
    return (
        f"rejected, {result['error_count']} lỗi/errors{where}: "
        f"{result.get('first_error_vi')} / {result.get('first_error_en')}"
        f" — báo cáo/report {result.get('report_path')}"
    )


def require_plan(batches: list | None) -> None:
    """The summary's guard: no plan (None: find_new_files failed, so it pushed nothing; an empty
    landing folder plans `[]`) fails the report, and with it the run, instead of a run that
    loaded nothing and looks successful."""
    if batches is None:
        raise RuntimeError(
            "không lập được kế hoạch nạp / the load plan was not made (find_new_files failed): "
            "nothing was loaded; the next run plans the landing folder again"
        )


def summarize(planned: list[str], results: list[dict | None]) -> dict:
    """Counts per status, and the planned files not loaded: their batch failed, or an earlier
    file of their lane ended in an error."""
    done = [r for r in results if r and r["status"] != "error"]
    counts = {status: 0 for status in (*STATUSES, "gone")}
    for result in done:
        counts[result["status"]] = counts.get(result["status"], 0) + 1
    finished = {r["path"] for r in done}
    return {
        "planned": len(planned),
        "counts": counts,
        "rejected": [r for r in done if r["status"] == "rejected"],
        "errors": [r for r in results if r and r["status"] == "error"],
        "failed": [p for p in planned if p not in finished],
    }


def log_summary(summary: dict) -> None:
    counts = summary["counts"]
    log.info(
        "antt_ingest: %d file(s): %d accepted, %d rejected, %d duplicate, %d not loaded",
        summary["planned"],
        counts["accepted"],
        counts["rejected"],
        counts["duplicate"],
        len(summary["failed"]),
    )
    for result in summary["rejected"]:
        log.warning("bị từ chối / rejected %s: %s", result["file"], describe_result(result))
    for result in summary["errors"]:
        log.error("lỗi / error %s: %s", result["file"], result["error"])
    for path in summary["failed"]:
        log.error("chưa nạp / not loaded (the next run resumes it, in order): %s", path)
