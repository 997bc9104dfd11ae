"""A full `antt build` from empty on the hand-computed scenario (dbt_scenario.py), the marts
checked against values computed by hand; then incremental builds after one more month and
corrections that replace scopes give the same marts as a full refresh; a data-quality error
makes `antt build` fail and stops the marts."""

from __future__ import annotations

import time
from decimal import Decimal

import dbt_scenario as scenario
import psycopg
import pytest
from dbt_helpers import CRITERIA_MARTS, fresh_warehouse, run_cli
from dbt_rawdata import admin_query, month_rows, one_row, query, submit

from antt.transform import build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(initialised_template, pg_admin_url):
    with fresh_warehouse(initialised_template, pg_admin_url) as url:
        ids = scenario.load(url)
        started = time.perf_counter()
        code, output = run_cli(["build"])
        elapsed = time.perf_counter() - started
        print(f"full antt build on the scenario: {elapsed:.1f} s")
        yield {"url": url, "ids": ids, "code": code, "output": output}


def criterion(url: str, year: int, commune: str, code: str):
    return one_row(
        url,
        "SELECT status, measured_value, threshold, comparison, detail FROM marts.commune_criteria"
        " WHERE year = %s AND commune_code = %s AND criterion_code = %s",
        (year, commune, code),
    )


def test_build_exits_zero_with_only_warnings_and_prints_the_scorecard(built):
    assert built["code"] == 0, built["output"]
    out = built["output"]
    assert "3 warn, 0 error" in out
    assert "communes per level and status, 2023" in out
    # 104 communes of Trà Vinh evaluated; only Xã Long Đức is DAT at every level.
    assert "Nông thôn mới (NTM)" in out and "│   1 │" in out


def test_every_commune_of_the_province_is_evaluated_never_dropped(built):
    url = built["url"]
    rows = query(
        url,
        "SELECT year, count(*) FROM marts.commune_scorecard GROUP BY year ORDER BY year",
    )
    communes = admin_query(url, "SELECT count(*) FROM raw.admin_commune WHERE province_code='84'")
    assert rows == [(2022, communes[0][0]), (2023, communes[0][0])]
    # 10 criteria per commune-year; no other province is evaluated.
    assert (
        query(
            url,
            "SELECT count(*), count(DISTINCT left(commune_code, 2)) FROM marts.commune_criteria",
        )[0][0]
        == 10 * 2 * communes[0][0]
    )
    unreported = criterion(url, 2023, "29416", "ANTT_04")
    assert unreported[0] == "KHONG_DU_DU_LIEU"


