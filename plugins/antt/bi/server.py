"""A local Apache Superset with the ANTT dashboard: its own environment (bi/.venv, installed by
`make bi-setup`), its metadata in a SQLite file under <ANTT_HOME>/superset/, and the warehouse
read as antt_reader. `antt bi` runs `serve_dashboard`; the tests use the same steps.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg

from antt.bi.assets import ASSETS_DIR, BI_DIR
from antt.bi.declaration import DASHBOARD_SLUG
from antt.config import state_dir
from antt.errors import AnttError

SETUP_SCRIPT = BI_DIR / "setup_superset.py"
ADMIN_USER = "admin"
HEALTH_PATH = "/health"
SETUP_TIMEOUT_S = 300
START_TIMEOUT_S = 180
GUNICORN_WORKERS = 2  # 2 cores; threads serve the dashboard's parallel chart requests
GUNICORN_THREADS = 4
# Every mart a dashboard chart reads; a warehouse without them has not been built yet.
REQUIRED_MARTS = (
    "commune_scorecard",
    "commune_criteria",
    "district_scorecard",
    "fct_indicator_monthly",
    "dim_commune",
)

SHARED_CONFIG = BI_DIR / "superset_config.py"
CONFIG_HEADER = "# Written by `antt bi` on every start from bi/superset_config.py; edit that.\n"


def superset_bin() -> Path:
    """The `superset` program of the BI environment (ANTT_SUPERSET_BIN overrides it)."""
    given = os.environ.get("ANTT_SUPERSET_BIN")
    return Path(given) if given else BI_DIR / ".venv" / "bin" / "superset"


def require_superset() -> Path:
    program = superset_bin()
    if not program.is_file():
        raise AnttError(
            f"Superset chưa được cài / Superset is not installed ({program} is missing): "
            "run `make bi-setup`"
        )
    return program


def reader_url(admin_url: str) -> str:
    """The warehouse as antt_reader: ANTT_READER_URL when set, else the warehouse URL with the
    reader's name and ANTT_READER_PASSWORD (none: the embedded server trusts its socket)."""
    given = os.environ.get("ANTT_READER_URL")
    if given:
        return given
    parts = urlsplit(admin_url)
    password = os.environ.get("ANTT_READER_PASSWORD") or ""
    auth = "antt_reader" + (f":{quote(password, safe='')}" if password else "")
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{auth}@{host}"))


def check_marts(url: str) -> int:
    """Connect as the reader and count the commune scorecard's rows; explain what is missing."""
    try:
        with psycopg.connect(url, connect_timeout=10) as conn:
            found = {
                row[0]
                for row in conn.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'marts' AND table_name = ANY(%s)",
                    (list(REQUIRED_MARTS),),
                )
            }
            missing = [m for m in REQUIRED_MARTS if m not in found]
            if missing:
                raise AnttError(
                    "kho chưa có các bảng marts / the warehouse has no marts "
                    f"{', '.join(missing)} readable by antt_reader: run `make demo` (or antt build)"
                )
            return conn.execute("SELECT count(*) FROM marts.commune_scorecard").fetchone()[0]
    except psycopg.OperationalError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise AnttError(
            f"không đăng nhập được bằng antt_reader / cannot log in as antt_reader: {first}"
        ) from exc


@dataclass(frozen=True)
class SupersetHome:
    folder: Path

    @property
    def config(self) -> Path:
        return self.folder / "superset_config.py"

    @property
    def admin_password_file(self) -> Path:
        return self.folder / "admin_password"

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH", "UV_PROJECT_ENVIRONMENT"))
        }
        env.update(
            SUPERSET_CONFIG_PATH=str(self.config),
            SUPERSET_HOME=str(self.folder),
            SUPERSET_SECRET_KEY=(self.folder / "secret_key").read_text(encoding="utf-8").strip(),
            SUPERSET_DATABASE_URL="sqlite:///" + str(self.folder / "superset.db"),
            FLASK_APP="superset",
            PYTHONUNBUFFERED="1",
        )
        return env


