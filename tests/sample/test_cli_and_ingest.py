"""`antt sample` on the command line, and the whole set through the real ingestion."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest

from antt.cli import main
from antt.sample import load_manifest
from antt.sample.manifest import BATCH_CORRECTIONS, BATCH_INITIAL
from antt.sample.units import load_indicators


def test_cli_writes_the_sample_and_reports_bad_input(tmp_path, capsys, antt_home):
    out = tmp_path / "out"
    assert main(["sample", "--province", "84", "--years", "2023", "--out", str(out)]) == 0
    manifest = load_manifest(out)
    assert manifest.years == [2023] and (out / BATCH_INITIAL).is_dir()
    assert "sample written to" in capsys.readouterr().out
    assert main(["sample", "--years", "2022", "2024", "--out", str(tmp_path / "x")]) == 1
    assert "consecutive" in capsys.readouterr().err
    assert main(["sample", "--province", "99", "--out", str(tmp_path / "y")]) == 1
    assert "unknown province" in capsys.readouterr().err
    assert main(["sample", "--years", "2019", "2020", "--out", str(tmp_path / "z")]) == 1
    assert "2021–2025" in capsys.readouterr().err


def test_cli_default_folder_is_under_antt_home(antt_home, monkeypatch):
    calls = []

    def fake_generate(out_dir, province, years):
        calls.append((out_dir, province, years))
        return SimpleNamespace(files=[], scenarios=[])

    monkeypatch.setattr("antt.sample.sample_set.generate", fake_generate)
    assert main(["sample", "--years", "2022", "2023"]) == 0
    assert calls == [(Path(antt_home).resolve() / "sample", "84", [2022, 2023])]


@pytest.mark.slow
def test_the_whole_sample_loads_with_exactly_the_expected_outcomes(
    sample, warehouse_url, antt_home
):
    from antt import ingest

    started = time.perf_counter()
    outcomes = []
    for batch in (BATCH_INITIAL, BATCH_CORRECTIONS):
        outcomes += ingest.ingest_paths([sample.out_dir / batch], move=False)
    seconds = time.perf_counter() - started
    expected = {f.path: f for f in sample.files}
    got = {str(Path(o.path).relative_to(sample.out_dir)): o for o in outcomes}
    assert set(got) == set(expected)
    wrong = {
        p: (o.status, expected[p].expected_status)
        for p, o in got.items()
        if o.status != expected[p].expected_status
    }
    assert wrong == {}
    for path, outcome in got.items():
        if outcome.status == "rejected":
            codes = {e.code for e in outcome.errors}
            # One reason per file: every error found is of the expected kind.
            assert codes == {expected[path].expected_error_code}, (path, codes)
    with psycopg.connect(warehouse_url) as conn:
        accepted = conn.execute(
            "SELECT count(*) FROM raw.submissions WHERE status = 'accepted'"
        ).fetchone()[0]
        replaced = conn.execute(
            "SELECT file_name FROM raw.submissions WHERE replaces_submission_id IS NOT NULL"
        ).fetchall()
        chi_tieu_rows = conn.execute("SELECT count(*) FROM raw.chi_tieu").fetchone()[0]
    assert accepted == sum(f.expected_status == "accepted" for f in sample.files)
    corrections = sorted(Path(f.path).name for f in sample.files if f.role == "correction")
    assert sorted(r[0] for r in replaced) == corrections
    # One raw row per (commune, indicator): a wide row holds all 22 indicators.
    assert chi_tieu_rows == sum(
        f.rows * (len(load_indicators()) if f.layout == "wide" else 1)
        for f in sample.files
        if f.dataset == "chi_tieu" and f.expected_status == "accepted"
    )
    print(f"ingested {len(outcomes)} sample files in {seconds:.1f} s")
