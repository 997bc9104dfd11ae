"""The reporting cycle on the Trà Vinh sample (what the demo loads): sample → antt ingest → dbt
build → reports. The tracker lists the sample's designed late and withheld reports and its rejected
files waiting for a correction; value_outliers holds exactly the designed unusual values; the
scorecard marks the criteria that read one; a file for a closed year is rejected with its reason.
The tracker page is also opened in headless Chromium (screenshot in test-artifacts/)."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import openpyxl
import psycopg
import pytest
from html_tree import parse
from test_report_browser import dump_dom, screenshot

from antt.cli import main
from antt.report import build_reports
from antt.sample import generate
from antt.transform import build
from antt.warehouse import connect
from warehouse_copies import isolated_warehouse

pytestmark = pytest.mark.slow
EXPECTED_DATASETS = ("chi_tieu", "mo_hinh", "danh_gia_nam")


@contextlib.contextmanager
def sample_loaded(initialised_template, pg_admin_url, tmp: Path, province: str, years: tuple):
    """A warehouse with the sample of `province`, `years` ingested (its rejects rejected) and
    built, ANTT_HOME under `tmp`; yields (url, manifest)."""
    with isolated_warehouse(pg_admin_url, initialised_template, tmp / "home") as url:
        manifest = generate(tmp / "sample", province, years)
        batches = sorted(p for p in (tmp / "sample").iterdir() if p.is_dir())  # in order
        assert main(["ingest", *map(str, batches)]) == 1  # the sample's rejects
        run = build()
        assert run.success, run.output[-3000:]
        yield url, manifest


def published_sample(initialised_template, pg_admin_url, tmp: Path, sample: tuple, reports):
    """`sample_loaded` for sample = (province, years), then the reports of each (year,
    province or None for all) in `reports`; yields (url, manifest, published root, tmp)."""
    with sample_loaded(initialised_template, pg_admin_url, tmp, *sample) as (url, manifest):
        root = tmp / "published"
        for year, province in reports:
            build_reports(year, province, root, docs=False)
        yield url, manifest, root, tmp


@pytest.fixture(scope="module")
def loaded(initialised_template, pg_admin_url, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cycle")
    reports = [(2022, None), (2023, None)]
    yield from published_sample(
        initialised_template, pg_admin_url, tmp, ("84", (2022, 2023)), reports
    )


def read_as_reader(loaded, query: str) -> list[tuple]:
    with connect(role="reader", url=loaded[0]) as conn:
        return conn.execute(query).fetchall()


def rows_of(page: Path, table: str) -> set[tuple]:
    doc = parse(page.read_text(encoding="utf-8"))
    return {
        (tr.attrs["data-unit"], tr.attrs.get("data-dataset"), tr.attrs["data-period"])
        for tr in doc.find("table", id=table).find_all("tr", data_unit=True)
    }


def awaiting_of(manifest, year: int) -> set[tuple]:
    """The sample's rejected files of a unit that owes the dataset, by their scope."""
    return {
        (f.unit, None, f.period)
        for f in manifest.by_status("rejected")
        if f.unit
        and f.unit.startswith("CAH")
        and f.dataset in EXPECTED_DATASETS
        and f.period
        and f.period.startswith(str(year))
    }


def errors_of(url: str, file_name: str) -> list[tuple[str, str]]:
    """(code, Vietnamese / English message) of each error of the files named `file_name`."""
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT e.code, e.message_vi || ' / ' || e.message_en FROM audit.submission_errors e"
            " JOIN raw.submissions s USING (submission_id) WHERE s.file_name = %s",
            (file_name,),
        ).fetchall()


def test_tracker_lists_the_late_missing_and_awaiting_reports(loaded):
    _url, manifest, root, _ = loaded
    designed = manifest.reporting_cycle
    for year in (2022, 2023):
        page = root / "84" / str(year) / "tracker.html"
        late = {
            (x["unit"], x["dataset"], x["period"])
            for x in designed["late"]
            if x["period"].startswith(str(year))
        }
        missing = {
            (x["unit"], x["dataset"], x["period"])
            for x in designed["missing"]
            if x["period"].startswith(str(year))
        }
        assert rows_of(page, "late") == late
        assert rows_of(page, "missing") == missing
        assert {(u, None, p) for u, _d, p in rows_of(page, "awaiting")} == awaiting_of(
            manifest, year
        )
        summary = json.loads((page.parent / "summary.json").read_text(encoding="utf-8"))
        assert summary["tracker"]["late"] == len(late)
        assert summary["tracker"]["missing"] == len(missing)
        print(f"\n84/{year} tracker: {summary['tracker']}")
    assert len(designed["late"]) == 3 and len(designed["missing"]) == 2


def test_each_awaiting_file_shows_its_first_error(loaded):
    _url, manifest, root, _ = loaded
    doc = parse((root / "84/2023/tracker.html").read_text(encoding="utf-8"))
    codes = {
        f"{f.unit}|{f.period}": f.expected_error_code
        for f in manifest.by_status("rejected")
        if f.unit and f.period
    }
    shown = doc.find("table", id="awaiting").find_all("tr", data_submission=True)
    assert shown
    for tr in shown:
        code = codes[tr.attrs["data-unit"] + "|" + tr.attrs["data-period"]]
        assert tr.find("code").text == code


