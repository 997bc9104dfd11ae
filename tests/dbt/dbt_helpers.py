"""Helpers for the dbt tests: warehouses built once per module (each dbt build costs seconds)."""

from __future__ import annotations

import contextlib
import io
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql


def with_database(url: str, dbname: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + dbname))


@contextlib.contextmanager
def fresh_warehouse(initialised_template: str, pg_admin_url: str) -> Iterator[str]:
    """A new database copied from the initialised template, with ANTT_WAREHOUSE_URL set."""
    template = urlsplit(initialised_template).path.lstrip("/")
    name = f"antt_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    url = with_database(pg_admin_url, name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANTT_WAREHOUSE_URL", url)
        for role in ("LOADER", "TRANSFORMER", "READER"):
            mp.delenv(f"ANTT_{role}_URL", raising=False)
        try:
            yield url
        finally:
            with psycopg.connect(pg_admin_url, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def run_cli(args: list[str]) -> tuple[int, str]:
    """`antt ARGS` in-process: exit code and everything it printed."""
    from antt import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main(args)
    return code, out.getvalue()
