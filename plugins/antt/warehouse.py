"""The warehouse location: `ANTT_WAREHOUSE_URL` when set, otherwise an embedded PostgreSQL.

The embedded server (PyPI `pgserver`, PostgreSQL 16) keeps its data in `.antt/pg/`, listens on a
Unix socket only and is started on demand; it keeps running after the command that started it so
every later command reuses it (`antt db down` stops it). pg_ctl starts it in a session of its own,
so Ctrl-C or SIGTERM to a command that started it never reaches it.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from antt.config import ROLE_NAMES, Settings, load_settings, state_dir
from antt.errors import AnttError, WarehouseUnavailable

Role = Literal["loader", "transformer", "reader"]
__all__ = [
    "ROLE_NAMES",
    "Role",
    "connect",
    "role_url",
    "sqlalchemy_url",
    "url_parts",
    "warehouse_url",
]
EMBEDDED_DATABASE = "antt"

logging.getLogger("pgserver").setLevel(logging.WARNING)
# pgserver asks platformdirs for XDG_RUNTIME_DIR, which servers and CI rarely set.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


# A postmaster.pid without a readable pid may be one a starting server is writing right now.
PIDFILE_WRITE_GRACE_S = 10.0


def embedded_pgdata():
    return state_dir() / "pg"


def _pidfile_pid(pidfile: Path) -> int | None:
    try:
        return int(pidfile.read_text(encoding="utf-8", errors="replace").splitlines()[0])
    except (OSError, IndexError, ValueError):
        return None


def _is_postmaster_of(pid: int, pgdata: Path) -> bool:
    """Whether `pid` is a live (not zombie) server of `pgdata`: PostgreSQL works in its data
    folder, and pg_ctl starts it with `-D pgdata`. A negative pid is a standalone backend (initdb
    writes those). True when this user may not look: never remove a live server's lock file."""
    import psutil  # a dependency of pgserver

    if pid == 0:
        return False
    try:
        proc = psutil.Process(abs(pid))
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        cwd, args = proc.cwd(), proc.cmdline()
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True
    folder = pgdata.resolve()
    if cwd and Path(cwd).resolve() == folder:
        return True
    return "-D" in args[:-1] and Path(args[args.index("-D") + 1]).resolve() == folder


def clear_stale_state(pgdata: Path) -> list[str]:
    """Remove what a dead server or client left in `pgdata` that would block the next start; the
    names removed.

    - `postmaster.pid` whose process is gone, a zombie nobody reaped, or another program that
      reused the pid: PostgreSQL refuses to start while that pid lives, pgserver hands out the
      URL of a dead socket, and `pg_ctl stop` would signal that other program. A file cut short
      (a server killed while starting) makes pgserver fail outright.
    - pgserver's `.handle_pids.json` when it is not JSON (a client killed while rewriting it).
    """
    removed = []
    pidfile = pgdata / "postmaster.pid"
    if pidfile.exists():
        pid = _pidfile_pid(pidfile)
        if pid is None:
            try:
                stale = time.time() - pidfile.stat().st_mtime > PIDFILE_WRITE_GRACE_S
            except FileNotFoundError:
                stale = False
        else:
            stale = not _is_postmaster_of(pid, pgdata)
        if stale:
            pidfile.unlink(missing_ok=True)
            removed.append(pidfile.name)
    handles = pgdata / ".handle_pids.json"
    if handles.exists():
        try:
            valid = isinstance(json.loads(handles.read_text(encoding="utf-8")), list)
        except (OSError, ValueError):
            valid = False
        if not valid:
            handles.unlink(missing_ok=True)
            removed.append(handles.name)
    return removed


def _embedded_server():
    import pgserver

    pgdata = embedded_pgdata()
    pgdata.mkdir(parents=True, exist_ok=True)
    clear_stale_state(pgdata)
    try:
        return pgserver.get_server(pgdata, cleanup_mode=None)
    except (subprocess.SubprocessError, OSError) as exc:
        raise WarehouseUnavailable(f"embedded PostgreSQL in {pgdata} did not start: {exc}") from exc


# pgserver's start is not thread-safe (loader threads that each start the server raced in its
# get_uri): one start at a time per process.
_EMBEDDED_START = threading.Lock()


def embedded_up() -> str:
    """Start (or reuse) the embedded server and make sure its warehouse database exists."""
    with _EMBEDDED_START:
        server = _embedded_server()
        admin_url = server.get_uri()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (EMBEDDED_DATABASE,)
            ).fetchone()
            if not exists:
                conn.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(EMBEDDED_DATABASE))
                )
        return server.get_uri(EMBEDDED_DATABASE)


