"""National-scale ingestion benchmark (issue 3): `antt ingest` against raw COPY and pandas to_sql.

In one run, on one fresh database bootstrapped by `antt.bootstrap.init_database`:

  (a) antt ingest   `antt.ingest.ingest_paths` over every generated file, in order: reading,
                    validation, authorization, the register and COPY, as role `antt_loader`;
  (b) raw COPY      the same value rows, long form, streamed from a prepared CSV by psycopg
                    `cursor.copy` into `bench.chi_tieu_copy`, equivalent to raw.chi_tieu as
                    bootstrapped (columns, CHECK, indexes, its foreign key to the register when it
                    has one): the physical limit;
  (b') the same COPY into a copy with the per-row foreign key to the register toggled (added
                    when raw.chi_tieu has none, removed when it has one): what that check costs;
  (c) pandas        `read_csv` of that CSV, then `DataFrame.to_sql` (SQLAlchemy engine, psycopg
                    driver, default method) into `bench.chi_tieu_pandas`: what many would write.

Rows are value rows (commune x indicator x month). A CHECKPOINT precedes each phase. Results
(rows/s, the ratios (a)/(b) and (a)/(c) against the targets 0.5 and 10, machine facts) go to
`bench/results/ingest_national.json` and `.md` for the national set; subset runs write under
`bench/out/results/` unless `--results-dir` is given. `--dbt` continues with the dbt build
timings of `bench/dbt_national.py` on the same database.

    python bench/ingest_national.py                   # embedded pgserver in bench/out/pg
    python bench/ingest_national.py --server local    # the server at 127.0.0.1:5432
    ANTT_BENCH_DATABASE_URL=postgresql://... python bench/ingest_national.py
    python bench/ingest_national.py --provinces 84 --months 1 --results-dir /tmp/r
    python bench/ingest_national.py --profile         # cProfile of (a) only, no results
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import pstats
import sys
from collections import Counter
from pathlib import Path

import benchlib
import psycopg
from benchlib import OUT_DIR, RESULTS_DIR, checkpoint, rate, timed
from generate_national import (
    LAYOUTS,
    ROWS_HEADER,
    GeneratedSet,
    add_scope_arguments,
    default_out_dir,
    generate,
    periods_of,
)

SUBMISSION_CHECKS = ("as-bootstrapped", "statement-trigger")
TARGET_VS_COPY = 0.5
TARGET_VS_PANDAS = 10.0
PROFILE_PATH = OUT_DIR / "ingest_profile.prof"


def table_summary(url: str, table: str) -> dict:
    """Row count, non-NULL values and their sum: equal sums mean the same rows were loaded."""
    schema, name = table.split(".")
    query = psycopg.sql.SQL(
        "SELECT count(*), count(gia_tri), coalesce(sum(gia_tri), 0) FROM {}"
    ).format(psycopg.sql.Identifier(schema, name))
    with psycopg.connect(url) as conn:
        rows, non_null, total = conn.execute(query).fetchone()
    return {"rows": rows, "non_null": non_null, "sum": int(total)}


def _status(outcome) -> str:
    status = getattr(outcome, "status", outcome)
    return str(getattr(status, "value", status))


def loader_options(workers: int | None, processes: int | None) -> tuple[dict, dict]:
    """Keyword arguments for ingest_paths, and the workers and processes it will use (None:
    unknown). Processes default to what `antt ingest` uses (`default_processes`)."""
    import inspect

    from antt.ingest import ingest_paths

    parameters = inspect.signature(ingest_paths).parameters
    kwargs: dict = {}
    used: dict = {"workers": 1, "processes": 1}
    for name, requested in (("workers", workers), ("processes", processes)):
        parameter = parameters.get(name)
        if parameter is None:
            if requested not in (None, 1):
                raise SystemExit(
                    f"this loader has no `{name}` parameter: leave --ingest-{name} out"
                )
            continue
        if requested is None and name == "processes":
            from antt.ingest.pipeline import default_processes

            requested = default_processes()
        if requested is None:
            used[name] = parameter.default if isinstance(parameter.default, int) else None
        else:
            kwargs[name] = used[name] = requested
    return kwargs, used


def run_antt_ingest(
    url: str,
    gen: GeneratedSet,
    profile: cProfile.Profile | None = None,
    loader: tuple[dict, dict] = ({}, {}),
) -> dict:
    """(a): the real loader over every file, validation included, its default parallelism."""
    try:
        from antt.ingest import ingest_paths
    except ImportError as exc:
        return {"status": "unavailable", "reason": f"antt.ingest cannot be imported: {exc}"}
    kwargs, used = loader
    checkpoint(url)
    with timed() as t:
        if profile is not None:
            profile.enable()
        try:
            outcomes = ingest_paths(gen.paths, move=False, **kwargs)
        finally:
            if profile is not None:
                profile.disable()
    statuses = Counter(_status(o) for o in outcomes)
    loaded = table_summary(url, "raw.chi_tieu")
    result = {
        "status": "ok" if statuses.get("accepted", 0) == len(gen.files) else "incomplete",
        "files": len(outcomes),
        "outcomes": dict(statuses),
        **used,
        **t,
        **loaded,
        "rows_per_s": rate(loaded["rows"], t["seconds"]),
    }
    not_accepted = [o for o in outcomes if _status(o) != "accepted"][:5]
    if not_accepted:
        result["first_not_accepted"] = [repr(o)[:500] for o in not_accepted]
    return result


# The experiment of `--submission-check statement-trigger`: the same guarantee as the foreign key
# (every submission_id of a load exists in the register), checked once per statement over the
# transition table instead of once per row.
STATEMENT_CHECK_FUNCTION = """
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
    IF EXISTS (
        SELECT 1 FROM (SELECT DISTINCT submission_id FROM new_rows) n
        WHERE NOT EXISTS (SELECT 1 FROM {submissions} s WHERE s.submission_id = n.submission_id)
    ) THEN
        RAISE foreign_key_violation USING MESSAGE = 'submission_id is not in the register';
    END IF;
    RETURN NULL;
