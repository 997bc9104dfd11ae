"""End to end through Airflow against a real PostgreSQL: `antt demo` on the Vĩnh Long 2024–2025
sample (antt_ingest, antt_transform, antt_publish in order), idempotent on a second run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from .tcp_proxy import TcpProxy

pytestmark = pytest.mark.slow

LEVEL_COLUMNS = {
    "NTM": "ntm_status",
    "NTM_NANG_CAO": "ntm_nang_cao_status",
    "NTM_KIEU_MAU": "ntm_kieu_mau_status",
}


def demo_env(antt_home: Path, warehouse_url: str, meta_url: str, **extra: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "ANTT_HOME": str(antt_home),
            "ANTT_WAREHOUSE_URL": warehouse_url,
            "ANTT_AIRFLOW_DATABASE_URL": meta_url,
            "ANTT_AIRFLOW_HOME": str(antt_home / "airflow"),
            "PYTHONUNBUFFERED": "1",
            "COLUMNS": "200",
        }
    )
    env.update(extra)
    return env


def antt(args: list[str], env: dict, timeout: float) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "antt"
    return subprocess.run(
        [str(exe), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def register(url: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT sha256, status, row_count FROM raw.submissions ORDER BY submission_id"
        ).fetchall()


@pytest.fixture
def sample_env(antt_home, warehouse_url, airflow_meta_url):
    return demo_env(antt_home, warehouse_url, airflow_meta_url)


def dag_runs_and_queued_events(meta_url: str) -> tuple[int, int]:
    """Airflow's DAG runs so far, and the asset events queued to trigger a DAG."""
    with psycopg.connect(meta_url) as conn:
        runs = conn.execute("SELECT count(*) FROM dag_run").fetchone()[0]
        queued = conn.execute("SELECT count(*) FROM asset_dag_run_queue").fetchone()[0]
    return runs, queued


def test_demo_runs_the_three_dags_and_a_second_run_changes_nothing(
    sample_env, warehouse_url, antt_home, airflow_meta_url
):
    first = antt(["demo"], sample_env, timeout=1800)
    assert first.returncode == 0, (first.stdout + first.stderr)[-4000:]
    out = first.stdout
    manifest = json.loads((antt_home / "demo" / "sample-86" / "manifest.json").read_text())

    # every sample file went through antt_ingest with the status the sample expects
    by_sha: dict[str, set[str]] = {}
    for sha, status, _ in register(warehouse_url):
        by_sha.setdefault(sha, set()).add(status)
    for f in manifest["files"]:
        assert f["expected_status"] in by_sha.get(f["sha256"], set()), f["path"]

    # the marts hold the hand-computed statuses of the named old communes (2024) and new units
    named = {**manifest["expectations"]["communes"], **manifest["expectations"]["units"]}
    assert len(manifest["expectations"]["units"]) >= 10
    with psycopg.connect(warehouse_url) as conn:
        for commune, years in named.items():
            for year, codes in years.items():
                for code, expected in codes.items():
                    if code in LEVEL_COLUMNS:
                        got = conn.execute(
                            f"SELECT {LEVEL_COLUMNS[code]} FROM marts.commune_scorecard"
                            " WHERE commune_code = %s AND year = %s",
                            (commune, int(year)),
                        ).fetchall()
                        statuses = {r[0] for r in got}
                    else:
                        statuses = {
                            r[0]
                            for r in conn.execute(
                                "SELECT DISTINCT status FROM marts.commune_criteria"
                                " WHERE commune_code = %s AND year = %s AND criterion_code = %s",
                                (commune, int(year), code),
                            )
                        }
                    assert statuses == {expected}, (commune, year, code)

    # the summary counts this run's registrations (received_at is set in the past by the sample)
    expected = Counter(f["expected_status"] for f in manifest["files"])
    words = " ".join(out.split())
    assert (
        f"accepted {expected['accepted']}, rejected {expected['rejected']}, "
        f"duplicate {expected['duplicate']}"
    ) in words
    # the summary a reviewer reads first, and the published outputs
    for status in ("DAT", "KHONG_DAT", "KHONG_DU_DU_LIEU", "KHONG_SO_SANH_DUOC"):
        assert status in out
    assert "2024" in out and "2025" in out
    for f in manifest["files"]:
        if f["expected_status"] == "rejected":
            assert Path(f["path"]).name in out, f["path"]
    published = antt_home / "published"
    assert (published / "index.html").is_file()
    assert (published / "dbt_docs.html").is_file()
    assert str(published) in out.replace("\n", "")
    assert "antt_transform" in out and "antt_publish" in out
    # the demo ran the DAGs its assets would trigger: a scheduler started now has nothing to run
    runs, queued = dag_runs_and_queued_events(airflow_meta_url)
    assert queued == 0

    # second run: nothing landed, no Airflow run, the register unchanged
    before = register(warehouse_url)
    second = antt(["demo"], sample_env, timeout=600)
    assert second.returncode == 0, (second.stdout + second.stderr)[-4000:]
    assert "nothing new" in second.stdout
    assert "running antt_transform" not in second.stdout
    assert register(warehouse_url) == before
    assert dag_runs_and_queued_events(airflow_meta_url) == (runs, 0)
    assert not [p for p in (antt_home / "landing").rglob("*") if p.is_file()]


