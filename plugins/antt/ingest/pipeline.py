"""`ingest_file` / `ingest_paths`: one submission from disk to the register, raw and file areas."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import psycopg

from antt.config import FileAreas, env_int, file_areas
from antt.errors import AnttError, WarehouseUnavailable
from antt.ingest.areas import (
    move_file,
    report_paths,
    set_aside,
    shown_name,
    special_kind,
    stored_name,
    write_refusal_report,
    write_rejection_report,
)
from antt.ingest.filename import FileName, FileNameError, parse_file_name
from antt.ingest.issues import (
    CellError,
    CodedError,
    FileRejected,
    ValidationIssue,
    escape_controls,
    file_issue,
)
from antt.ingest.loader import (
    LoadResult,
    claim_file,
    load_table,
    register_if_duplicate,
    register_rejected,
    release_file,
)
from antt.ingest.plan import finished_files, lanes, load_lanes, load_order
from antt.ingest.processes import load_lanes_in_processes
from antt.ingest.reading import FileFacts, NotRegularFile, file_facts, open_table
from antt.ingest.reference import reference_for
from antt.warehouse import loader_connection

# accepted, rejected and duplicate files have a register row. `refused`: not a regular file
# (never read, set aside); `skipped`: another run has it or has filed it already; `failed`: it
# could not be processed (the reason is in `failure`) and the run went on with the next file.
Status = Literal["accepted", "rejected", "duplicate", "refused", "skipped", "failed"]
REGISTERED = ("accepted", "rejected", "duplicate")


NOT_INITIALISED = "the warehouse is not initialised: run `antt db init`"


class FileFailed(AnttError):
    """One file could not be processed; the others still are."""


@dataclass
class IngestOutcome:
    path: Path
    file_name: str
    status: Status
    submission_id: int | None
    unit_code: str | None
    dataset: str | None
    period: str | None
    row_count: int | None
    replaces_submission_id: int | None
    duplicate_of_submission_id: int | None
    errors: list[ValidationIssue] = field(default_factory=list)
    report_path: Path | None = None  # JSON rejection report in quarantine
    moved_to: Path | None = None
    error_count: int = 0  # every error found; `errors` lists the first ones
    resumed: bool = False  # registered by an earlier run that stopped before filing it
    failure: str | None = None  # why a `refused`, `skipped` or `failed` file was not loaded

    @property
    def first_error(self) -> ValidationIssue | None:
        return self.errors[0] if self.errors else None


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files in the order given; a folder gives its files recursively, sorted by relative path.

    Inside folders, only finished files count (`plan.finished_files`: no hidden files, Excel
    lock files or uploads in progress). Symlinks are never followed: a symlink, FIFO or device is
    listed as it is, for the pipeline to refuse.
    """
    result: list[Path] = []
    seen: set[Path] = set()
    for given in map(Path, paths):
        if given.is_dir() and not given.is_symlink():
            found = finished_files(given)
        elif given.is_symlink() or given.exists():
            found = [given]
        else:
            raise AnttError(f"no such file or folder: {shown_name(str(given))}")
        for path in found:
            key = path.parent.resolve() / path.name
            if key not in seen:
                seen.add(key)
                result.append(path)
    return result


def is_in(path: Path, folder: Path) -> bool:
    try:
        # the folder the entry is in, not what a symlink points to
        (path.parent.resolve() / path.name).relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _read_facts(path: Path) -> FileFacts:
    try:
        return file_facts(path)
    except OSError as exc:
        if isinstance(exc, NotRegularFile) or exc.errno == errno.ELOOP:
            raise  # swapped for a symlink or special file since it was listed: refused
        raise FileFailed(f"cannot read {shown_name(str(path))}: {exc.strerror or exc}") from exc


Scope = tuple[str | None, str | None, str | None]  # unit, dataset, period


