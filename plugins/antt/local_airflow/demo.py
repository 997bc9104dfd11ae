"""`antt demo`: the whole job on the embedded warehouse, through Airflow, and what a reviewer
wants to see first.

1. start the warehouse (embedded unless `ANTT_WAREHOUSE_URL`), `db init` (once per bootstrap
   version);
2. generate the sample of the chosen province once (`.antt/demo/sample-<province>/`: Vĩnh Long
   2024–2025 by default, the province as it exists today; `--province 84` the Trà Vinh 2022–2023
   set; the sets are `DEMO_SETS`) and land its batches in order, skipping every file whose bytes
   the warehouse register has already seen;
3. when there is work (files in landing, or marts older than the raw layer or the dbt project):
   prepare Airflow once (metadata database migrated once per Airflow version, manifest parsed
   once per project change) and run `antt_ingest` until the landing folder is empty, then
   `antt_transform` and `antt_publish` (what the assets would trigger), and consume the asset
   events those runs answered, so a scheduler started later (`antt airflow`) does not run them
   again;
4. print communes per level and status, the rejected files and why, and where the outputs are.

A second run lands nothing, starts no Airflow and says so. `antt demo` runs this in a worker
process that a signal can always stop (`supervise`); the runs it starts carry the worker's tag
(`ANTT_DEMO_RUN_TAG`) in their conf, so runs an interrupted worker left running can be found.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from antt.config import Settings, load_settings
from antt.errors import AnttError
from antt.ingest.plan import finished_files, sha256_file

# The demo's sample sets, chosen in this one place: province -> years.
DEMO_SETS = {"86": (2024, 2025), "84": (2022, 2023)}
DEFAULT_PROVINCE = "86"  # the new Vĩnh Long (with Bến Tre and Trà Vinh since 1 July 2025)
RUN_TAG_ENV = "ANTT_DEMO_RUN_TAG"
RUN_TAG_KEY = "antt_demo_run"
MAX_INGEST_RUNS_PER_BATCH = 10


@dataclass
class DemoOutcome:
    landed: int = 0
    sample_files: int = 0
    register: dict[str, int] = field(default_factory=dict)  # statuses registered by this demo
    runs: list = field(default_factory=list)  # runner.DagRunResult
    transformed: bool = False
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.landed or self.transformed)


def demo_years(province: str) -> tuple[int, ...]:
    """The years of the demo set of `province`; an AnttError names the sets there are."""
    if province not in DEMO_SETS:
        known = ", ".join(f"{p} ({y[0]}–{y[-1]})" for p, y in DEMO_SETS.items())
        raise AnttError(
            f"không có bộ mẫu demo cho tỉnh {province} / no demo set for province {province}: "
            + known
        )
    return DEMO_SETS[province]


def sample_dir(province: str = DEFAULT_PROVINCE, settings: Settings | None = None) -> Path:
    return (settings or load_settings()).home / "demo" / f"sample-{province}"


def ensure_sample(folder: Path, province: str = DEFAULT_PROVINCE) -> Path:
    """The demo's submission set, generated once (deterministic), batches as subfolders."""
    if (folder / "manifest.json").exists():
        return folder
    from antt.sample import generate

    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    generate(tmp, province=province, years=demo_years(province))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return folder


def registered_shas(url: str) -> set[str]:
    from antt import warehouse

    with warehouse.connect(role="loader", url=url) as conn:
        return {row[0] for row in conn.execute("SELECT DISTINCT sha256 FROM raw.submissions")}


def batches(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir())


def land_batch(batch: Path, landing: Path, known: set[str]) -> int:
    """Copy the batch's files the warehouse has not seen into landing/<batch>/; how many."""
    landed = 0
    for source in sorted(p for p in batch.rglob("*") if p.is_file()):
        if sha256_file(source) in known:
            continue
        target = landing / batch.name / source.relative_to(batch)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name("." + target.name + ".part")
        # copy2 keeps the modification time: the sample's time of arrival (antt.sample.cycle)
        shutil.copy2(source, tmp)
        tmp.rename(target)  # the ingest DAG ignores dot-files: it never sees a half copy
        landed += 1
    return landed


