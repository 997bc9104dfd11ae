"""docker/nginx.conf served by a real nginx (when one is installed): read-only reports."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .airflow_cluster import free_port

CONF = Path(__file__).resolve().parents[2] / "docker" / "nginx.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.fixture
def reports_server(tmp_path):
    if NGINX is None:
        pytest.skip("nginx is not installed (the container image nginx:1.27-alpine has it)")
    published = tmp_path / "published"
    (published / "dbt_docs").mkdir(parents=True)
    (published / "index.html").write_text("<h1>Báo cáo ANTT</h1>", encoding="utf-8")
    (published / "dbt_docs" / "index.html").write_text("<p>dbt docs</p>", encoding="utf-8")
    (published / ".env").write_text("SECRET=1")
    port = free_port()
    server = CONF.read_text().replace("listen 8080;", f"listen 127.0.0.1:{port};")
    server = server.replace("/usr/share/nginx/html", str(published))
    (tmp_path / "default.conf").write_text(server)
    temp = tmp_path / "nginx_tmp"
    temp.mkdir()
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"""{user}
daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {tmp_path}/default.conf;
}}
"""
    )
    config = ["-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    check = subprocess.run([NGINX, "-t", *config], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, *config], stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).close()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def fetch(url: str, method: str = "GET") -> tuple[int, str, dict]:
    request = urllib.request.Request(url, method=method, data=b"x" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, "", dict(exc.headers)


def test_reports_are_served_read_only(reports_server):
    status, body, headers = fetch(reports_server + "/")
    assert status == 200 and "Báo cáo ANTT" in body
    assert "utf-8" in headers["Content-Type"].lower()
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert fetch(reports_server + "/dbt_docs/")[0] == 200
    assert fetch(reports_server + "/healthz")[:2] == (200, "ok\n")
    assert fetch(reports_server + "/", method="POST")[0] == 405
    assert fetch(reports_server + "/.env")[0] == 403
    assert fetch(reports_server + "/missing.html")[0] == 404
