"""End to end across the 2025 reorganisation: the Vĩnh Long 2024–2025 sample through `antt ingest`
and `antt build`, the marts compared with values computed by hand for eleven new units chosen to
hit every rule of the reorganisation (written out below, not derived by any code under test),
and with the sample's independent Python evaluation for every unit and old commune."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from dbt_helpers import run_cli, sample_warehouse
from dbt_rawdata import query

from antt.ingest.pipeline import ingest_paths
from antt.report.labels import COMMUNE_LEVEL_COLUMNS
from antt.sample import generate

pytestmark = pytest.mark.slow

DAT, KD, KDDL, KSS = "DAT", "KHONG_DAT", "KHONG_DU_DU_LIEU", "KHONG_SO_SANH_DUOC"

# Worked out by hand from the scenarios' counts (antt/sample/scenarios2025.py, `summary`):
# ANTT_04 measures max(TTXH(2025) − TTXH(2024), TNXH(2025) − TNXH(2024)) at the worst corner
# (2025 high, 2024 low) and the best corner (2025 low, 2024 high); ANTT_06 the cut
# (B − Y) / B × 100 at (B low, Y high) and (B high, Y low); incident criteria count the incidents
# surely in the unit (low) and those that may be (high). (status, low, high) per criterion; the
# criteria not listed are DAT with low = high = 0 for ANTT_01–03, 08, 09.
EXACT_ZERO = (DAT, 0, 0)
HAND: dict[str, dict] = {
    # three communes merged whole: 24 → 21, TNXH 2 → 2
    "29386": {
        "ANTT_04": (DAT, 0, 0),
        "ANTT_06": (DAT, Decimal("12.50"), Decimal("12.50")),
        "levels": (DAT, DAT, DAT),
    },
    # TTXH 2024 ∈ [40, 52], 2025 = 30; TNXH 2024 ∈ [3, 5], 2025 = 6; a hot spot relocated here
    "29836": {
        "ANTT_04": (KD, 1, 3),
        "ANTT_06": (DAT, Decimal("25.00"), Decimal("42.31")),
        "ANTT_08": (KD, 1, 1),
        "levels": (KD, KD, KD),
    },
    # TTXH 2024 ∈ [10, 22], 2025 = 12; TNXH 2024 ∈ [2, 4], 2025 = 2
    "29719": {
        "ANTT_04": (KSS, -2, 2),
        "ANTT_06": (KSS, Decimal("-20.00"), Decimal("45.45")),
        "levels": (KSS, KSS, KSS),
    },
    # split predecessor with 0: 9 → 7 exact; the gathering place in TT Trà Ôn may be here
    "29821": {
        "ANTT_04": (DAT, 0, 0),
        "ANTT_06": (DAT, Decimal("22.22"), Decimal("22.22")),
        "ANTT_08": (KSS, 0, 1),
        "levels": (DAT, KSS, KSS),
    },
    # restated May and September 2024: 8 → 7 exact
    "29770": {
        "ANTT_04": (DAT, 0, 0),
        "ANTT_06": (DAT, Decimal("12.50"), Decimal("12.50")),
        "levels": (DAT, DAT, DAT),
    },
    # restated: 17 → 16, a 5.88 % cut
    "29771": {
        "ANTT_04": (DAT, 0, 0),
        "ANTT_06": (DAT, Decimal("5.88"), Decimal("5.88")),
        "levels": (DAT, DAT, DAT),
    },
    # October 2025 missing: no measured value; the gathering place may be here
    "29767": {
        "ANTT_04": (KDDL, None, None),
        "ANTT_06": (KDDL, None, None),
        "ANTT_08": (KSS, 0, 1),
        "ANTT_09": (KDDL, None, None),
        "levels": (KDDL, KDDL, KDDL),
    },
    # 2025 danh_gia_nam on the new code: 8 of 12 hamlets safe, police not tiên tiến
    "29254": {
        "ANTT_04": (DAT, 0, 0),
        "ANTT_05": (KD, None, None),
        "ANTT_06": (DAT, Decimal("25.00"), Decimal("25.00")),
        "ANTT_10": (KD, None, None),
        "levels": (KD, KD, KD),
    },
    # provincial values win: 20 → 19, exactly 5 %
    "29410": {
        "ANTT_04": (DAT, 0, 0),
        "ANTT_06": (DAT, Decimal("5.00"), Decimal("5.00")),
        "levels": (DAT, DAT, DAT),
    },
    # an unlawful complaint of 104 days, closed by the successor commune police
    "29413": {
        "ANTT_02": (KD, 1, 1),
        "ANTT_04": (DAT, 0, 0),
        "ANTT_06": (DAT, Decimal("20.00"), Decimal("20.00")),
        "levels": (KD, KD, KD),
    },
    # a serious case reported with the new code: 7 → 5
    "29278": {
        "ANTT_03": (KD, 1, 1),
        "ANTT_04": (DAT, 0, 0),
        "ANTT_06": (DAT, Decimal("28.57"), Decimal("28.57")),
        "levels": (KD, KD, KD),
    },
}
COUNTED = ("ANTT_01", "ANTT_02", "ANTT_03", "ANTT_08", "ANTT_09")
# Old communes in 2024 (first year of the set: no baseline, ANTT_04/06 insufficient data).
HAND_2024 = {
    "29413": {"ANTT_02": KD, "ANTT_04": KDDL, "ANTT_06": KDDL, "levels": (KD, KD, KD)},
    "29386": {"ANTT_02": DAT, "ANTT_04": KDDL, "ANTT_06": KDDL, "levels": (KDDL, KDDL, KDDL)},
}
# The files that must be rejected, each with the error code of its one reason.
REJECTED = {
    "01_to_2025-06/CAH847_2025-03_chi_tieu.csv": "UNIT_PERIOD_NOT_ALLOWED",
    "01_to_2025-06/CAX29386_2025-02_chi_tieu.csv": "UNIT_PERIOD_NOT_ALLOWED",
    "02_from_2025-07/VPDP84_2025_dang_ky_ntm.csv": "UNIT_PERIOD_NOT_ALLOWED",
    "02_from_2025-07/CAT86_2025-07_chi_tieu_quy_doi.csv": "UNIT_PERIOD_NOT_ALLOWED",
    "02_from_2025-07/CAX29770_2025-04_chi_tieu_quy_doi.csv": "DATASET_NOT_ALLOWED",
    "02_from_2025-07/CAH861_2024-05_chi_tieu_quy_doi.csv": "DATASET_NOT_ALLOWED",
    "02_from_2025-07/CAT84_2024-05_chi_tieu_quy_doi.csv": "DATASET_NOT_ALLOWED",
    "03_resent/CAT86_2025-08_chi_tieu.csv": "COMMUNE_CODE_ENDED",
    "03_resent/CAT86_2025_danh_gia_nam.csv": "COMMUNE_CODE_ENDED",
    "03_resent/CAH847_2024-07_chi_tieu.csv": "COMMUNE_NOT_AUTHORIZED",
    "03_resent/CAX29410_2025-10_chi_tieu.csv": "COMMUNE_NOT_AUTHORIZED",
    "03_resent/CAH847_2024-06_chi_tieu.csv": "TEN_XA_MISMATCH",
    "03_resent/CAX29386_2025-08_chi_tieu.csv": "TEN_XA_MISMATCH",
}


@pytest.fixture(scope="module")
def ingested(initialised_template, pg_admin_url, tmp_path_factory):
    home = tmp_path_factory.mktemp("antt_home")
    out = tmp_path_factory.mktemp("sample") / "vinh_long"
    with sample_warehouse(initialised_template, pg_admin_url, home) as url:
        manifest = generate(out, "86", (2024, 2025))
        started = time.perf_counter()
        outcomes = ingest_paths([out / batch for batch in manifest.batches], move=False)
        print(f"\ningest of the 86 sample: {time.perf_counter() - started:.1f} s wall")
        yield {"url": url, "out": out, "manifest": manifest, "outcomes": outcomes}


@pytest.fixture(scope="module")
def built(ingested):
    started = time.perf_counter()
    code, output = run_cli(["build"])
    print(f"\nantt build on the 86 sample: {time.perf_counter() - started:.1f} s wall")
    return {**ingested, "code": code, "output": output}


def test_the_sample_loads_with_exactly_the_expected_files_rejected(ingested):
    out, manifest = ingested["out"], ingested["manifest"]
    got = {o.path.relative_to(out).as_posix(): o for o in ingested["outcomes"]}
    assert {p: o.status for p, o in got.items()} == {
        f.path: f.expected_status for f in manifest.files
    }
    rejected = {p: {e.code for e in o.errors} for p, o in got.items() if o.status == "rejected"}
    assert rejected == {p: {code} for p, code in REJECTED.items()}
    # the manifest says the same as the hand-written table
    assert {f.path: f.expected_error_code for f in manifest.by_status("rejected")} == REJECTED


def test_an_old_code_after_july_says_where_the_commune_went(ingested):
    out = ingested["out"]
    [outcome] = [
        o
        for o in ingested["outcomes"]
        if o.path.relative_to(out).as_posix() == "03_resent/CAT86_2025-08_chi_tieu.csv"
    ]
    messages = " ".join(e.message_vi + " " + e.message_en for e in outcome.errors)
    assert "29392" in messages and "Song Lộc" in messages and "29386" in messages


def test_build_succeeds(built):
    assert built["code"] == 0, built["output"][-4000:]


def criteria_rows(url: str, year: int) -> dict[str, dict[str, tuple]]:
    got: dict[str, dict[str, tuple]] = {}
    for code, crit, status, low, high in query(
        url,
        "SELECT commune_code, criterion_code, status, measured_low, measured_high"
        " FROM marts.commune_criteria WHERE year = %s",
        (year,),
    ):
        got.setdefault(code, {})[crit] = (status, low, high)
    return got


def levels(url: str, year: int) -> dict[str, tuple]:
    cols = ", ".join(COMMUNE_LEVEL_COLUMNS.values())
    return {
        row[0]: tuple(row[1:])
        for row in query(
            url,
            f"SELECT commune_code, {cols} FROM marts.commune_scorecard WHERE year = %s",
            (year,),
        )
    }


def test_the_marts_match_the_hand_computed_units(built):
    url = built["url"]
    got, got_levels = criteria_rows(url, 2025), levels(url, 2025)
    wrong = []
    for unit, expected in HAND.items():
        if got_levels.get(unit) != expected["levels"]:
            wrong.append((unit, "levels", expected["levels"], got_levels.get(unit)))
        for n in range(1, 11):
            crit = f"ANTT_{n:02d}"
            want = expected.get(crit, EXACT_ZERO if crit in COUNTED else (DAT, None, None))
            status, low, high = got[unit][crit]
            # a measured interval is checked where the hand table gives one, and must be empty
            # where data is missing
            bounds_wrong = (low, high) != (want[1], want[2]) and (
                want[1] is not None or crit in ("ANTT_04", "ANTT_06", "ANTT_09")
            )
            if status != want[0] or bounds_wrong:
                wrong.append((unit, crit, want, (status, low, high)))
    assert wrong == []


def test_2025_has_new_units_only_and_no_district_rows(built):
    url = built["url"]
    units = query(
        url,
        "SELECT count(*), count(district_code) FROM marts.commune_scorecard WHERE year = 2025",
    )[0]
    assert units == (124, 0)
    assert query(url, "SELECT count(*) FROM marts.district_scorecard WHERE year = 2025") == [(0,)]
    assert query(url, "SELECT count(*) FROM marts.commune_scorecard WHERE year = 2024") == [(354,)]


def test_the_old_communes_of_2024_match(built):
    url = built["url"]
    got, got_levels = criteria_rows(url, 2024), levels(url, 2024)
    for commune, expected in HAND_2024.items():
        assert got_levels[commune] == expected["levels"], commune
        for crit, status in expected.items():
            if crit != "levels":
                assert got[commune][crit][0] == status, (commune, crit)


def test_every_unit_and_commune_matches_the_independent_evaluation(built):
    url = built["url"]
    computed = built["manifest"].computed
    wrong = []
    for table, year in (("units", 2025), ("communes", 2024)):
        got, got_levels = criteria_rows(url, year), levels(url, year)
        for code, years in computed[table].items():
            statuses = years[str(year)]
            for key, status in statuses.items():
                if key in COMMUNE_LEVEL_COLUMNS:
                    actual = got_levels.get(code, (None,) * 3)[
                        list(COMMUNE_LEVEL_COLUMNS).index(key)
                    ]
                else:
                    actual = got.get(code, {}).get(key, (None,))[0]
                if actual != status:
                    wrong.append((code, year, key, status, actual))
    assert wrong == []


def test_lineage_mart_lists_the_predecessors(built):
    rows = query(
        built["url"],
        "SELECT old_code, relation FROM marts.commune_lineage WHERE new_code = '29770'"
        " ORDER BY old_code",
    )
    assert rows == [("29764", "SPLIT"), ("29770", "SPLIT"), ("29771", "SPLIT"), ("29815", "WHOLE")]


# --- the reporting cycle on the 86 set (antt.sample.cycle, DESIGN_86) ---------------------------
# Rejected files of a unit that owes the scope, newest after the accepted one: still owed.
AWAITING_86 = {
    ("CAH847", "chi_tieu", "2024-06"),
    ("CAH847", "chi_tieu", "2024-07"),
    ("CAX29386", "chi_tieu", "2025-08"),
    ("CAX29410", "chi_tieu", "2025-10"),
}


def completeness(url: str, where: str) -> set[tuple]:
    return set(
        query(
            url,
            "SELECT unit_code, dataset, period FROM marts.reporting_completeness WHERE " + where,
        )
    )


def scopes(entries: list[dict]) -> set[tuple]:
    return {(x["unit"], x["dataset"], x["period"]) for x in entries}


def test_the_designed_late_missing_and_awaiting_reports_of_86(built):
    url, designed = built["url"], built["manifest"].reporting_cycle
    assert completeness(url, "status = 'TRE_HAN'") == scopes(designed["late"])
    assert completeness(url, "status = 'CHUA_NOP'") == scopes(designed["missing"])
    assert completeness(url, "rejected_awaiting_correction") == AWAITING_86
    # the deadline days themselves are on time (the 20th at 23:40, 31 January at 16:00)
    on_time = scopes(designed["on_time_at_the_deadline"])
    assert completeness(url, "status = 'DUNG_HAN' AND received_via = unit_code") >= on_time
    assert len(on_time) == 2
    # a late CAX file does not make the report late when CAT86's on-time file covers its commune
    [covered] = designed["covered_by_the_province"]
    rows = query(
        url,
        "SELECT status, received_via, days_late, accepted_files FROM marts.reporting_completeness"
        " WHERE unit_code = %s AND dataset = %s AND period = %s",
        (covered["unit"], covered["dataset"], covered["period"]),
    )
    assert rows == [("DUNG_HAN", "CAT86", 0, 1)]
    counts = query(
        url,
        "SELECT count(*) FILTER (WHERE late), count(*) FILTER (WHERE missing),"
        " count(*) FILTER (WHERE rejected_awaiting_correction) FROM marts.reporting_completeness",
    )
    assert counts == [(4, 1, 4)]


def test_value_outliers_of_86_are_exactly_the_designed_ones(built):
    """No ordinary value of a commune (most of them small, with histories of zeros) is listed."""
    found = query(
        built["url"],
        "SELECT commune_code, period_month::text, indicator_code, value, history_months"
        " FROM marts.value_outliers",
    )
    designed = built["manifest"].reporting_cycle["outliers"]
    assert {row[:4] for row in found} == {
        (o["commune"], o["period_month"], o["indicator"], o["value"]) for o in designed
    }
    assert len(found) == 3 and all(n >= 6 for *_, n in found)


def test_a_baseline_outlier_of_an_old_commune_marks_its_successor_in_2025(built):
    """Theft 11 in 28762 (September 2024) is in the 2024 baseline of ANTT_04/06 of 28783, the
    unit it became; the fires (28777) and traffic accidents (28786) no criterion reads."""
    rows = query(
        built["url"],
        "SELECT year, scope, area_code, criterion_code, outlier_count, detail"
        " FROM marts.criteria_outlier_flags ORDER BY 1, 2, 3, 4",
    )
    marked = {row[:4] for row in rows}
    assert {(2025, "XA", "28783", "ANTT_04"), (2025, "XA", "28783", "ANTT_06")} <= marked
    assert {(2024, "XA", "28762", "ANTT_04"), (2024, "XA", "28762", "ANTT_06")} <= marked
    assert {r[2] for r in rows if r[1] == "XA"} == {"28762", "28783"}
    assert {r[2] for r in rows if r[1] == "HUYEN"} <= {"829"}  # the old commune's district
    detail = next(r[5] for r in rows if r[:4] == (2025, "XA", "28783", "ANTT_06"))
    assert "TP_TROM_CAP_TAI_SAN 09/2024 = 11" in detail and "xã cũ / old commune 28762" in detail
    assert {r[4] for r in rows} == {1}
    # the successor's statuses are those designed without the outlier (a larger baseline only
    # helps a unit that meets the trend criteria anyway)
    computed = built["manifest"].computed["units"]["28783"]["2025"]
    assert computed["ANTT_04"] == computed["ANTT_06"] == DAT
