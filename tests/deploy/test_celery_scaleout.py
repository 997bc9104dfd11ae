"""The CeleryExecutor for real: antt_ingest on two Celery workers equals a single-process load.

Airflow runs as separate processes (api-server, scheduler, dag-processor, two `airflow celery
worker`s with their own names) against the local Redis and a fresh metadata database, the same
topology as docker-compose.yml. The warehouse is reached the way the compose file does it: each
role logs in as itself (ANTT_LOADER_URL, ...). The same files are then loaded by one process
(`antt.ingest.ingest_paths`) into a second warehouse, and both warehouses must hold the same
register, rows and rejection errors.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from antt.config import load_settings
from antt.orchestration.ingest_tasks import batches_per_run
from warehouse_copies import clone_database, drop_database

from .airflow_cluster import celery_cluster

pytestmark = [pytest.mark.celery, pytest.mark.slow, pytest.mark.timeout(600)]

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = 11  # a database of its own; the queue name is unique per run as well
DAG_ID = "antt_ingest"
DAG_FILE = Path(__file__).resolve().parents[2] / "dags" / "antt_ingest.py"
WORKERS = ("worker-a", "worker-b")
RAW_TABLES = ("chi_tieu", "su_vu", "mo_hinh", "danh_gia_nam", "dang_ky_ntm")
MAX_RUNS = 4
# From the Trà Vinh sample set (antt.sample): one district unit's first half of 2023 (chi_tieu
# and su_vu, whose updates refer to incidents of earlier months), its yearly files, the provincial
# and NTM-office files, every correction, rejection and duplicate, and the originals they follow.
UNIT, PERIODS = "CAH842", {f"2023-{m:02d}" for m in range(1, 7)} | {"2023"}


def sample_subset(out: Path) -> list[str]:
    """Generate the sample set into `out` and keep the subset above; relative paths kept."""
    from antt.sample import generate

    manifest = generate(out)
    first_batch = min(f.batch for f in manifest.files)
    later = [f for f in manifest.files if f.batch != first_batch]
    followed = {(f.unit, f.dataset, f.period) for f in later} | {
        f.duplicate_of for f in later if f.duplicate_of
    }

    def keep(f) -> bool:
        return (
            f in later
            or f.unit in (None, "CAT84", "VPDP84")
            or (f.unit == UNIT and f.period in PERIODS)
            or (f.unit, f.dataset, f.period) in followed
            or f.path in followed
        )

    chosen = {f.path for f in manifest.files if keep(f)}
    for f in manifest.files:
        if f.path not in chosen:
            (out / f.path).unlink()
    (out / "manifest.json").unlink()
    return sorted(chosen)


@pytest.fixture(scope="module")
def redis_url() -> str:
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(
            f"no Redis answers at {REDIS_HOST}:{REDIS_PORT} ({exc}); the Celery scale-out test "
            "needs one: start redis-server (.ci/run does)"
        )
    finally:
        client.close()
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"


def as_user(url: str, user: str) -> str:
    """The same server and database, logged in as `user` (the test server trusts local logins)."""
    parts = urlsplit(url)
    host = f"{parts.hostname}:{parts.port}" if parts.port else (parts.hostname or "")
    return urlunsplit(parts._replace(netloc=f"{quote(user)}@{host}"))


def cluster_env(warehouse: str, home: Path) -> dict[str, str]:
    """What docker-compose.yml gives every Airflow component, pointed at the test warehouse."""
    return {
        "ANTT_WAREHOUSE_URL": as_user(warehouse, "antt_reader"),
        "ANTT_LOADER_URL": as_user(warehouse, "antt_loader"),
        "ANTT_TRANSFORMER_URL": as_user(warehouse, "antt_transformer"),
        "ANTT_READER_URL": as_user(warehouse, "antt_reader"),
        "ANTT_HOME": str(home),
        "ANTT_LANDING_DIR": str(home / "landing"),
        "ANTT_ARCHIVE_DIR": str(home / "archive"),
        "ANTT_QUARANTINE_DIR": str(home / "quarantine"),
        "ANTT_PUBLISHED_DIR": str(home / "published"),
        "ANTT_INGEST_SCHEDULE": "manual",
        "ANTT_DAG_RETRIES": "0",
    }


def warehouse_state(url: str) -> dict[str, list[tuple]]:
    """Everything ingestion wrote, without the ids and clocks that differ between two loads."""
    state: dict[str, list[tuple]] = {}
    with psycopg.connect(url) as conn:
        state["submissions"] = sorted(
            conn.execute(
                "SELECT s.file_name, s.status, s.unit_code, s.dataset, s.period, s.sha256,"
                " s.size_bytes, s.row_count, s.error_count, r.sha256, d.sha256"
                " FROM raw.submissions s"
                " LEFT JOIN raw.submissions r ON r.submission_id = s.replaces_submission_id"
                " LEFT JOIN raw.submissions d ON d.submission_id = s.duplicate_of_submission_id"
            ).fetchall(),
            key=repr,
        )
        for table in RAW_TABLES:
            query = sql.SQL(
                "SELECT s.sha256, s.status, to_jsonb(t) - 'submission_id'"
                " FROM raw.{} t JOIN raw.submissions s USING (submission_id)"
            ).format(sql.Identifier(table))
            state[table] = sorted(conn.execute(query).fetchall(), key=repr)
        state["submission_errors"] = sorted(
            conn.execute(
                "SELECT s.file_name, s.sha256, e.error_no, e.sheet, e.source_row, e.column_name,"
                " e.cell_value, e.code FROM audit.submission_errors e"
                " JOIN raw.submissions s USING (submission_id)"
            ).fetchall(),
            key=repr,
        )
    return state


def airflow_hostname() -> str:
    """The name Airflow records for a job on this machine (in a container: its HOSTNAME)."""
    from airflow.utils.net import get_hostname

    return get_hostname()


def run_compose_healthchecks(compose: dict, cluster) -> list[str]:
    """docker-compose.yml's healthcheck commands, run against the live cluster's processes."""
    services = compose["services"]
    local = {
        "localhost:8080": f"127.0.0.1:{cluster.api_port}",
        "localhost:8974": f"127.0.0.1:{cluster.scheduler_health_port}",
    }
    # the HOSTNAME each container would have: the dag-processor registers its job under the
    # machine's name, a worker's Celery node is celery@<name>
    targets = [("airflow-apiserver", ""), ("airflow-scheduler", "")]
    targets += [("airflow-dag-processor", airflow_hostname())]
    targets += [("airflow-worker", name) for name in WORKERS]
    passed = []
    for service, hostname in targets:
        kind, *args = services[service]["healthcheck"]["test"]
        args = [functools.reduce(lambda a, kv: a.replace(*kv), local.items(), a) for a in args]
        argv = args if kind == "CMD" else ["bash", "-c", args[0]]
        result = subprocess.run(
            argv,
            env=cluster.base_env() | {"HOSTNAME": hostname},
            capture_output=True,
            text=True,
            timeout=90,
        )
        assert result.returncode == 0, f"{service}: {argv}\n{result.stdout}\n{result.stderr}"
        passed.append(f"{service}({hostname})" if hostname else service)
    return passed


def files_under(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def test_antt_ingest_on_two_celery_workers_equals_a_single_process_load(
    redis_url, pg_admin_url, make_database, initialised_template, compose, tmp_path, monkeypatch
):
    if not DAG_FILE.exists():
        pytest.fail(f"{DAG_FILE} is missing")
    celery_wh = clone_database(pg_admin_url, initialised_template)
    single_wh = clone_database(pg_admin_url, initialised_template)
    try:
        # --- the Celery cluster --------------------------------------------------------------
        source = tmp_path / "submissions"
        celery_home = tmp_path / "celery_home"
        dags = tmp_path / "dags"
        dags.mkdir()
        shutil.copy2(DAG_FILE, dags / DAG_FILE.name)
        started = time.monotonic()
        with celery_cluster(
            home=tmp_path / "airflow",
            dags_folder=dags,
            metadata_url=make_database(),
            broker_url=redis_url,
            workers=WORKERS,
            concurrency=2,
            extra_env=cluster_env(celery_wh, celery_home),
        ) as cluster:
            # the sample is written while the cluster starts; no run begins before the trigger
            files = sample_subset(source)
            assert 30 <= len(files) <= 45, len(files)
            shutil.copytree(source, celery_home / "landing")
            cluster.wait_ready(DAG_ID, timeout=180)
            ready_s = time.monotonic() - started
            runs, run_started = [], time.monotonic()
            while files_under(celery_home / "landing") and len(runs) < MAX_RUNS:
                run_id = cluster.trigger(DAG_ID)
                state = cluster.wait_run(DAG_ID, run_id, timeout=300)
                assert state == "success", f"run {run_id}: {state}\n{cluster.logs()}"
                runs.append(run_id)
            celery_s = time.monotonic() - run_started
            instances = [ti for r in runs for ti in cluster.task_instances(DAG_ID, r)]
            healthy = run_compose_healthchecks(compose, cluster)
        total_s = time.monotonic() - started

        # --- the same files in one process ---------------------------------------------------
        single_home = tmp_path / "single_home"
        shutil.copytree(source, single_home / "landing")
        monkeypatch.setenv("ANTT_WAREHOUSE_URL", single_wh)
        monkeypatch.setenv("ANTT_HOME", str(single_home))
        for name in ("LOADER_URL", "TRANSFORMER_URL", "READER_URL", "LANDING_DIR", "ARCHIVE_DIR"):
            monkeypatch.delenv(f"ANTT_{name}", raising=False)
        for name in ("QUARANTINE_DIR", "PUBLISHED_DIR"):
            monkeypatch.delenv(f"ANTT_{name}", raising=False)
        from antt.ingest import expand_paths, ingest_paths

        single_started = time.monotonic()
        outcomes = ingest_paths(expand_paths([single_home / "landing"]))
        single_s = time.monotonic() - single_started

        # --- scale-out: both workers ran loads -----------------------------------------------
        # antt_ingest maps one load task per batch of lanes, a few batches per parallel slot
        loads = [ti for ti in instances if ti["task_id"] == "load_batch"]
        left = files_under(celery_home / "landing")
        assert left == [], f"still in landing after {len(runs)} run(s): {left}"
        assert all(ti["state"] == "success" for ti in loads), loads
        per_run = batches_per_run(load_settings().dag)
        assert len(runs) < len(loads) <= len(runs) * per_run, "a few batches per slot, per run"
        per_worker = {name: sum(ti["hostname"] == name for ti in loads) for name in WORKERS}
        assert all(per_worker.values()), f"a worker ran no load: {per_worker}"
        assert sum(per_worker.values()) == len(loads), {ti["hostname"] for ti in loads}
        a_loads, b_loads = ([ti for ti in loads if ti["hostname"] == w] for w in WORKERS)
        overlapping = [
            (a, b)
            for a in a_loads
            for b in b_loads
            if a["start_date"] < b["end_date"] and b["start_date"] < a["end_date"]
        ]
        assert overlapping, "the two workers never loaded at the same time"

        # --- the same result as one process --------------------------------------------------
        statuses = {o.status for o in outcomes}
        assert statuses == {"accepted", "rejected", "duplicate"}
        assert files_under(single_home / "landing") == []
        for area in ("archive", "quarantine"):
            assert len(files_under(celery_home / area)) == len(files_under(single_home / area))
        celery_state, single_state = warehouse_state(celery_wh), warehouse_state(single_wh)
        assert len(celery_state["submissions"]) == len(files)
        for table in RAW_TABLES:
            assert celery_state[table], f"no {table} row loaded"
        assert celery_state == single_state

        durations = sorted((ti["end_date"] - ti["start_date"]).total_seconds() for ti in loads)
        per_file = single_s / len(files)
        stops = ", ".join(
            f"{p.name} {'killed' if p.stopped_after is None else f'{p.stopped_after:.1f} s'}"
            for p in cluster.processes
        )
        print(
            f"\nCelery scale-out: {len(files)} files, {len(runs)} run(s), {len(loads)} load tasks"
            f" on {len(WORKERS)} workers (per worker {per_worker})"
            f"\n  cluster ready in {ready_s:.1f} s; DAG runs {celery_s:.1f} s;"
            f" cluster stop {cluster.stop_seconds:.1f} s ({stops}); cluster total {total_s:.1f} s"
            f"\n  single process (ingest_paths): {single_s:.1f} s ({per_file:.3f} s per file)"
            f"\n  compose healthchecks passed: {', '.join(healthy)}"
            f"\n  load_batch task duration: median {durations[len(durations) // 2]:.1f} s,"
            f" max {durations[-1]:.1f} s"
        )
    finally:
        drop_database(pg_admin_url, celery_wh)
        drop_database(pg_admin_url, single_wh)