def _run_records(output: str) -> list[dict]:
    return [
        json.loads(line[len("ANTT_RUN ") :])
        for line in output.splitlines()
        if line.startswith("ANTT_RUN ")
    ]


def _accepted_count(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT count(*) FROM raw.submissions WHERE status = 'accepted'"
        ).fetchone()[0]


def test_warehouse_outage_mid_run_retries_then_fails_and_a_rerun_loses_nothing(
    antt_home, warehouse_url, airflow_meta_url, tmp_path
):
    import shutil
    import time

    from antt import sample
    from antt.warehouse import url_parts

    parts = url_parts(warehouse_url)
    if str(parts["host"]).startswith("/"):
        pytest.skip("the test server listens on a Unix socket only: no TCP to cut")
    proxy = TcpProxy(str(parts["host"]), int(parts["port"])).start()
    proxied = f"postgresql://{parts['user']}@127.0.0.1:{proxy.port}/{parts['dbname']}"
    env = demo_env(
        antt_home,
        proxied,
        airflow_meta_url,
        ANTT_DAG_RETRIES="2",
        ANTT_DAG_RETRY_DELAY_SECONDS="1",
        ANTT_DAG_MAX_RETRY_DELAY_SECONDS="2",
    )
    manifest = sample.generate(tmp_path / "sample")
    # the first 60 files of the first batch (two units: ~35 lanes, 12 batches) keep it short
    batch = sorted(
        (f for f in manifest.files if f.batch == manifest.files[0].batch), key=lambda f: f.path
    )[:60]
    landing = antt_home / "landing"
    for f in batch:
        target = landing / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp_path / "sample" / f.path, target)
    command = [sys.executable, "-m", "antt.local_airflow.dag_runs", "antt_ingest"]

    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 600
        while _accepted_count(warehouse_url) < 12:
            assert proc.poll() is None, "the run ended before the outage: " + proc.stdout.read()
            assert time.monotonic() < deadline, "no file loaded in 10 minutes"
            time.sleep(0.2)
        proxy.cut()  # the warehouse goes away mid-run
        output, _ = proc.communicate(timeout=900)
    finally:
        if proc.poll() is None:
            proc.kill()
    loaded_before_outage = _accepted_count(warehouse_url)
    assert proc.returncode == 1, output[-4000:]
    [record] = _run_records(output)
    assert record["state"] == "failed"
    failed_batches = [t for t in record["failed"] if t.startswith("load_batch[")]
    assert failed_batches, record
    # each failed batch was tried 1 + ANTT_DAG_RETRIES times before failing
    assert all(record["tries"][t] == 3 for t in failed_batches), record["tries"]
    assert "cannot connect to the warehouse" in output
    assert "task failed: antt_ingest.load_batch" in output
    assert any(p.is_file() for p in landing.rglob("*")), "unloaded files stay in landing"

    proxy = TcpProxy(str(parts["host"]), int(parts["port"]), port=proxy.port).start()
    rerun = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert rerun.returncode == 0, (rerun.stdout + rerun.stderr)[-4000:]
    assert _accepted_count(warehouse_url) > loaded_before_outage
    assert not [p for p in landing.rglob("*") if p.is_file()]

    with psycopg.connect(warehouse_url) as conn:
        rows = conn.execute(
            "SELECT submission_id, sha256, status, dataset, row_count FROM raw.submissions"
        ).fetchall()
        accepted = {}
        for submission_id, sha, status, dataset, row_count in rows:
            if status == "accepted":
                assert sha not in accepted, f"{sha} accepted twice"
                accepted[sha] = (submission_id, dataset, row_count)
        statuses = {}
        for _, sha, status, _, _ in rows:
            statuses.setdefault(sha, set()).add(status)
        for f in batch:
            assert f.expected_status in statuses.get(f.sha256, set()), f.path
            if f.expected_status == "accepted":
                submission_id, dataset, row_count = accepted[f.sha256]
                stored = conn.execute(
                    f"SELECT count(*) FROM raw.{dataset} WHERE submission_id = %s",
                    (submission_id,),
                ).fetchone()[0]
                assert stored == row_count, f.path
