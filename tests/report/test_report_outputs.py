"""The published files show what the marts hold: HTML parsed back, XLSX and CSV read back."""

from __future__ import annotations

import csv
import datetime
import functools
import re
import shutil
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
import report_marts_fixture as fixture
from html_tree import parse

from antt.cli import main
from antt.errors import AnttError
from antt.report import build_reports, labels
from antt.report.data import load_provinces
from antt.report.publish import REJECTED_COLUMNS, write_index
from antt.report.years import criteria_sets
from antt.warehouse import connect

OUTPUTS = {
    "84/2023/scorecard.html",
    "84/2023/scorecard.xlsx",
    "84/2023/rejected_files.html",
    "84/2023/rejected_files.csv",
    "84/2023/summary.json",
    # province 01 has a rejected file in 2023 and nothing accepted: its rejected files alone
    "01/2023/rejected_files.html",
    "01/2023/rejected_files.csv",
    "01/2023/summary.json",
    # the file of no known unit
    "don-vi-khong-xac-dinh/rejected_files.html",
    "don-vi-khong-xac-dinh/rejected_files.csv",
    "index.html",
}


def close(text: str, value) -> bool:
    return abs(float(text) - float(value)) <= 0.0051  # pages show two decimals


def expected_missing(data) -> dict[tuple[str, int], list[int]]:
    """(commune, year) -> months without complete TTXH + TNXH data, from the fixture rows."""
    need = sum(1 for _code, group in fixture.indicators() if group in fixture.COMPLETE_DATA_GROUPS)
    reported: dict[tuple[str, object], int] = defaultdict(int)
    communes = {r[2] for r in data.commune_scorecard}
    for code, month, _ind, group, value, _unit, _sid in data.indicator_monthly:
        if group in fixture.COMPLETE_DATA_GROUPS and value is not None:
            reported[(code, month)] += 1
    out: dict[tuple[str, int], list[int]] = {}
    for code in communes:
        for year in (2022, 2023):
            months = [
                m for m in range(1, 13) if reported.get((code, datetime.date(year, m, 1)), 0) < need
            ]
            if months:
                out[(code, year)] = months
    return out


@pytest.fixture
def published(published_module):
    return published_module


@functools.lru_cache(maxsize=8)
def page(path: Path):
    return parse(path.read_text(encoding="utf-8"))


def test_every_output_is_written(published):
    _data, root, written = published
    assert {p.relative_to(root).as_posix() for p in written} == OUTPUTS
    assert all(p.stat().st_size > 0 for p in written)
    assert not list(root.rglob(".*"))  # no temporary file left behind


def test_scorecard_is_self_contained(published):
    _data, root, _ = published
    html = (root / "84/2023/scorecard.html").read_text(encoding="utf-8")
    doc = parse(html)
    assert not doc.find_all("link") and not doc.find_all("script", src=True)
    assert not doc.find_all("img")
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//|@import|@font-face", html)
    assert re.search(r"@page\s*\{\s*size:\s*A4", html)
    assert len(doc.find_all("script")) == 1 and 1 <= len(doc.find_all("style")) <= 2


def test_heatmap_cells_equal_commune_criteria(published):
    data, root, _ = published
    doc = page(root / "84/2023/scorecard.html")
    cells = {}
    for tr in doc.find_all("tr", data_commune=True):
        for td in tr.find_all("td", data_criterion=True):
            cells[(tr.attrs["data-commune"], td.attrs["data-criterion"])] = td
    assert {k: td.attrs["data-status"] for k, td in cells.items()} == {
        (r[2], r[3]): r[5] for r in data.commune_criteria
    }
    for td in cells.values():  # the symbol carries the status in greyscale print
        assert td.text.strip() == labels.status_style(td.attrs["data-status"]).symbol
        assert td.has_class(f"st-{td.attrs['data-status']}")
    levels = {}
    for td in doc.find_all("td", data_level_status=True):
        commune = td.parent.attrs["data-commune"]
        level, status = td.attrs["data-level-status"].split(":")
        levels[(commune, level)] = status
    expected = {}
    for r in data.commune_scorecard:
        for level, status in zip(labels.COMMUNE_LEVELS, r[10:13], strict=True):
            expected[(r[2], level)] = status
    assert levels == expected
    # grouped by district, in the marts' district order
    blocks = doc.find_all("section", data_district=True)
    assert [b.attrs["data-district"] for b in blocks] == sorted(
        {r[5] for r in data.commune_scorecard}
    )
    for block in blocks:
        rows = block.find_all("tr", data_commune=True)
        assert {tr.attrs["data-district"] for tr in rows} == {block.attrs["data-district"]}


