"""Reviewer outputs across the reorganisation: the 2025 scorecard and workbook of the new Vĩnh Long
(predecessors, exact or interval in words, the KHONG_SO_SANH_DUOC status), the index's evaluable
years, and the 2026 page that says why nothing is evaluated."""

from __future__ import annotations

import json

import pytest
from html_tree import parse
from openpyxl import load_workbook
from report_marts_2025 import LINEAGE, UNITS

from antt.report import labels
from antt.report.workbook import LINEAGE_SHEET, REASONS_SHEET
from antt.report.years import CriteriaSets, evaluable_years, year_ranges


def page(root, province: str, year: int, name: str = "scorecard.html"):
    return parse((root / province / str(year) / name).read_text(encoding="utf-8"))


def test_the_legend_has_not_comparable_with_its_own_colour_and_symbol(published_2025):
    root, _ = published_2025
    doc = page(root, "86", 2025)
    legend = doc.find(id="legend")
    swatches = {
        n.attrs["class"].split()[-1]: n.text for n in legend.iter() if n.has_class("swatch")
    }
    assert swatches == {
        "st-DAT": "✓",
        "st-KHONG_DAT": "✗",
        "st-KHONG_DU_DU_LIEU": "?",
        "st-KHONG_SO_SANH_DUOC": "±",
    }
    assert "Không so sánh được" in legend.text and "Not comparable" in legend.text
    style = labels.status_style("KHONG_SO_SANH_DUOC")
    others = {labels.status_style(s).fill for s in labels.STATUSES}
    assert style.fill == "#CC79A7" and style.fill not in others  # Okabe-Ito reddish purple
    assert len({labels.status_style(s).symbol for s in labels.STATUSES_NEW_UNITS}) == 4
    css = (root / "86" / "2025" / "scorecard.html").read_text(encoding="utf-8")
    assert "--kss: #CC79A7" in css and ".st-KHONG_SO_SANH_DUOC" in css
    assert doc.find(id="interval-note") is not None


def test_years_before_2025_keep_three_statuses():
    assert labels.statuses_of(2023) == labels.STATUSES
    assert "KHONG_SO_SANH_DUOC" not in labels.statuses_of(2024)
    assert labels.statuses_of(2025)[-1] == "KHONG_SO_SANH_DUOC"


def test_each_unit_lists_its_predecessors_and_the_figure_in_words(published_2025):
    root, _ = published_2025
    doc = page(root, "86", 2025)
    for new_code in UNITS:
        panel = doc.find("details", id=f"xa-{new_code}")
        items = panel.find(data_field="lineage").find_all("li")
        expected = sorted((o, r) for o, _n, _d, _p, n, r in LINEAGE if n == new_code)
        assert sorted((li.attrs["data-old-code"], li.attrs["data-relation"]) for li in items) == (
            expected
        )
    split = doc.find("details", id="xa-29719").find("li", data_old_code="29719")
    assert "một phần (xã bị chia tách)" in split.text and "a split commune" in split.text
    row = doc.find("details", id="xa-29719").find("tr", data_criterion="ANTT_04")
    figure = row.find(data_field="figure")
    assert figure.attrs["data-interval"] == "1"
    assert "khoảng từ -2 đến 2" in figure.text and "an interval from -2 to 2" in figure.text
    exact = doc.find("details", id="xa-29386").find("tr", data_criterion="ANTT_06")
    assert exact.find(data_field="figure").text.startswith("chính xác")
    # heatmap rows show the predecessors' codes too
    head = doc.find("tr", data_commune="29386").find(data_field="predecessors")
    assert head.text == "← 29386, 29389, 29392"


def test_no_district_level_in_2025(published_2025):
    root, _ = published_2025
    doc = page(root, "86", 2025)
    assert doc.find_all(id="huyen") == []
    cards = [c.attrs["data-level"] for c in doc.find_all("div", class_="card")]
    assert cards == list(labels.COMMUNE_LEVELS)
    counts = doc.find("td", data_count="NTM_NANG_CAO:KHONG_SO_SANH_DUOC")
    assert counts.text == "1"
    summary = json.loads((root / "86" / "2025" / "summary.json").read_text(encoding="utf-8"))
    assert summary["levels"]["NTM"] == {
        "DAT": 1,
        "KHONG_DAT": 1,
        "KHONG_DU_DU_LIEU": 1,
        "KHONG_SO_SANH_DUOC": 1,
    }
    assert summary["province_name"] == "Tỉnh Vĩnh Long"


