"""The dbt runner without a built warehouse: profile environment, manifest, docs, lint, seeds."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest
from dbt_helpers import CRITERIA_MARTS, run_cli

from antt import transform
from antt.config import DBT_PROJECT_DIR, REPO_ROOT
from antt.errors import AnttError
from antt.transform.profile import profile_env


def test_profile_env_from_a_tcp_url(monkeypatch):
    monkeypatch.delenv("ANTT_TRANSFORMER_URL", raising=False)
    monkeypatch.delenv("ANTT_DBT_THREADS", raising=False)
    env = profile_env("postgresql://alice:s%40cret@db.example:6543/warehouse")
    assert env == {
        "ANTT_DBT_HOST": "db.example",
        "ANTT_DBT_PORT": "6543",
        "ANTT_DBT_USER": "alice",
        "ANTT_DBT_PASSWORD": "s@cret",
        "ANTT_DBT_DBNAME": "warehouse",
        "ANTT_DBT_ROLE": "antt_transformer",
        "ANTT_DBT_THREADS": "4",
    }


def test_profile_env_from_a_socket_url(monkeypatch):
    monkeypatch.delenv("ANTT_TRANSFORMER_URL", raising=False)
    env = profile_env("postgresql://postgres@/antt?host=/work/.antt/pg")
    assert env["ANTT_DBT_HOST"] == "/work/.antt/pg"
    assert env["ANTT_DBT_DBNAME"] == "antt"
    assert env["ANTT_DBT_PASSWORD"] == ""


def test_profile_env_prefers_a_dedicated_transformer_login(monkeypatch):
    monkeypatch.setenv("ANTT_TRANSFORMER_URL", "postgresql://antt_transformer:pw@h:5432/w")
    env = profile_env("postgresql://postgres@h:5432/w")
    assert env["ANTT_DBT_USER"] == "antt_transformer"
    assert env["ANTT_DBT_ROLE"] == ""  # logged in as the role itself: no SET ROLE


def test_profile_env_rejects_a_bad_url(monkeypatch):
    monkeypatch.delenv("ANTT_TRANSFORMER_URL", raising=False)
    with pytest.raises(AnttError, match="postgresql://"):
        profile_env("mysql://root@localhost/x")


def test_parse_manifest_needs_no_database(tmp_path, monkeypatch):
    monkeypatch.setenv("ANTT_WAREHOUSE_URL", "postgresql://nobody@127.0.0.1:1/none")
    manifest = transform.parse_manifest(target_dir=tmp_path)
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"]
    names = {n["name"] for n in nodes.values() if n["resource_type"] == "model"}
    assert set(CRITERIA_MARTS) <= names
    unit_tests = json.loads(manifest.read_text(encoding="utf-8"))["unit_tests"]
    assert len(unit_tests) >= 20
    criteria = nodes["model.antt_warehouse.commune_criteria"]
    assert criteria["config"]["contract"]["enforced"] is True
    assert criteria["schema"] == "marts"
    assert criteria["config"]["grants"] == {"select": ["antt_reader"]}


def test_build_against_an_unreachable_warehouse_fails_cleanly(monkeypatch):
    monkeypatch.setenv("ANTT_WAREHOUSE_URL", "postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.delenv("ANTT_TRANSFORMER_URL", raising=False)
    code, output = run_cli(["build"])
    assert code == 1
    assert "dbt build thất bại / failed" in output
    assert "Traceback" not in output


def test_loai_su_vu_is_the_one_list_of_event_types():
    """The nine incident types of the contract, each named in Vietnamese and English; the loader
    validates against the same file dbt loads."""
    from antt.ingest.reference import EVENT_TYPES

    with (DBT_PROJECT_DIR / "seeds" / "loai_su_vu.csv").open(encoding="utf-8") as fh:
        rows = {r["loai"]: (r["ten"], r["name_en"]) for r in csv.DictReader(fh)}
    assert tuple(rows) == EVENT_TYPES
    assert set(rows) == {
        "CHONG_PHA",
        "DAO_TRAI_PHAP_LUAT",
        "LY_KHAI_GAY_ROI",
        "KHIEU_KIEN_DONG_NGUOI",
        "KHIEU_KIEN_VUOT_CAP",
        "DIEM_NONG",
        "TU_DIEM_PHUC_TAP",
        "TRONG_AN",
        "OAN_SAI",
    }
    assert rows["DAO_TRAI_PHAP_LUAT"][0] == "Tuyên truyền, phát triển đạo trái pháp luật"
    assert all(ten and name_en for ten, name_en in rows.values())
    assert not (DBT_PROJECT_DIR / "seeds" / "event_types.csv").exists()


def test_criteria_catalogue_covers_every_criterion_and_level():
    with (DBT_PROJECT_DIR / "seeds" / "bo_tieu_chi.csv").open(encoding="utf-8") as fh:
        catalogue = {r["criterion_code"]: r for r in csv.DictReader(fh)}
    assert set(catalogue) == {f"ANTT_{i:02d}" for i in range(1, 11)} | {
        f"ANTT_H{i}" for i in range(1, 7)
    }
    assert catalogue["ANTT_06"]["threshold"] == "5"
    assert catalogue["ANTT_06"]["baseline_rule"] == "PREVIOUS_YEAR"
    assert catalogue["ANTT_02"]["day_limit"] == "30"
    assert catalogue["ANTT_05"]["threshold"] == "0.70"
    assert catalogue["ANTT_H6"]["threshold"] == "50"
    with (DBT_PROJECT_DIR / "seeds" / "bo_tieu_chi_muc.csv").open(encoding="utf-8") as fh:
        levels: dict[str, set[str]] = {}
        for r in csv.DictReader(fh):
            levels.setdefault(r["level"], set()).add(r["criterion_code"])
    assert levels["NTM"] == {f"ANTT_{i:02d}" for i in range(1, 6)}
    assert levels["NTM_NANG_CAO"] == {f"ANTT_{i:02d}" for i in range(1, 11)}
    assert levels["NTM_KIEU_MAU"] == levels["NTM_NANG_CAO"]
    assert levels["HUYEN_NTM"] == {f"ANTT_H{i}" for i in range(1, 5)}
    assert levels["HUYEN_NTM_NANG_CAO"] == {f"ANTT_H{i}" for i in range(1, 7)}


@pytest.mark.slow
def test_sqlfluff_lint_passes_on_the_dbt_project():
    sqlfluff = [sys.executable, "-m", "sqlfluff"]
    proc = subprocess.run(
        [
            *sqlfluff,
            "lint",
            "dbt_project/models",
            "dbt_project/tests",
            "--nofail",
            "--format",
            "json",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    results = json.loads(proc.stdout)
    assert len(results) >= 30  # every model and singular test was linted
    violations = [
        f"{r['filepath']}:{v['start_line_no']} {v['code']} {v['description']}"
        for r in results
        for v in r["violations"]
    ]
    assert violations == []


def test_scorecard_summary_before_any_build_says_so(warehouse_url):
    with pytest.raises(AnttError, match="antt build"):
        transform.scorecard_summary(warehouse_url)


def test_scorecard_tables_show_not_comparable_only_for_a_year_that_has_it():
    from antt.transform import shown_statuses

    before = {("NTM", "DAT"): 1, ("NTM", "KHONG_SO_SANH_DUOC"): 0}
    after = {("NTM", "DAT"): 1, ("NTM_NANG_CAO", "KHONG_SO_SANH_DUOC"): 2}
    assert shown_statuses(before) == ("DAT", "KHONG_DAT", "KHONG_DU_DU_LIEU")
    assert shown_statuses(after) == ("DAT", "KHONG_DAT", "KHONG_DU_DU_LIEU", "KHONG_SO_SANH_DUOC")
