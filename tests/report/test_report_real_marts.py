"""The reviewer outputs over the real dbt marts: sample set → antt ingest → dbt build → report."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import psycopg
import pytest
import report_marts_fixture as fixture
from html_tree import parse
from psycopg.rows import dict_row

from antt.cli import main
from antt.orchestration.publish_tasks import publish_scope, report_scopes
from antt.report import build_reports, labels
from antt.report.page import render_rejected
from antt.report.rejected import (
    FIRST_ERRORS,
    RejectedFile,
    SubmissionError,
    load_rejected,
    submission_year,
)
from antt.warehouse import connect

# How the pages read the register before the register marts (as the owner here, as
# antt_loader then): the reference the marts must reproduce.
RAW_REJECTED = """
    SELECT submission_id, file_name, unit_code, dataset, period, received_at, error_count,
           report_path
    FROM raw.submissions WHERE status = 'rejected' ORDER BY received_at, submission_id
"""
RAW_ERRORS = """
    SELECT error_no, sheet, source_row, column_name, cell_value, code, message_vi, message_en
    FROM audit.submission_errors WHERE submission_id = %s AND error_no <= %s ORDER BY error_no
"""


def rejected_from_raw(url: str, year: int) -> list[RejectedFile]:
    """The sample's rejected files of `year` (all of Trà Vinh), read from raw as the owner."""
    with psycopg.connect(url) as conn:
        cur = conn.cursor(row_factory=dict_row)
        files = []
        for sub in cur.execute(RAW_REJECTED).fetchall():
            if submission_year(sub["period"]) != year:
                continue
            errors = cur.execute(RAW_ERRORS, (sub["submission_id"], FIRST_ERRORS)).fetchall()
            files.append(
                RejectedFile(**sub, attributed=True, errors=[SubmissionError(**e) for e in errors])
            )
    return files


pytestmark = pytest.mark.slow


def test_outputs_equal_the_dbt_marts(warehouse_url, antt_home, tmp_path):
    from antt import transform
    from antt.sample import sample_set

    manifest = sample_set.generate(tmp_path / "sample", "84", (2022, 2023))
    batches = sorted(p for p in (tmp_path / "sample").iterdir() if p.is_dir())
    assert main(["ingest", *map(str, batches)]) == 1  # the sample's rejects
    run = transform.build()
    assert run.success, run.output[-3000:]

    root = tmp_path / "published"
    written = build_reports(2023, None, root, docs=False)
    assert {p.name for p in written} >= {"scorecard.html", "scorecard.xlsx", "index.html"}

    with connect(role="reader") as conn:
        criteria = conn.execute(
            "SELECT commune_code, criterion_code, status, detail FROM marts.commune_criteria"
            " WHERE year = 2023"
        ).fetchall()
        levels = conn.execute(
            "SELECT commune_code, ntm_status, ntm_nang_cao_status, ntm_kieu_mau_status"
            " FROM marts.commune_scorecard WHERE year = 2023 AND province_code = '84'"
        ).fetchall()
    assert len(levels) == 104 and len(criteria) == 1040

    # the dimensions the outputs read, as dbt builds them, are those the stand-ins copy: the
    # catalogue row for row, every dimension column for column
    with connect(role="reader") as conn:
        catalogue = conn.execute(
            "SELECT * FROM marts.dim_criterion ORDER BY criteria_set, sort_order"
        ).fetchall()
    assert catalogue == fixture.catalogue_rows()
    with psycopg.connect(warehouse_url) as conn:
        conn.execute(fixture.DIMENSIONS_DDL.replace("marts.", "pg_temp."))
        for name in fixture.DIMENSIONS:
            real, stand_in = (
                conn.execute(
                    "SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute"
                    " WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
                    (f"{schema}.{name}",),
                ).fetchone()[0]
                for schema in ("marts", "pg_temp")
            )
            assert real == stand_in, name

    doc = parse((root / "84/2023/scorecard.html").read_text(encoding="utf-8"))
    shown = {
        (tr.attrs["data-commune"], td.attrs["data-criterion"]): td.attrs["data-status"]
        for tr in doc.find_all("tr", data_commune=True)
        for td in tr.find_all("td", data_criterion=True)
    }
    assert shown == {(c, k): s for c, k, s, _ in criteria}
    for commune, crit, _status, detail in criteria:
        row = doc.find("details", id=f"xa-{commune}").find("tr", data_criterion=crit)
        assert row.find(data_field="detail").text == (detail or "—")
    for idx, level in enumerate(labels.COMMUNE_LEVELS, start=1):
        for status in labels.STATUSES:
            count = sum(1 for row in levels if row[idx] == status)
            assert doc.find("td", data_count=f"{level}:{status}").text == str(count)

    ws = openpyxl.load_workbook(root / "84/2023/scorecard.xlsx")["NTM"]
    in_book = {row[1]: row[6] for row in ws.iter_rows(min_row=3, values_only=True)}
    assert {code: text.split(" / ")[0].split(" ", 1)[1] for code, text in in_book.items()} == {
        code: labels.status_style(ntm).label.vi for code, ntm, _, _ in levels
    }

    expected_rejects = sorted(
        Path(f.path).name
        for f in manifest.by_status("rejected")
        if (f.period or "").startswith("2023")
    )
    rejected = parse((root / "84/2023/rejected_files.html").read_text(encoding="utf-8"))
    listed = [
        tr.find("a").text
        for tr in rejected.find("table", id="rejected-summary").find_all("tr", data_submission=True)
    ]
    assert sorted(listed) == expected_rejects and listed

    # the rejected-files page over the register marts, read as antt_reader, is the page the
    # loader's raw read gave (every sample file names a unit of Trà Vinh)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for year in (2022, 2023):
        with connect(role="reader") as conn:
            from_marts = load_rejected(conn, year, "84")
        expected = rejected_from_raw(warehouse_url, year)
        assert from_marts == expected
        assert render_rejected(from_marts, year, "84", "Trà Vinh", FIRST_ERRORS, now) == (
            render_rejected(expected, year, "84", "Trà Vinh", FIRST_ERRORS, now)
        )
    assert sum(len(f.errors) for f in expected) > len(expected)  # errors were compared too

    # the file sent under a name that gives no period is listed under "kỳ không xác định" of the
    # province its unit code names, never as a report of the year it arrived; a province whose
    # only file was rejected gets its page, live from the register (no dbt build after the load)
    other = tmp_path / "other" / "CAT01_2023-06_chi_tieu.csv"
    other.parent.mkdir()
    other.write_text("not a header\n", encoding="utf-8")
    assert main(["ingest", str(other)]) == 1
    unparsed = next(Path(f.path).name for f in manifest.by_status("rejected") if not f.period)
    scopes = report_scopes()
    assert {"province": "01", "year": 2023} in scopes
    assert {s["year"] for s in scopes if s["province"] == "84"} == {2022, 2023}
    out = tmp_path / "dag"
    publish_scope("01", 2023, out)
    page = parse((out / "01/2023/rejected_files.html").read_text(encoding="utf-8"))
    assert [a.text for a in page.find("table", id="rejected-summary").find_all("a")] == [other.name]
    unknown_period = (out / "84/ky-khong-xac-dinh/rejected_files.html").read_text(encoding="utf-8")
    assert unparsed in unknown_period
