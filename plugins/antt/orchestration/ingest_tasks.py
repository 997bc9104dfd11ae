"""The work behind the `antt_ingest` DAG: which landing files to load this run and in which
lanes, loading them, and the run's summary. Plain functions, so tests and the CLI use them
without a scheduler.

Order. Two kinds of files must load one after the other, in sorted-path order:
- files of one scope (unit, dataset, period): a correction replaces the earlier file of its
  scope only when it is accepted after it;
- `su_vu` files of one unit, across periods: an incident first reported in May and updated in
  June is "new" (and must start in the file's month) unless May was accepted first.
- files with the same bytes: the first in sorted-path order is accepted and the others are its
  duplicates, as `antt ingest` of the folder would decide, never the other way round.
Such files form a lane, loaded sequentially by one mapped task; every other file is a lane of
its own, so most files still get one mapped task each and load in parallel. The DAG runs one at
a time (max_active_runs=1), so a lane cut by the per-run limit resumes, in order, next run.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("antt.orchestration")

# Names an uploader or an editor leaves while a file is still being written.
_PARTIAL_PREFIXES = (".", "~$")
_PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".swp")
STATUSES = ("accepted", "rejected", "duplicate")
# Datasets whose files depend on earlier periods of any unit (an incident opened by one unit may
# be updated by its successor: contract v2, `don_vi_goc`).
UNIT_ORDERED_DATASETS = ("su_vu",)


@dataclass
class LoadPlan:
    lanes: list[list[str]] = field(default_factory=list)
    deferred: int = 0  # files beyond the per-run limit, left for the next run

    @property
    def paths(self) -> list[str]:
        return [p for lane in self.lanes for p in lane]


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


def lane_key(path: Path) -> tuple[str, ...]:
    """The ordering group of a file (see the module doc); an unparsed name is its own lane."""
    from antt.ingest import parse_file_name

    try:
        parsed = parse_file_name(path.name)
    except Exception:  # the loader rejects it with the reason; here it only needs a key
        return ("unparsed", str(path))
    unit, dataset = str(parsed.unit_code).upper(), str(parsed.dataset).lower()
    if dataset in UNIT_ORDERED_DATASETS:
        from antt.ingest.loader import scope_lock_text

        return (scope_lock_text(parsed),)
    return (unit, dataset, str(parsed.period))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def plan_loads(landing: Path, limit: int) -> LoadPlan:
    """Lanes of at most `limit` files in all, in sorted-path order (a lane keeps its order)."""
    files = landing_files(landing)
    # union-find: files that share an ordering key or their bytes share a lane
    parent = list(range(len(files)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, ...], int] = {}
    for i, path in enumerate(files):
        for key in (lane_key(path), ("sha256", _sha256(path))):
            if key in owner:
                parent[root(i)] = root(owner[key])
            else:
                owner[key] = i
    plan = LoadPlan()
    lanes: dict[int, list[str]] = {}
    cut: set[int] = set()
    taken = 0
    for i, path in enumerate(files):  # sorted order: lanes keep it, and start in it
        lane = root(i)
        if taken >= limit or lane in cut:
            cut.add(lane)  # never load a lane's later file without its earlier ones
            plan.deferred += 1
            continue
        lanes.setdefault(lane, []).append(str(path))
        taken += 1
    plan.lanes = list(lanes.values())
    return plan


def lane_label(paths: list[str]) -> str:
    first = Path(paths[0]).name if paths else "-"
    return first if len(paths) < 2 else f"{first} +{len(paths) - 1}"


def load_lane(paths: list[str]) -> list[dict]:
    """Load a lane's files in order. An infrastructure error stops the lane (and fails the
    task, which retries): the files not yet loaded stay in landing, still in order."""
    results = []
    for path in paths:
        results.append(load_one(path))
    return results


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
    """Counts per status and the planned files that produced no result (their lane failed)."""
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
        log.error("chưa xác nhận / not confirmed (its lane failed; the next run resumes): %s", path)
