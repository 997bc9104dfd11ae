"""Fixtures of the BI tests: the Trà Vinh sample built into real marts, and a real Superset
(bi/.venv, installed by `make bi-setup`) serving the dashboard on a free loopback port."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dbt"))
from dbt_helpers import run_cli  # noqa: E402
from superset_api import ADMIN_PASSWORD  # noqa: E402

from antt.bi import server  # noqa: E402
from warehouse_copies import isolated_warehouse  # noqa: E402

# Test-only: a route that logs the browser in as the admin, so headless Chromium (which cannot
# fill in a login form from the command line) opens the dashboard like a signed-in analyst.
BROWSER_LOGIN_CONFIG = """
def FLASK_APP_MUTATOR(app):
    from flask import redirect, request
    from flask_login import login_user

    @app.route("/antt-test-login")
    def antt_test_login():
        from superset import security_manager

        login_user(security_manager.find_user(username="admin"))
        return redirect(request.args.get("next", "/"))
"""


@pytest.fixture(scope="module")
def sample_marts(initialised_template, pg_admin_url, tmp_path_factory):
    """A warehouse with the Trà Vinh sample loaded and built (`antt sample`, ingest, build)."""
    from antt.ingest.pipeline import ingest_paths
    from antt.sample import generate

    home = tmp_path_factory.mktemp("antt_home")
    out = tmp_path_factory.mktemp("sample")
    with isolated_warehouse(pg_admin_url, initialised_template, home) as url:
        generate(out)
        ingest_paths([out / "01_initial", out / "02_corrections"], move=False)
        code, output = run_cli(["build"])
        assert code == 0, output
        yield url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def superset_server(tmp_path_factory):
    """A Superset with its metadata migrated and an admin login, served by gunicorn; yields
    (base URL, home). Skips only when `make bi-setup` could not install Superset."""
    program = server.superset_bin()
    if not program.is_file():
        pytest.skip(
            f"Superset is not installed ({program} is missing): `make bi-setup` failed or did "
            "not run (it needs PyPI)"
        )
    home = server.prepare_home(tmp_path_factory.mktemp("superset"), BROWSER_LOGIN_CONFIG)
    server.setup(home, ADMIN_PASSWORD)
    base_url = f"http://127.0.0.1:{free_port()}"
    port = int(base_url.rsplit(":", 1)[1])
    proc = server.start_server(home, "127.0.0.1", port, log=home.folder / "superset.log")
    try:
        server.wait_healthy(base_url, proc)
        yield base_url, home
    finally:
        server.stop_server(proc)
