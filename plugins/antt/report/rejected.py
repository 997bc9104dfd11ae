"""Rejected submissions of a province and year, with their first errors.

Read as `antt_reader` from the marts `submission_register` and `submission_errors` (views over
the loader's register, live right after a load): reports need no role that may read or write raw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import psycopg
from psycopg.rows import dict_row

from antt.records import record
from antt.report.data import Provinces, load_provinces

FIRST_ERRORS = 20  # per file; the full list is in the rejection report in quarantine
UNIT_PATTERN = re.compile(r"^(?:CAH(\d{3})|CAT(\d{2})|VPDP(\d{2})|CAX(\d{5}))", re.IGNORECASE)
FIRST_NEW_UNITS_YEAR = 2025


@dataclass(frozen=True)
class SubmissionError:
    error_no: int
    sheet: str | None
    source_row: int | None
    column_name: str | None
    cell_value: str | None
    code: str
    message_vi: str
    message_en: str


@dataclass
class RejectedFile:
    submission_id: int
    file_name: str
    unit_code: str | None
    dataset: str | None
    period: str | None
    received_at: datetime
    error_count: int
    report_path: str | None
    attributed: bool  # False: the unit could not be told from the file, so no province is known
    errors: list[SubmissionError] = field(default_factory=list)


@dataclass(frozen=True)
class UnitDirectory:
    """Which province a reporting unit belongs to, from the public marts: `dim_district` (old
    district -> province), `dim_commune` (old communes and new units -> province, by era) and the
    provinces of both lists."""

    district_province: dict[str, str]
    old_commune_province: dict[str, str]
    new_unit_province: dict[str, str]
    provinces: Provinces


def unit_directory(conn: psycopg.Connection) -> UnitDirectory:
    communes: dict[str, dict[str, str]] = {"OLD": {}, "NEW": {}}
    for era, code, province in conn.execute(
        "SELECT era, commune_code, province_code FROM marts.dim_commune"
    ):
        communes[era][code] = province
    districts = conn.execute("SELECT district_code, province_code FROM marts.dim_district")
    return UnitDirectory(
        district_province=dict(districts),
        old_commune_province=communes["OLD"],
        new_unit_province=communes["NEW"],
        provinces=load_provinces(conn),
    )


def unit_province(
    unit_or_name: str | None, units: UnitDirectory, year: int | None = None
) -> str | None:
    """The province of a unit code (`CAH847` -> 84 through its district, `CAX29413` through its
    commune), or of a file name. From 2025 the new province that evaluates the year: an old
    province's files go to the province that absorbed it (84 -> 86)."""
    match = UNIT_PATTERN.match((unit_or_name or "").strip())
    if not match:
        return None
    district, cat, vpdp, commune = match.groups()
    if district:
        province = units.district_province.get(district)
    elif commune:
        province = units.old_commune_province.get(commune) or units.new_unit_province.get(commune)
    else:
        province = cat or vpdp
    old_province = province is not None and province not in units.provinces.new
    if old_province and year is not None and year >= FIRST_NEW_UNITS_YEAR:
        province = units.provinces.absorbing.get(province) or province
    return province


def period_year(period: str | None) -> int | None:
    """The year of a parsed period; None for a file whose name did not parse (its province is
    then the one its name shows, whatever year it arrived in)."""
    if period and re.fullmatch(r"\d{4}(-\d{2})?", period):
        return int(period[:4])
    return None


def submission_year(period: str | None) -> int | None:
    """The year a file is reported under: its period's; None when its name gave no period (it
    is then listed under "period unknown", never under the year it happened to arrive)."""
    return period_year(period)


def submission_province(
    unit_code: str | None, file_name: str | None, units: UnitDirectory, year: int | None = None
) -> str | None:
    """The province of the sending unit, from its unit code, else from the file name's prefix."""
    return unit_province(unit_code, units, year) or unit_province(file_name, units, year)


