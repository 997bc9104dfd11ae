"""(a) antt_transform through Airflow against `antt build`, on the same warehouse in the same run.

    .venv/bin/python bench/transform_airflow.py [--server local] [--modes watcher build layers]

A fresh warehouse gets the demo's Trà Vinh sample set (`DEMO_SETS['84']`, loaded by
`ingest_paths`); then, in turn, `antt build` (`antt.transform.build`, what the CLI runs) and
`antt_transform` run through Airflow the way `antt demo` runs it (`python -m
antt.local_airflow.dag_runs antt_transform`: `prepare_in_process`, then `dag.test()`, in a child
process) once per way of running dbt (`ANTT_DBT_AIRFLOW_MODE`):

- `watcher`: one `dbt build` in a producer task, then a task per seed and model that reads what
  the build did to the node and to its tests (the DAG's default);
- `watcher_split`: the same build, a task per model and another per model's tests (Cosmos'
  TestBehavior.AFTER_EACH rendering: about twice the tasks);
- `build`: a task per model, each `dbt build --select <model>` (Cosmos TestBehavior.BUILD);
- `local`: a task per model and one per model's tests (Cosmos TestBehavior.AFTER_EACH, before);
- `layers`: three tasks, `dbt build` of seeds and staging, of intermediate, of marts
  (`bench/dags/antt_transform_layers.py`; no task per model: measured for comparison only);
- `empty_tasks`: as many tasks as `watcher` renders, doing nothing
  (`bench/dags/antt_empty_tasks.py`): what the tasks alone cost Airflow in `dag.test()`.

`antt build` runs first and last; the figure is their mean. Each Airflow figure is the DAG run
(`dag.test()` from start to end); the child's whole wall time (Airflow import, DAG parsing) is
kept beside it. The 1-minute load average is recorded around each phase: the machine is shared,
so only ratios within one run count. Results: `bench/results/transform_airflow.{json,md}`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import benchlib
import transform_before

SAMPLE_PROVINCE = "84"  # the set measured (the demo's default is now 86)
MODES = ("watcher", "watcher_split", "layers", "empty_tasks", "build", "local")
BENCH_DAGS = Path(__file__).resolve().parent / "dags"
# Modes that run a DAG of bench/dags/ (not the project's antt_transform): mode -> DAG id.
BENCH_DAG_IDS = {"layers": "antt_transform_layers", "empty_tasks": "antt_empty_tasks"}


def bench_dag_run(dag_id: str) -> int:
    """A DAG of `bench/dags/` in this (child) process through `dag.test()`, with Airflow
    configured as `antt demo` configures it but for that folder."""
    from datetime import datetime

    from antt.config import load_settings
    from antt.local_airflow import environment
    from antt.warehouse import warehouse_url

    url = warehouse_url()
    env = environment.airflow_env(url)
    env["AIRFLOW__CORE__DAGS_FOLDER"] = str(BENCH_DAGS)
    os.environ.update(env)
    environment.ensure_migrated(env, environment.meta_admin_url(url, load_settings()))
    from airflow.dag_processing.dagbag import DagBag
    from airflow.sdk import timezone

    bench_dag = DagBag(dag_folder=str(BENCH_DAGS / f"{dag_id}.py")).dags[dag_id]
    started = datetime.now()
    run = bench_dag.test(logical_date=None, run_after=timezone.utcnow())
    record = {
        "dag_id": dag_id,
        "state": str(run.state),
        "run_id": run.run_id,
        "seconds": round((datetime.now() - started).total_seconds(), 1),
        "task_states": {ti.task_id: {str(ti.state): 1} for ti in run.get_task_instances()},
    }
    print("ANTT_RUN " + json.dumps(record), flush=True)
    return 0 if record["state"] == "success" else 1


def variant_run(variant: str) -> int:
    """`python -m antt.local_airflow.dag_runs antt_transform` in this (child) process, with the
    watcher's classes patched to the variant's design (`transform_before.VARIANTS`) before
    the DAG is parsed."""
    from antt.local_airflow import dag_runs, environment
    from antt.warehouse import warehouse_url

    # Airflow's settings before the patches import it (prepare_in_process sets the same again).
    os.environ.update(environment.airflow_env(warehouse_url()))
    for patch in transform_before.VARIANTS[variant]:
        patch()
    return dag_runs.main(["antt_transform"])


def children_cpu_seconds() -> float:
    """User and system CPU of this process's ended and waited-for children and theirs (the DAG
    run's child process with its dbt, or `antt build`'s dbt): far less sensitive to the other
    sessions' load than wall time. The database server's CPU is not in it."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def airflow_run(mode: str, env: dict, variant: str | None = None) -> dict:
    if mode in BENCH_DAG_IDS:
        cmd = [sys.executable, __file__, "--bench-dag", BENCH_DAG_IDS[mode]]
    elif variant:
        cmd = [sys.executable, __file__, "--as-variant", variant]
    else:
        cmd = [sys.executable, "-m", "antt.local_airflow.dag_runs", "antt_transform"]
    cpu_before = children_cpu_seconds()
    with benchlib.timed() as t:
        proc = subprocess.run(
            cmd,
            env={**env, "ANTT_DBT_AIRFLOW_MODE": "watcher" if mode in BENCH_DAG_IDS else mode},
            capture_output=True,
            text=True,
            check=False,
        )
    child_cpu = round(children_cpu_seconds() - cpu_before, 1)
    records = [
        json.loads(line.removeprefix("ANTT_RUN "))
        for line in proc.stdout.splitlines()
        if line.startswith("ANTT_RUN ")
    ]
    if proc.returncode != 0 or not records:
        raise RuntimeError(f"{mode}: {(proc.stdout + proc.stderr)[-3000:]}")
    record = records[0]
    prepared = [
        json.loads(line.removeprefix("ANTT_PREPARE "))
        for line in proc.stdout.splitlines()
        if line.startswith("ANTT_PREPARE ")
    ]
    api_start = prepared[0].get("execution_api_start_s") if prepared else None
    return {
        "mode": mode,
        "variant": variant or "kept",
        "state": record["state"],
        "dag_run_seconds": record["seconds"],
        "process_seconds": t["seconds"],
        "process_cpu_seconds": child_cpu,
        "execution_api_start_seconds": round(api_start, 1) if api_start is not None else None,
        "tasks": sum(sum(c.values()) for c in record["task_states"].values()),
        "task_seconds": task_seconds(env["ANTT_AIRFLOW_DATABASE_URL"], record),
        **benchlib.machine_load(t),
    }


