"""(b) antt_ingest on the Celery topology (two workers) against a single-process load.

    .venv/bin/python bench/ingest_celery.py [--server local] [--sets sample month year]

For each set of files — `sample`: the demo's Trà Vinh sample set (`DEMO_SETS['84']`, 352 files with
corrections, duplicates and rejections); `month`: one national month, 63 `CAT` files
(`generate_national.py`, 2023-01); `year`: the national year, 756 files — the same files are
loaded twice, each time into a fresh warehouse:

- Celery: api-server, scheduler, dag-processor and two `airflow celery worker`s (2 slots each)
  on Redis, as in docker-compose.yml (the harness of `tests/deploy/test_celery_scaleout.py`).
  Once the cluster is up, one run of the empty landing folder warms it (a deployment's workers
  have run tasks before; its time is recorded apart, like the start-up). Then `antt_ingest` is
  triggered until the landing folder is empty; the figure runs from the first trigger to the end
  of the last run. Each run's timeline (task queue waits, durations, the plan's and each batch's
  own work as the tasks logged it) is recorded from the metadata database and the task logs.
- single process: `antt ingest --processes 1 <landing>`, the CLI as users run it (its start-up
  included) with one loader process: the single-process run of issue 14's targets, in each round
  twice, with the cluster paused (SIGSTOP: the cores to itself, as on a machine without Airflow;
  the figure of the targets) and beside the idle cluster; after the rounds, `antt ingest
  <landing>`, its default (one loader process per core); and, for reference,
  `antt.ingest.ingest_paths` of the same folder inside this process (what the CLI runs with one
  process, without the start-up).

Each round also records the CPU seconds each part of the system used (PostgreSQL, the tasks, the
scheduler, the api-server, ...; `/proc`, Linux).

The Celery figure runs from the first trigger to the `end_date` the scheduler wrote for the last
run (the harness polls the run's state every 0.1 s; that polled figure is recorded too).
`--idle-sleep S` sets the scheduler's pause between idle loops (default: the harness's, as
docker-compose.yml), `--connections N` the loader connections of a batch task
(`ANTT_INGEST_CONNECTIONS_PER_BATCH`), `--keep-logs DIR` keeps each set's Airflow and worker
logs, `--stem NAME` writes `bench/results/NAME.{json,md}` (a
record per design).

The 1-minute load average is recorded around each phase: the machine is shared, compare the two
figures of one set, measured one after the other. Results: `bench/results/ingest_celery.{json,md}`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import benchlib
import generate_national

sys.path.insert(0, str(benchlib.REPO_ROOT / "tests"))  # the Celery harness of tests/deploy

REDIS_URL = os.environ.get("ANTT_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
SAMPLE_PROVINCE = "84"  # the set measured (the demo's default is now 86)
WORKERS = ("worker-a", "worker-b")
MAX_RUNS = 8
SETS = ("sample", "month", "year")


def source_files(name: str, out: Path) -> list[Path]:
    """The files of a set, written under `out` (relative paths kept: the sample's batches)."""
    if name == "sample":
        from antt.local_airflow.demo import DEMO_SETS
        from antt.sample import generate

        generate(out, province=SAMPLE_PROVINCE, years=DEMO_SETS[SAMPLE_PROVINCE])
        (out / "manifest.json").unlink(missing_ok=True)
        return sorted(p for p in out.rglob("*") if p.is_file())
    months = 1 if name == "month" else 12
    periods = generate_national.periods_of(generate_national.DEFAULT_YEAR, months)
    gen = generate_national.generate(
        generate_national.default_out_dir(None, periods), periods=periods
    )
    out.mkdir(parents=True, exist_ok=True)
    for path in gen.paths:
        shutil.copyfile(path, out / path.name)
    return sorted(out.iterdir())


def cluster_env(warehouse: str, home: Path) -> dict[str, str]:
    from deploy.test_celery_scaleout import cluster_env as compose_like_env

    return compose_like_env(warehouse, home)


# Which part of the system a process is, by its command line, for the CPU each round used.
# A Celery pool child running a task calls itself "airflow supervisor: <id>"; the task process
# it forks is counted in it once reaped. (Not "celery" alone: this script's name has it, and so
# do the paths of its temporary folders.)
CPU_PARTS = (
    ("airflow supervisor:", "tasks"),
    ("ForkPoolWorker", "tasks"),
    ("airflow scheduler", "scheduler"),
    ("airflow api_server", "api_server"),
    ("airflow dag-processor", "dag_processor"),
    ("[celeryd:", "celery_workers"),
    ("airflow celery worker", "celery_workers"),
)
CPU_PART_LABELS = {
    "postgres": "PostgreSQL",
    "client": "`antt ingest`",
    "tasks": "tasks",
    "scheduler": "scheduler",
    "api_server": "api-server",
    "dag_processor": "dag-processor",
    "celery_workers": "Celery workers",
}


def cpu_part(command: str) -> str | None:
    """The part of the system a process belongs to (None: not one of them)."""
    if benchlib.is_postgres(command):
        return "postgres"
    return next((part for marker, part in CPU_PARTS if marker in command), None)


def files_in(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file())


LOG_FIGURES = {
    "plan_seconds": re.compile(r"planned in ([0-9.]+) s"),
    "batch_work_seconds": re.compile(r"batch of [0-9]+ file\(s\) loaded in ([0-9.]+) s"),
}


def task_startup_seconds(log_text: str) -> float | None:
    """A task process's start-up as its log shows it: from its first line ("Pre Execute") to
    "Worker startup parse complete" (Airflow's plugins, the DAG file parsed)."""
    import json

    stamps = {}
    for line in log_text.splitlines():
        if "Pre Execute" in line or "Worker startup parse complete" in line:
            record = json.loads(line)
            key = "parsed" if "parse complete" in record["event"] else "start"
            stamps.setdefault(key, datetime.fromisoformat(record["timestamp"]))
    if len(stamps) < 2:
        return None
    return round((stamps["parsed"] - stamps["start"]).total_seconds(), 3)


WORKER_LINE = re.compile(
    r"^(\S+) .*?(?:Task execute_workload\[([0-9a-f-]+)\] received|"
    r"\[([0-9a-f-]+)\] Executing workload in Celery)"
)


def pickup_seconds(worker_logs: list[Path]) -> list[float]:
    """Per Celery task, from the worker receiving it to a pool child starting it (the child's
    first task in it pays the child's own set-up), in the order received."""
    received: dict[str, datetime] = {}
    gaps = []
    for log in worker_logs:
        for line in log.read_text(errors="replace").splitlines():
            match = WORKER_LINE.match(line)
            if not match:
                continue
            when = datetime.fromisoformat(match.group(1))
            if match.group(2):
                received[match.group(2)] = when
            elif match.group(3) in received:
                gaps.append((received[match.group(3)], when))
    return [round((end - start).total_seconds(), 3) for start, end in sorted(gaps)]


def _seconds(later, earlier) -> float | None:
    return round((later - earlier).total_seconds(), 2) if later and earlier else None


def run_timeline(meta_url: str, run_id: str, task_logs: Path) -> dict:
    """Where one run's time went, from the metadata database and the tasks' own log lines:
    the run's queue wait, each task's wait in the queue (queued -> running on a worker), its
    duration on the worker (process start-up, DAG file parse and the work), and the work alone
    (the plan, each batch's loads) as the task logged it."""
    import psycopg

    with psycopg.connect(meta_url) as conn:
        run = conn.execute(
            "SELECT queued_at, start_date, end_date FROM dag_run WHERE run_id = %s", (run_id,)
        ).fetchone()
        tis = conn.execute(
            "SELECT task_id, map_index, state, hostname, queued_dttm, start_date, end_date"
            " FROM task_instance WHERE run_id = %s ORDER BY start_date",
            (run_id,),
        ).fetchall()
    queued_at, run_start, run_end = run
    logged: dict[str, list[float]] = {k: [] for k in LOG_FIGURES}
    startups = []
    for log in (task_logs / "dag_id=antt_ingest" / f"run_id={run_id}").rglob("*.log"):
        text = log.read_text(errors="replace")
        for key, pattern in LOG_FIGURES.items():
            logged[key] += [float(m) for m in pattern.findall(text)]
        startups.append(task_startup_seconds(text))
    tasks = [
        {
            "task": task if index < 0 else f"{task}[{index}]",
            "state": state,
            "host": host,
            "from_run_start_s": _seconds(start, run_start),
            "queued_s": _seconds(start, queued),
            "duration_s": _seconds(end, start),
        }
        for task, index, state, host, queued, start, end in tis
    ]
    loads = [t for t in tasks if t["task"].startswith("load_batch")]
    return {
        "trigger_to_run_start_s": _seconds(run_start, queued_at),
        "run_s": _seconds(run_end, run_start),
        "plan_work_s": logged["plan_seconds"],
        "load_task_s_sum": round(sum(t["duration_s"] or 0 for t in loads), 1),
        "load_work_s_sum": round(sum(logged["batch_work_seconds"]), 1),
        "task_startup_s": sorted(x for x in startups if x is not None),
        "tasks": tasks,
    }


def last_run_end(meta_url: str, run_id: str) -> datetime:
    import psycopg

    with psycopg.connect(meta_url) as conn:
        return conn.execute("SELECT end_date FROM dag_run WHERE run_id = %s", (run_id,)).fetchone()[
            0
        ]


def reset_database(admin_url: str, url: str) -> None:
    """The database of `url` dropped and bootstrapped again under the same name (a round's fresh
    warehouse for a cluster whose environment names it)."""
    import psycopg
    from psycopg import sql

    from antt.bootstrap import init_database

    name = sql.Identifier(urlsplit(url).path.lstrip("/"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    init_database(url)


def celery_load(
    source: Path,
    warehouse: str,
    meta_url: str,
    work: Path,
    settings_env: dict[str, str],
    rounds: int,
    reset_warehouse,
    between_rounds,
) -> list[dict]:
    """`rounds` loads of the files on one cluster, each into a fresh warehouse; after each,
    `between_rounds(k, cluster)` runs (the single-process loads of the same round)."""
    from deploy.airflow_cluster import celery_cluster

    home = work / "celery_home"
    dags = work / "dags"
    dags.mkdir()
    shutil.copy2(benchlib.REPO_ROOT / "dags" / "antt_ingest.py", dags / "antt_ingest.py")
    started = time.monotonic()
    measured = []
    with celery_cluster(
        home=work / "airflow",
        dags_folder=dags,
        metadata_url=meta_url,
        broker_url=REDIS_URL,
        workers=WORKERS,
        concurrency=2,
        extra_env=cluster_env(warehouse, home) | settings_env,
    ) as cluster:
        cluster.wait_ready("antt_ingest", timeout=300)
        ready_s = time.monotonic() - started
        # A deployment's workers have run tasks before: one run of an empty landing folder
        # warms each component's first-call costs (recorded apart, like the start-up).
        warm_started = time.monotonic()
        warm_state = cluster.wait_run("antt_ingest", cluster.trigger("antt_ingest"), timeout=900)
        warmup = {"seconds": round(time.monotonic() - warm_started, 1), "state": warm_state}
        for k in range(rounds):
            if k:
                reset_warehouse()
                for area in ("archive", "quarantine"):
                    shutil.rmtree(home / area, ignore_errors=True)
            measured.append(_celery_round(cluster, source, home, meta_url, work))
            measured[-1] |= {"cluster_ready_seconds": round(ready_s, 1), "warmup_run": warmup}
            between_rounds(k, cluster)
    return measured


def _celery_round(cluster, source: Path, home: Path, meta_url: str, work: Path) -> dict:
    shutil.copytree(source, home / "landing", dirs_exist_ok=True)
    runs: list[str] = []
    failed_runs: list[dict] = []
    first_trigger = datetime.now(UTC)
    with benchlib.timed(cpu_part) as t:
        while files_in(home / "landing") and len(runs) < MAX_RUNS:
            run_id = cluster.trigger("antt_ingest")
            state = cluster.wait_run("antt_ingest", run_id, timeout=3600, interval=0.1)
            if state != "success":  # the next run resumes what it left: recorded, counted
                failed_runs.append({"run_id": run_id, "state": state})
            runs.append(run_id)
    if files_in(home / "landing"):
        raise RuntimeError(f"files left in landing after {len(runs)} runs")
    loads = [
        ti
        for r in runs
        for ti in cluster.task_instances("antt_ingest", r)
        if ti["task_id"] == "load_batch"
    ]
    timelines = [run_timeline(meta_url, r, work / "airflow" / "task_logs") for r in runs]
    to_last_end = _seconds(last_run_end(meta_url, runs[-1]), first_trigger) if runs else None
    pickups = pickup_seconds(sorted((work / "airflow" / "logs").glob("worker-*.log")))
    return {
        "seconds": to_last_end,
        "polled_seconds": t["seconds"],
        "runs": len(runs),
        "failed_runs": failed_runs,
        "load_tasks": len(loads),
        "load_tasks_per_worker": {w: sum(ti["hostname"] == w for ti in loads) for w in WORKERS},
        **benchlib.machine_load(t),
        "cpu_seconds": t["cpu_seconds"],
        "timelines": timelines,
        "pickup_s": pickups,
    }


@contextmanager
def paused(cluster) -> Iterator[None]:
    """Every process of the cluster stopped (SIGSTOP to each process group) for the block, then
    resumed: a load measured meanwhile has the machine's cores to itself, as on a machine with no
    Airflow running. Beside the idle cluster it shares them with the scheduler's loop (0.23
    core-seconds during a 4.2 s load of the national year, `cpu_lines`)."""
    for process in cluster.processes:
        process.signal(signal.SIGSTOP, group=True)
    try:
        yield
    finally:
        for process in cluster.processes:
            process.signal(signal.SIGCONT, group=True)


def single_cli_load(
    source: Path, warehouse: str, work: Path, processes: int | None, tag: str = ""
) -> dict:
    """`antt ingest` of the landing folder, as a user runs it (exit 1 when files are rejected):
    with `--processes N`, or its default (one loader process per core) when `processes` is None."""
    home = work / f"cli_home_{processes or 'default'}{tag}"
    shutil.copytree(source, home / "landing")
    benchlib.warehouse_env(warehouse, home)
    antt = Path(sys.executable).parent / "antt"
    option = [] if processes is None else ["--processes", str(processes)]
    with benchlib.timed(cpu_part) as t:
        done = subprocess.run(
            [str(antt), "ingest", *option, str(home / "landing")], capture_output=True, text=True
        )
    cpu = t["cpu_seconds"]
    if cpu is not None:  # the CLI and its loader processes: this process's reaped children
        cpu["client"] = t["client_cpu_seconds"]
    if done.returncode not in (0, 1) or files_in(home / "landing"):
        raise RuntimeError(f"antt ingest exited {done.returncode}: {done.stderr[-2000:]}")
    return {
        "seconds": t["seconds"],
        "exit_code": done.returncode,
        **benchlib.machine_load(t),
        "cpu_seconds": cpu,
    }


def single_inprocess_load(source: Path, warehouse: str, work: Path) -> dict:
    from antt.ingest import ingest_paths

    home = work / "single_home"
    shutil.copytree(source, home / "landing")
    benchlib.warehouse_env(warehouse, home)
    with benchlib.timed() as t:
        outcomes = ingest_paths([home / "landing"])
    statuses = {
        s: sum(o.status == s for o in outcomes) for s in ("accepted", "rejected", "duplicate")
    }
    return {
        "seconds": t["seconds"],
        "statuses": statuses,
        **benchlib.machine_load(t),
    }


def register(url: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return sorted(
            conn.execute("SELECT sha256, status, row_count FROM raw.submissions").fetchall()
        )


def markdown(results: dict) -> str:
    design = results.get("design", {})
    lines = [
        "# antt_ingest on Celery (2 workers × 2 slots) vs one process, same files",
        "",
        f"{benchlib.machine_line(results['machine'])}; shared machine, load averages below.",
        f"Design: {design.get('batches_per_run')} batch tasks per run, "
        f"{design.get('loader_connections_per_batch')} loader connections per batch, "
        f"at most {design.get('max_files_per_run')} files per run; scheduler idle sleep "
        f"{design.get('scheduler_idle_sleep_s')} s; workers' min heartbeat interval "
        f"{design.get('min_heartbeat_interval_s', 1)} s. "
        f"{design.get('rounds', 1)} round(s) per set on one cluster: a Celery load, then "
        "`antt ingest --processes 1`, each into a fresh warehouse; medians below.",
        "",
        "`antt ingest --processes 1` is the single-process run of the issue's targets, measured "
        "with the Airflow cluster paused (SIGSTOP), as on a machine without Airflow; beside the "
        "idle cluster, it shares the cores with the scheduler's loop (its column, as earlier "
        "passes measured it). `antt ingest` its default (one loader process per core) and the "
        "in-process load ran once, after the rounds, with the cluster stopped.",
        "",
        "| set | files | Celery s (median) | `--processes 1` s (median) | Celery / `--processes 1` "
        "| per round | beside the idle cluster: s, Celery / it "
        "| load tasks per run (per worker) | `antt ingest` s | in-process s "
        "| load (Celery, `--processes 1`; round 1) "
        "| steal % (Celery / `--processes 1`, per round) |",
        "|---|---:|---:|---:|---:|---|---|---|---:|---:|---|---|",
    ]
    for name, r in results["sets"].items():
        first = r["rounds"][0]
        c, p1 = first["celery"], first["single_cli_p1"]
        per_worker = ", ".join(str(n) for n in c["load_tasks_per_worker"].values())
        ratio = r["celery_median_s"] / r["single_cli_p1_median_s"]
        lines.append(
            f"| {name} | {r['files']} | {r['celery_median_s']:.1f} | "
            f"{r['single_cli_p1_median_s']:.1f} | **{ratio:.2f}** | "
            f"{', '.join(f'{x:.2f}' for x in r['ratios'])} | {_beside_idle(r)} | "
            f"{c['load_tasks'] // max(c['runs'], 1)} ({per_worker}) | "
            f"{r['single_cli']['seconds']:.1f} | {r['single']['seconds']:.1f} | "
            f"{c['loadavg_before']}, {p1['loadavg_before']} | {_steal(r['rounds'])} |"
        )
    lines += [
        "",
        "Where the Celery time went, each round (seconds; a task's wait runs from queued to "
        "running on a worker, its duration includes the task process start-up and DAG file "
        "parse, its work is what the task logged):",
        "",
        "| set | round | Celery s | plan task: wait / duration / work | load tasks: longest wait "
        "| load tasks: sum of durations / of work | report, announce durations |",
        "|---|---:|---:|---|---:|---|---|",
    ]
    for name, r in results["sets"].items():
        for k, rnd in enumerate(r["rounds"], 1):
            c = rnd["celery"]
            for t in c["timelines"]:
                by_task = {task["task"]: task for task in t["tasks"]}
                plan = by_task.get("find_new_files", {})
                loads = [task for task in t["tasks"] if task["task"].startswith("load_batch")]
                waits = [task["queued_s"] or 0 for task in loads]
                lines.append(
                    f"| {name} | {k} | {c['seconds']:.1f} | "
                    f"{plan.get('queued_s')} / {plan.get('duration_s')} / "
                    f"{', '.join(str(w) for w in t['plan_work_s']) or '-'} | "
                    f"{max(waits, default='-')} | "
                    f"{t['load_task_s_sum']} / {t['load_work_s_sum']} | "
                    f"{by_task.get('report', {}).get('duration_s')}, "
                    f"{by_task.get('announce_raw', {}).get('duration_s')} |"
                )
    lines += cpu_lines(results)
    lines += [
        "",
        "Per task (seconds, median and largest): a task process's start-up as its log shows it "
        "(first line to `Worker startup parse complete`: Airflow's plugins, the DAG file), and "
        "the pick-up of every Celery task of the cluster, warm-up run included (a worker "
        "receiving it → a pool child starting it; a child's first task pays its set-up):",
        "",
        "| set | warm-up run s | task start-up: median / max (n) | pick-up: median / max (n) |",
        "|---|---:|---|---|",
    ]
    for name, r in results["sets"].items():
        rounds = [rnd["celery"] for rnd in r["rounds"]]
        startups = sorted(x for c in rounds for t in c["timelines"] for x in t["task_startup_s"])
        lines.append(
            f"| {name} | {rounds[0].get('warmup_run', {}).get('seconds', '-')} | "
            f"{_spread(startups)} | {_spread(rounds[-1].get('pickup_s', []))} |"
        )
    lines += [
        "",
        "Targets (issue 14): Celery ≤ 1.5 × single process on the sample; at least as fast on the "
        "national year. Every load ends with the same register (checked).",
        "",
    ]
    return "\n".join(lines)


def cpu_lines(results: dict) -> list[str]:
    """Where the CPU went: each part's CPU seconds in the rounds (median), and the cores they
    kept busy on average (their sum over the wall time)."""
    sides = (
        ("Celery", "celery"),
        ("`--processes 1`", "single_cli_p1"),
        ("`--processes 1`, beside the idle cluster", "single_cli_p1_cluster_idle"),
    )
    measured = [
        (name, label, [rnd[key] for rnd in r["rounds"] if rnd.get(key, {}).get("cpu_seconds")])
        for name, r in results["sets"].items()
        for label, key in sides
    ]
    if not any(rounds for _, _, rounds in measured):
        return []
    parts = [
        p for p in CPU_PART_LABELS if any(p in x["cpu_seconds"] for *_, rs in measured for x in rs)
    ]
    header = " | ".join(CPU_PART_LABELS[p] for p in parts)
    lines = [
        "",
        "Where the CPU went (CPU seconds of each part of the system, median of the rounds, from "
        "`/proc`; PostgreSQL holds the warehouse and Airflow's metadata database). Cores busy: "
        "the parts' sum over the wall time.",
        "",
        f"| set | run | {header} | sum | wall s | cores busy |",
        f"|---|---|{'---:|' * (len(parts) + 3)}",
    ]
    for name, label, rounds in measured:
        if not rounds:
            continue
        medians = {
            p: statistics.median(x["cpu_seconds"].get(p, 0.0) for x in rounds) for p in parts
        }
        total = sum(medians.values())
        # the window the CPU was read over: until the harness saw the run end, for Celery
        wall = statistics.median(x.get("polled_seconds", x["seconds"]) for x in rounds)
        cells = " | ".join(f"{medians[p]:.2f}" for p in parts)
        lines.append(
            f"| {name} | {label} | {cells} | {total:.2f} | {wall:.1f} | {total / wall:.2f} |"
        )
    return lines


def _beside_idle(r: dict) -> str:
    """The single-process load beside the idle cluster: median seconds, and Celery's ratio to it
    (median, and per round); "-" for results measured before it was."""
    if "single_cli_p1_cluster_idle_median_s" not in r:
        return "-"
    seconds = r["single_cli_p1_cluster_idle_median_s"]
    rounds = ", ".join(f"{x:.2f}" for x in r["ratios_cluster_idle"])
    return f"{seconds:.1f}, {r['celery_median_s'] / seconds:.2f} ({rounds})"


def _steal(rounds: list[dict]) -> str:
    """Each round's steal shares, in per cent: the CPU time the hypervisor gave other guests."""
    pct = benchlib.steal_pct
    return ", ".join(f"{pct(r['celery'])} / {pct(r['single_cli_p1'])}" for r in rounds)


def _spread(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    return f"{statistics.median(ordered):.2f} / {ordered[-1]:.2f} ({len(ordered)})"


def measure_set(name: str, admin_url: str, kind: str, args, settings_env: dict) -> dict:
    """One set: `args.rounds` rounds of Celery then `--processes 1`, each into a fresh warehouse;
    then `antt ingest` and the in-process load once, for reference; all must register alike."""
    with (
        tempfile.TemporaryDirectory(prefix=f"antt-bench-celery-{name}-") as tmp,
        benchlib.fresh_database(admin_url) as celery_wh,
        benchlib.fresh_database(admin_url) as meta_url,
    ):
        work = Path(tmp)
        files = source_files(name, work / "source")
        p1_rounds: list[dict] = []
        idle_rounds: list[dict] = []
        registers: list = []

        def single_load(tag: str) -> dict:
            with benchlib.fresh_database(admin_url) as wh:
                measured = single_cli_load(work / "source", wh, work, 1, tag=tag)
                registers[:] = [register(celery_wh), register(wh)]
            return measured

        def single_round(k: int, cluster) -> None:
            # alone (the cluster paused) and beside the idle cluster, in turns first
            for alone in (True, False) if k % 2 == 0 else (False, True):
                if alone:
                    with paused(cluster):
                        p1_rounds.append(single_load(f"_{k}_alone"))
                else:
                    idle_rounds.append(single_load(f"_{k}_idle"))

        celery_rounds = celery_load(
            work / "source",
            celery_wh,
            meta_url,
            work,
            settings_env,
            args.rounds,
            lambda: reset_database(admin_url, celery_wh),
            single_round,
        )
        if args.keep_logs:
            shutil.copytree(work / "airflow", args.keep_logs / name, dirs_exist_ok=True)
        with (
            benchlib.fresh_database(admin_url) as cli_wh,
            benchlib.fresh_database(admin_url) as single_wh,
        ):
            machine = benchlib.machine_info(single_wh, kind)
            cli = single_cli_load(work / "source", cli_wh, work, processes=None)
            single = single_inprocess_load(work / "source", single_wh, work)
            registers += [register(cli_wh), register(single_wh)]
        if any(other != registers[0] for other in registers[1:]):
            raise RuntimeError(f"{name}: the loads registered different outcomes")
    celery_s = [r["seconds"] for r in celery_rounds]
    p1_s = [r["seconds"] for r in p1_rounds]
    idle_s = [r["seconds"] for r in idle_rounds]
    return {
        "files": len(files),
        "rounds": [
            {"celery": c, "single_cli_p1": p, "single_cli_p1_cluster_idle": i}
            for c, p, i in zip(celery_rounds, p1_rounds, idle_rounds, strict=True)
        ],
        "celery_median_s": statistics.median(celery_s),
        "single_cli_p1_median_s": statistics.median(p1_s),
        "ratios": [round(c / p, 2) for c, p in zip(celery_s, p1_s, strict=True)],
        "single_cli_p1_cluster_idle_median_s": statistics.median(idle_s),
        "ratios_cluster_idle": [round(c / i, 2) for c, i in zip(celery_s, idle_s, strict=True)],
        "single_cli": cli,
        "single": single,
        "machine": machine,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("ANTT_BENCH_DATABASE_URL") or "local")
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--results-dir", type=Path, default=benchlib.RESULTS_DIR)
    parser.add_argument("--stem", default="ingest_celery", help="results file name, no suffix")
    parser.add_argument(
        "--rounds", type=int, default=3, help="Celery and `--processes 1` loads per set (median)"
    )
    parser.add_argument("--idle-sleep", type=float, help="scheduler idle sleep (s)")
    parser.add_argument("--connections", type=int, help="loader connections per batch task")
    parser.add_argument(
        "--parallel", type=int, help="batch tasks of a run loading at once (and batches per run)"
    )
    parser.add_argument(
        "--heartbeat", type=int, help="the workers' [workers] min_heartbeat_interval (s)"
    )
    parser.add_argument(
        "--keep-logs", type=Path, help="copy each set's Airflow and worker logs into this folder"
    )
    args = parser.parse_args(argv)
    from antt.config import load_settings
    from antt.orchestration.ingest_tasks import batches_per_run
    from deploy.airflow_cluster import HEARTBEAT_INTERVAL, SCHEDULER_IDLE_SLEEP

    idle_sleep = str(args.idle_sleep) if args.idle_sleep is not None else SCHEDULER_IDLE_SLEEP
    settings_env = {"AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": idle_sleep}
    if args.connections is not None:
        settings_env["ANTT_INGEST_CONNECTIONS_PER_BATCH"] = str(args.connections)
    if args.parallel is not None:
        settings_env["ANTT_INGEST_PARALLEL_BATCHES"] = str(args.parallel)
    if args.heartbeat is not None:
        settings_env["AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL"] = str(args.heartbeat)
    dag = load_settings(os.environ | settings_env).dag
    results: dict = {
        "design": {
            "batches_per_run": batches_per_run(dag),
            "loader_connections_per_batch": dag.ingest_connections_per_batch,
            "max_files_per_run": dag.ingest_max_files,
            "rounds": args.rounds,
            "scheduler_idle_sleep_s": float(idle_sleep),
            "min_heartbeat_interval_s": int(
                settings_env.get("AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL", HEARTBEAT_INTERVAL)
            ),
        },
        "sets": {},
    }
    with benchlib.server(args.server) as srv:
        for name in args.sets:
            results["sets"][name] = measure_set(name, srv.admin_url, srv.kind, args, settings_env)
            results.setdefault("machine", results["sets"][name].pop("machine"))
            print(name, results["sets"][name], flush=True)
    benchlib.write_results(args.results_dir, args.stem, results, markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
