"""dbt build timings on the national-scale data of the ingestion benchmark (issue 4).

On a fresh database (or the one `ingest_national.py --dbt` just filled):

  1. the 12 months of national submissions are loaded by `antt.ingest.ingest_paths`;
  2. full build: `dbt build` from empty (no relation of staging/intermediate/marts exists yet);
  3. one more month arrives: one more `CAT<province>` file per province for the month after the
     last one (2024-01 for the national set), loaded by `ingest_paths`;
  4. incremental build: `dbt build` again (incremental models add the new month);
  5. `dbt build --full-refresh`, to check that a full refresh gives the same rows of
     `marts.fct_indicator_monthly` as the incremental path (count, non-NULL, sum of value).

dbt runs through `antt.transform.run_dbt` (the code path of `antt build`) as antt_transformer,
with its target folder in `bench/out/dbt_target/` so concurrent runs elsewhere are untouched.
Wall-clock seconds include dbt's start-up and parse. Results go to
`bench/results/dbt_national.json` and `.md` (subset runs: `bench/out/results/`).

    python bench/dbt_national.py                         # embedded pgserver in bench/out/pg
    python bench/dbt_national.py --server local --provinces 84 --months 1 --results-dir /tmp/r
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

import benchlib
import psycopg
from benchlib import OUT_DIR, RESULTS_DIR, rate, timed
from generate_national import (
    GeneratedSet,
    add_scope_arguments,
    default_out_dir,
    generate,
    periods_of,
)
from psycopg import sql

DBT_TARGET = OUT_DIR / "dbt_target"
MART_TABLES = (
    "marts.fct_indicator_monthly",
    "marts.commune_criteria",
    "marts.commune_scorecard",
    "marts.district_criteria",
    "marts.district_scorecard",
)


def next_period(period: str) -> str:
    year, month = int(period[:4]), int(period[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def _status(outcome) -> str:
    status = getattr(outcome, "status", outcome)
    return str(getattr(status, "value", status))


def ingest(gen: GeneratedSet) -> dict:
    from antt.ingest import ingest_paths

    with timed() as t:
        outcomes = ingest_paths(gen.paths, move=False)
    statuses = Counter(_status(o) for o in outcomes)
    return {
        "files": len(outcomes),
        "outcomes": dict(statuses),
        "rows": gen.rows,
        **t,
        "rows_per_s": rate(gen.rows, t["seconds"]),
        "all_accepted": statuses.get("accepted", 0) == len(gen.files),
    }


def _slowest_nodes(target_dir: Path, top: int = 12) -> list[dict]:
    results_file = target_dir / "run_results.json"
    if not results_file.exists():
        return []
    data = json.loads(results_file.read_text(encoding="utf-8"))
    nodes = [
        {
            "node": r.get("unique_id"),
            "status": r.get("status"),
            "seconds": round(float(r.get("execution_time") or 0.0), 2),
        }
        for r in data.get("results", [])
    ]
    return sorted(nodes, key=lambda n: n["seconds"], reverse=True)[:top]


def dbt_build(url: str, args: list[str]) -> dict:
    from antt.transform import run_dbt

    with timed() as t:
        run = run_dbt(args, url, target_dir=DBT_TARGET)
    return {
        "command": "dbt " + " ".join(args),
        "returncode": run.returncode,
        "success": run.success,
        "passed": run.passed,
        "warned": run.warned,
        "errored": run.errored,
        "skipped": run.skipped,
        **t,
        "dbt_elapsed_s": round(run.elapsed_s, 2),
        "slowest_nodes": _slowest_nodes(DBT_TARGET),
        "failures": run.failures[:10],
        "warnings": run.warnings[:10],
        "output_tail": run.output.strip().splitlines()[-5:] if not run.success else [],
    }


def mart_summary(url: str) -> dict:
    """Rows of each public mart, and a fingerprint of fct_indicator_monthly."""
    out: dict = {}
    with psycopg.connect(url) as conn:
        for table in MART_TABLES:
            exists = conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()[0]
            if exists is None:
                continue
            ident = sql.Identifier(*table.split("."))
            out[table] = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(ident)).fetchone()[
                0
            ]
        if "marts.fct_indicator_monthly" in out:
            ident = sql.Identifier("marts", "fct_indicator_monthly")
            rows, non_null, total, months = conn.execute(
                sql.SQL(
                    "SELECT count(*), count(value), coalesce(sum(value), 0),"
                    " count(DISTINCT period_month) FROM {}"
                ).format(ident)
            ).fetchone()
            out["fct_indicator_monthly_fingerprint"] = {
                "rows": rows,
                "non_null": non_null,
                "sum": int(total),
                "months": months,
            }
    return out


def run_dbt_benchmark(url: str, provinces: list[str] | None, periods: list[str]) -> dict:
    """Full build, one more month, incremental build, full refresh; all timed."""
    try:
        import antt.transform  # noqa: F401
    except ImportError as exc:
        return {"status": "unavailable", "reason": f"antt.transform cannot be imported: {exc}"}
    shutil.rmtree(DBT_TARGET, ignore_errors=True)
    steps: dict = {}
    print("dbt build (full, from empty) ...", flush=True)
    steps["full_build"] = dbt_build(url, ["build"])
    steps["full_build"]["marts"] = mart_summary(url)

    extra_period = next_period(periods[-1])
    extra_dir = default_out_dir(provinces, periods).with_name(
        default_out_dir(provinces, periods).name + f"_plus_{extra_period}"
    )
    extra = generate(extra_dir, provinces, [extra_period])
    print(f"ingest one more month ({extra_period}, {len(extra.files)} files) ...", flush=True)
    steps["ingest_extra_month"] = {"period": extra_period, **ingest(extra)}

    print("dbt build (incremental) ...", flush=True)
    steps["incremental_build"] = dbt_build(url, ["build"])
    steps["incremental_build"]["marts"] = mart_summary(url)

    print("dbt build --full-refresh ...", flush=True)
    steps["full_refresh_build"] = dbt_build(url, ["build", "--full-refresh"])
    steps["full_refresh_build"]["marts"] = mart_summary(url)

    key = "fct_indicator_monthly_fingerprint"
    incremental_fp = steps["incremental_build"]["marts"].get(key)
    refresh_fp = steps["full_refresh_build"]["marts"].get(key)
    builds = ("full_build", "incremental_build", "full_refresh_build")
    return {
        "status": "ok" if all(steps[s]["success"] for s in builds) else "failed",
        "dbt_threads": int(os.environ.get("ANTT_DBT_THREADS", "4")),
        "steps": steps,
        "incremental_equals_full_refresh": (
            incremental_fp == refresh_fp if incremental_fp is not None else None
        ),
    }


def node_label(unique_id: str) -> str:
    """`model.pkg.name` → name; `test.pkg.long_generated_name.hash` → the name, shortened."""
    parts = unique_id.split(".")
    name = parts[2] if parts[0] == "test" and len(parts) > 3 else parts[-1]
    return f"{parts[0]} {name[:60]}"


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# dbt build timings, national-scale data",
        "",
        f"{benchlib.machine_line(m)}; dbt threads {results['dbt'].get('dbt_threads')}.",
        f"Data: {results['dataset']}",
        "",
    ]
    dbt = results["dbt"]
    if dbt.get("status") == "unavailable":
        lines.append(f"Not run: {dbt['reason']}")
        return "\n".join(lines) + "\n"
    lines += [
        "| step | wall s | result | load avg before → after |",
        "|---|---:|---|---|",
    ]
    for name, step in dbt["steps"].items():
        if "command" in step:
            outcome = (
                f"{step['passed']} pass, {step['warned']} warn, {step['errored']} error,"
                f" {step['skipped']} skipped (exit {step['returncode']})"
            )
        else:
            outcome = f"{step['rows']:,} rows, {step['outcomes']}, {step['rows_per_s']:,} rows/s"
        lines.append(
            f"| {name} | {step['seconds']:.1f} | {outcome} |"
            f" {step['loadavg_before']} → {step['loadavg_after']} |"
        )
    lines += [
        "",
        f"- incremental result equals full refresh (fct_indicator_monthly count, non-NULL, sum):"
        f" {dbt['incremental_equals_full_refresh']}",
        f"- marts after the incremental build: {dbt['steps']['incremental_build']['marts']}",
    ]
    for name in ("full_build", "incremental_build", "full_refresh_build"):
        slowest = dbt["steps"][name]["slowest_nodes"][:6]
        lines.append(
            f"- slowest nodes of {name}: "
            + ", ".join(f"{node_label(n['node'])} {n['seconds']} s" for n in slowest)
        )
    lines.append("")
    return "\n".join(lines) + "\n"


def run_and_write(
    url: str,
    provinces: list[str] | None,
    periods: list[str],
    results_dir: Path,
    machine: dict,
    ingest_main: dict | None = None,
) -> int:
    dbt = run_dbt_benchmark(url, provinces, periods)
    results = {
        "benchmark": "dbt_national",
        "machine": machine,
        "dataset": {
            "provinces": provinces or "all",
            "periods": [periods[0], periods[-1]],
            "then_one_more_month": next_period(periods[-1]),
        },
        "ingest_main_set": ingest_main,
        "dbt": dbt,
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    benchlib.write_json(results_dir / "dbt_national.json", results)
    (results_dir / "dbt_national.md").write_text(markdown(results), encoding="utf-8")
    if dbt.get("status") == "unavailable":
        print(f"dbt timings not run: {dbt['reason']}")
        return 0
    for name, step in dbt["steps"].items():
        extra = f" exit {step['returncode']}" if "returncode" in step else ""
        print(f"{name:20s} {step['seconds']:8.1f} s{extra}")
    print(f"incremental equals full refresh: {dbt['incremental_equals_full_refresh']}")
    print(f"results: {results_dir / 'dbt_national.json'}")
    return 0 if dbt["status"] == "ok" else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_scope_arguments(parser)
    parser.add_argument(
        "--server",
        default=os.environ.get("ANTT_BENCH_DATABASE_URL") or "embedded",
        help="embedded (default), local (127.0.0.1:5432) or an admin postgresql:// URL",
    )
    parser.add_argument("--results-dir", type=Path)
    parser.add_argument("--keep-database", action="store_true")
    args = parser.parse_args(argv)
    provinces = [p.zfill(2) for p in args.provinces] if args.provinces else None
    periods = periods_of(args.year, args.months)
    national = provinces is None and periods == periods_of(2023, 12)
    results_dir = args.results_dir or (RESULTS_DIR if national else OUT_DIR / "results")
    gen = generate(default_out_dir(provinces, periods), provinces, periods)
    with benchlib.bench_warehouse(args.server, keep=args.keep_database) as (srv, url):
        machine = benchlib.machine_info(url, srv.kind)
        try:
            print(f"ingest {len(gen.files)} files ...", flush=True)
            ingest_main = ingest(gen)
        except ImportError as exc:
            print(f"antt.ingest cannot be imported: {exc}", file=sys.stderr)
            return 1
        if not ingest_main["all_accepted"]:
            print(f"not every file was accepted: {ingest_main['outcomes']}", file=sys.stderr)
            return 1
        return run_and_write(url, provinces, periods, results_dir, machine, ingest_main)


if __name__ == "__main__":
    sys.exit(main())