def _validate_and_load(
    conn: psycopg.Connection, facts: FileFacts, areas: FileAreas
) -> tuple[Scope, LoadResult]:
    name: FileName | None = None
    issues: list[ValidationIssue] = []
    try:
        name = parse_file_name(facts.path.name)
    except FileNameError as exc:
        # the messages quote the name: escaped like everywhere else it is shown
        issue = file_issue(exc, value=facts.file_name)
        issues.append(
            replace(
                issue,
                message_vi=escape_controls(issue.message_vi),
                message_en=escape_controls(issue.message_en),
            )
        )
    reference = reference_for(conn)
    if name is not None:
        try:
            reference.check_unit(name)
        except CellError as exc:
            issues.append(file_issue(exc, value=name.unit_code))
    scope: Scope = (name.unit_code, name.dataset, name.period) if name else (None, None, None)

    def report_for(submission_id: int) -> str:
        return register_report_path(areas, submission_id, facts.file_name)

    if issues:
        # Same bytes as an accepted file (under another name, say): a duplicate, not a rejection.
        duplicate = register_if_duplicate(conn, facts, name)
        if duplicate is not None:
            return scope, duplicate
    else:
        try:
            table = open_table(facts, name.fmt, name.dataset)
        except FileRejected as exc:
            issues = exc.issues
        else:
            try:
                return scope, load_table(conn, facts, name, table, reference, report_for)
            except (psycopg.DataError, psycopg.IntegrityError) as exc:
                # The database refused a value the validator let through: still a clean rejection.
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                issues = [file_issue(CodedError("DATABASE_REJECTED", reason=first))]
    submission_id = register_rejected(conn, facts, name, issues, report_for)
    return scope, LoadResult("rejected", submission_id, issues=issues)


def register_report_path(areas: FileAreas, submission_id: int, file_name: str) -> str:
    """The rejection report as the register shows it: relative to the published area, so the
    register (and every mart over it) never shows the server's folders."""
    return os.path.relpath(report_paths(areas, submission_id, file_name)[0], areas.published)


def _destination(areas: FileAreas, status: str) -> Path:
    return {
        "accepted": areas.archive,
        "duplicate": areas.archive / "duplicates",
        "rejected": areas.quarantine,
    }[status]


def _unfiled_submission(
    conn: psycopg.Connection, facts: FileFacts, areas: FileAreas
) -> tuple[Scope, LoadResult] | None:
    """The newest register row of these bytes under this name when its file was never filed:
    an earlier run committed it and stopped (killed) before moving the file. The file is then
    that submission's, not a duplicate of it."""
    row = conn.execute(
        "SELECT submission_id, status, unit_code, dataset, period, row_count, error_count,"
        " replaces_submission_id, duplicate_of_submission_id FROM raw.submissions"
        " WHERE sha256 = %s AND file_name = %s ORDER BY submission_id DESC LIMIT 1",
        (facts.sha256, facts.file_name),
    ).fetchone()
    if row is None:
        return None
    sid, status, unit, dataset, period, rows, errors, replaces, duplicate_of = row
    if os.path.lexists(_destination(areas, status) / stored_name(sid, facts.file_name)):
        return None
    issues = []
    if status == "rejected":  # a settled submission's errors never change
        issues = [
            ValidationIssue(*found)
            for found in conn.execute(
                "SELECT sheet, source_row, column_name, cell_value, code, message_vi,"
                " message_en FROM audit.submission_errors WHERE submission_id = %s"
                " ORDER BY error_no",
                (sid,),
            ).fetchall()
        ]
    result = LoadResult(status, sid, rows, replaces, duplicate_of, issues, errors)
    return (unit, dataset, period), result


def _not_loaded(path: Path, status: Status, why: str) -> IngestOutcome:
    return IngestOutcome(
        path=path,
        file_name=shown_name(path.name),
        status=status,
        submission_id=None,
        unit_code=None,
        dataset=None,
        period=None,
        row_count=None,
        replaces_submission_id=None,
        duplicate_of_submission_id=None,
        failure=why,
    )


REFUSED_FOLDER = "not-regular-files"


def _refuse(path: Path, areas: FileAreas, move: bool, kind: tuple[str, str]) -> IngestOutcome:
    """A symlink, FIFO, device or socket: never opened; set aside with a report when moving."""
    outcome = _not_loaded(path, "refused", f"not a regular file but a {kind[1]}; not read")
    if move:
        try:
            target = set_aside(path, areas.quarantine / REFUSED_FOLDER)
            if target is not None:
                outcome.moved_to = target
                outcome.report_path = write_refusal_report(
                    target, file_name=outcome.file_name, kind=kind
                )
        except OSError as exc:
            raise FileFailed(
                f"{outcome.file_name}: refused ({kind[1]}), not set aside: {exc}"
            ) from exc
    return outcome