def test_the_workbook_shows_predecessors_and_intervals(published_2025):
    root, _ = published_2025
    wb = load_workbook(root / "86" / "2025" / "scorecard.xlsx")
    assert "Huyen NTM" not in wb.sheetnames and LINEAGE_SHEET in wb.sheetnames
    lineage = [r for r in wb[LINEAGE_SHEET].iter_rows(min_row=3, values_only=True)]
    assert len(lineage) == len(LINEAGE)
    assert (
        "29719",
        "Xã Tam Bình",
        "29719",
        "Thị trấn Tam Bình",
        "860",
        "một phần (xã bị chia tách) / part of it (a split commune)",
    ) in lineage
    ntm = wb["NTM"]
    assert ntm.cell(2, 1).value == "Hình thành từ / Formed from"
    by_code = {r[1]: r for r in ntm.iter_rows(min_row=3, values_only=True)}
    assert by_code["29719"][0] == (
        "Xã Mỹ Thạnh Trung (29755, nhập toàn bộ / whole); Thị trấn Tam Bình (29719, một phần "
        "(xã bị chia tách) / part of it (a split commune))"
    )
    assert by_code["29719"][6] == "± Không so sánh được / Not comparable"
    reasons = wb[REASONS_SHEET]
    heads = [c.value for c in reasons[2]]
    assert heads[-4:] == [
        "Cận dưới / Low",
        "Cận trên / High",
        "Chính xác hay khoảng / Exact or interval",
        "Giá trị bất thường cần kiểm tra / Unusual input values to check",
    ]
    rows = {(r[2], r[4]): r for r in reasons.iter_rows(min_row=3, values_only=True)}
    assert rows[("29719", "ANTT_06")][12:15] == (
        -20,
        45.45,
        "khoảng từ -20 đến 45.45 (có xã tiền thân bị chia tách) / an interval from -20 to "
        "45.45 (a predecessor commune was split)",
    )
    assert rows[("29386", "ANTT_06")][14] == "chính xác / exact"


def test_a_2026_page_says_why_nothing_is_evaluated(published_2025):
    root, written = published_2025
    doc = page(root, "86", 2026)
    box = doc.find(id="not-evaluated")
    assert "không được đánh giá" in box.text and "is not evaluated" in box.text
    assert "2021–2025" in box.text and "51/2025/QĐ-TTg" in box.text
    rejected = page(root, "86", 2026, "rejected_files.html")
    assert "CAX29386_2026-02_chi_tieu.csv" in rejected.text
    summary = json.loads((root / "86" / "2026" / "summary.json").read_text(encoding="utf-8"))
    assert summary["communes"] == 0 and "not_evaluated" in summary
    assert not (root / "86" / "2026" / "scorecard.xlsx").exists()


def test_the_index_lists_the_years_each_province_can_be_evaluated(published_2025):
    root, _ = published_2025
    doc = parse((root / "index.html").read_text(encoding="utf-8"))
    rows = {
        tr.attrs["data-evaluable-province"]: tr
        for tr in doc.find(id="evaluable-years").find_all("tr", data_evaluable_province=True)
    }
    assert rows["86"].find(data_field="years").text == "2021–2025"
    years = {tr.attrs["data-year"] for tr in doc.find_all("tr", data_province="86")}
    assert years == {"2025", "2026"}
    entry = doc.find("tr", data_province="86", data_year="2026")
    assert "not evaluated" in entry.text


@pytest.mark.parametrize(
    ("old", "new", "years"),
    [(True, True, "2021–2025"), (True, False, "2021–2024"), (False, True, "2025")],
)
def test_evaluable_years_follow_the_units_of_each_year(old, new, years):
    """86 and 01 name a province in both lists, 84 and 83 only in the old one."""
    sets = CriteriaSets({"2021-2025": (2021, 2025)})
    assert year_ranges(evaluable_years(sets, old, new)) == years


def test_a_year_after_every_set_is_not_evaluated():
    sets = CriteriaSets({"2021-2025": (2021, 2025), "2016-2020": (2016, 2020)})
    assert sets.after_every_set(2026) and not sets.after_every_set(2025)
    assert not sets.after_every_set(2015)


def test_year_ranges():
    assert year_ranges([2021, 2022, 2023, 2025]) == "2021–2023, 2025"
    assert year_ranges([]) == "—"


def test_months_before_july_2025_are_read_from_the_predecessors(published_2025):
    """A kept code names another territory before July 2025: the unit's months then are its
    predecessors' (complete when all are), the split town counted between none and all."""
    root, _ = published_2025
    doc = page(root, "86", 2025)
    for code in UNITS:
        panel = doc.find("details", id=f"xa-{code}")
        for year in ("2024", "2025"):
            assert "đủ 12 tháng" in panel.find(data_missing_year=year).text, (code, year)
    chart = doc.find("details", id="xa-29719").find("svg")
    intervals = [r for r in chart.iter() if r.tag == "rect" and r.has_class("interval")]
    assert len(intervals) == 12 + 6  # 2024 and January–June 2025: Mỹ Thạnh Trung 1, TT Tam Bình 2
    assert intervals[0].find("title").text == "01/2024: 1–3 (khoảng / interval)"
    song_loc = doc.find("details", id="xa-29386").find("svg")
    assert not [r for r in song_loc.iter() if r.tag == "rect" and r.has_class("interval")]
    # three whole predecessors, one theft each: 3 a month before July 2025, 1 after
    assert "2024: 36" in song_loc.text and "2025: 24" in song_loc.text


def test_the_2025_stand_ins_have_the_contract_columns(published_2025):
    import report_marts_fixture as fixture

    from antt.warehouse import connect

    with connect(role="reader") as conn:
        stand_ins = fixture.stand_in_columns(conn)
    assert "commune_lineage" in stand_ins
    assert fixture.unlike_the_models(stand_ins) == []