def run_conf() -> dict | None:
    """The conf of the DAG runs this demo starts: the worker's tag, when it has one."""
    tag = os.environ.get(RUN_TAG_ENV, "").strip()
    return {RUN_TAG_KEY: tag} if tag else None


def ingest_until_empty(runner, landing: Path, outcome: DemoOutcome) -> None:
    """antt_ingest runs until no finished file is left in landing (a run takes at most the run
    limit, and the later files of a cut lane)."""
    for _ in range(MAX_INGEST_RUNS_PER_BATCH):
        before = finished_files(landing)
        result = runner.run_dag("antt_ingest", conf=run_conf())
        outcome.runs.append(result)
        if not result.ok:
            raise AnttError(
                f"antt_ingest run {result.run_id} failed ({', '.join(result.failed[:5])}); "
                f"the files stay in {landing} — `antt demo --verbose` shows the task logs"
            )
        after = finished_files(landing)
        if not after:
            return
        if set(after) >= set(before):
            raise AnttError(f"antt_ingest left {len(after)} file(s) in {landing} unprocessed")
    raise AnttError(f"landing folder {landing} not empty after {MAX_INGEST_RUNS_PER_BATCH} runs")


def last_submission_id(url: str) -> int:
    """The register's newest id: what this demo registers comes after it. (Not `received_at`:
    that is when a file reached landing, which the sample sets in the past.)"""
    from antt import warehouse

    with warehouse.connect(role="loader", url=url) as conn:
        return conn.execute(
            "SELECT coalesce(max(submission_id), 0) FROM raw.submissions"
        ).fetchone()[0]


def register_after(url: str, last_id: int) -> dict[str, int]:
    from antt import warehouse

    with warehouse.connect(role="loader", url=url) as conn:
        rows = conn.execute(
            "SELECT status, count(*)::int FROM raw.submissions WHERE submission_id > %s"
            " GROUP BY status",
            (last_id,),
        ).fetchall()
    return dict(rows)


def newest_acceptance(url: str) -> datetime | None:
    from antt import warehouse

    with warehouse.connect(role="loader", url=url) as conn:
        return conn.execute("SELECT max(accepted_at) FROM raw.submissions").fetchone()[0]


def last_publish(url: str, settings: Settings) -> datetime | None:
    """When the last successful antt_publish run ended, read from Airflow's metadata database
    without importing Airflow (None before the first one, or with no metadata database)."""
    import psycopg

    from antt.local_airflow.environment import meta_admin_url

    try:
        with psycopg.connect(meta_admin_url(url, settings), connect_timeout=10) as conn:
            return conn.execute(
                "SELECT max(end_date) FROM dag_run WHERE dag_id = 'antt_publish'"
                " AND state = 'success'"
            ).fetchone()[0]
    except (psycopg.errors.UndefinedTable, psycopg.OperationalError):
        return None


def prepare_in_process(url: str, *, verbose: bool = False, progress=print):
    """Configure Airflow in this process (metadata database migrated, manifest current, DAGs
    parsed) and return the module that runs DAGs; call before anything imports Airflow."""
    from antt.local_airflow import environment
    from antt.transform.cosmos import ensure_manifest

    env = environment.airflow_env(url)
    if not verbose:
        env["AIRFLOW__LOGGING__LOGGING_LEVEL"] = "WARNING"
        env["ANTT_DBT_QUIET"] = "1"
    # Airflow reads its configuration, and the tasks their settings, from this process's
    # environment: set it before Airflow is imported.
    os.environ.update(env)
    settings = load_settings()
    environment.ensure_migrated(env, environment.meta_admin_url(url, settings), progress)
    ensure_manifest(settings=settings)

    from antt.local_airflow import dag_runs

    if not verbose:
        dag_runs.quiet_airflow_logs()
    dag_runs.load_dags()
    dag_runs.start_execution_api()
    return dag_runs


