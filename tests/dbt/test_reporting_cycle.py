"""The reporting cycle marts: reporting_completeness and reporting_rates (deadlines, CAT coverage,
rejected files awaiting a correction), value_outliers (robust score, minimum history, all-zero
histories), criteria_outlier_flags and period_status — on a small hand-made register."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from dbt_helpers import fresh_warehouse
from dbt_rawdata import COLUMNS, month_rows, one_row, query

from antt.periods import record_lock
from antt.transform import build

AS_OF = "2024-03-10"
VN = timedelta(hours=7)
HOA_MINH, HOA_THUAN = "29410", "29398"  # district 847 (Châu Thành, Trà Vinh)
SMALL = "29401"  # another commune of 847 with an all-zero history
SELECT = [
    "--select",
    "+reporting_completeness",
    "+reporting_rates",
    "+period_status",
    "+value_outliers",
    "+criteria_outlier_flags",
    "--indirect-selection",
    "cautious",
    "--exclude-resource-type",
    "unit_test",
    "--vars",
    json.dumps({"reporting_as_of": AS_OF}),
]


def local(year, month, day, hour=12, minute=0) -> datetime:
    """A Vietnam wall-clock time as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - VN


_n = iter(range(1, 10_000))


def register(url, unit, dataset, period, status, received_at, rows=()) -> int:
    """A register row (and, when accepted, its rows) as the loader leaves them once settled,
    written as the owner of raw (the loader itself may only insert pending rows)."""
    n = next(_n)
    with psycopg.connect(url) as conn:
        sid = conn.execute(
            "INSERT INTO raw.submissions (unit_code, dataset, period, file_name, sha256,"
            " size_bytes, status, received_at, accepted_at, error_count)"
            " VALUES (%s, %s, %s, %s, %s, 1, %s, %s, %s, %s) RETURNING submission_id",
            (
                unit,
                dataset,
                period,
                f"{unit}_{period}_{dataset}.csv",
                f"{n:064x}",
                status,
                received_at,
                received_at if status == "accepted" else None,
                0 if status == "accepted" else 1,
            ),
        ).fetchone()[0]
        if status == "rejected":
            conn.execute(
                "INSERT INTO audit.submission_errors (submission_id, error_no, code, message_vi,"
                " message_en) VALUES (%s, 1, 'TEN_XA_MISMATCH', 'sai tên xã', 'wrong name')",
                (sid,),
            )
        if status == "accepted" and rows:
            columns = ("submission_id", "source_row", *COLUMNS[dataset])
            with conn.cursor().copy(
                psycopg.sql.SQL("COPY {} ({}) FROM STDIN").format(
                    psycopg.sql.Identifier("raw", dataset),
                    psycopg.sql.SQL(", ").join(map(psycopg.sql.Identifier, columns)),
                )
            ) as copy:
                for i, row in enumerate(rows, start=2):
                    copy.write_row((sid, i, *row))
        conn.commit()
    return sid


def communes_847(url) -> list[str]:
    return [
        r[0]
        for r in query(
            url,
            "SELECT commune_code FROM raw.admin_commune WHERE district_code = '847'",
            role="loader",
        )
    ]


def chi_tieu(communes, theft=lambda c: 1):
    return [row for c in communes for row in month_rows(c, ttxh=theft(c))]