@pytest.mark.parametrize(
    ("commune", "code", "status", "measured"),
    [
        ("29263", "ANTT_06", "DAT", Decimal("5.00")),  # 20 -> 19: exactly 5 %
        ("29236", "ANTT_06", "KHONG_DAT", Decimal("4.76")),  # 21 -> 20
        ("29239", "ANTT_06", "DAT", Decimal("0")),  # 0 -> 0
        ("29242", "ANTT_06", "KHONG_DAT", Decimal("1")),  # 0 -> 1
        ("29242", "ANTT_04", "KHONG_DAT", Decimal("1")),
        ("29248", "ANTT_04", "KHONG_DAT", Decimal("1")),  # TNXH 2 -> 3
        ("29248", "ANTT_06", "DAT", Decimal("20")),
        ("29254", "ANTT_09", "KHONG_DAT", Decimal("1")),  # a reoffence in 2023-05
        ("29257", "ANTT_06", "DAT", Decimal("8.33")),  # CAT84 value over CAH842: 12 -> 11
        ("29260", "ANTT_06", "DAT", Decimal("8.33")),  # the corrected CAH842 2023-03 counts
        ("29263", "ANTT_05", "DAT", Decimal("0.7")),  # 7/10 hamlets, KHA, camera model
        ("29236", "ANTT_05", "KHONG_DAT", Decimal("0.6")),
        ("29239", "ANTT_05", "KHONG_DAT", Decimal("1")),  # register without the commune
        ("29242", "ANTT_07", "KHONG_DAT", Decimal("0")),  # camera model not operating
        ("29410", "ANTT_05", "KHONG_DU_DU_LIEU", None),  # no register in district 847
        ("29410", "ANTT_04", "KHONG_DU_DU_LIEU", None),  # 2023-12 never reported
        ("29410", "ANTT_09", "KHONG_DU_DU_LIEU", None),
        ("29410", "ANTT_10", "DAT", Decimal("1")),
        ("29377", "ANTT_02", "DAT", Decimal("0")),  # mass complaint of exactly 30 days
        ("29380", "ANTT_02", "KHONG_DAT", Decimal("1")),  # 31 days
        ("29386", "ANTT_02", "DAT", Decimal("0")),  # open from 01/12: 30 days at 31/12
        ("29389", "ANTT_02", "KHONG_DAT", Decimal("1")),  # open from 30/11: 31 days
        ("29395", "ANTT_02", "DAT", Decimal("0")),  # updated: ended after 19 days
        ("29398", "ANTT_02", "DAT", Decimal("0")),  # lawful complaint
        ("29401", "ANTT_02", "KHONG_DAT", Decimal("1")),  # unlawful, bypassing levels
        ("29383", "ANTT_08", "KHONG_DAT", Decimal("1")),  # hot spot ended 10/01/2023
        ("29392", "ANTT_03", "DAT", Decimal("0")),  # serious case of 31/12/2022
    ],
)
def test_commune_criteria_2023_hand_computed(built, commune, code, status, measured):
    got = criterion(built["url"], 2023, commune, code)
    assert got[0] == status, got
    assert got[1] == measured, got


def test_reason_in_words_and_thresholds_from_the_catalogue(built):
    status, measured, threshold, comparison, detail = criterion(
        built["url"], 2023, "29236", "ANTT_06"
    )
    assert (threshold, comparison) == (Decimal("5"), ">=")
    assert detail == "TTXH 2022 = 21, 2023 = 20, giảm 4.76% < 5%"


def test_2022_rules(built):
    url = built["url"]
    assert criterion(url, 2022, "29392", "ANTT_03")[0] == "KHONG_DAT"  # serious case 31/12/2022
    # The provincial 2022 register wins for every commune: the district's camera model of Long
    # Đức does not count, the province's model of Phường 1 does.
    assert criterion(url, 2022, "29263", "ANTT_07")[0] == "KHONG_DAT"
    assert criterion(url, 2022, "29239", "ANTT_07")[0] == "DAT"
    assert criterion(url, 2022, "29263", "ANTT_04")[0] == "KHONG_DU_DU_LIEU"  # no 2021 data


def test_commune_scorecard(built):
    rows = query(
        built["url"],
        "SELECT commune_code, commune_type, district_code, held_level, registered_level,"
        " ntm_status, ntm_nang_cao_status, ntm_kieu_mau_status, months_reported"
        " FROM marts.commune_scorecard WHERE year = 2023"
        " AND commune_code IN ('29263', '29236', '29410', '29383') ORDER BY commune_code",
    )
    assert rows == [
        ("29236", "Phường", "842", "NTM", "NTM", "KHONG_DAT", "KHONG_DAT", "KHONG_DAT", 12),
        ("29263", "Xã", "842", "NTM", "NTM_NANG_CAO", "DAT", "DAT", "DAT", 12),
        ("29383", "Xã", "847", None, None, "KHONG_DU_DU_LIEU", "KHONG_DAT", "KHONG_DAT", 0),
        (
            "29410",
            "Xã",
            "847",
            "CHUA",
            "NTM",
            "KHONG_DU_DU_LIEU",
            "KHONG_DU_DU_LIEU",
            "KHONG_DU_DU_LIEU",
            11,
        ),
    ]


