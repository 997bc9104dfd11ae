"""Writing a submission: one transaction per file, advisory locks, COPY into the raw tables.

Locks are transaction-scoped, so a crash or a kill releases them with the transaction:
- the file's SHA-256, so two loads of the same bytes give one `accepted` and one `duplicate`;
- the scope (unit, dataset, period), so versions of a scope are accepted one after the other
  and "later" is the order of acceptance. `su_vu` files lock (province valid from 2025-07-01,
  su_vu) across units and periods: a file is checked against earlier incidents, which another
  unit of the same territory may have opened (contract v2: `don_vi_goc`).
Different files take different locks and never wait for each other.

A run that files what it loads first claims the file by its name (`claim_file`, a session lock
held until the file is in archive or quarantine), so two runs on one landing folder never read,
register or move the same file; a killed run's claim ends with its connection.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import psycopg
from psycopg import sql

from antt.ingest.filename import COUNT_DATASETS, FileName
from antt.ingest.issues import CodedError, ValidationIssue, file_issue
from antt.ingest.reading import FileFacts, Table
from antt.ingest.reference import Reference
from antt.ingest.validate import RAW_COLUMNS, Validator
from antt.periods import closing_state
from antt.units.periods import successor_province_of_unit

LOCK_CLASS_SHA256 = 0x414E5401
LOCK_CLASS_SCOPE = 0x414E5402
LOCK_CLASS_FILE = 0x414E5403


@dataclass
class LoadResult:
    status: str  # accepted, rejected or duplicate
    submission_id: int
    row_count: int | None = None
    replaces_submission_id: int | None = None
    duplicate_of_submission_id: int | None = None
    issues: list[ValidationIssue] = field(default_factory=list)
    error_count: int | None = None  # every error found; `issues` lists the first ones

    def __post_init__(self) -> None:
        if self.error_count is None:
            self.error_count = len(self.issues)


class _Discard(Exception):
    """Leave the COPY and roll the transaction back: the file has errors."""


def lock_key(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big", signed=True)


def scope_lock_text(name: FileName) -> str:
    if name.dataset == "su_vu":
        region = successor_province_of_unit(name.unit_kind, name.area_code) or name.unit_code
        return f"{region}|su_vu"
    return f"{name.unit_code}|{name.dataset}|{name.period}"


def claim_file(conn: psycopg.Connection, file_name: str) -> bool:
    """Claim a landing file for this session; False when another run has it. On the loader's
    autocommit connection (`warehouse.loader_connection`): one statement, no transaction."""
    return conn.execute(
        "SELECT pg_try_advisory_lock(%s, %s)", (LOCK_CLASS_FILE, lock_key(file_name))
    ).fetchone()[0]


def release_file(conn: psycopg.Connection, file_name: str) -> None:
    """Give the claim back; a connection that is gone has released it already."""
    with contextlib.suppress(psycopg.Error):
        conn.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_CLASS_FILE, lock_key(file_name)))


def take_locks(conn: psycopg.Connection, sha256: str, name: FileName | None) -> None:
    """Both locks in one round trip, always in the same order (SHA-256, then scope)."""
    if name is None:
        conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_CLASS_SHA256, lock_key(sha256)))
        return
    conn.execute(
        "SELECT pg_advisory_xact_lock(%s, %s), pg_advisory_xact_lock(%s, %s)",
        (
            LOCK_CLASS_SHA256,
            lock_key(sha256),
            LOCK_CLASS_SCOPE,
            lock_key(scope_lock_text(name)),
        ),
    )


def accepted_with_sha(conn: psycopg.Connection, sha256: str) -> int | None:
    row = conn.execute(
        "SELECT submission_id FROM raw.submissions WHERE sha256 = %s AND status = 'accepted'",
        (sha256,),
    ).fetchone()
    return row[0] if row else None


# One statement, run under the locks: the register row, `pending` until `settle`, with the
# version it would replace or, when the same bytes were accepted before, the one it duplicates.
_REGISTER = """
WITH earlier AS (
    SELECT submission_id FROM raw.submissions
    WHERE sha256 = %(sha256)s AND status = 'accepted'
), previous AS (
    SELECT submission_id FROM raw.submissions
    WHERE status = 'accepted' AND unit_code = %(unit)s AND dataset = %(dataset)s
      AND period = %(period)s
    ORDER BY accepted_at DESC, submission_id DESC LIMIT 1
)
INSERT INTO raw.submissions (unit_code, dataset, period, file_name, sha256, size_bytes, status,
                             received_at, replaces_submission_id, duplicate_of_submission_id)
