"""Helpers for the dbt tests: warehouses built once per module (each dbt build costs seconds)."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path

from warehouse_copies import copied_warehouse, isolated_warehouse

# The marts every build fills (the criteria, the scorecards, the monthly fact and the findings).
CRITERIA_MARTS = (
    "commune_criteria",
    "commune_scorecard",
    "district_criteria",
    "district_scorecard",
    "fct_indicator_monthly",
    "recognition_findings",
)


@contextlib.contextmanager
def fresh_warehouse(initialised_template: str, pg_admin_url: str) -> Iterator[str]:
    """A new database copied from the initialised template, with ANTT_WAREHOUSE_URL set."""
    with copied_warehouse(pg_admin_url, initialised_template) as url:
        yield url


@contextlib.contextmanager
def sample_warehouse(initialised_template: str, pg_admin_url: str, home: Path) -> Iterator[str]:
    """A fresh warehouse (ANTT_WAREHOUSE_URL) and `home` as the only state folder (ANTT_HOME),
    for a module that loads a sample set."""
    with isolated_warehouse(pg_admin_url, initialised_template, home) as url:
        yield url


def run_cli(args: list[str]) -> tuple[int, str]:
    """`antt ARGS` in-process: exit code and everything it printed."""
    from antt import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main(args)
    return code, out.getvalue()
