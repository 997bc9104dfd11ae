"""The reporting-cycle tracker of one province and year: who has not reported, who reported late,
which rejected files still wait for a corrected version (with their first error), and the
reporting rates per unit and per month — read as `antt_reader` from `marts.reporting_completeness`,
`marts.reporting_rates`, `marts.submission_register` and `marts.submission_errors`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import psycopg
from psycopg.rows import dict_row

from antt.records import record

TRACKER_MARTS = ("reporting_completeness", "reporting_rates")
STATUS_LABELS = {
    "DUNG_HAN": ("Đúng hạn", "On time"),
    "TRE_HAN": ("Trễ hạn", "Late"),
    "CHUA_NOP": ("Chưa nộp", "Missing"),
    "CHUA_DEN_HAN": ("Chưa đến hạn", "Not yet due"),
}
DATASET_LABELS = {
    "chi_tieu": ("Chỉ tiêu tháng", "Monthly indicators"),
    "mo_hinh": ("Mô hình ANTT", "Security models"),
    "danh_gia_nam": ("Đánh giá năm", "Annual assessment"),
}


@dataclass(frozen=True)
class FirstError:
    code: str
    message_vi: str
    message_en: str
    source_row: int | None
    column_name: str | None


@dataclass
class Report:
    """One expected report (unit, dataset, period) as the tracker lists it."""

    unit_code: str
    dataset: str
    period: str
    deadline: date
    status: str
    received_via: str | None
    accepted_received_at: datetime | None
    days_late: int | None
    rejected_awaiting_correction: bool
    awaiting_submission_id: int | None
    awaiting_file_name: str | None = None
    awaiting_received_at: datetime | None = None
    awaiting_error_count: int | None = None
    first_error: FirstError | None = None


@dataclass(frozen=True)
class Rate:
    unit_code: str | None
    period_month: date | None
    expected: int
    actual: int
    on_time: int
    late: int
    missing: int
    awaiting: int
    reporting_rate: Decimal | None
    on_time_rate: Decimal | None


@dataclass
class Tracker:
    province_code: str
    year: int
    as_of: date | None
    missing: list[Report] = field(default_factory=list)
    late: list[Report] = field(default_factory=list)
    awaiting: list[Report] = field(default_factory=list)
    unit_rates: list[Rate] = field(default_factory=list)
    month_rates: list[Rate] = field(default_factory=list)
    expected_due: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {
            "expected_due": self.expected_due,
            "missing": len(self.missing),
            "late": len(self.late),
            "awaiting_correction": len(self.awaiting),
        }


def has_tracker_marts(present: set[str]) -> bool:
    return all(name in present for name in TRACKER_MARTS)


def _first_errors(conn: psycopg.Connection, reports: list[Report]) -> None:
    ids = [r.awaiting_submission_id for r in reports if r.awaiting_submission_id]
    if not ids:
        return
    cur = conn.cursor(row_factory=dict_row)
    files = {
        row["submission_id"]: row
        for row in cur.execute(
            "SELECT submission_id, file_name, received_at, error_count"
            " FROM marts.submission_register WHERE submission_id = ANY(%s)",
            (ids,),
        )
    }
    errors = {
        row["submission_id"]: row
        for row in cur.execute(
            "SELECT DISTINCT ON (submission_id) submission_id, code, message_vi, message_en,"
            " source_row, column_name FROM marts.submission_errors"
            " WHERE submission_id = ANY(%s) ORDER BY submission_id, error_no",
            (ids,),
        )
    }
    for report in reports:
        sid = report.awaiting_submission_id
        if sid in files:
            report.awaiting_file_name = files[sid]["file_name"]
            report.awaiting_received_at = files[sid]["received_at"]
            report.awaiting_error_count = files[sid]["error_count"]
        if sid in errors:
            report.first_error = record(FirstError, errors[sid])


RATE_COLUMNS = {
    "expected": "expected_reports",
    "actual": "actual_reports",
    "on_time": "on_time_reports",
    "late": "late_reports",
    "missing": "missing_reports",
    "awaiting": "awaiting_correction",
}


def _rate(row: dict) -> Rate:
    return record(Rate, row, columns=RATE_COLUMNS)


def load_tracker(conn: psycopg.Connection, province: str, year: int) -> Tracker:
    cur = conn.cursor(row_factory=dict_row)
    rows = cur.execute(
        """
        SELECT unit_code, dataset, period, deadline, status, received_via,
               accepted_received_at, days_late, rejected_awaiting_correction,
               awaiting_submission_id, as_of_date
        FROM marts.reporting_completeness
        WHERE province_code = %s AND year = %s
          AND (status IN ('CHUA_NOP', 'TRE_HAN') OR rejected_awaiting_correction)
        ORDER BY period, dataset, unit_code
        """,
        (province, year),
    ).fetchall()
    as_of = rows[0]["as_of_date"] if rows else None
    reports = [record(Report, row) for row in rows]
    _first_errors(conn, [r for r in reports if r.rejected_awaiting_correction])
    rates = cur.execute(
        "SELECT * FROM marts.reporting_rates WHERE province_code = %s AND year = %s"
        " ORDER BY breakdown, unit_code, period_month",
        (province, year),
    ).fetchall()
    if as_of is None:
        found = cur.execute(
            "SELECT max(as_of_date) AS as_of FROM marts.reporting_completeness"
        ).fetchone()
        as_of = found["as_of"] if found else None
    unit_rates = [_rate(r) for r in rates if r["breakdown"] == "DON_VI"]
    return Tracker(
        province_code=province,
        year=year,
        as_of=as_of,
        missing=[r for r in reports if r.status == "CHUA_NOP"],
        late=[r for r in reports if r.status == "TRE_HAN"],
        awaiting=[r for r in reports if r.rejected_awaiting_correction],
        unit_rates=unit_rates,
        month_rates=[_rate(r) for r in rates if r["breakdown"] == "THANG"],
        expected_due=sum(r.expected for r in unit_rates),
    )


def missing_reports(conn: psycopg.Connection) -> list[dict]:
    """Every report whose deadline has passed with nothing accepted, for the daily reminder."""
    cur = conn.cursor(row_factory=dict_row)
    return cur.execute(
        "SELECT province_code, year, unit_code, dataset, period, deadline,"
        " rejected_awaiting_correction FROM marts.reporting_completeness"
        " WHERE missing ORDER BY province_code, period, dataset, unit_code"
    ).fetchall()


def reminder_text(rows: list[dict], limit: int = 200) -> str:
    """The daily list of missing reports, grouped by province, in both languages."""
    if not rows:
        return "ANTT: không có báo cáo quá hạn / no overdue report."
    lines = [f"ANTT: {len(rows)} báo cáo quá hạn chưa nộp / overdue reports not received:"]
    for row in rows[:limit]:
        extra = " (tệp bị từ chối, chờ bản sửa / rejected, awaiting correction)"
        lines.append(
            f"- tỉnh / province {row['province_code']}: {row['unit_code']} {row['dataset']} "
            f"{row['period']} — hạn / due {row['deadline']:%d/%m/%Y}"
            + (extra if row["rejected_awaiting_correction"] else "")
        )
    if len(rows) > limit:
        lines.append(f"… và {len(rows) - limit} báo cáo khác / and {len(rows) - limit} more")
    return "\n".join(lines)
