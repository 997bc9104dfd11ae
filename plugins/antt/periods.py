"""Closing a year (chốt số liệu): `antt lock` / `--unlock`, and the check the loader runs.

Every lock and unlock is a row of `audit.period_locks` (append-only: a trigger refuses UPDATE,
DELETE and TRUNCATE); the newest row of a (province, year) is its state. A year of an old
province (≤ 2025-06 periods) is also closed when the new province that absorbed it closed the
year: from 2025 on the new province's police own the figures of every earlier period.

Race: `antt lock` holds an exclusive advisory lock on the province-year while it writes; the
loader holds the shared one from its check until its commit, so a file is either loaded before
the year closes or refused after it.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import psycopg

from antt.errors import AnttError

LOCK_CLASS_PERIOD = 0x414E5403
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class PeriodState:
    province_code: str
    year: int
    closed: bool
    actor: str
    recorded_at: datetime
    reason: str | None

    @property
    def since_local(self) -> str:
        return self.recorded_at.astimezone(LOCAL_TIME).strftime("%H:%M %d/%m/%Y")


def _key(province: str, year: int) -> int:
    return int(province) * 10_000 + year


# For a year from 2025 on: the province itself and every new province that absorbed one of its
# communes.
_CANDIDATES = """
SELECT %(province)s::text
UNION
SELECT DISTINCT n.province_code
FROM raw.admin_commune AS o
JOIN raw.commune_crosswalk_2025 AS x ON x.old_commune_code = o.commune_code
JOIN raw.admin_commune_2025 AS n ON n.commune_code = x.new_commune_code
WHERE o.province_code = %(province)s
"""
FIRST_YEAR_OF_NEW_PROVINCES = 2025
# The newest event of each of those provinces for the year.
_STATE = """
SELECT DISTINCT ON (l.province_code)
    l.province_code, l.year, l.action = 'lock', l.actor, l.recorded_at, l.reason
FROM audit.period_locks AS l
WHERE l.year = %(year)s AND l.province_code = ANY(%(provinces)s)
ORDER BY l.province_code, l.lock_event_id DESC
"""


def period_states(
    conn: psycopg.Connection, province: str, year: int, *, hold: bool = False
) -> list[PeriodState]:
    """The newest lock event of every province whose lock covers `province`'s `year`.

    With `hold`, the shared advisory lock of each is taken first (transaction-scoped): the
    caller's transaction then commits before any `antt lock` of that year can."""
    params = {"province": province, "year": year}
    if year < FIRST_YEAR_OF_NEW_PROVINCES:  # no new province owns it: no query (once per file)
        provinces = [province]
    else:
        provinces = sorted(row[0] for row in conn.execute(_CANDIDATES, params).fetchall())
    if hold:
        for code in provinces:
            conn.execute(
                "SELECT pg_advisory_xact_lock_shared(%s, %s)", (LOCK_CLASS_PERIOD, _key(code, year))
            )
    rows = conn.execute(_STATE, {**params, "provinces": provinces}).fetchall()
    return [PeriodState(*row) for row in rows]


def closing_state(
    conn: psycopg.Connection, province: str, year: int, *, hold: bool = False
) -> PeriodState | None:
    """The lock that closes `year` for files of `province` (the earliest), or None when open."""
    closed = [s for s in period_states(conn, province, year, hold=hold) if s.closed]
    return min(closed, key=lambda s: s.recorded_at) if closed else None


def _check_arguments(province: str, year: int) -> None:
    if not (len(province) == 2 and province.isdigit()):
        raise AnttError(f"mã tỉnh phải có 2 chữ số / the province code has 2 digits: {province!r}")
    if not 1900 <= year <= 9999:
        raise AnttError(f"năm không hợp lệ / invalid year: {year}")


def _province_known(conn: psycopg.Connection, province: str) -> bool:
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM raw.admin_province WHERE province_code = %s)"
        " OR EXISTS (SELECT 1 FROM raw.admin_province_2025 WHERE province_code = %s)",
        (province, province),
    ).fetchone()
    return bool(row[0])


def record_lock(
    conn: psycopg.Connection,
    province: str,
    year: int,
    *,
    unlock: bool = False,
    reason: str | None = None,
    actor: str | None = None,
) -> PeriodState:
    """Close (or reopen) `year` for `province`; refuses a no-op (closing a closed year)."""
    _check_arguments(province, year)
    reason = (reason or "").strip() or None
    if unlock and reason is None:
        raise AnttError("mở khóa cần lý do / an unlock needs --reason")
    actor = (actor or "").strip() or getpass.getuser()
    with conn.transaction():
        if not _province_known(conn, province):
            raise AnttError(f"không có tỉnh mã {province} / no province with code {province}")
        conn.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_CLASS_PERIOD, _key(province, year))
        )
        current = next(
            (s for s in period_states(conn, province, year) if s.province_code == province), None
        )
        closed = current is not None and current.closed
        if not unlock and closed:
            raise AnttError(
                f"năm {year} của tỉnh {province} đã chốt từ {current.since_local} bởi "
                f"{current.actor} / {year} of province {province} is already closed since "
                f"{current.since_local} by {current.actor}"
            )
        if unlock and not closed:
            raise AnttError(
                f"năm {year} của tỉnh {province} chưa chốt / {year} of province {province} "
                "is not closed"
            )
        row = conn.execute(
            "INSERT INTO audit.period_locks (province_code, year, action, actor, reason)"
            " VALUES (%s, %s, %s, %s, %s)"
            " RETURNING province_code, year, action = 'lock', actor, recorded_at, reason",
            (province, year, "unlock" if unlock else "lock", actor, reason),
        ).fetchone()
    return PeriodState(*row)