SELECT %(unit)s, %(dataset)s, %(period)s, %(file_name)s, %(sha256)s, %(size)s, 'pending',
       coalesce(%(received_at)s::timestamptz, clock_timestamp()),
       CASE WHEN d.id IS NULL THEN (SELECT submission_id FROM previous) END,
       d.id
FROM (SELECT (SELECT submission_id FROM earlier) AS id) AS d
RETURNING submission_id, replaces_submission_id, duplicate_of_submission_id
"""


def su_vu_history(conn: psycopg.Connection, name: FileName) -> Callable[[list], dict]:
    """Start dates of incidents, by identity (don_vi_goc or the submitting unit, ma_su_vu), in
    the newest (period, then acceptance) accepted version of earlier months, of any unit."""

    def lookup(identities: list[tuple[str, str]]) -> dict[tuple[str, str], date]:
        rows = conn.execute(
            "WITH latest AS ("
            "  SELECT DISTINCT ON (unit_code, period) submission_id, unit_code, period,"
            "    accepted_at FROM raw.submissions"
            "  WHERE status = 'accepted' AND dataset = 'su_vu' AND period < %s"
            "  ORDER BY unit_code, period, accepted_at DESC, submission_id DESC),"
            " wanted AS (SELECT * FROM unnest(%s::text[], %s::text[]) AS w(origin, ma_su_vu))"
            " SELECT DISTINCT ON (origin, v.ma_su_vu) origin, v.ma_su_vu, v.ngay_bat_dau"
            " FROM raw.su_vu v JOIN latest l USING (submission_id)"
            " JOIN wanted w ON w.ma_su_vu = v.ma_su_vu"
            "  AND w.origin = coalesce(v.don_vi_goc, l.unit_code)"
            " ORDER BY origin, v.ma_su_vu, l.period DESC, l.accepted_at DESC",
            (name.period, [i[0] for i in identities], [i[1] for i in identities]),
        ).fetchall()
        return {(origin, ma): start for origin, ma, start in rows}

    return lookup


def _insert_pending(
    conn: psycopg.Connection, facts: FileFacts, name: FileName | None, **values
) -> int:
    """The register row of a file being loaded; `settle` gives it its outcome, in the same
    transaction (the warehouse refuses to commit a pending row)."""
    columns = {
        "unit_code": name.unit_code if name else None,
        "dataset": name.dataset if name else None,
        "period": name.period if name else None,
        "file_name": facts.file_name,
        "sha256": facts.sha256,
        "size_bytes": facts.size_bytes,
        "status": "pending",
        **({"received_at": facts.received_at} if facts.received_at else {}),
        **values,
    }
    stmt = sql.SQL("INSERT INTO raw.submissions ({}) VALUES ({}) RETURNING submission_id").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(", ").join(sql.Placeholder() * len(columns)),
    )
    return conn.execute(stmt, list(columns.values())).fetchone()[0]


def settle(conn: psycopg.Connection, submission_id: int, status: str, **values) -> None:
    """A pending submission's one and only change: its outcome (the warehouse sets accepted_at)."""
    columns = {"status": status, **values}
    stmt = sql.SQL("UPDATE raw.submissions SET {} WHERE submission_id = {}").format(
        sql.SQL(", ").join(
            sql.SQL("{} = {}").format(sql.Identifier(column), sql.Placeholder())
            for column in columns
        ),
        sql.Placeholder(),
    )
    conn.execute(stmt, [*columns.values(), submission_id])


def register_duplicate(
    conn: psycopg.Connection, facts: FileFacts, name: FileName | None, duplicate_of: int
) -> int:
    submission_id = _insert_pending(conn, facts, name, duplicate_of_submission_id=duplicate_of)
    settle(conn, submission_id, "duplicate")
    return submission_id


