"""Fixtures of the reviewer-output tests: a warehouse with synthetic marts (Chromium and the
artifacts folder are fixtures of tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import report_marts_fixture

from warehouse_copies import copied_warehouse

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
    with copied_warehouse(pg_admin_url, initialised_template) as url:
        data = report_marts_fixture.create_marts(url, year=2023, province="84")
        report_marts_fixture.add_rejected(url)
        yield url, data


@pytest.fixture(scope="module")
def published_2025(initialised_template, pg_admin_url, tmp_path_factory):
    """The 2025 and 2026 outputs of province 86 from synthetic marts: (root, written)."""
    from report_marts_2025 import create_marts_2025

    from antt.report import build_reports

    with copied_warehouse(pg_admin_url, initialised_template) as url:
        create_marts_2025(url)
        root = tmp_path_factory.mktemp("published")
        written = build_reports(2025, None, root, docs=False)
        written += build_reports(2026, None, root, docs=False)
        yield root, written


@pytest.fixture(scope="module")
def published_module(shared_marts, tmp_path_factory):
    """Reports built once per module from the shared marts: (MartsData, root, files written)."""
    from antt.report import build_reports

    _url, data = shared_marts
    root = tmp_path_factory.mktemp("published")
    written = build_reports(2023, None, root, docs=False)
    return data, root, written
