"""End to end: the sample set (antt.sample) loaded by the ingest loader, `antt build`, and the
marts compared with the sample's expectations: the hand-computed named communes and districts of
antt.sample.scenarios, and the independent Python evaluation of every commune and district."""

from __future__ import annotations

import time

import pytest
from dbt_helpers import run_cli, sample_warehouse
from dbt_rawdata import query
from psycopg import sql

from antt import sample
from antt.ingest import pipeline as ingest
from antt.report.labels import COMMUNE_LEVEL_COLUMNS, DISTRICT_LEVEL_COLUMNS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def loaded(initialised_template, pg_admin_url, tmp_path_factory):
    home = tmp_path_factory.mktemp("antt_home")
    out = tmp_path_factory.mktemp("sample")
    with sample_warehouse(initialised_template, pg_admin_url, home) as url:
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


def statuses(url: str, unit: str, level_columns: dict[str, str]) -> dict[tuple, dict[str, str]]:
    """(code, year) -> criterion or level -> status, from marts.<unit>_criteria and
    marts.<unit>_scorecard (`unit`: commune or district)."""
    got: dict[tuple[str, str], dict[str, str]] = {}
    criteria = sql.SQL("SELECT year, {}, criterion_code, status FROM {}").format(
        sql.Identifier(f"{unit}_code"), sql.Identifier("marts", f"{unit}_criteria")
    )
    for year, code, criterion, status in query(url, criteria):
        got.setdefault((code, str(year)), {})[criterion] = status
    levels = sql.SQL("SELECT year, {}, {} FROM {}").format(
        sql.Identifier(f"{unit}_code"),
        sql.SQL(", ").join(map(sql.Identifier, level_columns.values())),
        sql.Identifier("marts", f"{unit}_scorecard"),
    )
    for row in query(url, levels):
        got.setdefault((row[1], str(row[0])), {}).update(zip(level_columns, row[2:], strict=True))
    return got


def commune_statuses(url: str) -> dict[tuple[str, str], dict[str, str]]:
    return statuses(url, "commune", COMMUNE_LEVEL_COLUMNS)


def district_statuses(url: str) -> dict[tuple[str, str], dict[str, str]]:
    return statuses(url, "district", DISTRICT_LEVEL_COLUMNS)


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
