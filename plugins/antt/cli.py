"""The `antt` command line. Expected failures print one line and exit non-zero."""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg
import typer
from rich.console import Console
from typer.exceptions import TyperException

from antt.errors import AnttError

app = typer.Typer(
    name="antt",
    help="ANTT warehouse: load district police statistics, evaluate the NTM security criteria.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(
    help="Manage the warehouse database (embedded or ANTT_WAREHOUSE_URL).", no_args_is_help=True
)
app.add_typer(db_app, name="db")
units_app = typer.Typer(
    help="Administrative units across the 2025 reorganisation (crosswalk old -> new).",
    no_args_is_help=True,
)
app.add_typer(units_app, name="units")
console = Console()
err_console = Console(stderr=True)


@db_app.command("up")
def db_up() -> None:
    """Start the embedded PostgreSQL (no-op when ANTT_WAREHOUSE_URL is set or it already runs)."""
    from antt import warehouse

    url = warehouse.warehouse_url()
    console.print(f"warehouse ready: {url}")


@db_app.command("down")
def db_down() -> None:
    """Stop the embedded PostgreSQL."""
    from antt import warehouse

    stopped = warehouse.embedded_down()
    console.print("embedded warehouse stopped" if stopped else "embedded warehouse was not running")


@db_app.command("url")
def db_url() -> None:
    """Print the warehouse URL (starts the embedded server when needed)."""
    from antt import warehouse

    print(warehouse.warehouse_url())


@db_app.command("init")
def db_init() -> None:
    """Create schemas, roles and the official administrative units (idempotent)."""
    from antt import warehouse
    from antt.bootstrap import init_database

    report = init_database(warehouse.warehouse_url())
    if report.changed:
        console.print(
            f"initialised: roles created {report.roles_created or 'none'}, "
            f"provinces +{report.provinces_added}, districts +{report.districts_added}, "
            f"communes +{report.communes_added}; from 2025-07-01: "
            f"provinces +{report.provinces_2025_added}, units +{report.communes_2025_added}; "
            f"crosswalk +{report.crosswalk_added} -{report.crosswalk_removed}"
            f" ({report.crosswalk_rows} rows)"
        )
    else:
        console.print("already initialised: nothing changed")


@units_app.command("crosswalk")
def units_crosswalk(
    out: Path = typer.Option(None, "--out", help="CSV to write (default: the committed one)."),
    overrides: Path = typer.Option(
        None, "--overrides", help="Overrides file (default: committed)."
    ),
    report: Path = typer.Option(None, "--report", help="Also write every finding to this CSV."),
    check: bool = typer.Option(False, "--check", help="Only compare with --out; write nothing."),
) -> None:
    """Derive old commune -> new unit rows, check them, apply the overrides, write the CSV.

    Exit 1 while a suspicious row is not decided in the overrides file (nothing is written)."""
    from antt.units.command import run_crosswalk
    from antt.units.crosswalk import CROSSWALK_CSV
    from antt.units.overrides import OVERRIDES_CSV

    run_crosswalk(console, out or CROSSWALK_CSV, overrides or OVERRIDES_CSV, report, check)


@app.command()
def build(
    full_refresh: bool = typer.Option(False, "--full-refresh", help="Rebuild incremental models."),
) -> None:
    """Run dbt build (models, tests) as antt_transformer; exit 0 when only warnings."""
    from antt.transform import build_command

    build_command(console, full_refresh=full_refresh)


@app.command()
def docs(
    out: str = typer.Option(None, "--out", help="Copy the single-file docs into this folder."),
) -> None:
    """Generate the dbt docs as one static HTML file (with lineage)."""
    from antt.transform import docs_command

    docs_command(console, out)


@app.command("airflow")
def airflow_cmd(
    port: int = typer.Option(
        8080, min=1024, max=65535, help="Port of the api-server / UI on 127.0.0.1."
    ),
) -> None:
    """Start a local Airflow 3 (api-server, scheduler, dag-processor, triggerer) until Ctrl-C."""
    from antt.local_airflow.server import serve

    serve(console, port=port)


@app.command("bi")
def bi_cmd(
    port: int = typer.Option(8088, min=1024, max=65535, help="Port on 127.0.0.1."),
) -> None:
    """Serve the Superset dashboard (bi/superset/) on the warehouse as antt_reader until Ctrl-C.

    Needs `make bi-setup` (Superset in bi/.venv) and built marts (`make demo`)."""
    from antt.bi.server import serve_dashboard

    code = serve_dashboard(console, port=port)
    if code:
        raise typer.Exit(code)


