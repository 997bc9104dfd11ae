"""What the benchmarks share: a fresh warehouse database, machine facts, timing, result files."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
RESULTS_DIR = BENCH_DIR / "results"
LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
EMBEDDED_PGDATA = OUT_DIR / "pg"

# This tree's package, unless PYTHONPATH names another tree's on purpose (the alternated
# comparisons of two source trees, e.g. bench/validation_cpu.py): that one must win.
if not any(
    Path(entry, "antt").is_dir() for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep)
):
    sys.path.insert(0, str(REPO_ROOT / "plugins"))

# The processes a benchmark starts (the CLI, Airflow's) cache their bytecode as on a user's
# machine, as under `make`: with PYTHONDONTWRITEBYTECODE set each would compile all it imports
# (about 1.2 s of `antt ingest`'s start-up, 5 s of an Airflow process's).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def with_database(url: str, dbname: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + dbname))


@dataclass
class Server:
    kind: str  # embedded | url
    admin_url: str


@contextmanager
def server(choice: str | None) -> Iterator[Server]:
    """The PostgreSQL server to measure on.

    `choice` is an admin URL (a fresh database is created in that server), `local` for the server
    at 127.0.0.1:5432, or None/`embedded` for a pgserver kept in `bench/out/pg/` (never the
    project's own `.antt/pg`), stopped at the end.
    """
    if choice == "local":
        choice = LOCAL_SERVER
    if choice and choice != "embedded":
        yield Server("url", choice)
        return
    import logging
    import warnings

    # pgserver asks platformdirs for XDG_RUNTIME_DIR, which servers and CI rarely set.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    import pgserver

    EMBEDDED_PGDATA.mkdir(parents=True, exist_ok=True)
    srv = pgserver.get_server(EMBEDDED_PGDATA, cleanup_mode="stop")
    try:
        yield Server("embedded", srv.get_uri())
    finally:
        srv.cleanup()


@contextmanager
def fresh_database(admin_url: str, keep: bool = False) -> Iterator[str]:
    """A new database bootstrapped by `antt.bootstrap.init_database`; dropped unless `keep`."""
    from antt.bootstrap import init_database

    name = f"antt_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = with_database(admin_url, name)
    try:
        init_database(url)
        yield url
    finally:
        if not keep:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def warehouse_env(url: str, home: Path) -> None:
    """Point the antt package of this process at the benchmark database and state folder."""
    os.environ["ANTT_WAREHOUSE_URL"] = url
    os.environ["ANTT_HOME"] = str(home)
    for var in list(os.environ):
        if var.startswith("ANTT_") and var.endswith("_URL") and var != "ANTT_WAREHOUSE_URL":
            del os.environ[var]
        if var.startswith("ANTT_") and var.endswith("_DIR"):
            del os.environ[var]


def checkpoint(url: str) -> None:
    """Flush dirty buffers so a phase does not pay for the writes of the previous one."""
    with (
        psycopg.connect(url, autocommit=True) as conn,
        suppress(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("CHECKPOINT")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git_commit(repo: Path = REPO_ROOT) -> str | None:
    """The short commit checked out in `repo` (this repository by default), with `+changes`
    when tracked files differ from it (a design measured before it was committed)."""
    try:
        head, changes = (
            subprocess.run(
                ["git", *args],
                cwd=repo,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            for args in (
                ["rev-parse", "--short", "HEAD"],
                ["status", "--porcelain", "--untracked-files=no"],
            )
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return f"{head}+changes" if changes else head


def machine_info(url: str, server_kind: str) -> dict:
    import pandas
    import sqlalchemy

    with psycopg.connect(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        settings = dict(
            conn.execute(
                "SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name = ANY(%s)",
                (["shared_buffers", "max_wal_size", "synchronous_commit", "wal_level", "fsync"],),
            ).fetchall()
        )
    try:
        import psutil

        memory_gb = round(psutil.virtual_memory().total / 2**30, 1)
    except ImportError:
        memory_gb = None
    return {
        "timestamp_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "host": platform.node(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "memory_gb": memory_gb,
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "psycopg": psycopg.__version__,
        "pandas": pandas.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "postgres": version,
        "postgres_server": server_kind,
        "postgres_settings": settings,
        "git_commit": _git_commit(),
    }


def _cpu_with_children() -> float:
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _machine_ticks() -> tuple[int, int] | None:
    """(steal, all) clock ticks of the machine's CPUs since boot, from Linux's /proc/stat; None
    elsewhere. Steal is the time the hypervisor ran another guest while this one had work."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()[1:9]
    except OSError:
        return None
    ticks = [int(v) for v in fields]
    return ticks[7], sum(ticks)


@contextmanager
def timed(parts: Callable[[str], str | None] | None = None) -> Iterator[dict]:
    """Wall-clock seconds of the block, the CPU seconds of this process and of the child
    processes it waited for in the block (the loader's processes), the load average around it,
    and the share of the machine's CPU time the hypervisor took (`steal_share`, Linux only).
    With `parts`, also the CPU seconds of each part of the system in the block (`cpu_seconds`,
    `cpu_by_component`; None where `/proc` is not there).

    Client CPU against wall time tells where a phase spends its time: the rest is the server
    (and, on a shared machine, waiting for a core). A high steal share means the figure was
    measured on fewer cores than the machine has.
    """
    box: dict = {"loadavg_before": round(os.getloadavg()[0], 2)}
    processes_start = process_cpu() if parts else None
    ticks_start = _machine_ticks()
    start, cpu_start = time.perf_counter(), _cpu_with_children()
    try:
        yield box
    finally:
        box["seconds"] = round(time.perf_counter() - start, 3)
        box["client_cpu_seconds"] = round(_cpu_with_children() - cpu_start, 3)
        box["loadavg_after"] = round(os.getloadavg()[0], 2)
        ticks_end = _machine_ticks()
        if ticks_start and ticks_end and ticks_end[1] > ticks_start[1]:
            stolen, total = (end - begin for end, begin in zip(ticks_end, ticks_start, strict=True))
            box["steal_share"] = round(stolen / total, 3)
        if parts:
            box["cpu_seconds"] = cpu_by_component(processes_start, process_cpu(), parts)


def machine_load(box: dict) -> dict:
    """What a timed phase recorded of the machine around it, for a result: the load averages
    and the steal share (None where it was not measured)."""
    return {
        "loadavg_before": box["loadavg_before"],
        "loadavg_after": box["loadavg_after"],
        "steal_share": box.get("steal_share"),
    }


def steal_pct(box: dict) -> str:
    """A timed phase's steal share in per cent, for a report ("-" where it was not measured)."""
    share = box.get("steal_share")
    return "-" if share is None else f"{100 * share:.0f}"


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu() -> dict[int, tuple[str, float, float]] | None:
    """Every process's command line, its own CPU seconds and those of the children it has
    reaped (`/proc/<pid>/stat`, Linux; None elsewhere). A process that exits is counted in its
    parent once reaped: a PostgreSQL backend in the postmaster, a task process in its
    supervisor."""
    if not os.path.isdir("/proc/self"):
        return None
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as stat:
                raw = stat.read()
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:  # gone in between, or not ours to read
            continue
        name, fields = raw[raw.index("(") + 1 : raw.rindex(")")], raw[raw.rindex(")") + 2 :].split()
        own, children = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
        found[int(entry.name)] = (command or name, own / _CLOCK_TICKS, children / _CLOCK_TICKS)
    return found


def cpu_by_component(
    before: dict | None, after: dict | None, component_of: Callable[[str], str | None]
) -> dict[str, float] | None:
    """CPU seconds used between two `process_cpu` snapshots, summed per component
    (`component_of(command line)`, None: not counted). A process there at both counts its
    increase, a new one all of its time."""
    if before is None or after is None:
        return None
    totals: dict[str, float] = {}
    for pid, (command, own, children) in after.items():
        component = component_of(command)
        if component is None:
            continue
        _, own_before, children_before = before.get(pid, (command, 0.0, 0.0))
        used = own - own_before + children - children_before
        totals[component] = round(totals.get(component, 0.0) + max(used, 0.0), 2)
    return totals


def is_postgres(command: str) -> bool:
    """A PostgreSQL server process: the postmaster (`…/bin/postgres -D …`) or one of its
    children (`postgres: …`)."""
    return command.startswith("postgres:") or command.split(" ", 1)[0].endswith("/postgres")


def rate(rows: int, seconds: float) -> int:
    return round(rows / seconds) if seconds > 0 else 0


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_results(results_dir: Path, stem: str, results: dict, report: str) -> None:
    """`<stem>.json` and the `<stem>.md` report in `results_dir`; the report is printed too."""
    write_json(results_dir / f"{stem}.json", results)
    (results_dir / f"{stem}.md").write_text(report, encoding="utf-8")
    print(report)


def machine_line(machine: dict) -> str:
    """Where a result was measured, the first line of a report under its title."""
    return (
        f"Measured {machine['timestamp_utc']} on {machine['cpu_count']} x {machine['cpu']},"
        f" PostgreSQL {machine['postgres']} ({machine['postgres_server']}),"
        f" commit {machine['git_commit']}"
    )


@contextmanager
def bench_warehouse(server_choice: str | None, keep: bool = False) -> Iterator[tuple[Server, str]]:
    """The server, a fresh warehouse database in it, and this process pointed at both (its
    state folder `bench/out/antt_home`, emptied first)."""
    import shutil

    with server(server_choice) as srv, fresh_database(srv.admin_url, keep=keep) as url:
        home = OUT_DIR / "antt_home"
        shutil.rmtree(home, ignore_errors=True)
        warehouse_env(url, home)
        yield srv, url
