"""What the append-only check of `raw` costs a load: COPY of N `chi_tieu` rows as `antt_loader`
into a pending submission, with the statement-level trigger `rows_into_pending` and without it.

    .venv/bin/python bench/append_only_check.py [--rows 1000000] [--rounds 3]
        [--server-url postgresql://postgres@127.0.0.1:5432/postgres]

A fresh database is bootstrapped by `antt.bootstrap.init_database`, the rounds alternate
with / without the trigger, and the median of each is written to
`bench/results/append_only_check.{json,md}`. The database is dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

RESULTS = Path(__file__).resolve().parent / "results"
TABLES = "raw.chi_tieu"


def rows_text(rows: int) -> str:
    communes = [f"{29000 + i:05d}" for i in range(1000)]
    return "".join(
        f"{{sid}}\t{i + 2}\t{communes[i % 1000]}\tTP_{i // 1000}\t{i % 7}\t\\N\t\\N\n"
        for i in range(rows)
    )


def copy_once(url: str, template: str, with_trigger: bool) -> float:
    with psycopg.connect(url) as conn:
        action = "ENABLE" if with_trigger else "DISABLE"
        conn.execute(f"ALTER TABLE raw.chi_tieu {action} TRIGGER rows_into_pending")
        conn.execute("TRUNCATE raw.chi_tieu")
        conn.commit()
        conn.execute("SET ROLE antt_loader")
        sid = conn.execute(
            "INSERT INTO raw.submissions (unit_code, dataset, period, file_name, sha256,"
            " size_bytes, status) VALUES ('CAT84', 'chi_tieu', '2023-06', 'b.csv', %s, 1,"
            " 'pending') RETURNING submission_id",
            (uuid.uuid4().hex * 2,),
        ).fetchone()[0]
        data = template.replace("{sid}", str(sid))
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY raw.chi_tieu FROM STDIN") as copy:
            for start in range(0, len(data), 1 << 20):
                copy.write(data[start : start + (1 << 20)])
        elapsed = time.perf_counter() - started
        conn.rollback()
    return elapsed


def main() -> None:
    from antt.bootstrap import init_database

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--server-url",
        default=os.environ.get(
            "ANTT_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    name = f"antt_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = urlsplit(args.server_url)._replace(path="/" + name).geturl()
    try:
        init_database(url)
        template = rows_text(args.rows)
        timings: dict[str, list[float]] = {"with_check": [], "without_check": []}
        for round_no in range(args.rounds):
            order = (True, False) if round_no % 2 == 0 else (False, True)
            for with_trigger in order:
                key = "with_check" if with_trigger else "without_check"
                timings[key].append(copy_once(url, template, with_trigger))
        load = os.getloadavg()[0]
    finally:
        with psycopg.connect(args.server_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    medians = {key: statistics.median(values) for key, values in timings.items()}
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": args.rows,
        "rounds": args.rounds,
        "seconds": timings,
        "median_s": medians,
        "rows_per_s": {key: args.rows / value for key, value in medians.items()},
        "cost_of_check": medians["with_check"] / medians["without_check"] - 1,
        "load_average_after": load,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "append_only_check.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "append_only_check.md").write_text(
        "# Cost of the append-only check of raw (`rows_into_pending`)\n\n"
        f"Measured {result['measured_at']}: COPY of {args.rows:,} `raw.chi_tieu` rows as "
        f"antt_loader into one pending submission, {args.rounds} rounds each, order alternated; "
        f"1-min load average after: {load:.2f}.\n\n"
        "| | median s | rows/s | every round (s) |\n|---|---:|---:|---|\n"
        + "".join(
            f"| {key.replace('_', ' ')} | {medians[key]:.2f} | {args.rows / medians[key]:,.0f} | "
            f"{', '.join(f'{v:.2f}' for v in timings[key])} |\n"
            for key in ("with_check", "without_check")
        )
        + f"\nThe check costs {result['cost_of_check']:+.0%} of the COPY time.\n\n"
        "Reproduce: `.venv/bin/python bench/append_only_check.py`.\n"
    )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