def embedded_down() -> bool:
    """Stop the embedded server; False when it was not running."""
    pgdata = embedded_pgdata()
    clear_stale_state(pgdata)
    if not (pgdata / "postmaster.pid").exists():
        return False
    from pgserver._commands import POSTGRES_BIN_PATH

    proc = subprocess.run(
        [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(pgdata), "-w", "stop", "-m", "fast"],
        capture_output=True,
        text=True,
        check=False,
        # pgserver runs the server as the user `pgserver` when it is started by root
        user="pgserver" if os.geteuid() == 0 else None,
    )
    if proc.returncode != 0:
        lines = [ln for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
        raise WarehouseUnavailable(
            f"the embedded PostgreSQL in {pgdata} did not stop: "
            f"{lines[-1] if lines else f'pg_ctl exit {proc.returncode}'}"
        )
    return True


def embedded_running_url() -> str | None:
    """The embedded server's warehouse URL when it runs, without starting it."""
    pgdata = embedded_pgdata()
    pidfile = pgdata / "postmaster.pid"
    pid = _pidfile_pid(pidfile) if pidfile.exists() else None
    if pid is None or pid <= 0 or not _is_postmaster_of(pid, pgdata):
        return None  # not running, or a standalone backend of initdb
    from pgserver.utils import PostmasterInfo

    try:
        return PostmasterInfo.read_from_pgdata(pgdata).get_uri(database=EMBEDDED_DATABASE)
    except (AssertionError, AttributeError, OSError, RuntimeError, ValueError):
        return None  # a server still starting: its file is not complete yet


def warehouse_url(settings: Settings | None = None) -> str:
    """The admin URL of the warehouse: `ANTT_WAREHOUSE_URL`, else the embedded server."""
    url = (settings or load_settings()).warehouse_url
    if url:
        check_url(url)
        return url
    return embedded_up()


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise AnttError(
            "ANTT_WAREHOUSE_URL must be a postgresql:// URL, "
            f"got scheme {parts.scheme or '(none)'!r}"
        )
    if not parts.path.strip("/"):
        raise AnttError("ANTT_WAREHOUSE_URL names no database (postgresql://user@host:port/DB)")


def url_parts(url: str) -> dict[str, str | int | None]:
    """Host, port, user, password, database of a URL (a socket folder given as ?host= counts)."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    host = query.get("host", [parts.hostname or "localhost"])[0]
    return {
        "host": unquote(host),
        "port": int(query.get("port", [parts.port or 5432])[0]),
        "user": unquote(parts.username or "postgres"),
        "password": unquote(parts.password) if parts.password else None,
        "dbname": unquote(parts.path.lstrip("/")),
    }


def sqlalchemy_url(libpq_url: str) -> str:
    """The psycopg 3 SQLAlchemy URL of a libpq URL (a socket folder stays a `host` query)."""
    parts = urlsplit(libpq_url)
    query = parse_qs(parts.query)
    # SQLAlchemy takes only the first value of each query key.
    flat = urlencode({k: v[0] for k, v in query.items()})
    return urlunsplit(parts._replace(scheme="postgresql+psycopg", query=flat))


def role_url(role: Role, settings: Settings | None = None) -> str | None:
    """A dedicated login URL for a role (`ANTT_LOADER_URL`, ...) when the operator gave one."""
    return (settings or load_settings()).role_urls.get(role)


@contextmanager
def connect(
    role: Role | None = None, url: str | None = None, **kwargs
) -> Iterator[psycopg.Connection]:
    """A connection that works with the privileges of `role` and nothing more.

    With `ANTT_<ROLE>_URL` set it logs in as that user; otherwise it logs in with the warehouse
    URL and `SET ROLE`s, so every statement runs with the role's privileges only.
    """
    dedicated = role_url(role) if role and url is None else None
    target = dedicated or url or warehouse_url()
    try:
        conn = psycopg.connect(target, connect_timeout=10, **kwargs)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WarehouseUnavailable(f"cannot connect to the warehouse: {first}") from exc
    try:
        if role and not dedicated:
            conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(ROLE_NAMES[role])))
            if not conn.autocommit:
                conn.commit()
        yield conn
    finally:
        conn.close()


def loader_connection() -> AbstractContextManager[psycopg.Connection]:
    """The connection a load runs on: the loader role, in autocommit mode. Every write of a file
    is in an explicit transaction (`conn.transaction()`), so the statements around it (the file's
    claim and release, the look for an unfiled submission) need no BEGIN and COMMIT of their own:
    one round trip each instead of three (12 a file instead of 18 in libpq's trace,
    docs/decisions.md)."""
    return connect(role="loader", autocommit=True)
