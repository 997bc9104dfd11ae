"""The benchmark still runs: generator and harness on one province and one month.

No timing assertions: only that the data follows the contract and every phase loads the same rows.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import generate_national as gn
import psycopg
import pytest
from dbt_national import next_period
from ingest_national import consistency, ratios, use_statement_check

from antt.warehouse import sqlalchemy_url

REPO_ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = REPO_ROOT / "bench"
INDICATORS = gn.indicator_codes()


def _communes(province: str) -> list[gn.Commune]:
    return gn.communes_by_province()[province]


def _long_rows_of(path: Path) -> list[list[str]]:
    """Rebuild raw.chi_tieu's long rows (source_row, ma_xa, ma_chi_tieu, gia_tri, ten_xa)."""
    with path.open(encoding="utf-8", newline="") as fh:
        lines = list(csv.reader(fh))
    header, body = lines[0], lines[1:]
    rows = []
    if header[:2] == ["Mã xã", "Tên xã"]:
        assert header[2:] == INDICATORS
        for line_no, (code, name, *values) in enumerate(body, start=2):
            rows += [
                [str(line_no), code, ind, v, name]
                for ind, v in zip(INDICATORS, values, strict=True)
            ]
    else:
        assert header == ["ma_xa", "ma_chi_tieu", "gia_tri"]
        rows = [[str(n), code, ind, v, ""] for n, (code, ind, v) in enumerate(body, start=2)]
    return rows


def test_generator_writes_contract_files_and_matching_long_rows(tmp_path):
    periods = gn.periods_of(2023, 3)
    result = gn.generate(tmp_path / "set", ["84"], periods)
    communes = _communes("84")

    assert not result.reused
    assert [f.path for f in result.files] == [f"CAT84_{p}_chi_tieu.csv" for p in periods]
    assert {f.layout for f in result.files} == {"wide", "long"}  # 84 + 3 is a long month
    assert result.rows == len(communes) * len(INDICATORS) * 3

    with result.rows_csv.open(encoding="utf-8", newline="") as fh:
        prepared = list(csv.reader(fh))
    assert len(prepared) == result.rows
    for f in result.files:
        mine = [r[1:6] for r in prepared if r[0] == str(f.submission_id)]
        assert mine == _long_rows_of(tmp_path / "set" / f.path)
        codes = {r[1] for r in mine}
        assert codes == {c.code for c in communes}
        values = [r[3] for r in mine]
        assert all(v == "" or (v.isdigit() and int(v) < 100) for v in values)
        assert sum(v == "" for v in values) == f.blanks


def test_generator_is_deterministic_and_cached(tmp_path):
    first = gn.generate(tmp_path / "a", ["84"], ["2023-01"])
    second = gn.generate(tmp_path / "b", ["84"], ["2023-01"])
    name = first.files[0].path
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()

    again = gn.generate(tmp_path / "a", ["84"], ["2023-01"])
    assert again.reused
    assert again.files == first.files

    (tmp_path / "a" / name).write_text("truncated", encoding="utf-8")
    rebuilt = gn.generate(tmp_path / "a", ["84"], ["2023-01"])
    assert not rebuilt.reused
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert second.files == rebuilt.files


def test_generator_rejects_bad_scope(tmp_path):
    with pytest.raises(ValueError, match="unknown province"):
        gn.generate(tmp_path, ["99"], ["2023-01"])
    with pytest.raises(ValueError, match="months"):
        gn.periods_of(2023, 13)


def test_national_scope_covers_every_commune():
    by_province = gn.communes_by_province()
    assert len(by_province) == 63
    assert sum(len(c) for c in by_province.values()) == 10_035
    assert len(INDICATORS) == 22


def test_ratio_and_consistency_helpers():
    phases = {
        "antt_ingest": {"status": "ok", "rows": 10, "non_null": 9, "sum": 4, "rows_per_s": 300},
        "raw_copy": {"status": "ok", "rows": 10, "non_null": 9, "sum": 4, "rows_per_s": 500},
        "pandas_to_sql": {"status": "ok", "rows": 10, "non_null": 9, "sum": 5, "rows_per_s": 40},
        "raw_copy_alt": {"status": "ok", "rows": 10, "non_null": 9, "sum": 4, "rows_per_s": 900},
    }
    r = ratios(phases)
    assert r["ingest_over_copy"] == 0.6 and r["ingest_over_copy_met"]
    assert r["ingest_over_pandas"] == 7.5 and not r["ingest_over_pandas_met"]
    assert r["ingest_over_copy_alt"] == 0.333
    checks = consistency({"rows": 10, "non_null": 9, "sum": 4}, phases)
    assert checks == {
        "antt_ingest": True,
        "raw_copy": True,
        "pandas_to_sql": False,
        "raw_copy_alt": True,
    }
    assert ratios({"antt_ingest": {"status": "unavailable"}}) == {}