END
$body$
"""


def use_statement_check(conn: psycopg.Connection, table: str, submissions: str) -> None:
    """Replace `table`'s foreign keys by one statement-level check against `submissions`."""
    schema, name = table.split(".")
    Id = psycopg.sql.Identifier
    for (constraint,) in conn.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
        (table,),
    ).fetchall():
        conn.execute(
            psycopg.sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                Id(schema, name), Id(constraint)
            )
        )
    function = Id(schema, f"{name}_check_submission")
    conn.execute(
        psycopg.sql.SQL(STATEMENT_CHECK_FUNCTION).format(
            function=function, submissions=Id(*submissions.split("."))
        )
    )
    conn.execute(
        psycopg.sql.SQL(
            "CREATE TRIGGER {} AFTER INSERT ON {} REFERENCING NEW TABLE AS new_rows"
            " FOR EACH STATEMENT EXECUTE FUNCTION {}()"
        ).format(Id(f"{name}_check_submission"), Id(schema, name), function)
    )


def run_validate_only(url: str, gen: GeneratedSet) -> dict:
    """(a0), a diagnostic: the loader's reading and validation with no database write.

    It uses the loader's internals (file_facts, open_table, Validator), so it reports itself
    unavailable rather than fail when they change.
    """
    try:
        from antt.ingest.filename import parse_file_name
        from antt.ingest.reading import file_facts, open_table
        from antt.ingest.reference import reference_for
        from antt.ingest.validate import Validator
    except ImportError as exc:
        return {"status": "unavailable", "reason": f"loader internals changed: {exc}"}
    with psycopg.connect(url) as conn:
        reference = reference_for(conn)
    rows = 0
    try:
        with timed() as t:
            for path in gen.paths:
                facts = file_facts(path)
                name = parse_file_name(path.name)
                validator = Validator(name, reference, open_table(facts, name.fmt, name.dataset), 1)
                validator.run(lambda chunk: None)
                if validator.issues:
                    return {"status": "failed", "reason": f"{path.name}: {validator.issues[0]}"}
                rows += validator.row_count
    except (TypeError, AttributeError) as exc:
        return {"status": "unavailable", "reason": f"loader internals changed: {exc}"}
    return {"status": "ok", **t, "rows": rows, "rows_per_s": rate(rows, t["seconds"])}


def prepare_raw(url: str, submission_check: str) -> None:
    if submission_check == "statement-trigger":
        with psycopg.connect(url) as conn:
            use_statement_check(conn, "raw.chi_tieu", "raw.submissions")


def submission_fks(conn: psycopg.Connection, table: str) -> int:
    """How many foreign keys `table` has to the register (raw.submissions)."""
    return conn.execute(
        "SELECT count(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'"
        " AND confrelid = 'raw.submissions'::regclass AND conkey = ARRAY["
        "  (SELECT attnum FROM pg_attribute WHERE attrelid = %s::regclass"
        "   AND attname = 'submission_id')]::smallint[]",
        (table, table),
    ).fetchone()[0]