@app.command()
def demo(
    verbose: bool = typer.Option(False, "--verbose", help="Show Airflow's and dbt's logs."),
    province: str = typer.Option(
        "86",
        "--province",
        help="86 = Vĩnh Long 2024–2025 (today's province); 84 = Trà Vinh 2022–2023.",
    ),
    in_process: bool = typer.Option(False, "--in-process", hidden=True),
) -> None:
    """Run the whole job through Airflow on a sample province and print the summary.

    Ctrl-C or SIGTERM stops it within seconds (exit 130 / 143); run it again to resume."""
    from antt.local_airflow.demo import demo_years

    demo_years(province)  # an unknown province fails here, before any worker starts
    if not in_process:
        from antt.local_airflow.supervise import supervise_demo

        raise typer.Exit(
            supervise_demo(verbose=verbose, err_console=err_console, province=province)
        )
    from antt.local_airflow.demo import run_demo
    from antt.local_airflow.demo_summary import print_summary

    outcome = run_demo(verbose=verbose, progress=console.print, province=province)
    print_summary(console, outcome)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files or folders (a folder: its files, sorted)."),
    processes: int = typer.Option(
        None,
        "--processes",
        min=1,
        help="Loader processes (default: ANTT_INGEST_PROCESSES, else one per core, at most 8).",
    ),
) -> None:
    """Validate and load submissions: accepted → archive, rejected → quarantine with a report."""
    from antt.ingest.command import run_ingest

    attention = run_ingest(console, paths, processes)
    if set(attention) == {"rejected"}:
        raise AnttError(
            f"{attention['rejected']} file(s) rejected: see their reports in quarantine"
        )
    if attention:
        counts = ", ".join(f"{n} {status}" for status, n in attention.items())
        raise AnttError(f"{counts} file(s): see the lines above and the reports in quarantine")


@app.command()
def report(
    year: int = typer.Option(..., "--year", help="Year evaluated, e.g. 2023."),
    province: str = typer.Option(None, "--province", help="Province code (default: all)."),
    out: str = typer.Option(None, "--out", help="Output folder (default: the published area)."),
    docs: bool = typer.Option(True, "--docs/--no-docs", help="Also publish the dbt docs."),
) -> None:
    """Write the reviewer outputs: HTML scorecard, XLSX workbook, rejected files, index."""
    from antt.report.command import run_report

    run_report(console, year, province, out, docs)


@app.command()
def lock(
    province: str = typer.Option(..., "--province", help="Province code (2 digits), e.g. 84."),
    year: int = typer.Option(..., "--year", help="Year to close (chốt số liệu), e.g. 2023."),
    unlock: bool = typer.Option(False, "--unlock", help="Reopen the year (needs --reason)."),
    reason: str = typer.Option(None, "--reason", help="Why (required with --unlock)."),
    by: str = typer.Option(None, "--by", help="Who closes or reopens (default: your login)."),
) -> None:
    """Close a province's year (no file for its periods is accepted) or reopen it; recorded in
    audit.period_locks, never deleted."""
    from antt.periods import record_lock
    from antt.warehouse import connect

    with connect() as conn:
        state = record_lock(conn, province, year, unlock=unlock, reason=reason, actor=by)
    what = "đã chốt / closed" if state.closed else "đã mở khóa / reopened"
    console.print(
        f"{state.year} tỉnh / province {state.province_code}: {what} at {state.since_local} "
        f"(Asia/Ho_Chi_Minh) by {state.actor}"
        + (f"; lý do / reason: {state.reason}" if state.reason else "")
    )


@app.command()
def sample(
    more_years: list[int] = typer.Argument(None, hidden=True),
    province: str = typer.Option(
        "84",
        help="Province code (2 digits); 84 = Trà Vinh; 86 with --years 2024 2025 = the new "
        "Vĩnh Long across the 2025 reorganisation.",
    ),
    years: list[int] = typer.Option([2022, 2023], help="Consecutive years: --years 2022 2023."),
    out: str | None = typer.Option(None, help="Output folder (default <ANTT_HOME>/sample)."),
) -> None:
    """Write a realistic sample submission set (tệp mẫu) for every unit of a province."""
    from antt.sample.cli import run_sample

    # `--years 2022 2023`: click takes one value per option; the rest arrive as arguments.
    run_sample(province, [*years, *(more_years or [])], out, console)


def main(argv: list[str] | None = None) -> int:
    try:
        # Without standalone mode click returns the code of a `typer.Exit` instead of raising it.
        code = app(args=argv, standalone_mode=False)
    except AnttError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        return 1
    except psycopg.Error as exc:  # e.g. missing privileges: the server's own words, one line
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        err_console.print(f"[bold red]warehouse error:[/] {first}", highlight=False, soft_wrap=True)
        return 1
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("aborted")
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except TyperException as exc:  # usage errors: unknown command, bad option
        exc.show()
        return exc.exit_code
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