def register_rejected(
    conn: psycopg.Connection,
    facts: FileFacts,
    name: FileName | None,
    issues: list[ValidationIssue],
    report_path_for: Callable[[int], str],
    error_count: int | None = None,
) -> int:
    """The register row and the listed errors of a rejected file, in one transaction;
    `error_count` is every error found (more than listed when the list stopped at its limit)."""
    with conn.transaction():
        submission_id = _insert_pending(conn, facts, name)
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY audit.submission_errors (submission_id, error_no, sheet, source_row,"
                " column_name, cell_value, code, message_vi, message_en) FROM STDIN"
            ) as copy,
        ):
            for number, issue in enumerate(issues, start=1):
                copy.write_row((submission_id, number, *issue.fields()))
        settle(
            conn,
            submission_id,
            "rejected",
            error_count=len(issues) if error_count is None else error_count,
            report_path=report_path_for(submission_id),
        )
    return submission_id


def _copy_statement(dataset: str) -> sql.Composed:
    columns = ("submission_id", "source_row", *RAW_COLUMNS[dataset])
    return sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier("raw", dataset), sql.SQL(", ").join(map(sql.Identifier, columns))
    )


def closed_period_issues(
    conn: psycopg.Connection, name: FileName, reference: Reference
) -> list[ValidationIssue]:
    """The rejection of a file whose period's year is closed; holds the year open until commit."""
    state = closing_state(conn, reference.province_of(name), name.year, hold=True)
    if state is None:
        return []
    closed = CodedError(
        "PERIOD_CLOSED",
        period=name.period,
        year=state.year,
        province=state.province_code,
        since=state.since_local,
        actor=state.actor,
    )
    return [file_issue(closed, value=name.period)]


def load_table(
    conn: psycopg.Connection,
    facts: FileFacts,
    name: FileName,
    table: Table,
    reference: Reference,
    report_path_for: Callable[[int], str],
) -> LoadResult:
    """Validate and load a readable file; duplicates and rejections are registered too."""
    validator: Validator | None = None
    closed: list[ValidationIssue] = []
    try:
        with conn.transaction():
            take_locks(conn, facts.sha256, name)
            submission_id, previous, duplicate_of = conn.execute(
                _REGISTER,
                {
                    "sha256": facts.sha256,
                    "unit": name.unit_code,
                    "dataset": name.dataset,
                    "period": name.period,
                    "file_name": facts.file_name,
                    "size": facts.size_bytes,
                    "received_at": facts.received_at,
                },
            ).fetchone()
            if duplicate_of is not None:
                settle(conn, submission_id, "duplicate")
                return LoadResult(
                    "duplicate", submission_id, duplicate_of_submission_id=duplicate_of
                )
            closed = closed_period_issues(conn, name, reference)
            if closed:
                raise _Discard
            history = su_vu_history(conn, name) if name.dataset == "su_vu" else None
            validator = Validator(name, reference, table, submission_id, history)
            with conn.cursor() as cur:
                if name.dataset in COUNT_DATASETS:
                    with cur.copy(_copy_statement(name.dataset)) as copy:
                        validator.run(copy.write)
                        if validator.issues:
                            raise _Discard
                else:
                    chunks: list[str] = []
                    validator.run(chunks.append)
                    if validator.issues:
                        raise _Discard
                    with cur.copy(_copy_statement(name.dataset)) as copy:
                        for chunk in chunks:
                            copy.write(chunk)
            settle(conn, submission_id, "accepted", row_count=validator.row_count)
        return LoadResult(
            "accepted",
            submission_id,
            row_count=validator.row_count,
            replaces_submission_id=previous,
        )
    except _Discard:
        pass
    issues = closed or (validator.issues if validator else [])
    total = validator.error_total if validator and not closed else len(issues)
    submission_id = register_rejected(conn, facts, name, issues, report_path_for, total)
    return LoadResult("rejected", submission_id, issues=issues, error_count=total)


def register_if_duplicate(
    conn: psycopg.Connection, facts: FileFacts, name: FileName | None
) -> LoadResult | None:
    """Register the file as a duplicate when its bytes were accepted before; else None."""
    with conn.transaction():
        take_locks(conn, facts.sha256, None)
        duplicate_of = accepted_with_sha(conn, facts.sha256)
        if duplicate_of is None:
            return None
        submission_id = register_duplicate(conn, facts, name, duplicate_of)
    return LoadResult("duplicate", submission_id, duplicate_of_submission_id=duplicate_of)