def test_url_and_period_helpers():
    assert sqlalchemy_url("postgresql://u@h:5/db") == "postgresql+psycopg://u@h:5/db"
    assert sqlalchemy_url("postgresql://u@/db?host=/s") == "postgresql+psycopg://u@/db?host=%2Fs"
    assert next_period("2023-12") == "2024-01"
    assert next_period("2023-06") == "2023-07"


def _run_bench(tmp_path: Path, server: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            str(BENCH_DIR / "ingest_national.py"),
            "--provinces",
            "84",
            "--months",
            "1",
            "--server",
            server,
            "--data-dir",
            str(tmp_path / "data"),
            "--results-dir",
            str(tmp_path / "results"),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_ingest_benchmark_runs_on_one_province_month(tmp_path, pg_admin_url):
    results_dir = tmp_path / "results"
    proc = _run_bench(tmp_path, pg_admin_url, "--rounds", "2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads((results_dir / "ingest_national.json").read_text(encoding="utf-8"))
    expected_rows = len(_communes("84")) * len(INDICATORS)
    assert results["expected"]["rows"] == expected_rows
    assert results["dataset"]["files"] == 1
    phases = results["phases"]
    for name in ("raw_copy", "raw_copy_alt", "pandas_to_sql"):
        assert phases[name]["status"] == "ok"
        assert phases[name]["rows"] == expected_rows
        assert phases[name]["rows_per_s"] > 0
        assert results["consistency"][name] is True
    assert phases["antt_ingest"]["status"] == "ok", phases["antt_ingest"]
    assert phases["antt_ingest"]["outcomes"] == {"accepted": 1}
    assert phases["antt_ingest"]["workers"] >= 1
    assert results["consistency"]["antt_ingest"] is True
    assert results["ratios"]["ingest_over_copy"] > 0
    assert results["diagnostics"]["validate_only"]["rows"] == expected_rows
    assert len(results["rounds"]) == 2
    assert all(
        len(phase["rounds_rows_per_s"]) == 2
        for phase in phases.values()
        if "rounds_rows_per_s" in phase
    )
    assert results["machine"]["postgres"]
    assert results["submission_check"] == "as-bootstrapped"
    tables = results["copy_tables"]
    assert tables["alt_foreign_key"] is not tables["equivalent_foreign_key"]
    assert tables["equivalent_foreign_key"] is tables["raw_chi_tieu_foreign_key"]
    assert all(p["client_cpu_seconds"] >= 0 for p in phases.values() if "seconds" in p)
    markdown = (results_dir / "ingest_national.md").read_text(encoding="utf-8")
    assert "rows/s" in markdown and "(b) raw COPY" in markdown
    assert "raw_copy" in proc.stdout


def test_statement_trigger_experiment_runs_and_loads_the_same_rows(tmp_path, pg_admin_url):
    results_dir = tmp_path / "results"
    proc = _run_bench(
        tmp_path,
        pg_admin_url,
        "--skip-pandas",
        "--rounds",
        "2",
        "--submission-check",
        "statement-trigger",
        "--ingest-workers",
        "1",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    path = results_dir / "ingest_national_statement_trigger_workers1.json"
    results = json.loads(path.read_text(encoding="utf-8"))
    assert results["submission_check"] == "statement-trigger"
    assert results["phases"]["antt_ingest"]["workers"] == 1
    assert "pandas_to_sql" not in results["phases"]
    assert all(results["consistency"].values())
    assert not (results_dir / "ingest_national.json").exists()


def test_statement_check_refuses_unknown_submission_ids(warehouse_url):
    """The experiment keeps the foreign key's guarantee: no row without its register entry."""
    with psycopg.connect(warehouse_url) as conn:
        use_statement_check(conn, "raw.chi_tieu", "raw.submissions")
        conn.commit()
        foreign_keys = conn.execute(
            "SELECT count(*) FROM pg_constraint"
            " WHERE conrelid = 'raw.chi_tieu'::regclass AND contype = 'f'"
        ).fetchone()
        assert foreign_keys == (0,)
        submission_id = conn.execute(
            "INSERT INTO raw.submissions (file_name, sha256, size_bytes, status)"
            " VALUES ('x.csv', repeat('a', 64), 1, 'rejected') RETURNING submission_id"
        ).fetchone()[0]
        rows = f"{submission_id}\t2\t29236\tTP_GIET_NGUOI\t0\t\\N\t\\N\n"
        with conn.cursor() as cur, cur.copy("COPY raw.chi_tieu FROM STDIN") as copy:
            copy.write(rows)
        conn.commit()
        with (
            pytest.raises(psycopg.errors.ForeignKeyViolation),
            conn.cursor() as cur,
            cur.copy("COPY raw.chi_tieu FROM STDIN") as copy,
        ):
            copy.write(rows + rows.replace(str(submission_id), str(submission_id + 1), 1))
        conn.rollback()
        assert conn.execute("SELECT count(*) FROM raw.chi_tieu").fetchone()[0] == 1
