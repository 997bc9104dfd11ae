"""Issue 14 (d), the designs of validation tried, on one month of the `long_names` layout.

In one run on a fresh database (the server at 127.0.0.1:5432 or $ANTT_BENCH_DATABASE_URL):

  client, CPU seconds per row, no database:
    row-by-row     `Validator` with its column-wise path switched off (the validator before)
    csv + zip      csv.reader rows transposed by zip(*rows): the parsing of a column-wise
                   design that starts from the CSV module (parse and transpose only)
    pandas         pandas.read_csv (C parser, every cell a str) then the columns as lists:
                   the parsing of a design on pandas (pyarrow and polars are not in uv.lock)
    column-wise    `Validator` as it is: quote-free text split on newlines and commas, each
                   column checked once per distinct value, COPY text by joins (kept)
  server, wall seconds, rows already valid:
    plain COPY     the rows as COPY text into a table of raw.chi_tieu's shape
    staging + SQL  COPY of the file as it is into a temporary table, the checks as one
                   query (communes, names, indicators, period, values, duplicates), then
                   INSERT ... SELECT into the same table: design "validate set-wise in SQL"

    .venv/bin/python bench/ingest_designs.py --server local
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path

import benchlib
import psycopg
from benchlib import OUT_DIR, RESULTS_DIR
from generate_national import default_out_dir, generate, periods_of

STAGE = (
    "CREATE TEMP TABLE IF NOT EXISTS stage (source_row bigint GENERATED ALWAYS AS IDENTITY,"
    " ky text, ma_xa text, ten_xa text, code text, gia text) ON COMMIT DELETE ROWS"
)
COPY_STAGE = "COPY stage (ky, ma_xa, ten_xa, code, gia) FROM STDIN (FORMAT csv, HEADER)"
CHECK = """
SELECT count(*) FROM stage s
LEFT JOIN bench_area a ON a.ma_xa = s.ma_xa
LEFT JOIN bench_indicators i ON i.code = s.code
WHERE a.ma_xa IS NULL OR i.code IS NULL OR s.ten_xa IS DISTINCT FROM a.ten_xa
   OR s.ky <> %s OR s.gia !~ '^[0-9]{0,18}$'
