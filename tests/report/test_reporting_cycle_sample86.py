"""The reporting cycle on the Vĩnh Long 2024–2025 sample (what `make demo` loads by default):
sample → antt ingest → dbt build → reports. 2024 belongs to the old provinces 83, 84 and 86 (one
tracker each), 2025 to the new province 86. The trackers list the sample's designed late and
missing reports and its rejected files waiting for a correction, the 2025 scorecard marks the
criteria of the unit whose 2024 baseline holds an outlier of its predecessor, and a file for a
closed year is rejected with its reason. Screenshot of the 86/2025 tracker in test-artifacts/."""

from __future__ import annotations

import functools
import json

import pytest
from html_tree import parse
from test_reporting_cycle_sample import (
    errors_of,
    published_sample,
    rejected_after_lock,
    rows_of,
    tracker_in_browser,
    tracker_sheet,
)

from antt.cli import main
from antt.report import build_reports
from antt.sample.units2025 import load_new_province

pytestmark = pytest.mark.slow
PAGES = (("83", 2024), ("84", 2024), ("86", 2024), ("86", 2025))
# The rejected files still owed (the rest of the set's rejects are for units or periods that owe
# nothing: a district after February 2025, a commune police before March, the provincial police).
AWAITING = {
    ("84", 2024): {("CAH847", "2024-06"), ("CAH847", "2024-07")},
    ("86", 2025): {("CAX29386", "2025-08"), ("CAX29410", "2025-10")},
}


@pytest.fixture(scope="module")
def loaded(initialised_template, pg_admin_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cycle86")
    reports = [(2024, None), (2025, "86")]  # 2024: the old provinces 83, 84 and 86
    yield from published_sample(
        initialised_template, pg_admin_url, tmp, ("86", (2024, 2025)), reports
    )


@functools.cache
def old_province_of_district_units() -> dict[str, str]:
    """CAH<district> -> the old province it belonged to (2024 is published per old province)."""
    return {d.unit: p.code for p in load_new_province("86").old_provinces for d in p.districts}


def designed_on(manifest, key: str, province: str, year: int) -> set[tuple]:
    """The designed scopes of `key` shown on the tracker of a province-year."""
    out = set()
    for x in manifest.reporting_cycle[key]:
        if not x["period"].startswith(str(year)):
            continue
        shown_in = old_province_of_district_units().get(x["unit"], "86")
        if shown_in == province:
            out.add((x["unit"], x["dataset"], x["period"]))
    return out


def test_trackers_list_the_late_missing_and_awaiting_reports(loaded):
    _url, manifest, root, _ = loaded
    totals = {"late": 0, "missing": 0}
    for province, year in PAGES:
        page = root / province / str(year) / "tracker.html"
        late = designed_on(manifest, "late", province, year)
        missing = designed_on(manifest, "missing", province, year)
        assert rows_of(page, "late") == late, (province, year)
        assert rows_of(page, "missing") == missing, (province, year)
        awaiting = {(u, p) for u, _d, p in rows_of(page, "awaiting")}
        assert awaiting == AWAITING.get((province, year), set()), (province, year)
        summary = json.loads((page.parent / "summary.json").read_text(encoding="utf-8"))
        assert summary["tracker"]["late"] == len(late)
        assert summary["tracker"]["missing"] == len(missing)
        assert summary["tracker"]["awaiting_correction"] == len(awaiting)
        totals["late"] += len(late)
        totals["missing"] += len(missing)
        print(f"\n{province}/{year} tracker: {summary['tracker']}")
    # every designed late and missing report is on one of the pages
    assert totals == {
        "late": len(manifest.reporting_cycle["late"]),
        "missing": len(manifest.reporting_cycle["missing"]),
    }


def test_a_report_covered_by_the_province_is_not_late(loaded):
    _url, manifest, root, _ = loaded
    [covered] = manifest.reporting_cycle["covered_by_the_province"]
    scope = (covered["unit"], covered["dataset"], covered["period"])
    page = root / "86/2025/tracker.html"
    assert scope not in rows_of(page, "late") | rows_of(page, "missing")


def test_the_2025_scorecard_marks_the_successor_of_an_old_commune_with_an_outlier(loaded):
    _url, _manifest, root, _ = loaded
    doc = parse((root / "86/2025/scorecard.html").read_text(encoding="utf-8"))
    row = doc.find("tr", data_commune="28783")
    assert {sup.attrs["data-outlier"] for sup in row.find_all("sup")} == {"ANTT_04", "ANTT_06"}
    detail = doc.find("details", id="xa-28783").find("span", data_outlier="ANTT_04")
    assert "TP_TROM_CAP_TAI_SAN 09/2024 = 11" in detail.text
    assert "xã cũ / old commune 28762" in detail.text
    # the units whose predecessors' outliers no criterion reads carry no mark
    for unit in ("28756", "28777"):
        assert not doc.find("tr", data_commune=unit).find_all("sup")
    old = parse((root / "83/2024/scorecard.html").read_text(encoding="utf-8"))
    marked = {
        sup.attrs["data-outlier"] for sup in old.find("tr", data_commune="28762").find_all("sup")
    }
    assert marked == {"ANTT_04", "ANTT_06"}


def test_workbook_has_the_tracker_sheet_for_2025(loaded):
    _url, _manifest, root, _ = loaded
    rows, kinds = tracker_sheet(root / "86/2025/scorecard.xlsx")
    assert kinds.count("Chưa nộp") == 1 and kinds.count("Trễ hạn") == 2
    assert sum(1 for r in rows if r[0].startswith("Tệp bị từ chối") and r[8]) == 2


@pytest.mark.browser
def test_tracker_page_86_in_a_browser(loaded, chromium, tmp_path, artifacts):
    counts = tracker_in_browser(chromium, tmp_path, loaded[2], "86/2025", artifacts)
    assert counts["missing"] == "1" and counts["late"] == "2"


def test_a_2024_file_after_the_year_is_closed_is_rejected_with_its_reason(loaded):
    url, _manifest, root, tmp = loaded
    late = tmp / "late" / "CAH861_2024-12_chi_tieu.csv"
    message = rejected_after_lock(url, late, "86", 2024, "29806,TP_MA_TUY,1")
    print(f"\nclosed-year rejection: {message}")
    # a 2024 file of another old province (Trà Vinh) is not closed by the lock of Vĩnh Long
    other = tmp / "late" / "CAH847_2024-12_chi_tieu.csv"
    other.write_text("ma_xa,ma_chi_tieu,gia_tri\n29410,TP_MA_TUY,1\n", encoding="utf-8")
    main(["ingest", str(other)])
    assert "PERIOD_CLOSED" not in {c for c, _m in errors_of(url, other.name)}
    build_reports(2024, "86", root, docs=False)
    doc = parse((root / "86/2024/scorecard.html").read_text(encoding="utf-8"))
    assert doc.find(id="period-state").attrs["data-closed"] == "true"