def prepare_tables(url: str, gen: GeneratedSet, submission_check: str = "as-bootstrapped") -> dict:
    """`bench.submissions` (one accepted row per file) and tables of raw.chi_tieu's shape.

    `chi_tieu_copy` (b) and `chi_tieu_pandas` (c) are equivalent to raw.chi_tieu as it is now:
    same columns, CHECK, indexes, and a foreign key to the register when raw.chi_tieu has one
    (or the statement-level check of the experiment). `chi_tieu_copy_alt` (b') toggles the
    foreign key, to show what a per-row check costs.
    """
    with psycopg.connect(url) as conn:
        raw_has_fk = submission_fks(conn, "raw.chi_tieu") > 0
        conn.execute("DROP SCHEMA IF EXISTS bench CASCADE")
        conn.execute("CREATE SCHEMA bench")
        conn.execute("CREATE TABLE bench.submissions (LIKE raw.submissions INCLUDING ALL)")
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO bench.submissions (submission_id, unit_code, dataset, period,"
                " file_name, sha256, size_bytes, status, accepted_at, row_count)"
                " OVERRIDING SYSTEM VALUE"
                " VALUES (%s, %s, 'chi_tieu', %s, %s, %s, %s, 'accepted', now(), %s)",
                [
                    (
                        f.submission_id,
                        f"CAT{f.province_code}",
                        f.period,
                        f.path,
                        hashlib.sha256((gen.out_dir / f.path).read_bytes()).hexdigest(),
                        f.size_bytes,
                        f.rows,
                    )
                    for f in gen.files
                ],
            )
        with_fk = {
            "chi_tieu_copy": raw_has_fk,
            "chi_tieu_pandas": raw_has_fk,
            "chi_tieu_copy_alt": not raw_has_fk and submission_check != "statement-trigger",
        }
        for table, fk in with_fk.items():
            ident = psycopg.sql.Identifier("bench", table)
            conn.execute(
                psycopg.sql.SQL("CREATE TABLE {} (LIKE raw.chi_tieu INCLUDING ALL)").format(ident)
            )
            if fk:
                conn.execute(
                    psycopg.sql.SQL(
                        "ALTER TABLE {} ADD FOREIGN KEY (submission_id)"
                        " REFERENCES bench.submissions"
                    ).format(ident)
                )
            if submission_check == "statement-trigger" and table != "chi_tieu_copy_alt":
                use_statement_check(conn, f"bench.{table}", "bench.submissions")
    return {
        "raw_chi_tieu_foreign_key": raw_has_fk,
        "equivalent_foreign_key": with_fk["chi_tieu_copy"],
        "alt_foreign_key": with_fk["chi_tieu_copy_alt"],
    }


def run_raw_copy(url: str, gen: GeneratedSet, table: str = "chi_tieu_copy") -> dict:
    """(b): one COPY of the prepared long-form CSV, streamed in 1 MiB blocks, one transaction."""
    statement = psycopg.sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        psycopg.sql.Identifier("bench", table),
        psycopg.sql.SQL(", ").join(map(psycopg.sql.Identifier, ROWS_HEADER)),
    )
    checkpoint(url)
    with timed() as t, psycopg.connect(url) as conn:
        with (
            conn.cursor() as cur,
            cur.copy(statement) as copy,
            gen.rows_csv.open("rb") as fh,
        ):
            while block := fh.read(1 << 20):
                copy.write(block)
        conn.commit()
    loaded = table_summary(url, f"bench.{table}")
    return {"status": "ok", **t, **loaded, "rows_per_s": rate(loaded["rows"], t["seconds"])}


def reset_round(url: str) -> None:
    """Empty the loaded tables between rounds (TRUNCATE gives new, empty files: no bloat)."""
    with psycopg.connect(url) as conn:
        conn.execute(
            "TRUNCATE raw.chi_tieu, raw.submissions, bench.chi_tieu_copy,"
            " bench.chi_tieu_copy_alt CASCADE"
        )


def run_rounds(
    url: str, gen: GeneratedSet, count: int, loader: tuple[dict, dict] = ({}, {})
) -> list[dict]:
    """(a), (b), (b') `count` times, the order reversed every other round to cancel drift.

    The last round leaves the whole set in raw (for the dbt timings).
    """
    steps = {
        "antt_ingest": lambda: run_antt_ingest(url, gen, loader=loader),
        "raw_copy": lambda: run_raw_copy(url, gen),
        "raw_copy_alt": lambda: run_raw_copy(url, gen, "chi_tieu_copy_alt"),
    }
    rounds = []
    for number in range(count):
        if number:
            reset_round(url)
        order = list(steps) if number % 2 == 0 else list(reversed(steps))
        done: dict = {}
        for name in order:
            print(f"round {number + 1}/{count}: {PHASE_LABELS[name]} ...", flush=True)
            done[name] = steps[name]()
        rounds.append(done)
    return rounds


