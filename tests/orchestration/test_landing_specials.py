"""The antt_ingest DAG's plan and loads never follow a symlink or open a FIFO in landing: they
are planned like any file and the loader refuses them and sets them aside (issue 15)."""

from __future__ import annotations

import os

from antt.ingest.plan import plan_loads
from antt.orchestration.ingest_tasks import load_one


def test_symlinks_and_fifos_in_landing_are_planned_and_refused(warehouse_url, antt_home, tmp_path):
    landing = antt_home / "landing"
    landing.mkdir(parents=True)
    secret = tmp_path / "secret.csv"
    secret.write_text("ma_xa,ma_chi_tieu,gia_tri\n29410,TP_MA_TUY,1\n", encoding="utf-8")
    (landing / "CAH847_2023-06_chi_tieu.csv").symlink_to(secret)
    (landing / "CAH847_2023-07_chi_tieu.csv").symlink_to(tmp_path / "missing.csv")
    os.mkfifo(landing / "CAH847_2023-08_chi_tieu.csv")
    plan = plan_loads(landing, limit=10)  # a FIFO opened here would block for ever
    assert sorted(os.path.basename(p) for p in plan.paths) == [
        "CAH847_2023-06_chi_tieu.csv",
        "CAH847_2023-07_chi_tieu.csv",
        "CAH847_2023-08_chi_tieu.csv",
    ]
    results = [load_one(path) for path in plan.paths]
    assert [r["status"] for r in results] == ["refused"] * 3
    assert os.listdir(landing) == [] and secret.exists()
    assert len(list((antt_home / "quarantine" / "not-regular-files").glob("*.refused.json"))) == 3