def test_summary_counts_equal_the_marts(published):
    data, root, _ = published
    doc = page(root / "84/2023/scorecard.html")
    for idx, level in enumerate(labels.COMMUNE_LEVELS):
        for status in labels.STATUSES:
            shown = doc.find("td", data_count=f"{level}:{status}").text
            assert int(shown) == sum(1 for r in data.commune_scorecard if r[10 + idx] == status)
    for idx, level in enumerate(labels.DISTRICT_LEVELS):
        for status in labels.STATUSES:
            shown = doc.find("td", data_count=f"{level}:{status}").text
            assert int(shown) == sum(1 for r in data.district_scorecard if r[5 + idx] == status)
    rows = {tr.attrs["data-district"]: tr for tr in doc.find_all("tr", class_="district-row")}
    for r in data.district_scorecard:
        tr = rows[r[2]]
        assert int(tr.find(data_field="communes_total").text) == r[7]
        assert int(tr.find(data_field="communes_ntm_dat").text) == r[8]
        assert int(tr.find(data_field="communes_ntm_nang_cao_dat").text) == r[9]


def test_commune_panels_show_measured_threshold_reason_and_missing_months(published):
    data, root, _ = published
    doc = page(root / "84/2023/scorecard.html")
    panels = {d.attrs["data-commune"]: d for d in doc.find_all("details", data_commune=True)}
    assert set(panels) == {r[2] for r in data.commune_scorecard}
    for r in data.commune_criteria:
        row = panels[r[2]].find("tr", data_criterion=r[3])
        measured = row.find(data_field="measured_value").text.strip()
        assert (measured == "—") if r[6] is None else close(measured, r[6])
        threshold = row.find(data_field="threshold").text.strip()
        assert close(threshold.lstrip("≤≥ "), r[7]) if r[7] is not None else threshold == "—"
        assert row.find(data_field="detail").text == r[8]
        assert row.find(data_field="status").has_class(f"st-{r[5]}")
    missing = expected_missing(data)
    assert missing, "the fixture has communes with missing months"
    for code, panel in panels.items():
        for year in (2022, 2023):
            line = panel.find("div", data_missing_year=str(year))
            months = [int(m.text.rstrip("*")) for m in line.find_all("span", class_="month")]
            assert months == missing.get((code, year), [])
        assert panel.find("svg", class_="chart") is not None
    months_reported = {r[2]: r[13] for r in data.commune_scorecard}
    for code, panel in panels.items():
        assert int(panel.find(data_field="months_reported").text) == months_reported[code]


