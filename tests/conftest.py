"""Shared fixtures: a PostgreSQL server for the session and fresh databases that are dropped after.

The server is `ANTT_TEST_DATABASE_URL` when set, else the local server at 127.0.0.1:5432 when it
answers, else an embedded pgserver in a temporary folder.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from browser import chromium_or_skip
from warehouse_copies import copied_warehouse, point_at, with_database

LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An admin URL (may create databases) of the server the tests use."""
    given = os.environ.get("ANTT_TEST_DATABASE_URL")
    if given:
        yield given
        return
    if _answers(LOCAL_SERVER):
        yield LOCAL_SERVER
        return
    import pgserver

    pgdata = tmp_path_factory.mktemp("pg")
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    yield server.get_uri()
    server.cleanup()


@pytest.fixture(scope="session")
def make_database(pg_admin_url: str) -> Iterator[Callable[[], str]]:
    """A factory of fresh, empty databases; all are dropped at the end of the session."""
    created: list[str] = []

    def make() -> str:
        name = f"antt_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        created.append(name)
        return with_database(pg_admin_url, name)

    yield make
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        for name in created:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(scope="session")
def initialised_template(make_database: Callable[[], str]) -> str:
    """One database bootstrapped by `antt db init`, used as a template for fast copies."""
    from antt.bootstrap import init_database

    url = make_database()
    init_database(url)
    return url


@pytest.fixture
def warehouse_url(
    initialised_template: str, pg_admin_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh initialised warehouse for one test; ANTT_WAREHOUSE_URL points at it."""
    with copied_warehouse(pg_admin_url, initialised_template, set_env=False) as url:
        point_at(monkeypatch, url)
        yield url


@pytest.fixture
def antt_home(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """An isolated state folder (landing, archive, quarantine, published) for one test."""
    home = tmp_path / "antt_home"
    monkeypatch.setenv("ANTT_HOME", str(home))
    for var in ("LANDING", "ARCHIVE", "QUARANTINE", "PUBLISHED"):
        monkeypatch.delenv(f"ANTT_{var}_DIR", raising=False)
    return home


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium (`make browser` installs it; `.ci/run` does so before the tests)."""
    return chromium_or_skip()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ (gitignored): screenshots and PDFs for a human to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