def _ingest(conn: psycopg.Connection, path: Path, areas: FileAreas, move: bool) -> IngestOutcome:
    """One file; with `move`, under a claim that keeps other runs off it until it is filed."""
    if not move:
        return _examine(conn, path, areas, move)
    try:
        claimed = claim_file(conn, path.name)
    except psycopg.OperationalError as exc:
        raise WarehouseUnavailable(f"lost the warehouse connection: {exc}") from exc
    if not claimed:
        return _not_loaded(path, "skipped", "being loaded by another run")
    try:
        if not os.path.lexists(path):
            return _not_loaded(path, "skipped", "already filed by another run")
        return _examine(conn, path, areas, move)
    finally:
        release_file(conn, path.name)


def _examine(conn: psycopg.Connection, path: Path, areas: FileAreas, move: bool) -> IngestOutcome:
    try:
        kind = special_kind(path)
        if kind is None:
            return _load(conn, path, areas, move)
    except (NotRegularFile, FileNotFoundError, OSError) as exc:
        if isinstance(exc, FileNotFoundError) and move:
            return _not_loaded(path, "skipped", "no longer there")
        if not isinstance(exc, NotRegularFile) and exc.errno != errno.ELOOP:
            raise FileFailed(f"cannot read {shown_name(str(path))}: {exc.strerror or exc}") from exc
        kind = special_kind(path) or ("tệp đặc biệt", "special file")
    return _refuse(path, areas, move, kind)


def _load(conn: psycopg.Connection, path: Path, areas: FileAreas, move: bool) -> IngestOutcome:
    facts = _read_facts(path)
    try:
        found = _unfiled_submission(conn, facts, areas) if move else None
        resumed = found is not None
        scope, result = found or _validate_and_load(conn, facts, areas)
    except psycopg.OperationalError as exc:
        raise WarehouseUnavailable(
            f"{facts.file_name}: lost the warehouse connection: {exc}"
        ) from exc
    except psycopg.errors.UndefinedTable as exc:
        raise AnttError(NOT_INITIALISED) from exc
    outcome = IngestOutcome(
        path=path,
        file_name=facts.file_name,
        status=result.status,
        submission_id=result.submission_id,
        unit_code=scope[0],
        dataset=scope[1],
        period=scope[2],
        row_count=result.row_count,
        replaces_submission_id=result.replaces_submission_id,
        duplicate_of_submission_id=result.duplicate_of_submission_id,
        errors=result.issues,
        error_count=result.error_count or 0,
        resumed=resumed,
    )
    # Everything below happens after the commit: a crash here leaves the file where it was,
    # and the next run files it under its submission (`_unfiled_submission`).
    try:
        if result.status == "rejected":
            json_path, csv_path = report_paths(areas, result.submission_id, facts.file_name)
            write_rejection_report(
                json_path,
                csv_path,
                file_name=facts.file_name,
                submission_id=result.submission_id,
                sha256=facts.sha256,
                unit_code=outcome.unit_code,
                dataset=outcome.dataset,
                period=outcome.period,
                issues=result.issues,
                error_count=outcome.error_count,
            )
            outcome.report_path = json_path
        if move:
            folder = _destination(areas, result.status)
            outcome.moved_to = move_file(path, folder, result.submission_id, facts.file_name)
    except OSError as exc:
        raise FileFailed(
            f"{facts.file_name}: registered as {result.status} (submission "
            f"{result.submission_id}) but the file areas could not be updated: {exc}"
        ) from exc
    return outcome


def ingest_file(
    path: Path,
    areas: FileAreas | None = None,
    *,
    move: bool = True,
    conn: psycopg.Connection | None = None,
) -> IngestOutcome:
    """Validate and load one file; `move` sends it to archive or quarantine afterwards. On the
    loader connection `conn` when given (a `loader_connection()`; one per file otherwise)."""
    areas = (areas or file_areas()).ensure()
    if conn is not None:
        if not conn.autocommit:  # its reads outside a file's transaction would leave one open
            raise ValueError("ingest_file needs an autocommit connection (loader_connection())")
        return _ingest(conn, Path(path), areas, move)
    with loader_connection() as own:
        return _ingest(own, Path(path), areas, move)