def _rejected_files(conn: psycopg.Connection) -> list[tuple[str | None, int | None, RejectedFile]]:
    """Every rejected file with the province of its unit and the year of its period (None when
    the name does not tell), in the order they were received."""
    units = unit_directory(conn)
    cur = conn.cursor(row_factory=dict_row)
    subs = cur.execute(
        """
        SELECT submission_id, file_name, unit_code, dataset, period, received_at,
               error_count, report_path
        FROM marts.submission_register WHERE status = 'rejected'
        ORDER BY received_at, submission_id
        """
    ).fetchall()
    found = []
    for sub in subs:
        owner = submission_province(
            sub["unit_code"], sub["file_name"], units, period_year(sub["period"])
        )
        found.append(
            (
                owner,
                submission_year(sub["period"]),
                record(RejectedFile, sub, attributed=owner is not None),
            )
        )
    return found


def _attach_errors(conn: psycopg.Connection, chosen: list[RejectedFile]) -> None:
    if not chosen:
        return
    errors = (
        conn.cursor(row_factory=dict_row)
        .execute(
            """
        SELECT submission_id, error_no, sheet, source_row, column_name, cell_value, code,
               message_vi, message_en
        FROM (
            SELECT e.*, row_number() OVER (
                PARTITION BY submission_id ORDER BY error_no) AS rank
            FROM marts.submission_errors e WHERE submission_id = ANY(%s)
        ) ranked
        WHERE rank <= %s
        ORDER BY submission_id, error_no
        """,
            ([f.submission_id for f in chosen], FIRST_ERRORS),
        )
        .fetchall()
    )
    by_id = {f.submission_id: f for f in chosen}
    for err in errors:
        by_id[err["submission_id"]].errors.append(record(SubmissionError, err))


def load_rejected_by_province(conn: psycopg.Connection, year: int) -> dict[str, list[RejectedFile]]:
    """Rejected files of `year` (by the period in their name) per province of the sending unit.
    Files whose name gives no period or no unit are in `load_unplaced`."""
    by_province: dict[str, list[RejectedFile]] = {}
    for owner, file_year, found in _rejected_files(conn):
        if owner is not None and file_year == year:
            by_province.setdefault(owner, []).append(found)
    _attach_errors(conn, [f for files in by_province.values() for f in files])
    return by_province


@dataclass
class Unplaced:
    """Rejected files that belong to no (province, year) page."""

    period_unknown: dict[str, list[RejectedFile]]  # province -> files whose name gives no period
    unit_unknown: list[RejectedFile]  # files whose name names no known unit


def load_unplaced(conn: psycopg.Connection) -> Unplaced:
    period_unknown: dict[str, list[RejectedFile]] = {}
    unit_unknown: list[RejectedFile] = []
    for owner, file_year, found in _rejected_files(conn):
        if owner is None:
            unit_unknown.append(found)
        elif file_year is None:
            period_unknown.setdefault(owner, []).append(found)
    _attach_errors(conn, unit_unknown + [f for fs in period_unknown.values() for f in fs])
    return Unplaced(period_unknown, unit_unknown)


def submission_scopes(conn: psycopg.Connection) -> set[tuple[str, int]]:
    """(province, year) of every file received, whatever its status, attributed exactly as the
    rejected-files pages attribute them; a file of no known unit or period makes no scope."""
    units = unit_directory(conn)
    rows = conn.execute(
        "SELECT unit_code, file_name, period FROM marts.submission_register"
    ).fetchall()
    scopes = set()
    for unit_code, file_name, period in rows:
        year = submission_year(period)
        province = submission_province(unit_code, file_name, units, year)
        if province is not None and year is not None:
            scopes.add((province, year))
    return scopes


def of_province(by_province: dict[str, list[RejectedFile]], province: str) -> list[RejectedFile]:
    """The province's rejected files of the year, in the order they were received."""
    return sorted(by_province.get(province, []), key=lambda f: (f.received_at, f.submission_id))


def load_rejected(conn: psycopg.Connection, year: int, province: str) -> list[RejectedFile]:
    """Rejected files of `year` sent by units of `province`."""
    return of_province(load_rejected_by_province(conn, year), province)
