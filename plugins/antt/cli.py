"""The `antt` command line. Expected failures print one line and exit non-zero."""

from __future__ import annotations

import sys

import click
import typer
from rich.console import Console

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

    url = warehouse.warehouse_url()
    try:
        report = init_database(url)
    except Exception as exc:  # psycopg errors become one readable line
        import psycopg

        if isinstance(exc, psycopg.Error):
            raise AnttError(f"db init failed: {str(exc).strip().splitlines()[0]}") from exc
        raise
    if report.changed:
        console.print(
            f"initialised: roles created {report.roles_created or 'none'}, "
            f"provinces +{report.provinces_added}, districts +{report.districts_added}, "
            f"communes +{report.communes_added}"
        )
    else:
        console.print("already initialised: nothing changed")


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


def main(argv: list[str] | None = None) -> int:
    try:
        app(args=argv, standalone_mode=False)
    except AnttError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        return 1
    except click.exceptions.Abort:
        err_console.print("aborted")
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
