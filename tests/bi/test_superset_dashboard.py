"""A real Superset (bi/.venv) with the dashboard imported through its REST API, on the Trà Vinh
sample built into real marts: every chart's saved query runs and returns rows, the connection
reads as antt_reader only, and headless Chromium renders the dashboard (a screenshot goes to
test-artifacts/superset-dashboard.png)."""

from __future__ import annotations

import time
from urllib.parse import quote

import pytest
from superset_api import ADMIN_PASSWORD, SupersetApi

from antt.bi import assets, server
from antt.bi.bundle import build_bundle, superset_uri
from antt.bi.declaration import DATABASE_FILE, DATABASE_NAME, Declaration
from browser import chromium_run

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
SCREENSHOT = "superset-dashboard.png"


@pytest.fixture(scope="module")
def imported(sample_marts, superset_server, tmp_path_factory):
    """The bundle imported through POST /api/v1/dashboard/import/; yields (api, reader URL)."""
    base_url, _home = superset_server
    # a password in the URL exercises the import's `passwords` field (trust auth ignores it)
    reader = server.reader_url(sample_marts).replace("antt_reader@", "antt_reader:unused@", 1)
    uri, password = superset_uri(reader)
    bundle = build_bundle(tmp_path_factory.mktemp("bundle") / "dashboard.zip", uri)
    api = SupersetApi(base_url, server.ADMIN_USER, ADMIN_PASSWORD)
    started = time.perf_counter()
    resp = api.import_dashboard(bundle, {DATABASE_FILE: password})
    print(f"\nREST import: {time.perf_counter() - started:.1f} s")
    assert resp.status_code == 200, resp.text
    return api, reader


def test_every_chart_of_the_dashboard_is_imported(imported):
    api, _ = imported
    declaration = Declaration()
    live = {assets.chart_uuid(k) for k in assets.dashboard_chart_keys(declaration)}
    charts = api.charts()
    assert {c["uuid"] for c in charts} == live
    resp = api.get(f"/api/v1/dashboard/{declaration.dashboard.slug}/charts")
    assert resp.status_code == 200, resp.text
    assert {c["slice_name"] for c in resp.json()["result"]} == {
        c.title for c in declaration.charts if c.key not in declaration.pending
    }


def test_every_chart_query_runs_and_returns_rows(imported):
    api, _ = imported
    failures = []
    for chart in api.charts():
        resp = api.chart_data(chart["id"])
        if resp.status_code != 200:
            failures.append(f"{chart['slice_name']}: HTTP {resp.status_code} {resp.text[:300]}")
            continue
        for result in resp.json()["result"]:
            if result.get("error") or not result.get("rowcount"):
                failures.append(f"{chart['slice_name']}: {result.get('error') or 'no rows'}")
    assert failures == []


def test_the_connection_is_antt_reader_and_cannot_read_raw(imported):
    api, _ = imported
    resp = api.get("/api/v1/database/", columns=["id", "database_name"])
    found = [d for d in resp.json()["result"] if d["database_name"] == DATABASE_NAME]
    assert len(found) == 1
    detail = api.get(f"/api/v1/database/{found[0]['id']}/connection").json()["result"]
    assert detail["sqlalchemy_uri"].startswith("postgresql+psycopg2://antt_reader:XXXXXXXXXX@")

    def run(sql: str):
        return api.http.post(
            f"{api.base}/api/v1/sqllab/execute/",
            json={"database_id": found[0]["id"], "sql": sql, "runAsync": False, "schema": "marts"},
            timeout=120,
        )

    # Superset refuses current_user in SQL Lab; the privileges tell the role apart
    rights = run(
        "select has_schema_privilege('marts', 'USAGE') as marts,"
        " has_schema_privilege('raw', 'USAGE') as raw,"
        " has_schema_privilege('staging', 'USAGE') as staging"
    )
    assert rights.status_code == 200, rights.text
    assert rights.json()["data"] == [{"marts": True, "raw": False, "staging": False}]
    denied = run("select count(*) from raw.submissions")
    assert denied.status_code != 200
    assert "permission denied" in denied.text


def test_dashboard_renders_in_a_browser(imported, superset_server, chromium, tmp_path, artifacts):
    base_url, _ = superset_server
    url = f"{base_url}/antt-test-login?next={quote('/superset/dashboard/antt/?standalone=1')}"
    out = artifacts / SCREENSHOT
    out.unlink(missing_ok=True)
    chromium_run(
        chromium,
        tmp_path / "profile",
        url,
        "--virtual-time-budget=60000",
        f"--screenshot={out}",
        "--window-size=1400,2400",
        timeout=300,
    )
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 60_000  # charts and tables, not a login form or a spinner
