"""(c) `make demo` on a fresh clone: cold, then warm, as a new user runs it.

    .venv/bin/python bench/demo_clone.py [--repo PATH]

Clones the repository (default: this one, its committed HEAD) into a temporary folder and runs
`make demo` there twice: cold (environment from the warm uv cache, a new embedded warehouse,
Airflow's metadata database migrated, the dbt manifest parsed, the sample generated and loaded
through antt_ingest, antt_transform and antt_publish) and warm (nothing new). After the warm run
it counts the asset events still queued in Airflow's metadata database: a scheduler started
afterwards (`antt airflow`) would run a DAG for each, so there must be none. Then `antt db down`
and the clone is removed. The 1-minute load average is recorded around each run: the machine is
shared, compare figures by their load. Results: `bench/results/demo.{json,md}`.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import benchlib


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def make_demo(clone: Path, log: Path) -> dict:
    """One `make demo`: wall seconds, and the CPU seconds of everything it ran and waited for
    (not the PostgreSQL server's): on a shared machine the wall time mostly measures the queue
    for a core, the CPU time what the demo itself costs."""
    cpu_before = _children_cpu()
    with benchlib.timed() as t, log.open("w", encoding="utf-8") as out:
        proc = subprocess.run(
            ["make", "demo"], cwd=clone, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    if proc.returncode != 0:
        raise RuntimeError(f"make demo failed ({proc.returncode}): see {log}")
    return {
        "seconds": t["seconds"],
        "cpu_seconds": round(_children_cpu() - cpu_before, 1),
        **benchlib.machine_load(t),
    }


def queued_asset_events(clone: Path) -> int:
    """Asset events waiting to trigger a DAG, in the clone's Airflow metadata database."""
    code = (
        "import psycopg\n"
        "from antt.warehouse import embedded_running_url\n"
        "from antt.local_airflow.environment import meta_admin_url\n"
        "with psycopg.connect(meta_admin_url(embedded_running_url())) as c:\n"
        "    print(c.execute('SELECT count(*) FROM asset_dag_run_queue').fetchone()[0])\n"
    )
    proc = subprocess.run(
        [str(clone / ".venv" / "bin" / "python"), "-c", code],
        cwd=clone,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(proc.stdout.strip().splitlines()[-1])


def markdown(results: dict) -> str:
    cold, warm = results["cold"], results["warm"]
    return "\n".join(
        [
            "# `make demo` on a fresh clone",
            "",
            f"Commit {results['commit']}, {results['cpu_count']} cores of "
            f"{results.get('cpu', 'an unrecorded CPU')} (shared machine; steal: the share of "
            "the machine's CPU time the hypervisor gave other guests).",
            "",
            "| run | wall s | CPU s (client side) | load before / after | steal % | target |",
            "|---|---:|---:|---|---:|---|",
            f"| cold | {cold['seconds']:.1f} | {cold.get('cpu_seconds', '-')} | "
            f"{cold['loadavg_before']} / {cold['loadavg_after']} | "
            f"{benchlib.steal_pct(cold)} | < 180 s |",
            f"| warm | {warm['seconds']:.1f} | {warm.get('cpu_seconds', '-')} | "
            f"{warm['loadavg_before']} / {warm['loadavg_after']} | "
            f"{benchlib.steal_pct(warm)} | < 15 s |",
            "",
            f"Asset events left queued after the demo: {results['queued_asset_events']} "
            "(a scheduler started afterwards would run a DAG for each).",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=benchlib.REPO_ROOT)
    parser.add_argument("--results-dir", type=Path, default=benchlib.RESULTS_DIR)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="antt-demo-clone-"))
    clone = work / "antt"
    try:
        subprocess.run(["git", "clone", "--quiet", str(args.repo), str(clone)], check=True)
        results = {
            "commit": benchlib._git_commit(clone),
            "cpu_count": os.cpu_count(),
            "cpu": benchlib._cpu_model(),
            "cold": make_demo(clone, work / "cold.log"),
            "warm": make_demo(clone, work / "warm.log"),
        }
        results["queued_asset_events"] = queued_asset_events(clone)
        results["warm_output_tail"] = (work / "warm.log").read_text().splitlines()[-3:]
        subprocess.run(
            [str(clone / ".venv" / "bin" / "antt"), "db", "down"],
            cwd=clone,
            capture_output=True,
            check=False,
        )
    finally:
        for log in work.glob("*.log"):  # kept for a look when a run failed
            benchlib.OUT_DIR.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(log, benchlib.OUT_DIR / f"demo_{log.name}")
        shutil.rmtree(work, ignore_errors=True)
    benchlib.write_results(args.results_dir, "demo", results, markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
