"""End to end: the sample set (antt.sample) loaded by the ingest loader, `antt build`, and the
marts compared with the sample's expectations: the hand-computed named communes and districts of
antt.sample.scenarios, and the independent Python evaluation of every commune and district."""

from __future__ import annotations

import time

import pytest
from dbt_helpers import fresh_warehouse, run_cli
from dbt_rawdata import query

from antt import sample
from antt.ingest import pipeline as ingest

pytestmark = pytest.mark.slow

LEVEL_COLUMNS = {
    "NTM": "ntm_status",
    "NTM_NANG_CAO": "ntm_nang_cao_status",
    "NTM_KIEU_MAU": "ntm_kieu_mau_status",
}
DISTRICT_LEVEL_COLUMNS = {
    "HUYEN_NTM": "huyen_ntm_status",
    "HUYEN_NTM_NANG_CAO": "huyen_ntm_nang_cao_status",
}


@pytest.fixture(scope="module")
def loaded(initialised_template, pg_admin_url, tmp_path_factory):
    home = tmp_path_factory.mktemp("antt_home")
    out = tmp_path_factory.mktemp("sample")
    with (
        fresh_warehouse(initialised_template, pg_admin_url) as url,
        pytest.MonkeyPatch.context() as mp,
    ):
        mp.setenv("ANTT_HOME", str(home))
        for var in ("LANDING", "ARCHIVE", "QUARANTINE", "PUBLISHED"):
            mp.delenv(f"ANTT_{var}_DIR", raising=False)
        manifest = sample.generate(out)
        outcomes = ingest.ingest_paths([out / "01_initial", out / "02_corrections"], move=False)
        started = time.perf_counter()
        code, output = run_cli(["build"])
        print(f"\nantt build on the sample set: {time.perf_counter() - started:.1f} s wall")
        yield {
            "url": url,
            "manifest": manifest,
            "outcomes": outcomes,
            "code": code,
            "output": output,
        }


def commune_statuses(url: str) -> dict[tuple[str, str], dict[str, str]]:
    got: dict[tuple[str, str], dict[str, str]] = {}
    for year, commune, code, status in query(
        url, "SELECT year, commune_code, criterion_code, status FROM marts.commune_criteria"
    ):
        got.setdefault((commune, str(year)), {})[code] = status
    levels = ", ".join(LEVEL_COLUMNS.values())
    for row in query(url, f"SELECT year, commune_code, {levels} FROM marts.commune_scorecard"):
        got.setdefault((row[1], str(row[0])), {}).update(zip(LEVEL_COLUMNS, row[2:], strict=True))
    return got


def district_statuses(url: str) -> dict[tuple[str, str], dict[str, str]]:
    got: dict[tuple[str, str], dict[str, str]] = {}
    for year, district, code, status in query(
        url, "SELECT year, district_code, criterion_code, status FROM marts.district_criteria"
    ):
        got.setdefault((district, str(year)), {})[code] = status
    levels = ", ".join(DISTRICT_LEVEL_COLUMNS.values())
    for row in query(url, f"SELECT year, district_code, {levels} FROM marts.district_scorecard"):
        got.setdefault((row[1], str(row[0])), {}).update(
            zip(DISTRICT_LEVEL_COLUMNS, row[2:], strict=True)
        )
    return got


def mismatches(expected: dict, got: dict) -> list[str]:
    wrong = []
    for code, years in expected.items():
        for year, statuses in years.items():
            actual = got.get((code, year), {})
            for key, status in statuses.items():
                if actual.get(key) != status:
                    wrong.append(f"{code} {year} {key}: expected {status}, got {actual.get(key)}")
    return wrong


def test_sample_loads_with_the_expected_files_rejected(loaded):
    expected = {f.path.split("/")[-1]: f.expected_status for f in loaded["manifest"].files}
    got = {o.path.name: o.status for o in loaded["outcomes"]}
    assert got == expected


def test_build_succeeds_on_the_sample(loaded):
    assert loaded["code"] == 0, loaded["output"]


def test_hand_computed_communes_match(loaded):
    expected = loaded["manifest"].expectations["communes"]
    assert len(expected) >= 10
    assert mismatches(expected, commune_statuses(loaded["url"])) == []


def test_hand_computed_districts_match(loaded):
    expected = loaded["manifest"].expectations["districts"]
    assert expected
    assert mismatches(expected, district_statuses(loaded["url"])) == []


def test_every_commune_and_district_matches_the_independent_evaluation(loaded):
    computed = loaded["manifest"].computed
    assert mismatches(computed["communes"], commune_statuses(loaded["url"])) == []
    assert mismatches(computed["districts"], district_statuses(loaded["url"])) == []
