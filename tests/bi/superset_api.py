"""A small client of Superset's REST API (api/v1), as an analyst's script would use it."""

from __future__ import annotations

import json
from pathlib import Path

import requests

TIMEOUT_S = 120
ADMIN_PASSWORD = "antt-test-admin"  # the throwaway Superset of tests/bi, on loopback


class SupersetApi:
    def __init__(self, base_url: str, username: str, password: str):
        self.base = base_url.rstrip("/")
        self.http = requests.Session()
        resp = self.http.post(
            f"{self.base}/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db", "refresh": True},
            timeout=TIMEOUT_S,
        )
        resp.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {resp.json()['access_token']}"
        # POSTs also need the CSRF token of this session (Flask-WTF), and a same-site Referer
        csrf = self.http.get(f"{self.base}/api/v1/security/csrf_token/", timeout=TIMEOUT_S)
        csrf.raise_for_status()
        self.http.headers["X-CSRFToken"] = csrf.json()["result"]
        self.http.headers["Referer"] = self.base

    def get(self, path: str, **params) -> requests.Response:
        if params:
            params = {"q": _rison(params)}
        return self.http.get(f"{self.base}{path}", params=params, timeout=TIMEOUT_S)

    def import_dashboard(self, bundle: Path, passwords: dict[str, str]) -> requests.Response:
        with bundle.open("rb") as handle:
            return self.http.post(
                f"{self.base}/api/v1/dashboard/import/",
                files={"formData": (bundle.name, handle, "application/zip")},
                data={"overwrite": "true", "passwords": json.dumps(passwords)},
                timeout=TIMEOUT_S,
            )

    def charts(self) -> list[dict]:
        resp = self.get(
            "/api/v1/chart/", columns=["id", "uuid", "slice_name", "viz_type"], page_size=100
        )
        resp.raise_for_status()
        return resp.json()["result"]

    def chart_data(self, chart_id: int) -> requests.Response:
        return self.get(f"/api/v1/chart/{chart_id}/data/")


def _rison(value) -> str:
    """The subset of Rison the list endpoints need (dicts, lists, strings, numbers)."""
    if isinstance(value, dict):
        return "(" + ",".join(f"{k}:{_rison(v)}" for k, v in value.items()) + ")"
    if isinstance(value, list):
        return "!(" + ",".join(_rison(v) for v in value) + ")"
    if isinstance(value, bool):
        return "!t" if value else "!f"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("!", "!!").replace("'", "!'") + "'"
