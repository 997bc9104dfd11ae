"""Fresh warehouse databases copied from the initialised template (`CREATE DATABASE … TEMPLATE`):
one helper for every fixture that needs its own warehouse."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

ROLE_URL_VARIABLES = tuple(f"ANTT_{role}_URL" for role in ("LOADER", "TRANSFORMER", "READER"))


def with_database(url: str, dbname: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + dbname))


def _dbname(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def clone_database(pg_admin_url: str, template_url: str) -> str:
    """A new database copied from the one at `template_url`; returns its URL."""
    name = f"antt_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(_dbname(template_url))
            )
        )
    return with_database(pg_admin_url, name)


def drop_database(pg_admin_url: str, url: str) -> None:
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(_dbname(url)))
        )


def point_at(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """Make `url` the warehouse of this process: ANTT_WAREHOUSE_URL, and no per-role logins."""
    monkeypatch.setenv("ANTT_WAREHOUSE_URL", url)
    for variable in ROLE_URL_VARIABLES:
        monkeypatch.delenv(variable, raising=False)


@contextlib.contextmanager
def copied_warehouse(
    pg_admin_url: str, template_url: str, *, set_env: bool = True
) -> Iterator[str]:
    """A warehouse copied from the template for the duration of the block, then dropped;
    with `set_env`, ANTT_WAREHOUSE_URL points at it meanwhile."""
    url = clone_database(pg_admin_url, template_url)
    try:
        with pytest.MonkeyPatch.context() as mp:
            if set_env:
                point_at(mp, url)
            yield url
    finally:
        drop_database(pg_admin_url, url)


def isolate_state(monkeypatch: pytest.MonkeyPatch, home) -> None:
    """Make `home` the state folder (landing, archive, quarantine, published) of this process,
    with no per-area folder set elsewhere."""
    monkeypatch.setenv("ANTT_HOME", str(home))
    for area in ("LANDING", "ARCHIVE", "QUARANTINE", "PUBLISHED"):
        monkeypatch.delenv(f"ANTT_{area}_DIR", raising=False)


@contextlib.contextmanager
def isolated_warehouse(pg_admin_url: str, template_url: str, home) -> Iterator[str]:
    """A copied warehouse (ANTT_WAREHOUSE_URL set) with `home` as the state folder, for the
    duration of the block."""
    with copied_warehouse(pg_admin_url, template_url) as url, pytest.MonkeyPatch.context() as mp:
        isolate_state(mp, home)
        yield url
