"""Fixtures for ingestion tests: file areas and direct queries on the test warehouse."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import psycopg
import pytest

from antt.config import FileAreas, file_areas
from warehouse_copies import copied_warehouse


@pytest.fixture
def areas(antt_home) -> FileAreas:
    return file_areas().ensure()


@pytest.fixture
def landing(areas) -> Path:
    return areas.landing


@pytest.fixture
def db(warehouse_url):
    """A helper that runs a query on the test warehouse as its owner and returns all rows."""

    def query(statement: str, params: Sequence[object] = ()) -> list[tuple]:
        with psycopg.connect(warehouse_url, autocommit=True) as conn:
            return conn.execute(statement, params).fetchall()

    return query


@pytest.fixture
def ingest(warehouse_url, areas):
    """Write a file into landing and ingest it: `ingest(name, rows, **builder_kw)`."""
    from antt.ingest import ingest_file

    from .builders import write_file

    def run(name: str, rows, *, move: bool = True, **kw):
        return ingest_file(write_file(areas.landing, name, rows, **kw), areas, move=move)

    return run


@pytest.fixture(scope="module")
def module_warehouse(initialised_template: str, pg_admin_url: str):
    """One initialised warehouse shared by a module's validation-only tests (faster than one
    database per test). Tests that use it must not depend on what others loaded."""
    with copied_warehouse(pg_admin_url, initialised_template, set_env=False) as url:
        yield url


@pytest.fixture
def check(module_warehouse: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Like `ingest`, on the module's shared warehouse; the file stays where it was written."""
    from antt.ingest import ingest_file

    from .builders import write_file

    monkeypatch.setenv("ANTT_WAREHOUSE_URL", module_warehouse)
    for role in ("LOADER", "TRANSFORMER", "READER"):
        monkeypatch.delenv(f"ANTT_{role}_URL", raising=False)
    folders = {k: tmp_path / k for k in ("landing", "archive", "quarantine", "published")}
    file_areas_ = FileAreas(**folders).ensure()

    def run(name: str, rows, **kw):
        return ingest_file(
            write_file(file_areas_.landing, name, rows, **kw), file_areas_, move=False
        )

    return run


@pytest.fixture
def mdb(module_warehouse: str):
    """Like `db`, on the module's shared warehouse (filter by submission id!)."""

    def query(statement: str, params: Sequence[object] = ()) -> list[tuple]:
        with psycopg.connect(module_warehouse, autocommit=True) as conn:
            return conn.execute(statement, params).fetchall()

    return query