@pytest.fixture(scope="module")
def cycle(initialised_template, pg_admin_url):
    with fresh_warehouse(initialised_template, pg_admin_url) as url:
        all_847 = communes_847(url)
        # 2023: CAH847 reports every month on the 10th, except the boundaries below
        arrival = {m: local(2023 + m // 12, m % 12 + 1, 10) for m in range(1, 13)}
        arrival[3] = local(2023, 4, 20, 23, 59)  # the 20th at 23:59: on time
        arrival[4] = local(2023, 5, 21, 0, 0)  # the 21st at 00:00: late
        history = {HOA_MINH: [2, 3, 2, 1, 2, 3, 2, 2, 3, 2, 2, 30]}  # December: an outlier

        def theft(month):
            return lambda c: history.get(c, [1] * 12)[month - 1] if c != SMALL else 0

        for month in range(1, 13):
            if month in (6,):
                continue  # June: missing
            period = f"2023-{month:02d}"
            if month == 7:  # July: rejected, then corrected and accepted
                register(url, "CAH847", "chi_tieu", period, "rejected", local(2023, 8, 5))
            if month == 10:  # October: only rejected
                register(url, "CAH847", "chi_tieu", period, "rejected", local(2023, 11, 3))
                continue
            rows = chi_tieu(all_847, theft(month))
            register(url, "CAH847", "chi_tieu", period, "accepted", arrival[month], rows)
            if month == 9:  # September: accepted, then a re-send rejected: awaits correction
                register(url, "CAH847", "chi_tieu", period, "rejected", local(2023, 10, 25))
        # annual: mo_hinh on 31 January (on time), danh_gia_nam on 1 February (late)
        register(url, "CAH847", "mo_hinh", "2023", "accepted", local(2024, 1, 31, 23, 0))
        register(url, "CAH847", "danh_gia_nam", "2023", "accepted", local(2024, 2, 1, 8, 0))
        # another district: its November covered by the province (CAT84) for all its communes
        communes_842 = [
            r[0]
            for r in query(
                url,
                "SELECT commune_code FROM raw.admin_commune WHERE district_code = '842'",
                role="loader",
            )
        ]
        register(
            url,
            "CAT84",
            "chi_tieu",
            "2023-11",
            "accepted",
            local(2023, 12, 15),
            chi_tieu(communes_842),
        )
        # 2024: January received late; February not yet due on 10 March
        register(
            url,
            "CAH847",
            "chi_tieu",
            "2024-01",
            "accepted",
            local(2024, 2, 25),
            chi_tieu(all_847),
        )
        # a commune with 3 months of history only: never judged
        with psycopg.connect(url) as conn:
            record_lock(conn, "84", 2023, actor="Trưởng phòng PV01")
        run = build(url, extra_args=SELECT)
        assert run.returncode == 0, run.output[-3000:]
        yield url


def row(url, unit, dataset, period):
    return one_row(
        url,
        "SELECT status, received, accepted, on_time, late, missing, rejected_awaiting_correction,"
        " received_via FROM marts.reporting_completeness"
        " WHERE unit_code = %s AND dataset = %s AND period = %s",
        (unit, dataset, period),
    )


def test_the_20th_is_on_time_and_the_21st_late(cycle):
    assert row(cycle, "CAH847", "chi_tieu", "2023-03")[:6] == (
        "DUNG_HAN",
        True,
        True,
        True,
        False,
        False,
    )
    assert row(cycle, "CAH847", "chi_tieu", "2023-04")[:6] == (
        "TRE_HAN",
        True,
        True,
        False,
        True,
        False,
    )


def test_31_january_is_on_time_and_1_february_late(cycle):
    assert row(cycle, "CAH847", "mo_hinh", "2023")[0] == "DUNG_HAN"
    assert row(cycle, "CAH847", "danh_gia_nam", "2023")[0] == "TRE_HAN"


def test_missing_and_not_yet_due(cycle):
    assert row(cycle, "CAH847", "chi_tieu", "2023-06")[:6] == (
        "CHUA_NOP",
        False,
        False,
        False,
        False,
        True,
    )
    # February 2024 is due on 20 March: on 10 March it is not yet missing
    assert row(cycle, "CAH847", "chi_tieu", "2024-02")[0] == "CHUA_DEN_HAN"
    # March 2024 has not ended: not expected yet
    assert query(
        cycle,
        "SELECT count(*) FROM marts.reporting_completeness WHERE period = '2024-03'",
    ) == [(0,)]


def test_a_resubmission_after_a_rejection(cycle):
    # July: rejected, then accepted: no longer awaiting a correction
    assert row(cycle, "CAH847", "chi_tieu", "2023-07")[6] is False
    # September: accepted, then a rejected re-send: awaits a correction, the report stands
    status, received, accepted, *_, awaiting, via = row(cycle, "CAH847", "chi_tieu", "2023-09")
    assert (status, accepted, awaiting, via) == ("DUNG_HAN", True, True, "CAH847")
    # October: only a rejected file: received, not accepted, missing, awaiting
    assert row(cycle, "CAH847", "chi_tieu", "2023-10")[:7] == (
        "CHUA_NOP",
        True,
        False,
        False,
        False,
        True,
        True,
    )


def test_a_district_owes_its_report_whatever_the_province_sends(cycle):
    # CAT84 sent November for every commune of 842: CAH842 still owes its own report
    assert row(cycle, "CAH842", "chi_tieu", "2023-11")[0] == "CHUA_NOP"


def test_expected_units_are_every_district_with_communes(cycle):
    units = query(
        cycle,
        "SELECT count(DISTINCT unit_code) FROM marts.reporting_completeness"
        " WHERE province_code = '84' AND year = 2023",
    )
    districts = query(
        cycle,
        "SELECT count(DISTINCT district_code) FROM raw.admin_commune WHERE province_code = '84'",
        role="loader",
    )
    assert units == districts
    # 12 months + 2 annual datasets per unit
    assert query(
        cycle,
        "SELECT count(*) FROM marts.reporting_completeness"
        " WHERE unit_code = 'CAH847' AND year = 2023",
    ) == [(14,)]


def test_rates_per_unit_and_per_month(cycle):
    unit = query(
        cycle,
        "SELECT expected_reports, actual_reports, on_time_reports, late_reports,"
        " missing_reports, reporting_rate::float, on_time_rate::float FROM marts.reporting_rates"
        " WHERE breakdown = 'DON_VI' AND unit_code = 'CAH847' AND year = 2023",
    )
    # 14 due; missing June and October; late April and danh_gia_nam
    assert unit == [(14, 12, 10, 2, 2, pytest.approx(85.7), pytest.approx(71.4))]
    month = query(
        cycle,
        "SELECT expected_reports, actual_reports FROM marts.reporting_rates"
        " WHERE breakdown = 'THANG' AND province_code = '84' AND period_month = '2023-11-01'",
    )
    # every district of Trà Vinh owes November; CAH847 sent it
    districts = len(query(cycle, "SELECT DISTINCT unit_code FROM marts.reporting_completeness"))
    assert month == [(districts, 1)]


def test_outlier_found_with_its_history(cycle):
    rows = query(
        cycle,
        "SELECT commune_code, indicator_code, period_month, value, history_months,"
        " history_values, history_median, direction FROM marts.value_outliers",
    )
    assert len(rows) == 1, rows
    commune, indicator, month, value, months, values, median, direction = rows[0]
    assert (commune, indicator, str(month), value) == (
        HOA_MINH,
        "TP_TROM_CAP_TAI_SAN",
        "2023-12-01",
        30,
    )
    # June is missing and October was never accepted: 9 months of history
    assert months == 9 and values == [2, 3, 2, 1, 2, 2, 2, 3, 2]
    assert float(median) == 2 and direction == "TANG"


def test_all_zero_history_and_short_history_are_never_listed(cycle):
    assert query(
        cycle,
        "SELECT count(*) FROM marts.value_outliers WHERE commune_code = %s OR period_month < %s",
        (SMALL, "2023-08-01"),
    ) == [(0,)]


def test_scorecard_mark_beside_criteria_reading_the_outlier(cycle):
    flags = query(
        cycle,
        "SELECT year, scope, area_code, criterion_code, outlier_count FROM"
        " marts.criteria_outlier_flags ORDER BY 1, 2, 3, 4",
    )
    # TP_TROM_CAP_TAI_SAN is TTXH: ANTT_04/06 of 2023 and of 2024 (2023 is its baseline), and the
    # district's H4/H5; ANTT_09 reads DT_TAI_PHAM only
    assert flags == [
        (2023, "HUYEN", "847", "ANTT_H4", 1),
        (2023, "HUYEN", "847", "ANTT_H5", 1),
        (2023, "XA", HOA_MINH, "ANTT_04", 1),
        (2023, "XA", HOA_MINH, "ANTT_06", 1),
        (2024, "HUYEN", "847", "ANTT_H4", 1),
        (2024, "HUYEN", "847", "ANTT_H5", 1),
        (2024, "XA", HOA_MINH, "ANTT_04", 1),
        (2024, "XA", HOA_MINH, "ANTT_06", 1),
    ]


def test_period_status_closed_or_provisional(cycle):
    assert query(
        cycle, "SELECT province_code, year, is_closed, status, changed_by FROM marts.period_status"
    ) == [("84", 2023, True, "DA_CHOT", "Trưởng phòng PV01")]
    with psycopg.connect(cycle) as conn:
        record_lock(conn, "84", 2023, unlock=True, reason="bổ sung số liệu", actor="PV01")
    assert query(cycle, "SELECT is_closed, status, lock_events FROM marts.period_status") == [
        (False, "TAM_TINH", 2)
    ]


# --- from the reorganisation: commune police units (CAX) and CAT coverage ------------------


@pytest.fixture(scope="module")
def cycle_2025(initialised_template, pg_admin_url):
    with fresh_warehouse(initialised_template, pg_admin_url) as url:
        new_86 = [
            r[0]
            for r in query(
                url,
                "SELECT commune_code FROM raw.admin_commune_2025 WHERE province_code = '86'"
                " ORDER BY 1",
                role="loader",
            )
        ]
        first, second = new_86[:2]
        # August 2025: the commune police of `first` sends on time; the province sends a file
        # with rows for `second` (so CAX<second> is covered) on 25 September (late)
        register(
            url,
            f"CAX{first}",
            "chi_tieu",
            "2025-08",
            "accepted",
            local(2025, 9, 12),
            month_rows(first),
        )
        register(
            url, "CAT86", "chi_tieu", "2025-08", "accepted", local(2025, 9, 25), month_rows(second)
        )
        # models only: the register rows here are hand-made, the contract tests of staging
        # belong to the ingestion tests
        args = [
            "--select",
            "+reporting_completeness",
            "--exclude-resource-type",
            "test",
            "unit_test",
            "--vars",
            json.dumps({"reporting_as_of": "2025-10-01"}),
        ]
        run = build(url, extra_args=args)
        assert run.returncode == 0, run.output[-3000:]
        yield url, first, second, new_86


def test_commune_police_units_are_expected_from_2025_07(cycle_2025):
    url, first, second, new_86 = cycle_2025
    units = query(
        url,
        "SELECT count(DISTINCT unit_code) FROM marts.reporting_completeness"
        " WHERE province_code = '86' AND period = '2025-08'",
    )
    assert units == [(len(new_86),)]
    assert row(url, f"CAX{first}", "chi_tieu", "2025-08")[0] == "DUNG_HAN"
    status, *_, via = row(url, f"CAX{second}", "chi_tieu", "2025-08")
    assert (status, via) == ("TRE_HAN", "CAT86")
    assert row(url, f"CAX{new_86[2]}", "chi_tieu", "2025-08")[0] == "CHUA_NOP"
    # September is due on 20 October: not yet missing on 1 October
    assert row(url, f"CAX{first}", "chi_tieu", "2025-09")[0] == "CHUA_DEN_HAN"
