"""Fixtures of the reviewer-output tests: a warehouse with synthetic marts (Chromium and the
artifacts folder are fixtures of tests/conftest.py)."""

from __future__ import annotations

import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import report_marts_fixture
from psycopg import sql

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def marts_url(warehouse_url: str) -> str:
    """An initialised warehouse with the five public marts filled for Trà Vinh (84), 2023."""
    report_marts_fixture.create_marts(warehouse_url, year=2023, province="84")
    return warehouse_url


@pytest.fixture
def marts_data(warehouse_url: str) -> report_marts_fixture.MartsData:
    data = report_marts_fixture.create_marts(warehouse_url, year=2023, province="84")
    report_marts_fixture.add_rejected(warehouse_url)
    return data


@pytest.fixture(scope="module")
def shared_marts(initialised_template: str, pg_admin_url: str):
    """One warehouse with the synthetic marts and rejected files per module, for tests that only
    read it; ANTT_WAREHOUSE_URL points at it. Yields (url, MartsData)."""
    template = urlsplit(initialised_template).path.lstrip("/")
    name = f"antt_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    url = urlunsplit(urlsplit(pg_admin_url)._replace(path="/" + name))
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("ANTT_WAREHOUSE_URL", url)
            for role in ("LOADER", "TRANSFORMER", "READER"):
                mp.delenv(f"ANTT_{role}_URL", raising=False)
            data = report_marts_fixture.create_marts(url, year=2023, province="84")
            report_marts_fixture.add_rejected(url)
            yield url, data
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(scope="module")
def published_module(shared_marts, tmp_path_factory):
    """Reports built once per module from the shared marts: (MartsData, root, files written)."""
    from antt.report import build_reports

    _url, data = shared_marts
    root = tmp_path_factory.mktemp("published")
    written = build_reports(2023, None, root, docs=False)
    return data, root, written
