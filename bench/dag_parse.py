"""Parse time of each DAG file, as Airflow's DagBag measures it (FileLoadStat.duration).

Each file is parsed in a fresh interpreter with Airflow already imported (as in the DAG
processor): the first parse pays the file's own imports (Cosmos, the manifest), the next ones
show the steady state. Prints a table and, with --json, the numbers for tests.

    .venv/bin/python bench/dag_parse.py [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DAGS = sorted((REPO / "dags").glob("*.py"))

CHILD = r"""
import json, sys
from airflow.dag_processing.dagbag import DagBag
import airflow.sdk  # noqa: F401  (the processor has it loaded already)
path, repeat = sys.argv[1], int(sys.argv[2])
durations, errors, dags = [], {}, []
for _ in range(repeat):
    bag = DagBag(dag_folder=path, safe_mode=False)
    errors.update(bag.import_errors)
    durations.extend(stat.duration.total_seconds() for stat in bag.dagbag_stats)
    dags = sorted(bag.dag_ids)
print(json.dumps({"durations": durations, "errors": errors, "dags": dags}))
"""


def measure(path: Path, repeat: int) -> dict:
    home = tempfile.mkdtemp(prefix="antt_dag_parse_")
    env = dict(os.environ)
    env.update(
        {
            "AIRFLOW_HOME": home,
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
            "AIRFLOW__COSMOS__CACHE_DIR": str(Path(home) / "cosmos"),
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "ERROR",
        }
    )
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(repeat)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"parsing {path.name} crashed:\n{proc.stderr[-2000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    durations = data["durations"]
    return {
        "file": path.name,
        "dags": data["dags"],
        "errors": data["errors"],
        "first_s": durations[0],
        "median_next_s": statistics.median(durations[1:]) if len(durations) > 1 else durations[0],
        "max_s": max(durations),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "plugins"))
    from antt.errors import AnttError
    from antt.transform.cosmos import ensure_manifest, manifest_path

    try:
        ensure_manifest()
    except AnttError as exc:
        if not manifest_path().exists():
            raise
        print(f"(dbt parse failed, using the existing manifest: {exc})", file=sys.stderr)
    results = [measure(path, args.repeat) for path in DAGS]
    if args.json:
        print(json.dumps(results))
    else:
        print(f"{'file':<22} {'dags':<16} {'first parse':>12} {'next (median)':>14}")
        for r in results:
            print(
                f"{r['file']:<22} {','.join(r['dags']) or '-':<16} "
                f"{r['first_s']:>10.3f} s {r['median_next_s']:>12.3f} s"
                + (f"  IMPORT ERRORS: {list(r['errors'])}" if r["errors"] else "")
            )
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