def test_district_criteria_and_scorecard(built):
    url = built["url"]
    rows = dict(
        ((d, c), s)
        for d, c, s in query(
            url,
            "SELECT district_code, criterion_code, status FROM marts.district_criteria"
            " WHERE year = 2023 AND district_code IN ('842', '847')",
        )
    )
    assert rows[("842", "ANTT_H1")] == "DAT"  # its one Xã is DAT at NTM
    assert rows[("842", "ANTT_H4")] == "DAT"  # 87 -> 76 over all 8 units
    assert rows[("842", "ANTT_H5")] == "DAT"  # 12.64 %
    assert rows[("842", "ANTT_H6")] == "DAT"
    assert rows[("847", "ANTT_H1")] == "KHONG_DAT"
    assert rows[("847", "ANTT_H2")] == "KHONG_DAT"  # OAN_SAI started 01/07/2023
    assert rows[("847", "ANTT_H3")] == "KHONG_DAT"  # DIEM_NONG ended 10/01/2023
    assert rows[("847", "ANTT_H4")] == "KHONG_DU_DU_LIEU"
    assert rows[("847", "ANTT_H6")] == "KHONG_DAT"
    card = query(
        url,
        "SELECT district_code, huyen_ntm_status, huyen_ntm_nang_cao_status, communes_total,"
        " communes_ntm_dat, communes_ntm_nang_cao_dat FROM marts.district_scorecard"
        " WHERE year = 2023 AND district_code IN ('842', '847') ORDER BY 1",
    )
    assert card == [("842", "DAT", "DAT", 8, 1, 1), ("847", "KHONG_DAT", "KHONG_DAT", 14, 0, 0)]


def test_fct_indicator_monthly_versions_and_provincial_values(built):
    url, ids = built["url"], built["ids"]
    rows = query(
        url,
        "SELECT commune_code, period_month::text, value, source_unit, submission_id"
        " FROM marts.fct_indicator_monthly WHERE indicator_code = 'TP_TROM_CAP_TAI_SAN'"
        " AND ((commune_code = '29257' AND period_month = '2023-06-01')"
        " OR (commune_code = '29260' AND period_month = '2023-03-01')) ORDER BY 1",
    )
    assert rows == [
        ("29257", "2023-06-01", 0, "CAT84", ids["CAT84 2023-06"]),
        ("29260", "2023-03-01", 0, "CAH842", ids["CAH842 2023-03 v2"]),
    ]
    superseded = query(
        url,
        "SELECT count(*) FROM marts.fct_indicator_monthly WHERE submission_id = %s",
        (ids["CAH842 2023-03"],),
    )
    assert superseded == [(0,)]
    only_cat = query(
        url,
        "SELECT period_month::text, source_unit, sum(value) FROM marts.fct_indicator_monthly"
        " WHERE commune_code = '29413' GROUP BY 1, 2",
    )
    assert only_cat == [("2023-06-01", "CAT84", 2)]


def test_findings_stored_in_audit_and_exposed_as_a_mart(built):
    url = built["url"]
    findings = query(
        url,
        "SELECT finding_type, commune_code, level, criterion_code, period_month::text"
        " FROM marts.recognition_findings ORDER BY 1, 2",
    )
    assert findings == [
        ("DANG_KY_KHONG_DAT", "29236", "NTM", "ANTT_05", None),
        ("NGUY_CO_MAT_DANH_HIEU", "29236", "NTM", "ANTT_05", None),
        ("THIEU_BAO_CAO", "29410", "NTM", None, "2023-12-01"),
    ]
    stored = admin_query(
        url,
        "SELECT (SELECT count(*) FROM audit.registered_communes_khong_dat),"
        " (SELECT count(*) FROM audit.held_levels_at_risk),"
        " (SELECT count(*) FROM audit.registered_communes_missing_reports)",
    )
    assert stored == [(1, 1, 1)]