def task_seconds(meta_url: str, record: dict) -> dict:
    """Where the run's time went, from Airflow's metadata: the freshness task, the producer's
    build, the other tasks (count, sum and median of their durations), and the time outside
    tasks (`timeline`)."""
    import psycopg

    with psycopg.connect(meta_url) as conn:
        rows = conn.execute(
            "SELECT task_id, extract(epoch FROM end_date - start_date)::float FROM task_instance"
            " WHERE dag_id = %s AND run_id = %s AND end_date IS NOT NULL",
            (record["dag_id"], record["run_id"]),
        ).fetchall()
        spans = conn.execute(
            "SELECT start_date, end_date FROM task_instance WHERE dag_id = %s AND run_id = %s"
            " AND start_date IS NOT NULL AND end_date IS NOT NULL ORDER BY start_date",
            (record["dag_id"], record["run_id"]),
        ).fetchall()
        run_span = conn.execute(
            "SELECT start_date, end_date FROM dag_run WHERE dag_id = %s AND run_id = %s",
            (record["dag_id"], record["run_id"]),
        ).fetchone()
    named = {"source_freshness": "freshness", "dbt.dbt_producer_watcher": "producer"}
    out: dict = {label: None for label in named.values()}
    others = []
    for task_id, seconds in rows:
        if task_id in named:
            out[named[task_id]] = round(seconds, 1)
        else:
            others.append(seconds)
    others.sort()
    out["other_tasks"] = len(others)
    out["other_sum"] = round(sum(others), 1)
    out["other_median"] = round(others[len(others) // 2], 2) if others else None
    out["timeline"] = timeline(spans, run_span)
    return out


def timeline(spans: list, run_span) -> dict:
    """Seconds of the DAG run outside its tasks (tasks run one at a time under `dag.test()`):
    from the run's start to the first task's (`dag.test()` parsing the DAG folder, the first
    scheduling loop), between tasks (the loop's dependency checks and task starts), and from
    the last task's end to the run's."""
    if not spans or not run_span or None in run_span:
        return {}
    between = 0.0
    for (_, previous_end), (start, _) in zip(spans, spans[1:], strict=False):
        between += max(0.0, (start - previous_end).total_seconds())
    return {
        "to_first_task": round((spans[0][0] - run_span[0]).total_seconds(), 1),
        "between_tasks": round(between, 1),
        "after_last_task": round((run_span[1] - max(e for _, e in spans)).total_seconds(), 1),
    }


def cli_build(url: str) -> dict:
    from antt.transform import build

    cpu_before = children_cpu_seconds()
    with benchlib.timed() as t:
        run = build(url)
    if not run.success:
        raise RuntimeError(f"antt build failed: {run.failures[:3]}")
    return {
        "seconds": t["seconds"],
        "dbt_elapsed_seconds": round(run.elapsed_s, 1),
        "dbt_cpu_seconds": round(children_cpu_seconds() - cpu_before, 1),
        **benchlib.machine_load(t),
    }


def markdown(results: dict) -> str:
    build = results["antt_build_seconds"]
    lines = [
        "# antt_transform through Airflow vs `antt build` (same warehouse, same run)",
        "",
        f"Commit {results['machine'].get('git_commit')}, {results['machine'].get('cpu_count')} "
        f"cores, sample set {results['sample']}: {results['files']} files.",
        "",
        f"`antt build`: {build:.1f} s (mean of its runs, one before each round and one after; "
        + ", ".join(
            f"{b['seconds']:.1f} s at load {b['loadavg_before']}"
            + (f", dbt CPU {b['dbt_cpu_seconds']} s" if "dbt_cpu_seconds" in b else "")
            for b in results["cli"]
        )
        + ").",
        "",
        "| way | variant | tasks | DAG run s | × antt build | child process s (CPU s) "
        "| Execution API start s | freshness s | producer s | other tasks: sum s (median) "
        "| outside tasks s: to first, between, after | load before / after |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results["airflow"]:
        parts = r.get("task_seconds") or {}
        outside = parts.get("timeline") or {}
        lines.append(
            f"| {r['mode']} | {r.get('variant', 'kept')} | {r['tasks']} | "
            f"{r['dag_run_seconds']:.1f} | "
            f"{r['dag_run_seconds'] / build:.2f} | {r['process_seconds']:.1f} "
            f"({r.get('process_cpu_seconds', '–')}) | "
            f"{r.get('execution_api_start_seconds') or '–'} | "
            f"{parts.get('freshness') or '–'} | {parts.get('producer') or '–'} | "
            f"{parts.get('other_sum', '–')} ({parts.get('other_median', '–')}) | "
            f"{outside.get('to_first_task', '–')}, {outside.get('between_tasks', '–')}, "
            f"{outside.get('after_last_task', '–')} | "
            f"{r['loadavg_before']} / {r['loadavg_after']} |"
        )
    lines += [
        "",
        "Target (issue 14): watcher ≤ 1.5 × `antt build`. Airflow runs as `antt demo` runs it "
        "(`dag.test()`, one task at a time); the 1-minute load average is that of a machine "
        "shared with other sessions. The child process starts Airflow's in-process Execution "
        "API before the DAG run (once per process; in `antt demo` antt_ingest's run would pay "
        "it otherwise): its seconds are part of the child process, not of the DAG run. "
        "Every dbt run, the two `antt build`s and the producer's, starts from a partial parse.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("ANTT_BENCH_DATABASE_URL"))
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES[:3]))
    parser.add_argument("--results-dir", type=Path, default=benchlib.RESULTS_DIR)
    parser.add_argument(
        "--keep-home",
        type=Path,
        help="state and Airflow home (task logs) in this folder, kept after the run",
    )
    parser.add_argument(
        "--variants",
        nargs="+",
        choices=transform_before.VARIANTS,
        help="designs of the watcher's producer and node tasks to alternate (bench/"
        "transform_before.py), each run of `antt_transform` in turn",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="times the modes (and variants) run, alternated"
    )
    parser.add_argument("--name", default="transform_airflow", help="results file stem")
    parser.add_argument("--bench-dag", choices=BENCH_DAG_IDS.values(), help=argparse.SUPPRESS)
    parser.add_argument("--as-variant", choices=transform_before.VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bench_dag:
        return bench_dag_run(args.bench_dag)
    if args.as_variant:
        return variant_run(args.as_variant)

    from antt.ingest import ingest_paths
    from antt.local_airflow.demo import DEMO_SETS
    from antt.sample import generate
    from antt.transform.runner import run_dbt

    with (
        benchlib.server(args.server) as srv,
        benchlib.fresh_database(srv.admin_url) as url,
        benchlib.fresh_database(srv.admin_url) as meta_url,
        tempfile.TemporaryDirectory(prefix="antt-bench-transform-") as tmp,
    ):
        home = args.keep_home or Path(tmp)
        home.mkdir(parents=True, exist_ok=True)
        benchlib.warehouse_env(url, home)
        env = {
            **os.environ,
            "ANTT_AIRFLOW_DATABASE_URL": meta_url,
            "ANTT_AIRFLOW_HOME": str(home / "airflow"),
            "ANTT_DAG_RETRIES": "0",
            "ANTT_DBT_QUIET": "1",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        }
        generate(home / "sample", province=SAMPLE_PROVINCE, years=DEMO_SETS[SAMPLE_PROVINCE])
        outcomes = ingest_paths([home / "sample"], move=False)
        # Every measured dbt run then starts from a partial parse, as in a project's daily use.
        run_dbt(["parse"], url)
        results: dict = {
            "machine": benchlib.machine_info(url, srv.kind),
            "sample": f"province {SAMPLE_PROVINCE}, years {list(DEMO_SETS[SAMPLE_PROVINCE])}",
            "files": len(outcomes),
            "cli": [cli_build(url)],
            "airflow": [],
        }
        for round_index in range(args.rounds):
            if round_index:
                results["cli"].append(cli_build(url))
            for mode in args.modes:
                variants = args.variants or [None]
                # A B C, then C B A: no design always runs first in the Airflow home.
                for variant in variants if round_index % 2 == 0 else variants[::-1]:
                    results["airflow"].append(airflow_run(mode, env, variant))
                    print(json.dumps(results["airflow"][-1]), flush=True)
        results["cli"].append(cli_build(url))
    results["antt_build_seconds"] = sum(b["seconds"] for b in results["cli"]) / len(results["cli"])
    benchlib.write_results(args.results_dir, args.name, results, markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
