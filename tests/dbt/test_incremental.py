"""Incremental builds: one more month and corrections that replace scopes give the same marts as
a full refresh; a data-quality error makes `antt build` fail and stops the marts."""

from __future__ import annotations

import time

import dbt_scenario as scenario
import pytest
from dbt_helpers import fresh_warehouse, run_cli
from dbt_rawdata import month_rows, query, submit

from antt.transform import build

pytestmark = pytest.mark.slow
NO_UNIT_TESTS = ["--exclude-resource-type", "unit_test"]  # they run in test_build.py
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
def warehouse(initialised_template, pg_admin_url):
    with fresh_warehouse(initialised_template, pg_admin_url) as url:
        ids = scenario.load(url)
        started = time.perf_counter()
        first = build(url, extra_args=NO_UNIT_TESTS)
        print(f"\nfull build from empty: {time.perf_counter() - started:.1f} s wall")
        assert first.success, first.failures
        yield url, ids


@pytest.fixture(scope="module")
def after_new_month_and_corrections(warehouse):
    url, ids = warehouse
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
    assert "relationships_stg_chi_tieu_indicator_code" in output
    assert "dbt build thất bại / failed" in output
    after = query(url, "SELECT count(*) FROM marts.fct_indicator_monthly")
    assert after == before
