"""The reviewer outputs over the real dbt marts: sample set → antt ingest → dbt build → report."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from html_tree import parse

from antt.cli import main
from antt.report import build_reports, labels
from antt.warehouse import connect

pytestmark = pytest.mark.slow


def test_outputs_equal_the_dbt_marts(warehouse_url, antt_home, tmp_path):
    sample_set = pytest.importorskip("antt.sample.sample_set")
    transform = pytest.importorskip("antt.transform")
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
