"""`antt demo`: the whole job on the embedded warehouse, through Airflow, and what a reviewer
wants to see first.

1. start the warehouse (embedded unless `ANTT_WAREHOUSE_URL`), `db init`;
2. prepare Airflow (its own metadata database, migrated) and the dbt manifest;
3. generate the sample of the chosen province once (`.antt/demo/sample-<province>/`: Vĩnh Long
   2024–2025 by default, the province as it exists today; `--province 84` the Trà Vinh 2022–2023
   set) and land its batches in order,
   skipping every file whose bytes the warehouse register has already seen;
4. run `antt_ingest` (until the landing folder is empty: later files of a scope wait for the
   next run), then `antt_transform` and `antt_publish` when the raw layer has changed since
   the last successful publish (what the assets would trigger);
5. print communes per level and status, the rejected files and why, and where the outputs are.

A second run lands nothing, triggers nothing and says so. `antt demo` runs this in a worker
process that a signal can always stop (`supervise`); the runs it starts carry the worker's tag
(`ANTT_DEMO_RUN_TAG`) in their conf, so runs an interrupted worker left running can be found.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from antt.config import file_areas, state_dir
from antt.errors import AnttError

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


def sample_dir(province: str = DEFAULT_PROVINCE) -> Path:
    return state_dir() / "demo" / f"sample-{province}"


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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


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
        if sha256_of(source) in known:
            continue
        target = landing / batch.name / source.relative_to(batch)
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name("." + target.name + ".part")
        shutil.copyfile(source, tmp)
        tmp.rename(target)  # the ingest DAG ignores dot-files: it never sees a half copy
        landed += 1
    return landed


def run_conf() -> dict | None:
    """The conf of the DAG runs this demo starts: the worker's tag, when it has one."""
    tag = os.environ.get(RUN_TAG_ENV, "").strip()
    return {RUN_TAG_KEY: tag} if tag else None


def ingest_until_empty(runner, landing: Path, outcome: DemoOutcome) -> None:
    """antt_ingest runs until no file is left to plan (a run takes at most the run limit)."""
    from antt.orchestration.ingest_tasks import plan_loads
    from antt.orchestration.settings import ingest_max_files

    for _ in range(MAX_INGEST_RUNS_PER_BATCH):
        before = plan_loads(landing, ingest_max_files()).paths
        result = runner.run_dag("antt_ingest", conf=run_conf())
        outcome.runs.append(result)
        if not result.ok:
            raise AnttError(
                f"antt_ingest run {result.run_id} failed ({', '.join(result.failed[:5])}); "
                f"the files stay in {landing} — `antt demo --verbose` shows the task logs"
            )
        after = plan_loads(landing, ingest_max_files()).paths
        if not after:
            return
        if set(after) >= set(before):
            raise AnttError(f"antt_ingest left {len(after)} file(s) in {landing} unprocessed")
    raise AnttError(f"landing folder {landing} not empty after {MAX_INGEST_RUNS_PER_BATCH} runs")


def _db_now(url: str) -> datetime:
    from antt import warehouse

    with warehouse.connect(role="loader", url=url) as conn:
        return conn.execute("SELECT clock_timestamp()").fetchone()[0]


def register_since(url: str, since: datetime) -> dict[str, int]:
    from antt import warehouse

    with warehouse.connect(role="loader", url=url) as conn:
        rows = conn.execute(
            "SELECT status, count(*)::int FROM raw.submissions WHERE received_at >= %s"
            " GROUP BY status",
            (since,),
        ).fetchall()
    return dict(rows)


def newest_acceptance(url: str) -> datetime | None:
    from antt import warehouse

    with warehouse.connect(role="loader", url=url) as conn:
        return conn.execute("SELECT max(accepted_at) FROM raw.submissions").fetchone()[0]


def prepare_in_process(url: str, *, verbose: bool = False, progress=print):
    """Configure Airflow in this process (metadata database migrated, manifest current, DAGs
    parsed) and return the runner module; call before anything imports Airflow."""
    from antt.orchestration import airflow_env
    from antt.orchestration.dbt import ensure_manifest

    env = airflow_env.airflow_env(url)
    airflow_env.ensure_meta_database(airflow_env.meta_admin_url(url))
    os.environ.update(env)  # before Airflow is imported, so it reads this configuration
    if not verbose:
        os.environ["AIRFLOW__LOGGING__LOGGING_LEVEL"] = "WARNING"
        os.environ["ANTT_DBT_QUIET"] = "1"
    ensure_manifest()

    from antt.orchestration import runner

    if not runner.metadata_is_current():
        progress("Airflow metadata database: migrating (first run only)")
        airflow_env.migrate_meta(dict(os.environ))
    if not verbose:
        runner.quiet_airflow_logs()
    runner.load_dags()
    return runner


def run_demo(
    *, verbose: bool = False, progress=print, province: str = DEFAULT_PROVINCE
) -> DemoOutcome:
    from antt import warehouse
    from antt.bootstrap import init_database
    from antt.orchestration.dbt import manifest_path

    started = time.monotonic()
    years = demo_years(province)
    outcome = DemoOutcome()
    url = warehouse.warehouse_url()
    progress(f"kho dữ liệu / warehouse: {url}")
    init_database(url)
    runner = prepare_in_process(url, verbose=verbose, progress=progress)
    manifest_time = datetime.fromtimestamp(manifest_path().stat().st_mtime, tz=UTC)
    areas = file_areas().ensure()
    progress(f"bộ mẫu / sample: tỉnh {province}, {years[0]}–{years[-1]}")
    sample = ensure_sample(sample_dir(province), province)
    known = registered_shas(url)
    since = _db_now(url)
    for batch in batches(sample):
        outcome.sample_files += sum(1 for p in batch.rglob("*") if p.is_file())
        landed = land_batch(batch, areas.landing, known)
        outcome.landed += landed
        progress(f"đợt / batch {batch.name}: {landed} tệp mới / new file(s) in landing")
        if landed:
            ingest_until_empty(runner, areas.landing, outcome)
    if not outcome.landed:
        # Files an operator dropped in landing still go through Airflow.
        ingest_until_empty(runner, areas.landing, outcome)
    outcome.register = register_since(url, since)

    newest = newest_acceptance(url)
    published = runner.last_success("antt_publish")
    # What the assets would do: rebuild when the raw layer (or the dbt project) is newer than
    # the last successful publish.
    stale = published is None or newest > published or manifest_time > published
    if newest is not None and stale:
        for dag_id in ("antt_transform", "antt_publish"):
            progress(f"chạy / running {dag_id} ...")
            result = runner.run_dag(dag_id, conf=run_conf())
            outcome.runs.append(result)
            if not result.ok:
                raise AnttError(
                    f"{dag_id} run {result.run_id} failed: {', '.join(result.failed[:8])}"
                    " — `antt demo --verbose` shows the task logs"
                )
        outcome.transformed = True
    outcome.seconds = time.monotonic() - started
    return outcome