def test_workbook_equals_the_marts(published):
    data, root, _ = published
    wb = openpyxl.load_workbook(root / "84/2023/scorecard.xlsx")
    assert wb.sheetnames == [
        "NTM",
        "NTM nang cao",
        "NTM kieu mau",
        "Huyen NTM",
        "Huyen NTM nang cao",
        "Ly do - Reasons",
        "Thieu bao cao - Missing",
    ]
    for ws in wb.worksheets:
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("3")
        assert ws.auto_filter.ref.startswith("A2:")
        assert ws.auto_filter.ref.endswith(str(max(ws.max_row, 2)))
        assert all((ws.column_dimensions[c].width or 0) >= 8 for c in "ABC")
    ws = wb["NTM"]
    header = [c.value for c in ws[2]]
    crit_cols = [h.split()[0] for h in header if h and h.startswith("ANTT_")]
    assert crit_cols == [f"ANTT_0{i}" for i in range(1, 6)]
    status_col = header.index("Nông thôn mới / New rural (NTM)") + 1
    by_code = {r[2]: r for r in data.commune_scorecard}
    criteria = {(r[2], r[3]): r[5] for r in data.commune_criteria}
    seen = 0
    for row in ws.iter_rows(min_row=3):
        code = row[1].value
        status = by_code[code][10]
        cell = row[status_col - 1]
        assert cell.value.startswith(labels.status_style(status).symbol)
        assert labels.status_style(status).label.en in cell.value
        assert cell.fill.fgColor.rgb.endswith(labels.status_style(status).fill.lstrip("#"))
        for offset, crit in enumerate(crit_cols):
            value = row[header.index(header[status_col]) + offset].value
            assert value.startswith(labels.status_style(criteria[(code, crit)]).symbol)
        seen += 1
    assert seen == len(data.commune_scorecard)
    nc = wb["NTM nang cao"]
    assert sum(1 for h in nc[2] if h.value and h.value.startswith("ANTT_")) == 10

    reasons = wb["Ly do - Reasons"]
    header = [c.value for c in reasons[2]]
    rows = list(reasons.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(data.commune_criteria) + len(data.district_criteria)
    col = {name.split(" / ")[1]: i for i, name in enumerate(header)}
    expected = {(r[2], r[3]): r for r in data.commune_criteria + data.district_criteria}
    for row in rows:
        r = expected[(row[col["Code"]], row[col["Criterion"]])]
        assert row[col["Status"]].startswith(labels.status_style(r[5]).symbol)
        assert (row[col["Measured"]] is None) == (r[6] is None)
        if r[6] is not None:
            assert close(str(row[col["Measured"]]), r[6])
            assert isinstance(row[col["Measured"]], int | float)
        assert row[col["Reason"]] == r[8]

    missing_ws = wb["Thieu bao cao - Missing"]
    got = {(row[1], row[3]): row[4] for row in missing_ws.iter_rows(min_row=3, values_only=True)}
    assert got == {k: len(v) for k, v in expected_missing(data).items()}


def test_rejected_files_page_and_csv(published):
    _data, root, _ = published
    html = (root / "84/2023/rejected_files.html").read_text(encoding="utf-8")
    doc = parse(html)
    listed = [
        tr.find("a").text
        for tr in doc.find("table", id="rejected-summary").find_all("tr", data_submission=True)
    ]
    assert listed == ["CAH847_2023-06_chi_tieu.xlsx"]
    assert "CAT01_2023-06_chi_tieu.csv" not in html and "bao_cao_thang_6.xlsx" not in html
    assert "-1&lt;b&gt;" in html and "-1<b>" not in html  # hostile cell text stays text
    assert "Negative value on row 5" in html and "Giá trị âm ở dòng 5" in html
    with (root / "84/2023/rejected_files.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["file_name"], r["error_no"]) for r in rows] == [
        ("CAH847_2023-06_chi_tieu.xlsx", "1"),
        ("CAH847_2023-06_chi_tieu.xlsx", "2"),
        ("CAH847_2023-06_chi_tieu.xlsx", "3"),
    ]
    assert rows[0]["cell_value"] == "'-1<b>"  # a spreadsheet must not run it as a formula
    assert rows[0]["message_vi"] == "Giá trị âm ở dòng 5"


def test_province_with_only_rejected_files(published):
    _data, root, _ = published
    doc = page(root / "01/2023/rejected_files.html")
    listed = [a.text for a in doc.find("table", id="rejected-summary").find_all("a")]
    assert listed == ["CAT01_2023-06_chi_tieu.csv"]
    assert not (root / "01/2023/scorecard.html").exists()
    index = page(root / "index.html")
    row = index.find("tr", data_province="01", data_year="2023")
    assert [a.attrs["href"] for a in row.find_all("a")] == ["01/2023/rejected_files.html"]
    assert "Tỉnh Hà Nội" in row.text or "Thành phố Hà Nội" in row.text


def test_no_rejected_file_says_so(marts_url, tmp_path):
    build_reports(2023, "84", tmp_path, docs=False)
    doc = parse((tmp_path / "84/2023/rejected_files.html").read_text(encoding="utf-8"))
    assert "No file was rejected" in doc.find("p", id="no-rejected").text
    lines = (tmp_path / "84/2023/rejected_files.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines == [",".join(REJECTED_COLUMNS)]


def test_index_links_every_report_and_the_docs(published, tmp_path):
    root = tmp_path / "published"
    shutil.copytree(published[1], root)
    doc = parse((root / "index.html").read_text(encoding="utf-8"))
    row = doc.find("tr", data_province="84", data_year="2023")
    hrefs = [a.attrs["href"] for a in row.find_all("a")]
    assert hrefs == [
        "84/2023/scorecard.html",
        "84/2023/scorecard.xlsx",
        "84/2023/rejected_files.html",
    ]
    assert all((root / h).exists() for h in hrefs)
    assert doc.find("p", id="dbt-docs-missing")
    # an older year published earlier stays listed; the docs appear once they exist
    older = root / "84" / "2022"
    older.mkdir()
    (older / "scorecard.html").write_text("<html></html>", encoding="utf-8")
    (root / "dbt_docs.html").write_text("<html>docs</html>", encoding="utf-8")
    with connect(role="reader") as conn:
        index = write_index(root, load_provinces(conn), criteria_sets(conn))
    doc = parse(index.read_text(encoding="utf-8"))
    years = [tr.attrs["data-year"] for tr in doc.find_all("tr", data_province="84")]
    assert years == ["2023", "2022"]
    assert doc.find("a", id="dbt-docs").attrs["href"] == "dbt_docs.html"


def test_docs_are_copied_next_to_the_reports(shared_marts, tmp_path, monkeypatch):
    import antt.transform

    def fake_generate_docs(out_dir=None, url=None):
        page = Path(out_dir) / "dbt_docs.html"
        page.write_text("<html>lineage</html>", encoding="utf-8")
        return page

    monkeypatch.setattr(antt.transform, "generate_docs", fake_generate_docs)
    written = build_reports(2023, "84", tmp_path)
    assert tmp_path / "dbt_docs.html" in written
    assert (tmp_path / "dbt_docs.html").read_text(encoding="utf-8") == "<html>lineage</html>"

    def broken(out_dir=None, url=None):
        raise AnttError("dbt docs failed: boom")

    (tmp_path / "dbt_docs.html").unlink()
    monkeypatch.setattr(antt.transform, "generate_docs", broken)
    written = build_reports(2023, "84", tmp_path)  # the scorecards are still published
    assert {p.name for p in written} >= {"scorecard.html", "index.html"}
    assert "dbt-docs-missing" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_cli_report(shared_marts, tmp_path, capsys):
    assert main(["report", "--year", "2023", "--out", str(tmp_path), "--no-docs"]) == 0
    out = capsys.readouterr().out
    assert "84/2023/scorecard.html" in out and "11 files written" in out
    assert (tmp_path / "84/2023/scorecard.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "1990"], "invalid year"),
        (["--year", "2023", "--province", "8a"], "invalid province code"),
        (["--year", "2023", "--province", "02"], "no scorecard for province 02"),
        (["--year", "2019"], "no scorecard for 2019"),
    ],
)
def test_cli_report_errors(shared_marts, tmp_path, capsys, args, message):
    assert main(["report", *args, "--out", str(tmp_path), "--no-docs"]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_report_without_marts(warehouse_url, tmp_path, capsys):
    assert main(["report", "--year", "2023", "--out", str(tmp_path), "--no-docs"]) == 1
    assert "antt build" in capsys.readouterr().err


def test_out_dir_that_cannot_be_created(shared_marts, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(AnttError, match="cannot create"):
        build_reports(2023, "84", blocker / "published", docs=False)


def test_a_file_of_no_known_unit_is_listed_under_unknown_unit(published):
    _data, root, _ = published
    doc = page(root / "don-vi-khong-xac-dinh/rejected_files.html")
    assert doc.find("h1", id="scope").attrs["data-scope"] == "unit_unknown"
    listed = [a.text for a in doc.find("table", id="rejected-summary").find_all("a")]
    assert listed == ["bao_cao_thang_6.xlsx"]
    assert "đơn vị không xác định" in doc.find("h1").text
    index = page(root / "index.html")
    links = {li.attrs["data-kind"]: li.find("a").attrs["href"] for li in index.find_all("li")}
    assert links["unit_unknown"] == "don-vi-khong-xac-dinh/rejected_files.html"