def median_phases(rounds: list[dict]) -> dict:
    """Per phase, the round with the median rate, and every round's rate."""
    phases = {}
    for name in rounds[0]:
        runs = [r[name] for r in rounds]
        rated = sorted((p for p in runs if "rows_per_s" in p), key=lambda p: p["rows_per_s"])
        if not rated:
            phases[name] = runs[0]
            continue
        phases[name] = dict(rated[(len(rated) - 1) // 2])
        phases[name]["rounds_rows_per_s"] = [p.get("rows_per_s") for p in runs]
    return phases


def run_pandas_to_sql(url: str, gen: GeneratedSet) -> dict:
    """(c): read_csv, then to_sql with the default method; the rate counts to_sql alone."""
    import pandas as pd
    from sqlalchemy import create_engine

    from antt.warehouse import sqlalchemy_url

    checkpoint(url)
    with timed() as read:
        frame = pd.read_csv(
            gen.rows_csv,
            header=None,
            names=ROWS_HEADER,
            dtype={
                "submission_id": "int64",
                "source_row": "int64",
                "ma_xa": str,
                "ma_chi_tieu": str,
                "gia_tri": "Int64",
                "ten_xa": str,
                "ghi_chu": str,
            },
            keep_default_na=False,
            na_values=[""],
        )
    engine = create_engine(sqlalchemy_url(url))
    try:
        with timed() as t:
            frame.to_sql("chi_tieu_pandas", engine, schema="bench", if_exists="append", index=False)
    finally:
        engine.dispose()
    del frame
    loaded = table_summary(url, "bench.chi_tieu_pandas")
    return {
        "status": "ok",
        **t,
        "read_csv_seconds": read["seconds"],
        **loaded,
        "rows_per_s": rate(loaded["rows"], t["seconds"]),
    }


def consistency(expected: dict, phases: dict) -> dict:
    """Every phase that ran loaded the same value rows (count, non-NULL count, sum)."""
    keys = ("rows", "non_null", "sum")
    checks = {}
    for name, phase in phases.items():
        if phase.get("status") in ("ok", "incomplete"):
            checks[name] = all(phase.get(k) == expected[k] for k in keys)
    return checks


def expected_summary(gen: GeneratedSet) -> dict:
    rows = non_null = total = 0
    with gen.rows_csv.open(encoding="utf-8") as fh:
        for line in fh:
            rows += 1
            value = line.split(",", 5)[4]
            if value:
                non_null += 1
                total += int(value)
    return {"rows": rows, "non_null": non_null, "sum": total}


def ratios(phases: dict) -> dict:
    a = phases.get("antt_ingest", {}).get("rows_per_s")
    b = phases.get("raw_copy", {}).get("rows_per_s")
    c = phases.get("pandas_to_sql", {}).get("rows_per_s")
    out: dict = {}
    if a and b:
        out["ingest_over_copy"] = round(a / b, 3)
        out["ingest_over_copy_target"] = TARGET_VS_COPY
        out["ingest_over_copy_met"] = a / b >= TARGET_VS_COPY
    if a and c:
        out["ingest_over_pandas"] = round(a / c, 2)
        out["ingest_over_pandas_target"] = TARGET_VS_PANDAS
        out["ingest_over_pandas_met"] = a / c >= TARGET_VS_PANDAS
    if b and c:
        out["copy_over_pandas"] = round(b / c, 2)
    b_alt = phases.get("raw_copy_alt", {}).get("rows_per_s")
    if a and b_alt:
        out["ingest_over_copy_alt"] = round(a / b_alt, 3)
    if b and b_alt:
        out["copy_over_copy_alt"] = round(b / b_alt, 3)
    return out


def dataset_info(gen: GeneratedSet, scope: dict) -> dict:
    layouts = Counter(f.layout for f in gen.files)
    return {
        **scope,
        "files": len(gen.files),
        "layouts": dict(layouts),
        "value_rows": gen.rows,
        "blank_values": sum(f.blanks for f in gen.files),
        "bytes": sum(f.size_bytes for f in gen.files),
        "folder": str(gen.out_dir),
    }


SUBMISSION_CHECK_LABELS = {
    "as-bootstrapped": "as bootstrap.sql defines raw.chi_tieu",
    "statement-trigger": "EXPERIMENT: foreign key replaced by one statement-level trigger"
    " over the transition table (checked once per COPY)",
}
PHASE_LABELS = {
    "antt_ingest": "(a) `antt ingest` (ingest_paths, validation, role antt_loader)",
    "raw_copy": "(b) raw COPY (psycopg `cursor.copy`, prepared CSV)",
    "raw_copy_alt": "(b') raw COPY, the same table with the per-row foreign key toggled",
    "pandas_to_sql": "(c) pandas `to_sql` (default method)",
}


def yes_no(flag: bool | None) -> str:
    return {True: "yes", False: "no"}.get(flag, "?")


def measured_line(m: dict) -> str:
    """Where and when a report was measured, up to the load average at its start."""
    return (
        f"Measured {m['timestamp_utc']} on {m['cpu_count']} x {m['cpu']}, {m['memory_gb']} GB,"
        f" PostgreSQL {m['postgres']} ({m['postgres_server']}), Python {m['python']},"
        f" commit {m['git_commit']}; 1-min load average at start {m['loadavg_at_start'][0]}"
    )


def markdown(results: dict) -> str:
    m, d, r = results["machine"], results["dataset"], results["ratios"]
    tables = results.get("copy_tables", {})
    lines = [
        "# National ingestion benchmark",
        "",
        f"{measured_line(m)}.",
        "",
        f"Data: {d['files']} files ({d['layouts']}), {d['value_rows']:,} value rows"
        f" ({d['blank_values']:,} blank), {d['bytes'] / 1e6:.1f} MB of CSV.",
        "",
        f"submission_id check of raw.chi_tieu and of the (b), (c) tables:"
        f" {SUBMISSION_CHECK_LABELS[results['submission_check']]}."
        f" Per-row foreign key to the register: (b) {yes_no(tables.get('equivalent_foreign_key'))},"
        f" (b') {yes_no(tables.get('alt_foreign_key'))}."
        f" Loader in (a): {loader_text(results['phases']['antt_ingest'])}.",
        "",
        f"(a), (b), (b') ran {len(results['rounds'])} round(s), order reversed every other"
        " round; each row shows the median round and every round's rate.",
        "",
        "| phase | seconds | client CPU s | rows | rows/s | rows/s per round"
        " | load avg before → after |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for name, phase in results["phases"].items():
        if phase.get("status") == "unavailable":
            lines.append(f"| {PHASE_LABELS[name]} | — | — | — | not run: {phase['reason']} | | |")
            continue
        lines.append(
            f"| {PHASE_LABELS[name]} | {phase['seconds']:.1f} | {phase['client_cpu_seconds']:.1f} |"
            f" {phase['rows']:,} | {phase['rows_per_s']:,} |"
            f" {', '.join(f'{x:,}' for x in phase.get('rounds_rows_per_s', []) if x)} |"
            f" {phase['loadavg_before']} → {phase['loadavg_after']} |"
        )
    lines.append("")
    if "ingest_over_copy" in r:
        verdict = "met" if r["ingest_over_copy_met"] else "MISSED"
        lines.append(f"- (a)/(b) = {r['ingest_over_copy']} (target ≥ {TARGET_VS_COPY}: {verdict})")
    if "ingest_over_pandas" in r:
        verdict = "met" if r["ingest_over_pandas_met"] else "MISSED"
        lines.append(
            f"- (a)/(c) = {r['ingest_over_pandas']} (target ≥ {TARGET_VS_PANDAS}: {verdict})"
        )
    per_round = [x.get("ingest_over_copy") for x in results["rounds"]]
    if any(per_round):
        lines.append(f"- (a)/(b) round by round: {per_round}")
    if "copy_over_pandas" in r:
        lines.append(f"- (b)/(c) = {r['copy_over_pandas']}")
    if "ingest_over_copy_alt" in r:
        lines.append(f"- (a)/(b') = {r['ingest_over_copy_alt']}")
    if "copy_over_copy_alt" in r:
        lines.append(
            f"- (b)/(b') = {r['copy_over_copy_alt']}: what the per-row foreign key"
            " changes (see (b'))"
        )
    pandas_phase = results["phases"].get("pandas_to_sql", {})
    if "read_csv_seconds" in pandas_phase:
        lines.append(
            f"- (c) excludes pandas `read_csv` ({pandas_phase['read_csv_seconds']:.1f} s), so its"
            " rate is the most favourable one for pandas."
        )
    lines.append(
        f"- same rows loaded by every phase (count, non-NULL, sum): {results['consistency']}"
    )
    check = results["diagnostics"]["validate_only"]
    if check.get("status") == "ok":
        lines.append(
            f"- diagnostic (a0): the loader's reading and validation alone, no database:"
            f" {check['rows']:,} rows in {check['seconds']:.1f} s = {check['rows_per_s']:,} rows/s"
            f" ({check['client_cpu_seconds']:.1f} s CPU)"
        )
    lines.append("")
    lines.append("Reproduce: `make bench` (see bench/README.md).")
    return "\n".join(lines) + "\n"


def print_summary(results: dict) -> None:
    for name, phase in results["phases"].items():
        if phase.get("status") == "unavailable":
            print(f"{name:14s} not run: {phase['reason']}")
            continue
        print(
            f"{name:14s} {phase['rows']:>10,} rows in {phase['seconds']:7.2f} s ="
            f" {phase['rows_per_s']:>9,} rows/s"
        )
    check = results["diagnostics"]["validate_only"]
    if check.get("status") == "ok":
        print(
            f"(a0) reading+validation only, no database: {check['rows_per_s']:,} rows/s"
            f" ({check['client_cpu_seconds']:.1f} s CPU)"
        )
    for key, value in results["ratios"].items():
        print(f"{key:28s} {value}")
    print(f"consistency {results['consistency']}")


def is_national(provinces: list[str] | None, periods: list[str]) -> bool:
    return provinces is None and periods == periods_of(2023, 12)


def append_history(results_dir: Path, results: dict) -> None:
    line = {
        "timestamp_utc": results["machine"]["timestamp_utc"],
        "git_commit": results["machine"]["git_commit"],
        "postgres_server": results["machine"]["postgres_server"],
        "submission_check": results["submission_check"],
        "loadavg_at_start": results["machine"]["loadavg_at_start"][0],
        **{name: phase.get("rows_per_s") for name, phase in results["phases"].items()},
        **{k: v for k, v in results["ratios"].items() if not k.endswith(("_target", "_met"))},
    }
    with (results_dir / "history.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(line) + "\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_scope_arguments(parser)
    parser.add_argument(
        "--server",
        default=os.environ.get("ANTT_BENCH_DATABASE_URL") or "embedded",
        help="embedded (default), local (127.0.0.1:5432) or an admin postgresql:// URL;"
        " a fresh database is created in it ($ANTT_BENCH_DATABASE_URL)",
    )
    parser.add_argument("--data-dir", type=Path, help="where the generated files are cached")
    parser.add_argument("--results-dir", type=Path, help="where the JSON and Markdown go")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of (a), (b), (b'); the median is reported"
    )
    parser.add_argument("--skip-pandas", action="store_true", help="leave out (c), run once")
    parser.add_argument(
        "--ingest-workers", type=int, help="workers= for ingest_paths (default: its own default)"
    )
    parser.add_argument(
        "--ingest-processes",
        type=int,
        help="processes= for ingest_paths (default: what `antt ingest` uses, one per core)",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile (a) only; no results")
    parser.add_argument("--dbt", action="store_true", help="then time dbt builds (dbt_national)")
    parser.add_argument(
        "--layouts",
        nargs="+",
        choices=LAYOUTS,
        help="issue 14 (d): measure each of these layouts in turn, each (a) against its own (b)"
        " in the same run (pandas left out); results in ingest_national_layouts.*",
    )
    parser.add_argument("--keep-database", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--submission-check",
        choices=SUBMISSION_CHECKS,
        default="as-bootstrapped",
        help="how raw.chi_tieu (and the (b), (c) tables) check submission_id: the foreign key of"
        " bootstrap.sql (default), or an experiment with one statement-level trigger instead",
    )
    return parser.parse_args(argv)


def profile_ingest(url: str, gen: GeneratedSet, loader: tuple[dict, dict]) -> int:
    profile = cProfile.Profile()
    result = run_antt_ingest(url, gen, profile, loader)
    if result["status"] == "unavailable":
        print(result["reason"], file=sys.stderr)
        return 1
    profile.dump_stats(PROFILE_PATH)
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats(order).print_stats(35)
        print(text.getvalue())
        (OUT_DIR / f"ingest_profile_{order}.txt").write_text(text.getvalue(), encoding="utf-8")
    print(f"(profiled, so slower than real) {result['rows']:,} rows in {result['seconds']:.1f} s")
    print(f"profile written to {PROFILE_PATH}")
    return 0


def loader_text(phase: dict) -> str:
    return (
        f"{phase.get('workers')} worker connection(s) over {phase.get('processes', 1)} process(es)"
    )


def loader_suffix(args: argparse.Namespace) -> str:
    """Results of a loader setting other than the default go beside the default's, not over it."""
    suffix = f"_workers{args.ingest_workers}" if args.ingest_workers is not None else ""
    return suffix + (f"_processes{args.ingest_processes}" if args.ingest_processes else "")


def loader_of(args: argparse.Namespace) -> tuple[dict, dict]:
    return loader_options(args.ingest_workers, args.ingest_processes)


def rounds_summary(expected: dict, phases: dict, rounds: list[dict]) -> dict:
    """The median phases, their ratios, each round's rates and whether every round loaded the
    expected rows."""
    return {
        "phases": phases,
        "ratios": ratios(phases),
        "rounds": [
            {"order": list(r), **{k: v for k, v in ratios(r).items() if "_over_" in k}}
            | {name: phase.get("rows_per_s") for name, phase in r.items()}
            for r in rounds
        ],
        "consistency": {
            name: ok and all(consistency(expected, r).get(name, True) for r in rounds)
            for name, ok in consistency(expected, phases).items()
        },
    }


def run_layouts(
    url: str,
    server_kind: str,
    args: argparse.Namespace,
    provinces: list[str] | None,
    periods: list[str],
    results_dir: Path,
    national: bool,
) -> int:
    """Issue 14 (d): each layout's set loaded by (a) and by (b), (b') in the same run."""
    machine = benchlib.machine_info(url, server_kind)
    per_layout: dict = {}
    for layout in args.layouts:
        folder = default_out_dir(provinces, periods, layout)
        gen = generate(folder, provinces, periods, layout=layout)
        print(f"layout {layout}: {len(gen.files)} files, {gen.rows:,} value rows", flush=True)
        if args.profile:
            return profile_ingest(url, gen, loader_of(args))
        expected = expected_summary(gen)
        copy_tables = prepare_tables(url, gen, args.submission_check)
        reset_round(url)
        rounds = run_rounds(url, gen, args.rounds, loader_of(args))
        phases = median_phases(rounds)
        per_layout[layout] = {
            "dataset": dataset_info(gen, {"provinces": provinces or "all", "layout": layout}),
            "copy_tables": copy_tables,
            "expected": expected,
            **rounds_summary(expected, phases, rounds),
            "validate_only": run_validate_only(url, gen),
        }
        reset_round(url)
    machine["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results = {
        "benchmark": "ingest_national_layouts",
        "submission_check": args.submission_check,
        "machine": machine,
        "periods": [periods[0], periods[-1]],
        "layouts": per_layout,
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    stem = "ingest_national_layouts" + loader_suffix(args)
    benchlib.write_json(results_dir / f"{stem}.json", results)
    (results_dir / f"{stem}.md").write_text(layouts_markdown(results), encoding="utf-8")
    if national:
        with (results_dir / "history.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(
                json.dumps(
                    {
                        "timestamp_utc": machine["timestamp_utc"],
                        "git_commit": machine["git_commit"],
                        "postgres_server": machine["postgres_server"],
                        "loadavg_at_start": machine["loadavg_at_start"][0],
                        **{
                            f"{layout}_ingest_over_copy": part["ratios"].get("ingest_over_copy")
                            for layout, part in per_layout.items()
                        },
                    }
                )
                + "\n"
            )
    for layout, part in per_layout.items():
        a, b = part["phases"]["antt_ingest"], part["phases"]["raw_copy"]
        print(
            f"{layout:11s} (a) {a.get('rows_per_s', 0):>9,} rows/s"
            f"  (b) {b.get('rows_per_s', 0):>9,} rows/s"
            f"  (a)/(b) {part['ratios'].get('ingest_over_copy')}"
            f"  consistent {all(part['consistency'].values())}"
        )
    print(f"results: {results_dir / f'{stem}.json'}")
    ok = all(all(part["consistency"].values()) for part in per_layout.values())
    return 0 if ok else 1


LAYOUT_LABELS = {
    "mixed": "mixed (2/3 wide, 1/3 long)",
    "wide": "wide (`Mã xã`, `Tên xã`, one column per indicator)",
    "long": "long without names (`ma_xa,ma_chi_tieu,gia_tri`)",
    "long_names": "long with `ky_bao_cao` and `ten_xa` on every row",
}


def layouts_markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# National ingestion benchmark by layout (issue 14 (d))",
        "",
        f"{measured_line(m)}, at end {m['loadavg_at_end'][0]}.",
        "",
        "Each layout: the same 2023 value rows (every commune × 22 indicators × the months),"
        " one `CAT<province>` file per province and month; (a) `antt ingest` against (b) raw"
        " COPY of the same rows into a table of raw.chi_tieu's shape, in the same run, rounds"
        " alternated, median round shown.",
        "",
        "Loader in (a): "
        + "; ".join(
            f"{layout} {loader_text(part['phases']['antt_ingest'])}"
            for layout, part in results["layouts"].items()
        )
        + ".",
        "",
        "| layout | files | MB | (a) rows/s | (b) rows/s | (a)/(b) | (a)/(b) per round"
        " | (a0) validation only, rows/s | (a) client CPU s | load avg during (a) |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for layout, part in results["layouts"].items():
        a, b = part["phases"]["antt_ingest"], part["phases"]["raw_copy"]
        d, check = part["dataset"], part["validate_only"]
        lines.append(
            f"| {LAYOUT_LABELS[layout]} | {d['files']} | {d['bytes'] / 1e6:.1f} |"
            f" {a.get('rows_per_s', 0):,} | {b.get('rows_per_s', 0):,} |"
            f" {part['ratios'].get('ingest_over_copy')} |"
            f" {', '.join(str(r.get('ingest_over_copy')) for r in part['rounds'])} |"
            f" {check.get('rows_per_s', 0):,} | {a.get('client_cpu_seconds', 0):.1f} |"
            f" {a.get('loadavg_before')} → {a.get('loadavg_after')} |"
        )
    lines.append("")
    for layout, part in results["layouts"].items():
        lines.append(
            f"- {layout}: same rows loaded by every phase (count, non-NULL, sum):"
            f" {part['consistency']};"
            f" outcomes of (a): {part['phases']['antt_ingest'].get('outcomes')}"
        )
    lines += ["", "Reproduce: see bench/README.md, issue 14 (d)."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    provinces = [p.zfill(2) for p in args.provinces] if args.provinces else None
    periods = periods_of(args.year, args.months)
    national = is_national(provinces, periods)
    results_dir = args.results_dir or (RESULTS_DIR if national else OUT_DIR / "results")
    data_dir = args.data_dir or default_out_dir(provinces, periods)
    gen = None if args.layouts else generate(data_dir, provinces, periods)
    if gen is not None:
        print(
            f"data: {len(gen.files)} files, {gen.rows:,} value rows in {gen.out_dir}"
            f" ({'cached' if gen.reused else f'generated in {gen.seconds:.1f} s'})"
        )
    scope = {"provinces": provinces or "all", "periods": [periods[0], periods[-1]]}

    with benchlib.bench_warehouse(args.server, keep=args.keep_database) as (srv, url):
        if args.keep_database:
            print(f"database: {url}")
        prepare_raw(url, args.submission_check)
        if args.layouts:
            return run_layouts(url, srv.kind, args, provinces, periods, results_dir, national)
        if args.profile:
            return profile_ingest(url, gen, loader_of(args))
        machine = benchlib.machine_info(url, srv.kind)
        expected = expected_summary(gen)
        copy_tables = prepare_tables(url, gen, args.submission_check)
        rounds = run_rounds(url, gen, args.rounds, loader_of(args))
        phases = median_phases(rounds)
        if not args.skip_pandas:
            print("(c) pandas to_sql ...", flush=True)
            phases["pandas_to_sql"] = run_pandas_to_sql(url, gen)
        print("(a0) reading and validation only (diagnostic) ...", flush=True)
        diagnostics = {"validate_only": run_validate_only(url, gen)}
        if not args.keep_database:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("DROP SCHEMA bench CASCADE")
        results = {
            "benchmark": "ingest_national",
            "submission_check": args.submission_check,
            "copy_tables": copy_tables,
            "machine": machine,
            "dataset": dataset_info(gen, scope),
            "expected": expected,
            **rounds_summary(expected, phases, rounds),
            "diagnostics": diagnostics,
        }
        stem = "ingest_national"
        if args.submission_check != "as-bootstrapped":
            stem += "_" + args.submission_check.replace("-", "_")
        stem += loader_suffix(args)
        results_dir.mkdir(parents=True, exist_ok=True)
        benchlib.write_json(results_dir / f"{stem}.json", results)
        (results_dir / f"{stem}.md").write_text(markdown(results), encoding="utf-8")
        if national:
            append_history(results_dir, results)
        print_summary(results)
        print(f"results: {results_dir / f'{stem}.json'}")
        status = 0 if all(results["consistency"].values()) else 1
        if args.dbt:
            if phases["antt_ingest"].get("status") != "ok":
                print("dbt timings skipped: (a) did not load the whole set", file=sys.stderr)
                return 1
            import dbt_national

            status |= dbt_national.run_and_write(
                url, provinces, periods, results_dir, machine, phases["antt_ingest"]
            )
        return status


if __name__ == "__main__":
    sys.exit(main())
