"""What `antt ingest` costs per file apart from the rows: the national `long_names` set cut to
one value row per file (its `ky_bao_cao` keeps the bytes of every file distinct), against the
same files whole, on one fresh database.

Both runs go through `ingest_paths` (its default workers, `move=False`), so the one-row run is
the per-file work alone (reading, the register, locks, period check, COPY start, commit) and
its share of the whole run says how much of (a) in `ingest_national.py` is per-file work.

    .venv/bin/python bench/ingest_per_file.py --server local
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import benchlib
import psycopg
from benchlib import OUT_DIR


def timed_ingest(url: str, folder: Path) -> tuple[float, int]:
    from antt.ingest import ingest_paths

    benchlib.checkpoint(url)
    started = time.perf_counter()
    outcomes = ingest_paths([folder], move=False)
    seconds = time.perf_counter() - started
    if any(outcome.status != "accepted" for outcome in outcomes):
        raise SystemExit(f"not all accepted: {[o.status for o in outcomes][:5]}")
    with psycopg.connect(url) as conn:
        conn.execute("TRUNCATE raw.chi_tieu, raw.submissions CASCADE")
    return seconds, len(outcomes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=os.environ.get("ANTT_BENCH_DATABASE_URL") or "embedded")
    parser.add_argument("--layout", default="long_names")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    whole = OUT_DIR / f"national_{args.layout}"
    if not any(whole.glob("CAT*.csv")):
        raise SystemExit(f"no files in {whole}: run ingest_national.py --layouts first")
    with tempfile.TemporaryDirectory() as scratch:
        one_row = Path(scratch) / "one_row"
        one_row.mkdir()
        for path in sorted(whole.glob("CAT*.csv")):
            with path.open("rb") as fh:
                (one_row / path.name).write_bytes(fh.readline() + fh.readline())
        whole_copy = Path(scratch) / "whole"
        whole_copy.mkdir()
        for path in whole.glob("CAT*.csv"):
            shutil.copy(path, whole_copy / path.name)
        with benchlib.server(args.server) as srv, benchlib.fresh_database(srv.admin_url) as url:
            benchlib.warehouse_env(url, OUT_DIR / "antt_home")
            for number in range(1, args.rounds + 1):
                load = os.getloadavg()[0]
                tiny, files = timed_ingest(url, one_row)
                full, _ = timed_ingest(url, whole_copy)
                print(
                    f"round {number}: {files} files, one row each {tiny:.2f} s, whole {full:.2f} s,"
                    f" per-file share {tiny / full:.2f}, load {load:.2f} → {os.getloadavg()[0]:.2f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
