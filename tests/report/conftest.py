"""Fixtures of the reviewer-output tests: a warehouse with synthetic marts, and a real Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import report_marts_fixture
from psycopg import sql

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
INSTALL_TIMEOUT_S = 900


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
def published_2025(initialised_template, pg_admin_url, tmp_path_factory):
    """The 2025 and 2026 outputs of province 86 from synthetic marts: (root, written)."""
    from report_marts_2025 import create_marts_2025

    from antt.report import build_reports

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
            create_marts_2025(url)
            root = tmp_path_factory.mktemp("published")
            written = build_reports(2025, None, root, docs=False)
            written += build_reports(2026, None, root, docs=False)
            yield root, written
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


def _find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium: installed once with apt-get when missing; skip only when that fails."""
    found = _find_chromium()
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("Chromium is missing and cannot be installed here (needs root and apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        for cmd in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]):
            subprocess.run(cmd, check=True, capture_output=True, timeout=INSTALL_TIMEOUT_S, env=env)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"Chromium could not be installed with apt-get: {exc}")
    found = _find_chromium()
    if not found:
        pytest.skip("apt-get installed chromium but no chromium binary is on PATH")
    return found


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
