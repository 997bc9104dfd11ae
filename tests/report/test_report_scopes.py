"""What antt_publish publishes: every (province, year) with a scorecard or with files received
(report_scopes), each published by publish_scope even without a scorecard; and the demo's list
of rejected files, read as antt_reader like the pages."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
from html_tree import parse

from antt.errors import AnttError
from antt.orchestration.publish_tasks import publish_scope, report_scopes
from antt.report import build_reports
from antt.report.data import Provinces
from antt.report.rejected import UnitDirectory, submission_province, submission_year

UNITS = UnitDirectory(
    district_province={"847": "84"},
    old_commune_province={},
    new_unit_province={},
    provinces=Provinces(old={"84": "Tỉnh Trà Vinh"}, new={}, absorbing={}),
)


def listed(page) -> list[str]:
    doc = parse(page.read_text(encoding="utf-8"))
    table = doc.find("table", id="rejected-summary")
    return [a.text for a in table.find_all("a")] if table else []


def test_scopes_add_provinces_and_years_with_files_but_no_scorecard(shared_marts):
    # 84/2023 has a scorecard; 01/2023 (CAT01) and 84/2022 (CAT84) only rejected files; the
    # file of no known unit makes no scope of its own
    assert report_scopes() == [
        {"province": "01", "year": 2023},
        {"province": "84", "year": 2023},
        {"province": "84", "year": 2022},
    ]


def test_a_province_whose_only_file_was_rejected_gets_its_page_from_the_dag(shared_marts, tmp_path):
    for scope in report_scopes():
        publish_scope(scope["province"], scope["year"], tmp_path)
    assert listed(tmp_path / "01/2023/rejected_files.html") == ["CAT01_2023-06_chi_tieu.csv"]
    assert listed(tmp_path / "don-vi-khong-xac-dinh/rejected_files.html") == [
        "bao_cao_thang_6.xlsx"
    ]
    assert not (tmp_path / "01/2023/scorecard.html").exists()
    assert listed(tmp_path / "84/2022/rejected_files.html") == ["CAT84_2022-12_su_vu.csv"]
    assert (tmp_path / "84/2023/scorecard.html").exists()
    index = parse((tmp_path / "index.html").read_text(encoding="utf-8"))
    assert {
        (tr.attrs["data-province"], tr.attrs["data-year"])
        for tr in index.find_all("tr", data_province=True)
    } == {
        ("01", "2023"),
        ("84", "2023"),
        ("84", "2022"),
    }


def _register(url: str, unit: str | None, name: str, status: str, period: str | None) -> None:
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO raw.submissions (unit_code, dataset, period, file_name, sha256,"
            " size_bytes, status, received_at, accepted_at, error_count)"
            " VALUES (%s, 'chi_tieu', %s, %s, md5(%s) || md5(%s), 10, %s, %s, %s, %s)",
            (
                unit,
                period,
                name,
                name,
                name + "x",
                status,
                datetime(2024, 1, 5, tzinfo=UTC),
                datetime(2024, 1, 5, tzinfo=UTC) if status == "accepted" else None,
                1 if status == "rejected" else 0,
            ),
        )


def test_a_scope_without_scorecard_or_rejected_file_publishes_an_empty_page(marts_url, tmp_path):
    # accepted after the last dbt build: the live register knows it, the scorecard not yet
    _register(marts_url, "CAT02", "CAT02_2023-05_chi_tieu.csv", "accepted", "2023-05")
    assert {"province": "02", "year": 2023} in report_scopes()
    written = publish_scope("02", 2023, tmp_path)
    assert sorted(p.rsplit("/", 1)[-1] for p in written) == [
        "index.html",
        "rejected_files.csv",
        "rejected_files.html",
        "summary.json",
    ]
    doc = parse((tmp_path / "02/2023/rejected_files.html").read_text(encoding="utf-8"))
    assert "No file was rejected" in doc.find("p", id="no-rejected").text
    # a province with no file at all in that year is still an error, not an empty page
    with pytest.raises(AnttError, match="no scorecard for province 02 in 2022"):
        build_reports(2022, "02", tmp_path, docs=False)


def test_a_file_whose_name_gives_no_period_is_listed_under_period_unknown(marts_url, tmp_path):
    # received in 2024: never published as a report of 2024, the year it arrived
    _register(marts_url, None, "CAH847_T09-2023_chi_tieu.csv", "rejected", None)
    assert {"province": "84", "year": 2024} not in report_scopes()
    publish_scope("84", 2023, tmp_path)
    assert not (tmp_path / "84/2024").exists()
    assert "CAH847_T09-2023" not in (tmp_path / "84/2023/rejected_files.html").read_text("utf-8")
    page = tmp_path / "84/ky-khong-xac-dinh/rejected_files.html"
    assert listed(page) == ["CAH847_T09-2023_chi_tieu.csv"]
    doc = parse(page.read_text(encoding="utf-8"))
    assert doc.find("h1", id="scope").attrs["data-scope"] == "period_unknown"
    assert "kỳ không xác định" in doc.find("h1").text and "period unknown" in doc.find("h1").text
    index = parse((tmp_path / "index.html").read_text(encoding="utf-8"))
    kinds = {li.attrs["data-kind"]: li.find("a").attrs["href"] for li in index.find_all("li")}
    assert kinds["period_unknown"] == "84/ky-khong-xac-dinh/rejected_files.html"


def test_an_unplaced_page_goes_when_nothing_is_left_on_it(marts_url, tmp_path):
    stale = tmp_path / "84/ky-khong-xac-dinh"
    stale.mkdir(parents=True)
    (stale / "rejected_files.html").write_text("old", encoding="utf-8")
    publish_scope("84", 2023, tmp_path)
    assert not stale.exists()


@pytest.mark.parametrize(
    ("period", "year"), [("2023-06", 2023), ("2022", 2022), (None, None), ("T09-2023", None)]
)
def test_submission_year(period, year):
    assert submission_year(period) == year


@pytest.mark.parametrize(
    ("unit", "name", "province"),
    [
        ("CAH847", "x.csv", "84"),
        (None, "CAH847_T09-2023_chi_tieu.csv", "84"),
        ("CAH999", "CAH999_2023-06_chi_tieu.csv", None),
        (None, "bao_cao.xlsx", None),
    ],
)
def test_submission_province(unit, name, province):
    assert submission_province(unit, name, UNITS) == province


def test_demo_summary_reads_rejected_files_as_reader(shared_marts):
    from antt.local_airflow.demo_summary import rejected_files

    rows = {r["file_name"]: r for r in rejected_files()}
    assert set(rows) == {
        "CAH847_2023-06_chi_tieu.xlsx",
        "CAT01_2023-06_chi_tieu.csv",
        "bao_cao_thang_6.xlsx",
        "CAT84_2022-12_su_vu.csv",
    }
    first = rows["CAH847_2023-06_chi_tieu.xlsx"]
    assert (first["error_count"], first["source_row"], first["message_en"]) == (
        3,
        5,
        "Negative value on row 5",
    )