# Measured on the national benchmark (2 cores): 2 workers 576 k rows/s, 4: 625 k, 8: 666 k.
# Four overlap the commits well without holding many connections.
DEFAULT_WORKERS = 4


def ingest_paths(
    paths: Sequence[Path],
    areas: FileAreas | None = None,
    *,
    move: bool = True,
    on_result: Callable[[IngestOutcome], None] | None = None,
    move_only_from_landing: bool = False,
    workers: int = DEFAULT_WORKERS,
    processes: int = 1,
) -> list[IngestOutcome]:
    """Ingest files and folders (see `expand_paths`); outcomes come back in the order given.

    With `workers` > 1, files of different scopes load side by side on separate connections
    (one validates while the other waits for the database); files of one scope, `su_vu` files of
    one unit and files with equal bytes still load one after the other in the order given, so the
    outcome is the one of a one-by-one load. With `processes` > 1 the workers are spread over that
    many processes (`antt.ingest.processes`), so validation uses more than one core. `on_result`
    is called in this process as each file finishes. With `move_only_from_landing`, files outside
    the landing area stay where they are.
    """
    areas = (areas or file_areas()).ensure()
    files = expand_paths(paths)
    if not files:
        return []

    def one(conn: psycopg.Connection, path: Path) -> IngestOutcome:
        moving = move and (not move_only_from_landing or is_in(path, areas.landing))
        try:
            return _ingest(conn, path, areas, moving)
        except FileFailed as exc:  # this file only: the run goes on with the others
            return _not_loaded(path, "failed", str(exc))

    if (workers <= 1 and processes <= 1) or len(files) == 1:
        outcomes: list[IngestOutcome | None] = [None] * len(files)
        with loader_connection() as conn:
            for index in load_order(files) if len(files) > 1 else [0]:
                outcomes[index] = one(conn, files[index])
                if on_result is not None:
                    on_result(outcomes[index])
        return outcomes
    return _ingest_parallel(files, one, on_result, workers, processes)


def _ingest_parallel(files, one, on_result, workers: int, processes: int) -> list[IngestOutcome]:
    # Longest lanes first, so the workers finish at about the same time.
    groups = sorted(lanes(files), key=lambda lane: (-len(lane), lane[0]))
    results: list[IngestOutcome | None] = [None] * len(files)

    def load(conn: psycopg.Connection, index: int) -> IngestOutcome:
        return one(conn, files[index])

    loader = loader_connection
    if processes > 1 and len(groups) > 1:
        _load_reference(loader)  # once here, inherited by every process
        by_group = load_lanes_in_processes(
            groups, load, processes, -(-workers // processes), loader, on_done=on_result
        )
    else:
        by_group = load_lanes(groups, load, workers, loader, on_done=on_result)
    for group, outcomes in zip(groups, by_group, strict=True):
        for index, outcome in zip(group, outcomes, strict=False):
            results[index] = outcome
    return [outcome for outcome in results if outcome is not None]


def _load_reference(loader: Callable) -> None:
    try:
        with loader() as conn:
            reference_for(conn)
    except psycopg.OperationalError as exc:
        raise WarehouseUnavailable(f"lost the warehouse connection: {exc}") from exc
    except psycopg.errors.UndefinedTable as exc:
        raise AnttError(NOT_INITIALISED) from exc


def default_processes() -> int:
    """`ANTT_INGEST_PROCESSES`, else the cores this process may use, at most `MAX_PROCESSES`."""
    try:
        chosen = env_int(os.environ, "ANTT_INGEST_PROCESSES", 0, minimum=1)
    except ValueError as exc:
        raise AnttError(str(exc)) from exc
    return chosen or max(1, min(len(os.sched_getaffinity(0)), MAX_PROCESSES))


# Each process holds ceil(workers / processes) connections; on a large server the cap keeps a
# load's connections few (the server's max_connections is shared with everyone else).
MAX_PROCESSES = 8


__all__ = [
    "FileFailed",
    "IngestOutcome",
    "default_processes",
    "expand_paths",
    "ingest_file",
    "ingest_paths",
]