def test_reader_reads_marts_only(built):
    url = built["url"]
    for mart in (*CRITERIA_MARTS, "submission_register"):
        assert query(url, f"SELECT count(*) FROM marts.{mart}")[0][0] > 0
    for forbidden in (
        "staging.stg_raw__chi_tieu",
        "staging.stg_raw__submission_register",
        "intermediate.int_commune_level_status",
        "raw.chi_tieu",
        "raw.submissions",
        "audit.submission_errors",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            query(url, f"SELECT 1 FROM {forbidden} LIMIT 1")


def test_reader_reads_the_register_live_without_a_rebuild(built):
    """The register marts are views: a file registered after the build shows at once."""
    url, ids = built["url"], built["ids"]
    register = {
        r[0]: r[1:]
        for r in query(
            url,
            "SELECT submission_id, status, is_current, province_code, district_code"
            " FROM marts.submission_register",
        )
    }
    assert sorted(register) == [
        r[0] for r in admin_query(url, "SELECT submission_id FROM raw.submissions ORDER BY 1")
    ]
    assert {r[0] for r in register.values()} == {"accepted"}
    assert {r[2] for r in register.values()} == {"84"}
    # a replaced version is not current; its correction is
    assert register[ids["CAH842 2023-03"]] == ("accepted", False, "84", "842")
    assert register[ids["CAH842 2023-03 v2"]] == ("accepted", True, "84", "842")
    assert register[ids["CAT84 2023-06"]] == ("accepted", True, "84", None)
    assert query(url, "SELECT count(*) FROM marts.submission_errors") == [(0,)]
    with psycopg.connect(url) as conn:
        sid = conn.execute(
            "INSERT INTO raw.submissions (unit_code, dataset, period, file_name, sha256,"
            " size_bytes, status, error_count) VALUES ('CAH999', 'chi_tieu', '2023-07',"
            " 'CAH999_2023-07_chi_tieu.csv', repeat('e', 64), 10, 'rejected', 1)"
            " RETURNING submission_id"
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO audit.submission_errors (submission_id, error_no, code, message_vi,"
            " message_en) VALUES (%s, 1, 'UNIT_UNKNOWN', 'Đơn vị lạ', 'Unknown unit')",
            (sid,),
        )
    try:
        row = query(
            url,
            "SELECT status, is_current, unit_level, province_code, district_code, period_year"
            " FROM marts.submission_register WHERE submission_id = %s",
            (sid,),
        )
        assert row == [("rejected", False, "CAH", None, "999", 2023)]
        errors = query(
            url,
            "SELECT error_no, code, message_en FROM marts.submission_errors"
            " WHERE submission_id = %s",
            (sid,),
        )
        assert errors == [(1, "UNIT_UNKNOWN", "Unknown unit")]
    finally:
        with psycopg.connect(url) as conn:
            conn.execute("DELETE FROM audit.submission_errors WHERE submission_id = %s", (sid,))
            conn.execute("DELETE FROM raw.submissions WHERE submission_id = %s", (sid,))


def test_column_comments_persisted_in_vietnamese_and_english(built):
    rows = admin_query(
        built["url"],
        "SELECT col_description('marts.commune_criteria'::regclass, a.attnum)"
        " FROM pg_attribute a WHERE a.attrelid = 'marts.commune_criteria'::regclass"
        " AND a.attname = 'status'",
    )
    assert rows[0][0].startswith("Kết quả / status")
    table = admin_query(built["url"], "SELECT obj_description('marts.commune_scorecard'::regclass)")
    assert "Bảng điểm xã" in table[0][0]


def test_contract_types_enforced(built):
    rows = admin_query(
        built["url"],
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_schema = 'marts' AND table_name = 'fct_indicator_monthly'"
        " ORDER BY ordinal_position",
    )
    assert rows == [
        ("commune_code", "text"),
        ("period_month", "date"),
        ("indicator_code", "text"),
        ("indicator_group", "text"),
        ("value", "bigint"),
        ("source_unit", "text"),
        ("submission_id", "bigint"),
    ]


def test_criteria_marts_enforce_their_primary_keys(built):
    # No data test repeats these keys: the contracts' primary keys are their only uniqueness check.
    rows = admin_query(
        built["url"],
        "SELECT c.conrelid::regclass::text, array_agg(a.attname::text ORDER BY k.ord)"
        " FROM pg_constraint AS c"
        " CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)"
        " JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = k.attnum"
        " WHERE c.contype = 'p' AND c.connamespace = 'marts'::regnamespace"
        " GROUP BY c.conrelid ORDER BY 1",
    )
    keys = dict(rows)
    assert keys["marts.commune_criteria"] == [
        "criteria_set",
        "year",
        "commune_code",
        "criterion_code",
    ]
    assert keys["marts.district_criteria"] == [
        "criteria_set",
        "year",
        "district_code",
        "criterion_code",
    ]


def test_scorecard_summary_reads_as_reader(built):
    from antt.transform import scorecard_summary

    summary = scorecard_summary(built["url"], year=2023)
    counts = {(level, status): n for level, status, n in summary}
    assert counts[("NTM", "DAT")] == 1
    assert sum(n for (level, _), n in counts.items() if level == "NTM") == 104


def test_docs_are_one_static_file_with_lineage_and_the_catalog(built, tmp_path):
    code, output = run_cli(["docs", "--out", str(tmp_path)])
    assert code == 0, output
    page = tmp_path / "dbt_docs.html"
    html = page.read_text(encoding="utf-8")
    assert page.stat().st_size > 500_000
    assert "commune_criteria" in html and "int_commune_criteria_crime_trend" in html
    assert "<script src=" not in html  # self-contained: no outside scripts
    assert "commune scorecard per year" in html  # the models' descriptions
    assert "warn_after" in html  # source freshness documented


# --- incremental builds (these change the warehouse: keep them last) ------------------------

NO_UNIT_TESTS = ["--exclude-resource-type", "unit_test"]  # they ran in the first build
MARTS = {
    "fct_indicator_monthly": "commune_code, period_month, indicator_code",
    "commune_criteria": "year, commune_code, criterion_code",
    "commune_scorecard": "year, commune_code",
    "district_criteria": "year, district_code, criterion_code",
    "district_scorecard": "year, district_code",
    "recognition_findings": "finding_type, year, commune_code, criterion_code, period_month",
}


def snapshot(url: str) -> dict[str, list[tuple]]:
    return {
        mart: query(url, f"SELECT * FROM marts.{mart} ORDER BY {order}")
        for mart, order in MARTS.items()
    }


@pytest.fixture(scope="module")
def after_new_month_and_corrections(built):
    """Runs after the value tests above (pytest keeps file order): it changes the warehouse."""
    url, ids = built["url"], built["ids"]
    # One more month for district 842.
    rows = [r for c in scenario.DISTRICT_842 for r in month_rows(c, 1)]
    ids["CAH842 2024-01"] = submit(url, "CAH842", "chi_tieu", "2024-01", rows)
    # A correction of CAH842 2023-05: the reoffence of 29254 was a mistake.
    may = [r for c in scenario.DISTRICT_842 for r in month_rows(c, 1 if c != "29239" else 0)]
    ids["CAH842 2023-05 v2"] = submit(url, "CAH842", "chi_tieu", "2023-05", may)
    # The province corrects 2023-06: it now reports Long Đức instead of Phường 8, so Phường 8
    # falls back to the district's values.
    ids["CAT84 2023-06 v2"] = submit(url, "CAT84", "chi_tieu", "2023-06", month_rows("29263", 0))
    started = time.perf_counter()
    run = build(url, extra_args=NO_UNIT_TESTS)
    print(f"\nincremental build: {time.perf_counter() - started:.1f} s wall")
    assert run.success, run.failures
    return url, ids, snapshot(url)


def test_incremental_handles_new_month_and_replaced_scopes(after_new_month_and_corrections):
    url, ids, _ = after_new_month_and_corrections
    june = query(
        url,
        "SELECT commune_code, value, source_unit, submission_id FROM marts.fct_indicator_monthly"
        " WHERE period_month = '2023-06-01' AND indicator_code = 'TP_TROM_CAP_TAI_SAN'"
        " AND commune_code IN ('29257', '29263') ORDER BY 1",
    )
    assert june == [
        ("29257", 1, "CAH842", ids["CAH842 2023-06"]),
        ("29263", 0, "CAT84", ids["CAT84 2023-06 v2"]),
    ]
    gone = query(
        url,
        "SELECT count(*) FROM marts.fct_indicator_monthly WHERE submission_id = ANY(%s)",
        ([ids["CAT84 2023-06"], ids["CAH842 2023-05"]],),
    )
    assert gone == [(0,)]
    # 29413 was reported by the superseded provincial file only: its month is gone.
    only_cat = query(
        url, "SELECT count(*) FROM marts.fct_indicator_monthly WHERE commune_code = '29413'"
    )
    assert only_cat == [(0,)]
    new_month = query(
        url,
        "SELECT count(DISTINCT commune_code) FROM marts.fct_indicator_monthly"
        " WHERE period_month = '2024-01-01'",
    )
    assert new_month == [(8,)]
    # 29254: the correction removed the reoffence. 29263: 19 in 2023, minus June (2 -> 0, the
    # province's value) and May (2 -> 1, the corrected file) = 16.
    statuses = dict(
        query(
            url,
            "SELECT commune_code || ' ' || criterion_code, status || ' ' || detail"
            " FROM marts.commune_criteria WHERE year = 2023 AND criterion_code IN"
            " ('ANTT_06', 'ANTT_09') AND commune_code IN ('29254', '29263')",
        )
    )
    assert statuses["29254 ANTT_09"].startswith("DAT")
    assert statuses["29263 ANTT_06"] == "DAT TTXH 2022 = 20, 2023 = 16, giảm 20.00% >= 5%"
    years = query(url, "SELECT DISTINCT year FROM marts.commune_scorecard ORDER BY 1")
    assert years == [(2022,), (2023,), (2024,)]


def test_full_refresh_gives_the_same_marts(after_new_month_and_corrections):
    url, _, incremental = after_new_month_and_corrections
    started = time.perf_counter()
    run = build(url, full_refresh=True, extra_args=NO_UNIT_TESTS)
    print(f"\nfull-refresh build: {time.perf_counter() - started:.1f} s wall")
    assert run.success, run.failures
    refreshed = snapshot(url)
    for mart in MARTS:
        assert refreshed[mart] == incremental[mart], mart
    assert len(refreshed["fct_indicator_monthly"]) > 0


def test_data_quality_error_fails_the_build_and_stops_the_marts(after_new_month_and_corrections):
    url, _, _ = after_new_month_and_corrections
    before = query(url, "SELECT count(*) FROM marts.fct_indicator_monthly")
    # An indicator code that is not in indicators.csv (the loader would reject it; the
    # warehouse must still refuse to build on it).
    submit(url, "CAH842", "chi_tieu", "2024-02", [("29263", "TP_KHONG_CO", 3)])
    code, output = run_cli(["build"])
    assert code == 1, output
    assert "relationships_stg_raw__chi_tieu_indicator_code" in output
    assert "dbt build thất bại / failed" in output
    after = query(url, "SELECT count(*) FROM marts.fct_indicator_monthly")
    assert after == before


def test_raw_rows_of_no_accepted_submission_fail_the_build(after_new_month_and_corrections):
    url, _, _ = after_new_month_and_corrections
    # A row whose register entry was rejected: the loader never writes one, and without a
    # foreign key on raw.chi_tieu it is the source test that must catch it.
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO raw.submissions (unit_code, dataset, period, file_name, sha256,"
            " size_bytes, status) VALUES ('CAH842', 'chi_tieu', '2024-03',"
            " 'CAH842_2024-03_chi_tieu.csv', repeat('b', 64), 1, 'rejected')"
        )
        conn.execute(
            "INSERT INTO raw.chi_tieu (submission_id, source_row, ma_xa, ma_chi_tieu, gia_tri)"
            " SELECT max(submission_id), 2, '29263', 'TP_GIET_NGUOI', 1 FROM raw.submissions"
        )
    code, output = run_cli(["build"])
    assert code == 1, output
    assert "source_in_accepted_submission_raw_chi_tieu" in output


def test_source_freshness_reuses_the_builds_parse_and_reports_sources(built):
    from antt.transform.freshness import check_freshness
    from antt.transform.runner import PARTIAL_PARSE, shared_target

    assert (shared_target() / PARTIAL_PARSE).exists(), "the build publishes its parse"
    result = check_freshness(built["url"])
    assert result["checked"] > 0
    assert set(result["late"].values()) <= {"warn", "error"}