def test_deadline_days_themselves_are_on_time(loaded):
    rows = read_as_reader(
        loaded,
        "SELECT unit_code, dataset, period, status FROM marts.reporting_completeness"
        " WHERE (unit_code, dataset, period) IN"
        " (('CAH846', 'chi_tieu', '2023-08'), ('CAH844', 'mo_hinh', '2023'))",
    )
    assert {r[3] for r in rows} == {"DUNG_HAN"} and len(rows) == 2


def test_value_outliers_are_exactly_the_designed_ones(loaded):
    manifest = loaded[1]
    found = read_as_reader(
        loaded,
        "SELECT commune_code, period_month::text, indicator_code, value, history_months"
        " FROM marts.value_outliers ORDER BY 1",
    )
    designed = manifest.reporting_cycle["outliers"]
    assert {(c, m, i, v) for c, m, i, v, _n in found} == {
        (o["commune"], o["period_month"], o["indicator"], o["value"]) for o in designed
    }
    assert all(n >= 6 for *_, n in found)


def test_scorecard_marks_the_criteria_that_read_an_outlier(loaded):
    _url, _manifest, root, _ = loaded
    for year in (2022, 2023):  # 2022: the month itself; 2023: its baseline
        doc = parse((root / "84" / str(year) / "scorecard.html").read_text(encoding="utf-8"))
        row = doc.find("tr", data_commune="29296")
        marked = {sup.attrs["data-outlier"] for sup in row.find_all("sup")}
        assert marked == {"ANTT_04", "ANTT_06"}
        detail = doc.find("details", id="xa-29296").find("span", data_outlier="ANTT_06")
        assert "TP_TROM_CAP_TAI_SAN 09/2022 = 11" in detail.text
        other = doc.find("tr", data_commune="29299")
        assert not other.find_all("sup")
        assert doc.find(id="period-state").attrs["data-closed"] == "false"


def tracker_sheet(workbook: Path) -> tuple[list[tuple], list[str]]:
    """The tracker sheet's rows of a scorecard workbook, and each row's kind (its Vietnamese
    label: Chưa nộp, Trễ hạn, Tệp bị từ chối…)."""
    ws = openpyxl.load_workbook(workbook)["Theo doi nop - Tracker"]
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[0]]
    return rows, [r[0].split(" / ")[0] for r in rows]


def test_workbook_has_the_tracker_sheet(loaded):
    _url, manifest, root, _ = loaded
    rows, kinds = tracker_sheet(root / "84/2023/scorecard.xlsx")
    assert kinds.count("Chưa nộp") == 2 and kinds.count("Trễ hạn") == 2
    assert any(r[8] for r in rows if r[0].startswith("Tệp bị từ chối"))


def tracker_in_browser(chromium: str, tmp_path: Path, root: Path, scope: str, artifacts: Path):
    """The counts of the tracker of `scope` ("84/2023") under `root` as Chromium shows them
    (the page also has its headings and the monthly rates); its screenshot is saved in
    `artifacts` as tracker_84_2023.png."""
    page = root / scope / "tracker.html"
    shot = artifacts / f"tracker_{scope.replace('/', '_')}.png"
    doc = parse(dump_dom(chromium, tmp_path, page.as_uri()))
    assert doc.find("h2", id="chua-nop") and doc.find("table", id="month-rates")
    print(
        f"\ntracker screenshot: {screenshot(chromium, tmp_path, page.as_uri(), shot, '1280,1600')}"
    )
    return {td.attrs["data-count"]: td.text for td in doc.find_all("td", data_count=True)}


@pytest.mark.browser
def test_tracker_page_in_a_browser(loaded, chromium, tmp_path, artifacts):
    counts = tracker_in_browser(chromium, tmp_path, loaded[2], "84/2023", artifacts)
    assert counts["missing"] == "2" and counts["late"] == "2"


def rejected_after_lock(url: str, late: Path, province: str, year: int, row: str) -> str:
    """Close the province-year, send `late` (one chi_tieu row) and return the message of its
    one error, which must be PERIOD_CLOSED naming who closed the year."""
    by = ["--by", "Phòng PV01"]
    assert main(["lock", "--province", province, "--year", str(year), *by]) == 0
    late.parent.mkdir(exist_ok=True)
    late.write_text(f"ma_xa,ma_chi_tieu,gia_tri\n{row}\n", encoding="utf-8")
    assert main(["ingest", str(late)]) == 1
    [(code, message)] = errors_of(url, late.name)
    assert code == "PERIOD_CLOSED" and "Phòng PV01" in message and "closed since" in message
    return message


def test_a_file_for_a_closed_year_is_rejected_with_its_reason(loaded):
    url, _manifest, root, tmp = loaded
    late = tmp / "late" / "CAH847_2023-12_chi_tieu.csv"
    rejected_after_lock(url, late, "84", 2023, "29410,TP_MA_TUY,1")
    quarantined = list((tmp / "home" / "quarantine").glob(f"*_{late.name}.errors.json"))
    assert quarantined
    build_reports(2023, "84", root, docs=False)
    doc = parse((root / "84/2023/scorecard.html").read_text(encoding="utf-8"))
    state = doc.find(id="period-state")
    assert state.attrs["data-closed"] == "true" and "Phòng PV01" in state.text
    assert json.loads((root / "84/2023/summary.json").read_text(encoding="utf-8"))["closed"]
    # another year stays provisional
    build_reports(2022, "84", root, docs=False)
    doc = parse((root / "84/2022/scorecard.html").read_text(encoding="utf-8"))
    assert doc.find(id="period-state").attrs["data-closed"] == "false"
    assert os.environ.get("ANTT_HOME") == str(tmp / "home")
