"""The work behind the `antt_ingest` DAG: which landing files to load this run, loading one,
and the run's summary. Plain functions, so tests and the CLI use them without a scheduler.

Order within a scope. A correction replaces the earlier file of its scope (unit, dataset,
period) only when it is accepted after it, so files of one scope must never load in parallel or
out of their sorted-path order. Each run therefore takes at most the FIRST file (sorted path)
of every scope and holds the others to a later run; different scopes load in parallel, one
mapped task per file. The DAG runs one at a time (max_active_runs=1), so a held file can only
load after its predecessor has been accepted, rejected or moved.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("antt.orchestration")

# Names an uploader or an editor leaves while a file is still being written.
_PARTIAL_PREFIXES = (".", "~$")
_PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".swp")
STATUSES = ("accepted", "rejected", "duplicate")


@dataclass
class LoadPlan:
    paths: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)  # later files of a scope already planned
    deferred: int = 0  # beyond the per-run limit


def landing_files(landing: Path) -> list[Path]:
    """Every finished file under the landing folder, in sorted relative-path order."""
    if not landing.is_dir():
        return []
    found = []
    for path in landing.rglob("*"):
        rel = path.relative_to(landing)
        if any(part.startswith(_PARTIAL_PREFIXES) for part in rel.parts):
            continue
        if path.name.lower().endswith(_PARTIAL_SUFFIXES) or not path.is_file():
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(landing).as_posix())


def scope_key(path: Path) -> tuple[str, ...]:
    """(unit, dataset, period) of a file name; a name that does not parse is its own scope."""
    from antt.ingest import parse_file_name

    try:
        parsed = parse_file_name(path.name)
    except Exception:  # the loader rejects it with the reason; here it only needs a key
        parsed = None
    if parsed is None:
        return ("unparsed", str(path))
    scope = getattr(parsed, "scope", None)
    if scope is not None:
        return tuple(str(part).upper() for part in scope)
    return tuple(str(getattr(parsed, name)).upper() for name in ("unit_code", "dataset", "period"))


def plan_loads(landing: Path, limit: int) -> LoadPlan:
    plan = LoadPlan()
    seen: set[tuple[str, ...]] = set()
    for path in landing_files(landing):
        key = scope_key(path)
        if key in seen:
            plan.held.append(str(path))
            continue
        seen.add(key)
        if len(plan.paths) >= limit:
            plan.deferred += 1
            continue
        plan.paths.append(str(path))
    return plan


def load_one(path: str) -> dict:
    """Validate and load one file. Rejections are results; only infrastructure errors raise."""
    from antt.ingest import ingest_file

    source = Path(path)
    if not source.exists():
        # Moved since it was planned (an operator, or an earlier try that got this far).
        log.warning("%s is no longer in the landing folder; nothing to do", path)
        return {"file": source.name, "path": path, "status": "gone"}
    outcome = ingest_file(source, move=True)
    errors = list(getattr(outcome, "errors", None) or [])
    first = errors[0] if errors else None
    result = {
        "file": outcome.file_name,
        "path": path,
        "status": outcome.status,
        "submission_id": outcome.submission_id,
        "error_count": len(errors),
        "first_error_vi": getattr(first, "message_vi", None),
        "first_error_en": getattr(first, "message_en", None),
        "first_error_row": getattr(first, "row", None),
        "first_error_column": getattr(first, "column", None),
        "report_path": str(outcome.report_path) if outcome.report_path else None,
    }
    log.info("%s: %s", result["file"], describe_result(result))
    return result


def describe_result(result: dict) -> str:
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


def summarize(planned: list[str], results: list[dict | None]) -> dict:
    """Counts per status and the planned files that produced no result (their task failed)."""
    done = [r for r in results if r]
    counts = {status: 0 for status in (*STATUSES, "gone")}
    for result in done:
        counts[result["status"]] = counts.get(result["status"], 0) + 1
    finished = {r["path"] for r in done}
    failed = [p for p in planned if p not in finished]
    return {
        "planned": len(planned),
        "counts": counts,
        "rejected": [r for r in done if r["status"] == "rejected"],
        "failed": failed,
    }


def log_summary(summary: dict) -> None:
    counts = summary["counts"]
    log.info(
        "antt_ingest: %d file(s): %d accepted, %d rejected, %d duplicate, %d failed",
        summary["planned"],
        counts["accepted"],
        counts["rejected"],
        counts["duplicate"],
        len(summary["failed"]),
    )
    for result in summary["rejected"]:
        log.warning("bị từ chối / rejected %s: %s", result["file"], describe_result(result))
    for path in summary["failed"]:
        log.error("không nạp được / not loaded (stays in landing for the next run): %s", path)
