"""Fixtures for ingestion tests: file areas and direct queries on the test warehouse."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import psycopg
import pytest

from antt.config import FileAreas, file_areas


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
