"""Rendering helpers without a database: number formats, code ranges, the SVG chart, escaping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from html_tree import parse

from antt.report.chart import ttxh_chart
from antt.report.data import MonthValue
from antt.report.labels import comparison_symbol, status_style
from antt.report.page import code_ranges, fmt, fmt_threshold
from antt.report.publish import csv_safe, human_size


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "—"),
        (Decimal("4.7600"), "4.76"),
        (Decimal("5.000"), "5"),
        (Decimal("0"), "0"),
        (0.875, "0.88"),
        (-42.857, "-42.86"),
        (21, "21"),
        ("TOT", "TOT"),
    ],
)
def test_fmt(value, shown):
    assert fmt(value) == shown


def test_threshold_carries_the_comparison():
    from antt.report.data import CriterionResult

    result = CriterionResult("ANTT_06", "NTM_NANG_CAO", "DAT", Decimal("6"), Decimal("5"), "", ">=")
    assert fmt_threshold(result) == "≥ 5"
    assert fmt_threshold(None) == "—"
    assert comparison_symbol("<=") == "≤" and comparison_symbol(None) == ""


def test_code_ranges():
    assert code_ranges([f"ANTT_{i:02d}" for i in range(1, 11)]) == "01–10"
    assert code_ranges(["ANTT_01", "ANTT_03", "ANTT_H1", "ANTT_H2"]) == "01, 03, H1–H2"
    assert code_ranges([]) == ""


def test_status_styles_are_distinct_without_colour():
    symbols = {status_style(s).symbol for s in ("DAT", "KHONG_DAT", "KHONG_DU_DU_LIEU", None)}
    assert len(symbols) == 4


def test_chart_bars_gaps_and_totals():
    series = [MonthValue(date(2022, m, 1), m) for m in range(1, 13)]
    series += [MonthValue(date(2023, m, 1), None if m in (3, 7) else 1) for m in range(1, 13)]
    svg = parse(ttxh_chart(series, 2023)).find("svg")
    assert svg.attrs["aria-label"] == "TTXH 2022: 78, 2023: 10"
    assert len(svg.find_all("rect")) == 12 + 10 + 2  # bars + legend swatches
    gaps = [t for t in svg.find_all("text", class_="gap")]
    assert [g.find("title").text.split(":")[0] for g in gaps] == ["03/2023", "07/2023"]
    assert "2023: 10, thiếu 2 tháng" in svg.text


def test_chart_of_a_commune_that_never_reported():
    series = [MonthValue(date(y, m, 1), None) for y in (2022, 2023) for m in range(1, 13)]
    svg = parse(ttxh_chart(series, 2023)).find("svg")
    assert len(svg.find_all("text", class_="gap")) == 24


def test_csv_safe_and_sizes():
    assert csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_safe("+1") == "'+1" and csv_safe("@x") == "'@x" and csv_safe("-1") == "'-1"
    assert csv_safe("Hòa Minh") == "Hòa Minh" and csv_safe(None) == ""
    assert human_size(512) == "512 B" and human_size(2048) == "2.0 KB"
    assert human_size(3 * 1024 * 1024) == "3.0 MB"


def test_workbook_text_never_becomes_a_formula(tmp_path):
    import openpyxl

    from antt.report.workbook import put

    wb = openpyxl.Workbook()
    put(wb.active, 1, 1, '=HYPERLINK("http://x")')
    put(wb.active, 1, 2, 5)
    wb.save(tmp_path / "t.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x")'


def test_times_are_shown_in_vietnam_time(monkeypatch):
    from datetime import UTC, datetime

    from antt.errors import AnttError
    from antt.report.page import local_time

    moment = datetime(2023, 7, 3, 9, 30, tzinfo=UTC)
    assert local_time(moment) == "03/07/2023 16:30 (UTC+07)"
    monkeypatch.setenv("ANTT_TIMEZONE", "UTC")
    assert local_time(moment) == "03/07/2023 09:30 (UTC+00)"
    monkeypatch.setenv("ANTT_TIMEZONE", "Mars/Olympus")
    with pytest.raises(AnttError, match="unknown time zone"):
        local_time(moment)
