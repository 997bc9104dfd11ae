"""The data behind the pages equals the marts (report.data, report.rejected)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import psycopg
import pytest
import report_marts_fixture as fixture

from antt.errors import AnttError
from antt.report.data import (
    REQUIRED_MARTS,
    Provinces,
    criterion_catalogue,
    load_province_report,
    load_provinces,
    provinces_with_scorecard,
    required_indicators,
)
from antt.report.rejected import UnitDirectory, load_rejected, unit_directory, unit_province
from antt.warehouse import connect


def _load(year: int = 2023, province: str = "84"):
    with connect(role="reader") as conn:
        return load_province_report(conn, year, province)


def test_levels_and_criteria_equal_the_marts(shared_marts):
    marts_data = shared_marts[1]
    report = _load()
    assert report.province_name == "Tỉnh Trà Vinh"
    assert report.criteria_set == "2021-2025"
    assert len(report.communes) == len(marts_data.commune_scorecard) == 104
    expected_levels = {
        row[2]: {"NTM": row[10], "NTM_NANG_CAO": row[11], "NTM_KIEU_MAU": row[12]}
        for row in marts_data.commune_scorecard
    }
    assert {c.code: c.level_status for c in report.communes} == expected_levels
    expected = {(r[2], r[3]): (r[5], r[6], r[7], r[8]) for r in marts_data.commune_criteria}
    shown = {
        (c.code, k.code): (k.status, k.measured_value, k.threshold, k.detail)
        for c in report.communes
        for k in c.criteria.values()
    }
    assert shown == expected
    for level in ("NTM", "NTM_NANG_CAO"):
        assert report.level_counts(level) == Counter(lv[level] for lv in expected_levels.values())


def test_districts_equal_the_marts(shared_marts):
    marts_data = shared_marts[1]
    report = _load()
    rows = {r[2]: r for r in marts_data.district_scorecard}
    assert [d.code for d in report.districts] == sorted(rows)
    for d in report.districts:
        row = rows[d.code]
        assert d.name == row[3]
        assert d.level_status == {"HUYEN_NTM": row[5], "HUYEN_NTM_NANG_CAO": row[6]}
        assert (d.communes_total, d.communes_ntm_dat, d.communes_ntm_nang_cao_dat) == row[7:10]
        assert set(d.criteria) == {f"ANTT_H{i}" for i in range(1, 7)}
        assert all(c.district_code == d.code for c in d.communes)
    assert sum(len(d.communes) for d in report.districts) == 104


def test_criteria_levels_and_texts_come_from_the_catalogue(shared_marts):
    report = _load()
    assert report.commune_criteria == [f"ANTT_{i:02d}" for i in range(1, 11)]
    assert report.criteria_of_level("NTM") == [f"ANTT_{i:02d}" for i in range(1, 6)]
    assert report.criteria_of_level("NTM_KIEU_MAU") == report.commune_criteria
    assert report.criteria_of_level("HUYEN_NTM") == ["ANTT_H1", "ANTT_H2", "ANTT_H3", "ANTT_H4"]
    with connect(role="reader") as conn:
        texts, levels = criterion_catalogue(conn, "2021-2025")
        assert criterion_catalogue(conn, "1999-2000") == ({}, {})
    assert report.label("ANTT_03") == texts["ANTT_03"]
    assert report.label("ANTT_03").en == "No serious criminal case starting in the year"
    assert levels["ANTT_06"] == ["NTM_NANG_CAO", "NTM_KIEU_MAU"]
    assert levels["ANTT_H1"] == ["HUYEN_NTM", "HUYEN_NTM_NANG_CAO"]
    assert report.criterion_levels["ANTT_06"] == levels["ANTT_06"]


def test_province_and_unit_lookups_come_from_the_dimensions(shared_marts):
    with connect(role="reader") as conn:
        names = load_provinces(conn)
        units = unit_directory(conn)
    assert names.of("84", 2023) == names.of("84") == "Tỉnh Trà Vinh"
    assert names.of("86", 2025) == "Tỉnh Vĩnh Long"
    assert names.of("84", 2025) == "Tỉnh Trà Vinh"  # no new province 84: the old name
    assert names.of("99", 2023) == "99"  # no list holds it: the code
    assert (len(names.old), len(names.new)) == (63, 34)
    assert units.district_province["847"] == "84"
    # 29386: Xã Lương Hòa A of Trà Vinh until 2025-06-30, Xã Song Lộc of Vĩnh Long after
    assert (units.old_commune_province["29386"], units.new_unit_province["29386"]) == ("84", "86")
    assert unit_province("CAX29386", units, 2023) == "84"


def test_missing_months_and_monthly_ttxh(marts_url):
    with connect(role="reader") as conn:
        need = sum(required_indicators(conn).values())
    assert need == 14  # 11 TTXH + 3 TE_NAN_XA_HOI in indicators.csv
    with psycopg.connect(marts_url) as conn:
        commune = "29374"
        conn.execute(
            "DELETE FROM marts.fct_indicator_monthly WHERE commune_code = %s"
            " AND period_month IN ('2023-03-01', '2023-07-01')",
            (commune,),
        )
        conn.execute(
            "UPDATE marts.fct_indicator_monthly SET value = NULL WHERE commune_code = %s"
            " AND period_month = '2022-05-01' AND indicator_code = 'TNXH_MAI_DAM'",
            (commune,),
        )
        conn.execute(
            "UPDATE marts.fct_indicator_monthly SET value = CASE indicator_code"
            " WHEN 'TP_TROM_CAP_TAI_SAN' THEN 4 WHEN 'TP_LUA_DAO' THEN 3 ELSE 0 END"
            " WHERE commune_code = %s AND period_month = '2023-02-01'",
            (commune,),
        )
    report = _load()
    c = next(c for c in report.communes if c.code == commune)
    assert [(m.month, m.not_reported) for m in c.missing_months[2023]] == [
        (date(2023, 3, 1), True),
        (date(2023, 7, 1), True),
    ]
    [blank] = c.missing_months[2022]
    assert (blank.month, blank.indicators_reported, blank.not_reported) == (
        date(2022, 5, 1),
        need - 1,
        False,
    )
    series = {p.month: p.value for p in c.ttxh_monthly}
    assert len(series) == 24
    assert series[date(2023, 2, 1)] == 7  # theft 4 + fraud 3
    assert series[date(2023, 3, 1)] is None  # not reported: a gap, never 0
    assert series[date(2022, 5, 1)] is not None  # a TNXH blank leaves TTXH complete


def test_commune_without_any_report_is_shown_with_every_month_missing(marts_url):
    with psycopg.connect(marts_url) as conn:
        conn.execute("DELETE FROM marts.fct_indicator_monthly WHERE commune_code = '29377'")
    c = next(c for c in _load().communes if c.code == "29377")
    assert len(c.missing_months[2022]) == len(c.missing_months[2023]) == 12
    assert all(p.value is None for p in c.ttxh_monthly)


def test_provinces_and_unknown_province(shared_marts):
    with connect(role="reader") as conn:
        assert provinces_with_scorecard(conn, 2023) == ["84"]
        assert provinces_with_scorecard(conn, 2019) == []
    with pytest.raises(AnttError, match="no scorecard for province 01 in 2023"):
        _load(2023, "01")


@pytest.mark.parametrize(
    ("year", "province", "message"),
    [(1999, "84", "invalid year"), (2023, "8", "invalid province"), (2023, "84'--", "invalid")],
)
def test_bad_arguments_are_refused(shared_marts, year, province, message):
    with pytest.raises(AnttError, match=message):
        _load(year, province)


def test_missing_marts_say_run_build(warehouse_url):
    with pytest.raises(AnttError, match="marts are missing.*antt build"):
        _load()


def test_criteria_set_covering_the_year_is_chosen(marts_data, warehouse_url):
    with psycopg.connect(warehouse_url) as conn:
        conn.execute("SET ROLE antt_transformer")
        conn.execute(
            "INSERT INTO marts.commune_scorecard SELECT '2026-2030', year, commune_code,"
            " commune_name, commune_type, district_code, district_name, province_code,"
            " held_level, registered_level, 'DAT', 'DAT', 'DAT', 12"
            " FROM marts.commune_scorecard"
        )
    report = _load()
    assert report.criteria_set == "2021-2025"
    assert report.level_counts("NTM")["DAT"] == sum(
        1 for r in marts_data.commune_scorecard if r[10] == "DAT"
    )


def test_rejected_files_of_the_province_and_year(shared_marts):
    with connect(role="reader") as conn:
        files = load_rejected(conn, 2023, "84")
    names = [f.file_name for f in files]
    # CAT01 belongs to another province; the CAT84 file is of 2022; the file of no known unit
    # is on the "unknown unit" page, not on any province's
    assert names == ["CAH847_2023-06_chi_tieu.xlsx"]
    (first,) = files
    assert first.attributed
    assert first.error_count == 3 and [e.error_no for e in first.errors] == [1, 2, 3]
    assert first.errors[0].message_en == "Negative value on row 5"
    with connect(role="reader") as conn:
        assert [f.file_name for f in load_rejected(conn, 2022, "84")] == ["CAT84_2022-12_su_vu.csv"]


@pytest.mark.parametrize("table", ["raw.submissions", "audit.submission_errors"])
def test_rejected_files_are_read_as_reader_who_cannot_read_raw(shared_marts, table):
    with connect(role="reader") as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("antt_reader",)
        assert load_rejected(conn, 2023, "84")
    with connect(role="reader") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(f"SELECT 1 FROM {table} LIMIT 1")
    with connect(role="reader") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("DELETE FROM marts.submission_errors")


def test_every_stand_in_mart_has_the_contract_columns(shared_marts):
    with connect(role="reader") as conn:
        stand_ins = fixture.stand_in_columns(conn)
    assert set(REQUIRED_MARTS) <= stand_ins.keys()
    assert fixture.unlike_the_models(stand_ins) == []


def test_a_stand_in_unlike_its_model_is_named():
    assert fixture.unlike_the_models(
        {"commune_lineage": ["new_code", "old_code"], "dim_province": ["province_code"]}
    ) == ["commune_lineage", "dim_province"]


def test_first_errors_are_capped(marts_data, warehouse_url):
    from antt.report.rejected import FIRST_ERRORS

    with psycopg.connect(warehouse_url) as conn:
        sid = conn.execute(
            "SELECT submission_id FROM raw.submissions WHERE file_name LIKE 'CAH847%'"
        ).fetchone()[0]
        conn.execute(
            "UPDATE raw.submissions SET error_count = 500 WHERE submission_id = %s", (sid,)
        )
        for no in range(4, 501):
            conn.execute(
                "INSERT INTO audit.submission_errors (submission_id, error_no, code, message_vi,"
                " message_en) VALUES (%s, %s, 'X', 'lỗi', 'error')",
                (sid, no),
            )
    with connect(role="reader") as conn:
        first = load_rejected(conn, 2023, "84")[0]
    assert first.error_count == 500 and len(first.errors) == FIRST_ERRORS


@pytest.mark.parametrize(
    ("unit", "province"),
    [
        ("CAH847", "84"),
        ("cat84", "84"),
        ("VPDP01", "01"),
        ("CAH999", None),
        (None, None),
        ("bao_cao.xlsx", None),
        ("CAH847_2023-06_chi_tieu.csv", "84"),
    ],
)
def test_unit_province(unit, province):
    assert unit_province(unit, DIRECTORY) == province


# Trà Vinh (84) went into the new Vĩnh Long (86) on 2025-07-01; 29386 is an old commune of 84
# and, with another territory, a new unit of 86; 29999 a new unit only.
DIRECTORY = UnitDirectory(
    district_province={"847": "84"},
    old_commune_province={"29386": "84"},
    new_unit_province={"29386": "86", "29999": "86"},
    provinces=Provinces(
        old={"84": "Tỉnh Trà Vinh", "86": "Tỉnh Vĩnh Long", "01": "Thành phố Hà Nội"},
        new={"86": "Tỉnh Vĩnh Long", "01": "Thành phố Hà Nội"},
        absorbing={"84": "86", "86": "86", "01": "01"},
    ),
)


@pytest.mark.parametrize(
    ("unit", "year", "province"),
    [
        ("CAX29386", 2024, "84"),
        ("CAX29386", 2025, "86"),  # the old commune's province, absorbed by 86
        ("CAH847", 2025, "86"),
        ("CAT84", 2025, "86"),
        ("CAT01", 2025, "01"),  # a province in both lists stays itself
        ("CAX29999", 2025, "86"),
        ("CAX29999", 2024, "86"),  # only in the new list: its province in any year
        ("CAX11111", 2025, None),
    ],
)
def test_unit_province_from_2025_is_the_absorbing_province(unit, year, province):
    assert unit_province(unit, DIRECTORY, year) == province


def test_fixture_rules_are_consistent():
    """The synthetic marts obey the spec's level rule, so the page checks are meaningful."""
    assert fixture.level_status(["DAT", "DAT"]) == "DAT"
    assert fixture.level_status(["DAT", "KHONG_DU_DU_LIEU", "KHONG_DAT"]) == "KHONG_DAT"
    assert fixture.level_status(["DAT", "KHONG_DU_DU_LIEU"]) == "KHONG_DU_DU_LIEU"
    pct, detail = fixture._pct_detail(21, 20, 2023)
    assert pct == Decimal("4.76") and detail == "TTXH 2022 = 21, 2023 = 20, giảm 4.76% < 5%"