"""


def cpu_per_row(paths: list[Path], rows: int, work) -> float:
    started = time.process_time()
    for path in paths:
        work(path)
    return round((time.process_time() - started) * 1e6 / rows, 3)


def client_designs(url: str, paths: list[Path], rows: int) -> dict:
    import pandas as pd

    from antt.ingest import validate
    from antt.ingest.filename import parse_file_name
    from antt.ingest.reading import file_facts, open_table
    from antt.ingest.reference import reference_for

    with psycopg.connect(url) as conn:
        reference = reference_for(conn)

    def validator(columnar: bool):
        def work(path: Path) -> None:
            name = parse_file_name(path.name)
            table = open_table(file_facts(path), name.fmt, name.dataset)
            checked = validate.Validator(name, reference, table, 1)
            if not columnar:
                checked._columnar = lambda columns, write: False
            checked.run(lambda chunk: None)
            assert not checked.issues, checked.issues[:3]

        return work

    def csv_zip(path: Path) -> None:
        rows_ = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))
        list(zip(*rows_[1:], strict=True))

    def pandas_lists(path: Path) -> None:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
        [frame[column].tolist() for column in frame.columns]

    validator(True)(paths[0])  # reference caches (areas, name keys) filled outside the timing
    designs = {
        "row-by-row": validator(False),
        "csv + zip (parse only)": csv_zip,
        "pandas read_csv (parse only)": pandas_lists,
        "column-wise (kept)": validator(True),
    }
    result = {name: [] for name in designs}
    for _ in range(3):
        for name, work in designs.items():
            result[name].append(cpu_per_row(paths, rows, work))
    return {name: {"us_per_row_cpu": sorted(v)[1], "rounds": v} for name, v in result.items()}


def server_designs(url: str, paths: list[Path], period: str, rows: int) -> dict:
    files = [(number, path.read_text("utf-8")) for number, path in enumerate(paths, 1)]
    as_copy = []
    for number, text in files:
        lines = text.splitlines()[1:]
        out = io.StringIO()
        for row, line in enumerate(lines, 2):
            _ky, xa, ten, code, gia = line.split(",")
            out.write(f"{number}\t{row}\t{xa}\t{code}\t{gia or chr(92) + 'N'}\t{ten}\t\\N\n")
        as_copy.append((number, out.getvalue()))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE bench_target (LIKE raw.chi_tieu INCLUDING ALL)")
        conn.execute("CREATE TABLE bench_area (ma_xa text PRIMARY KEY, ten_xa text)")
        conn.execute("CREATE TABLE bench_indicators (code text PRIMARY KEY)")
        pairs = {tuple(line.split(",")[1:3]) for _, t in files for line in t.splitlines()[1:]}
        codes = {line.split(",")[3] for _, t in files for line in t.splitlines()[1:]}
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO bench_area VALUES (%s, %s)", sorted(pairs))
            cur.executemany("INSERT INTO bench_indicators VALUES (%s)", [(c,) for c in codes])

    def plain(conn: psycopg.Connection) -> None:
        for _, text in as_copy:
            with conn.cursor() as cur, cur.copy("COPY bench_target FROM STDIN") as copy:
                copy.write(text)
            conn.commit()

    def staged(conn: psycopg.Connection) -> None:
        for number, text in files:
            conn.execute(STAGE)
            with (
                conn.cursor() as cur,
                cur.copy(
                    "COPY stage (ky, ma_xa, ten_xa, code, gia) FROM STDIN (FORMAT csv, HEADER)"
                ) as copy,
            ):
                copy.write(text)
            bad = conn.execute(CHECK, (period,)).fetchone()[0]
            twice = conn.execute(
                "SELECT count(*) - count(DISTINCT (ma_xa, code)) FROM stage"
            ).fetchone()[0]
            assert bad == 0 and twice == 0, (bad, twice)
            conn.execute(
                "INSERT INTO bench_target (submission_id, source_row, ma_xa, ma_chi_tieu,"
                " gia_tri, ten_xa) SELECT %s, source_row + 1, ma_xa, code,"
                " nullif(gia, '')::bigint, ten_xa FROM stage",
                (number,),
            )
            conn.commit()

    result: dict = {"plain COPY": [], "staging + SQL": []}
    with psycopg.connect(url) as conn:
        for round_ in range(3):
            order = [("plain COPY", plain), ("staging + SQL", staged)]
            for name, work in order if round_ % 2 == 0 else reversed(order):
                conn.execute("TRUNCATE bench_target")
                conn.commit()
                started = time.perf_counter()
                work(conn)
                result[name].append(round(rows / (time.perf_counter() - started)))
    return {name: {"rows_per_s": sorted(v)[1], "rounds": v} for name, v in result.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=os.environ.get("ANTT_BENCH_DATABASE_URL") or "embedded")
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    args = parser.parse_args(argv)
    periods = periods_of(2023, 1)
    gen = generate(default_out_dir(None, periods, "long_names"), None, periods, layout="long_names")
    with (
        benchlib.server(args.server) as srv,
        benchlib.fresh_database(srv.admin_url) as url,
    ):
        benchlib.warehouse_env(url, OUT_DIR / "antt_home")
        machine = benchlib.machine_info(url, srv.kind)
        results = {
            "benchmark": "ingest_designs",
            "machine": machine,
            "data": {"layout": "long_names", "period": periods[0], "files": len(gen.files)},
            "rows": gen.rows,
            "client": client_designs(url, gen.paths, gen.rows),
            "server": server_designs(url, gen.paths, periods[0], gen.rows),
        }
        machine["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    lines = [
        "# Validation designs tried (issue 14 (d))",
        "",
        f"Measured {machine['timestamp_utc']} on {machine['cpu_count']} x {machine['cpu']},"
        f" PostgreSQL {machine['postgres']}, commit {machine['git_commit']}; 1-min load average"
        f" {machine['loadavg_at_start'][0]} at start, {machine['loadavg_at_end'][0]} at end.",
        f"Data: `long_names`, {periods[0]}, {len(gen.files)} files, {gen.rows:,} rows.",
        "",
        "| client design (no database) | CPU µs per row (median of 3) | rounds |",
        "|---|---:|---|",
        *(
            f"| {name} | {v['us_per_row_cpu']} | {v['rounds']} |"
            for name, v in results["client"].items()
        ),
        "",
        "| server design (rows already valid) | rows/s (median of 3) | rounds |",
        "|---|---:|---|",
        *(
            f"| {name} | {v['rows_per_s']:,} | {v['rounds']} |"
            for name, v in results["server"].items()
        ),
        "",
        "Reproduce: `.venv/bin/python bench/ingest_designs.py --server local`.",
    ]
    args.results_dir.mkdir(parents=True, exist_ok=True)
    benchlib.write_json(args.results_dir / "ingest_designs.json", results)
    (args.results_dir / "ingest_designs.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