def _secret_file(path: Path, make) -> str:
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(make() + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def prepare_home(folder: Path | None = None, extra_config: str = "") -> SupersetHome:
    """The Superset home (config, secret key, metadata file); `extra_config` is appended to
    the generated superset_config.py."""
    home = SupersetHome((folder or state_dir() / "superset").resolve())
    home.folder.mkdir(parents=True, exist_ok=True)
    home.folder.chmod(0o700)
    _secret_file(home.folder / "secret_key", lambda: secrets.token_urlsafe(48))
    home.config.write_text(
        CONFIG_HEADER + SHARED_CONFIG.read_text(encoding="utf-8") + extra_config, encoding="utf-8"
    )
    return home


def admin_password(home: SupersetHome) -> str:
    """ANTT_BI_ADMIN_PASSWORD, else a password generated once and kept in the home (mode 600)."""
    given = os.environ.get("ANTT_BI_ADMIN_PASSWORD")
    if given:
        return given
    return _secret_file(home.admin_password_file, lambda: secrets.token_urlsafe(12))


def setup(
    home: SupersetHome,
    password: str,
    database_uri: str | None = None,
    reader_password: str | None = None,
) -> str:
    """Migrate the metadata, make the admin login, sync Superset's roles and, given the
    warehouse's `database_uri`, import bi/superset/ (overwriting), all in one Superset process
    (bi/setup_superset.py); its output, or an AnttError with its last lines."""
    python = require_superset().parent / "python"
    cmd = [str(python), str(SETUP_SCRIPT), "--admin-user", ADMIN_USER]
    env = home.env() | {"ANTT_BI_ADMIN_PASSWORD": password}
    env.pop("ANTT_READER_PASSWORD", None)
    if database_uri is not None:
        cmd += ["--assets", str(ASSETS_DIR), "--database-uri", database_uri]
        if reader_password:
            env["ANTT_READER_PASSWORD"] = reader_password
    try:
        done = subprocess.run(
            cmd,
            env=env,
            capture_output=True,
            text=True,
            timeout=SETUP_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise AnttError(f"Superset setup did not finish within {SETUP_TIMEOUT_S} s") from exc
    output = (done.stdout or "") + (done.stderr or "")
    if done.returncode != 0:
        tail = " | ".join(line for line in output.splitlines()[-6:] if line.strip())
        raise AnttError(f"Superset setup failed (exit {done.returncode}): {tail}")
    return output


def start_server(home: SupersetHome, host: str, port: int, log: Path | None = None):
    """gunicorn serving Superset; returns the process (the caller stops it)."""
    gunicorn = require_superset().parent / "gunicorn"
    cmd = [
        str(gunicorn),
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(GUNICORN_WORKERS),
        "--worker-class",
        "gthread",
        "--threads",
        str(GUNICORN_THREADS),
        "--timeout",
        "120",
        "--limit-request-line",
        "0",
        "--limit-request-field_size",
        "0",
        "superset.app:create_app()",
    ]
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    try:
        return subprocess.Popen(
            cmd, env=home.env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    finally:
        if log:
            out.close()


def wait_healthy(base_url: str, proc, timeout: float = START_TIMEOUT_S) -> float:
    """Seconds until GET /health answers 200; AnttError when the server exits or times out."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise AnttError(f"Superset exited during start-up (exit {proc.returncode})")
        try:
            with urllib.request.urlopen(base_url + HEALTH_PATH, timeout=5) as resp:  # noqa: S310
                if resp.status == 200:
                    return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AnttError(f"Superset did not answer {base_url}{HEALTH_PATH} within {timeout:.0f} s")


def stop_server(proc, timeout: float = 20) -> None:
    """SIGTERM to gunicorn's process group (the master and its workers), SIGKILL after
    `timeout` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            continue


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def serve_dashboard(console, host: str = "127.0.0.1", port: int = 8088) -> int:
    """`antt bi`: set up Superset, import the dashboard, serve it until Ctrl-C."""
    from antt.bi.bundle import superset_uri
    from antt.warehouse import warehouse_url

    started = time.monotonic()
    require_superset()
    reader = reader_url(warehouse_url())
    communes = check_marts(reader)
    if not communes:
        console.print(
            "[yellow]chưa có xã nào được đánh giá / no commune evaluated yet[/]: the dashboard "
            "will be empty until data is loaded and built (make demo)",
            highlight=False,
            soft_wrap=True,
        )
    home = prepare_home()
    password = admin_password(home)
    console.print("Superset: metadata, admin login, roles, dashboard import …")
    uri, reader_password = superset_uri(reader)
    setup(home, password, uri, reader_password)
    base_url = f"http://{host}:{port}"
    # gunicorn runs in a session of its own: Ctrl-C and SIGTERM reach this process, which stops
    # the server's whole process group on the way out.
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    proc = start_server(home, host, port, log=home.folder / "superset.log")
    try:
        wait_healthy(base_url, proc)
        console.print(
            f"Bảng điều khiển / dashboard: {base_url}/superset/dashboard/{DASHBOARD_SLUG}/\n"
            f"  đăng nhập / login: {ADMIN_USER} / {password}\n"
            f"  kho dữ liệu / warehouse: {uri} ({communes} commune-years)\n"
            f"  sẵn sàng sau / ready after {time.monotonic() - started:.1f} s; "
            f"log: {home.folder / 'superset.log'}; Ctrl-C to stop",
            highlight=False,
            soft_wrap=True,
        )
        sys.stdout.flush()
        code = proc.wait()
        raise AnttError(f"Superset stopped by itself (exit {code}): see {home.folder}/superset.log")
    except KeyboardInterrupt:
        return 130
    finally:
        stop_server(proc)
        signal.signal(signal.SIGTERM, previous)