def _bootstrap_version() -> str:
    """What `antt db init` would do: its SQL and code, and the unit lists' package versions."""
    import hashlib
    from importlib.metadata import version

    from antt import bootstrap

    digest = hashlib.sha256()
    for path in (bootstrap.BOOTSTRAP_SQL, Path(bootstrap.__file__)):
        digest.update(path.read_bytes())
    for package in ("vietnamadminunits", "vietnam-provinces"):
        digest.update(version(package).encode())
    return digest.hexdigest()


def ensure_initialised(url: str, settings: Settings) -> bool:
    """`antt db init` unless this warehouse was initialised by this same bootstrap (a stamp in
    the demo folder, and the register table still there); whether it ran. Reading the official
    unit lists alone costs seconds that a warm demo should not pay."""
    import json

    from antt import warehouse
    from antt.bootstrap import init_database

    stamp = settings.home / "demo" / ".initialised"
    wanted = json.dumps({"warehouse": url, "bootstrap": _bootstrap_version()})
    if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        with warehouse.connect(url=url) as conn:
            if conn.execute("SELECT to_regclass('raw.submissions')").fetchone()[0]:
                return False
    init_database(url)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(wanted, encoding="utf-8")
    return True


def run_demo(
    *, verbose: bool = False, progress=print, province: str = DEFAULT_PROVINCE
) -> DemoOutcome:
    from antt import warehouse
    from antt.transform.cosmos import ensure_manifest

    started = time.monotonic()
    years = demo_years(province)
    outcome = DemoOutcome()
    settings = load_settings()
    url = warehouse.warehouse_url(settings)
    progress(f"kho dữ liệu / warehouse: {url}")
    ensure_initialised(url, settings)
    areas = settings.areas.ensure()
    progress(f"bộ mẫu / sample: tỉnh {province}, {years[0]}–{years[-1]}")
    sample = ensure_sample(sample_dir(province, settings), province)
    known = registered_shas(url)
    last_id = last_submission_id(url)
    runner = None
    for batch in batches(sample):
        outcome.sample_files += sum(1 for p in batch.rglob("*") if p.is_file())
        landed = land_batch(batch, areas.landing, known)
        outcome.landed += landed
        progress(f"đợt / batch {batch.name}: {landed} tệp mới / new file(s) in landing")
        # Files an operator dropped in landing go through Airflow as well.
        if finished_files(areas.landing):
            runner = runner or prepare_in_process(url, verbose=verbose, progress=progress)
            ingest_until_empty(runner, areas.landing, outcome)
    outcome.register = register_after(url, last_id)

    manifest, _ = ensure_manifest(settings=settings)
    manifest_time = datetime.fromtimestamp(manifest.stat().st_mtime, tz=UTC)
    newest = newest_acceptance(url)
    published = last_publish(url, settings)
    # What the assets would do: rebuild when the raw layer (or the dbt project) is newer than
    # the last successful publish.
    stale = published is None or newest > published or manifest_time > published
    if newest is not None and stale:
        runner = runner or prepare_in_process(url, verbose=verbose, progress=progress)
        for dag_id in ("antt_transform", "antt_publish"):
            progress(f"chạy / running {dag_id} ...")
            result = runner.run_dag(dag_id, conf=run_conf())
            outcome.runs.append(result)
            if not result.ok:
                raise AnttError(
                    f"{dag_id} run {result.run_id} failed: {', '.join(result.failed[:8])}"
                    " — `antt demo --verbose` shows the task logs"
                )
        runner.consume_asset_events(("antt_transform", "antt_publish"))
        outcome.transformed = True
    outcome.seconds = time.monotonic() - started
    return outcome
