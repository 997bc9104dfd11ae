"""Loader processes (`antt.ingest.processes`): every lane loaded once and in order, results in
this process, and each way a process can fail raised here with nothing lost."""

from __future__ import annotations

import contextlib
import os
import signal
import threading

import psycopg
import pytest

from antt.errors import AnttError, WarehouseUnavailable
from antt.ingest import ingest_paths
from antt.ingest.processes import LoaderProcessDied, load_lanes_in_processes

from .test_parallel import batch

GROUPS = [[f"{lane}-{n}" for n in range(size)] for lane, size in enumerate([5, 3, 3, 2, 1, 1])]


def no_connection():
    return contextlib.nullcontext("conn")


def test_every_lane_loads_once_in_order_in_other_processes():
    seen = []
    parent = os.getpid()
    results = load_lanes_in_processes(
        GROUPS,
        lambda conn, item: (item, os.getpid(), conn),
        processes=2,
        threads=2,
        connect=no_connection,
        on_done=lambda result: seen.append((result, threading.get_ident())),
    )
    assert [[item for item, _, _ in group] for group in results] == GROUPS
    assert {pid for group in results for _, pid, _ in group} - {parent}  # not loaded here
    assert parent not in {pid for group in results for _, pid, _ in group}
    assert {conn for group in results for _, _, conn in group} == {"conn"}
    assert len(seen) == sum(map(len, GROUPS))
    assert {ident for _, ident in seen} == {threading.get_ident()}  # on_done runs here


def test_a_stop_result_ends_its_lane_only():
    results = load_lanes_in_processes(
        GROUPS,
        lambda conn, item: item,
        processes=2,
        threads=1,
        connect=no_connection,
        stop=lambda item: item == "0-1",
    )
    assert results[0] == ["0-0", "0-1"]
    assert results[1:] == GROUPS[1:]


def test_an_error_in_a_process_is_raised_here_as_itself():
    def load(conn, item):
        if item == "2-1":
            raise WarehouseUnavailable("cannot connect to the warehouse: gone")
        return item

    with pytest.raises(WarehouseUnavailable, match="gone"):
        load_lanes_in_processes(GROUPS, load, 2, 1, no_connection)


class Unpicklable(Exception):
    def __init__(self):
        super().__init__("holds a lock")
        self.lock = threading.Lock()


def test_an_error_that_cannot_cross_the_pipe_is_named():
    def load(conn, item):
        if item == "1-0":
            raise Unpicklable()
        return item

    with pytest.raises(AnttError, match="Unpicklable: holds a lock"):
        load_lanes_in_processes(GROUPS, load, 2, 1, no_connection)


def test_a_process_that_dies_is_reported():
    def load(conn, item):
        if item == "3-0":
            os.kill(os.getpid(), signal.SIGKILL)
        return item

    with pytest.raises(LoaderProcessDied, match="exit code -9") as raised:
        load_lanes_in_processes(GROUPS, load, 2, 1, no_connection)
    assert "rolled back" in str(raised.value)


def test_a_failing_callback_here_stops_the_processes():
    def on_done(result):
        if result == "1-1":
            raise RuntimeError("the screen went away")

    with pytest.raises(RuntimeError, match="screen"):
        load_lanes_in_processes(
            GROUPS, lambda conn, item: item, 2, 1, no_connection, on_done=on_done
        )
    assert not [child for child in _children() if child.is_alive()]


def _children():
    import multiprocessing

    return multiprocessing.active_children()


def test_a_killed_loader_process_loses_no_file(warehouse_url, areas, tmp_path, monkeypatch):
    """A loader process killed inside a file's transaction (rows copied, not committed): that
    file stays in landing with no register row, the files finished before are filed, and the
    next run loads the rest."""
    from antt.ingest import loader

    landing = areas.landing
    files = batch(landing)
    parent, marker = os.getpid(), tmp_path / "killed"
    real = loader.settle

    def dying(conn, submission_id, status, **values):
        if status == "accepted" and os.getpid() != parent and not marker.exists():
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return real(conn, submission_id, status, **values)

    monkeypatch.setattr(loader, "settle", dying)
    with pytest.raises(LoaderProcessDied, match="exit code -9"):
        ingest_paths([landing], areas, move_only_from_landing=True, workers=2, processes=2)
    left = {p.relative_to(landing).as_posix() for p in landing.rglob("*") if p.is_file()}
    with psycopg.connect(warehouse_url) as conn:
        registered = conn.execute("SELECT count(*) FROM raw.submissions").fetchone()[0]
        pending = conn.execute(
            "SELECT count(*) FROM raw.submissions WHERE status NOT IN"
            " ('accepted', 'rejected', 'duplicate')"
        ).fetchone()[0]
    assert left and pending == 0
    assert registered == len(files) - len(left)  # filed = registered; the rest untouched
    monkeypatch.setattr(loader, "settle", real)
    rerun = ingest_paths([landing], areas, move_only_from_landing=True, workers=2, processes=2)
    assert {o.path.relative_to(landing).as_posix() for o in rerun} == left
    assert not [p for p in landing.rglob("*") if p.is_file()]
    with psycopg.connect(warehouse_url) as conn:
        assert conn.execute("SELECT count(*) FROM raw.submissions").fetchone()[0] == len(files)


def test_processes_must_be_a_positive_integer(monkeypatch):
    from antt.ingest.pipeline import default_processes

    monkeypatch.setenv("ANTT_INGEST_PROCESSES", "two")
    with pytest.raises(AnttError, match="must be an integer, got 'two'"):
        default_processes()
    monkeypatch.setenv("ANTT_INGEST_PROCESSES", "0")
    with pytest.raises(AnttError, match="at least 1"):
        default_processes()
    monkeypatch.setenv("ANTT_INGEST_PROCESSES", "3")
    assert default_processes() == 3
    monkeypatch.delenv("ANTT_INGEST_PROCESSES")
    assert 1 <= default_processes() <= 8


PARENT_SCRIPT = """
import contextlib, os, sys, time
from antt.ingest.processes import load_lanes_in_processes

def load(conn, item):
    open(os.path.join(sys.argv[1], str(os.getpid())), "w").close()
    time.sleep(60)

load_lanes_in_processes([[1], [2]], load, 2, 1, lambda: contextlib.nullcontext())
"""


def test_loader_processes_die_with_a_killed_parent(tmp_path):
    """`kill -9` of `antt ingest` takes its loader processes with it (their transactions roll
    back); none goes on loading alone."""
    import subprocess
    import sys
    import time

    parent = subprocess.Popen([sys.executable, "-c", PARENT_SCRIPT, str(tmp_path)])
    deadline = time.monotonic() + 30
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    children = [int(p.name) for p in tmp_path.iterdir()]
    assert len(children) == 2
    parent.kill()
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in children if _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
