"""What a dead embedded server or client leaves behind never blocks the next start: a stale
`postmaster.pid` (process gone, an unreaped zombie, a pid reused by another program, a file cut
short) and a broken pgserver handle list."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from antt import warehouse
from antt.errors import WarehouseUnavailable

ANTT = Path(sys.executable).parent / "antt"


def pidfile_text(pid: int, pgdata: Path, lines: int = 8) -> str:
    full = [str(pid), str(pgdata), "1795928044", "5432", str(pgdata), "", "0 0", "ready"]
    return "\n".join(full[:lines]) + "\n"


@pytest.fixture
def sleeper():
    proc = subprocess.Popen(["sleep", "60"])
    yield proc
    proc.kill()
    proc.wait()


@pytest.fixture
def zombie():
    proc = subprocess.Popen(["true"])
    deadline = time.monotonic() + 10
    while not Path(f"/proc/{proc.pid}/stat").read_text().split(") ")[1].startswith("Z"):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    yield proc.pid  # exited, not yet reaped
    proc.wait()


def test_pid_of_another_program_is_stale_and_that_program_is_left_alone(tmp_path, sleeper):
    (tmp_path / "postmaster.pid").write_text(pidfile_text(sleeper.pid, tmp_path))
    assert warehouse.clear_stale_state(tmp_path) == ["postmaster.pid"]
    assert sleeper.poll() is None


def test_pid_of_an_unreaped_zombie_is_stale(tmp_path, zombie):
    (tmp_path / "postmaster.pid").write_text(pidfile_text(zombie, tmp_path))
    assert warehouse.clear_stale_state(tmp_path) == ["postmaster.pid"]


def test_file_cut_short_with_a_dead_pid_is_stale(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    (tmp_path / "postmaster.pid").write_text(pidfile_text(dead.pid, tmp_path, lines=5))
    assert warehouse.clear_stale_state(tmp_path) == ["postmaster.pid"]


def test_a_live_server_of_this_folder_is_kept(tmp_path):
    (tmp_path / "pg").mkdir()
    (tmp_path / "other").mkdir()
    # started with `-D <pgdata>` as pg_ctl starts postgres / working in it as every backend does
    by_option = subprocess.Popen(["sh", "-c", "sleep 60", "-D", str(tmp_path / "pg")])
    by_folder = subprocess.Popen(["sleep", "60"], cwd=tmp_path / "pg")
    try:
        for pid in (by_option.pid, by_folder.pid, -by_folder.pid):  # negative: a standalone backend
            (tmp_path / "pg" / "postmaster.pid").write_text(pidfile_text(pid, tmp_path, lines=5))
            assert warehouse.clear_stale_state(tmp_path / "pg") == []
            assert (tmp_path / "pg" / "postmaster.pid").exists()
            (tmp_path / "other" / "postmaster.pid").write_text(pidfile_text(pid, tmp_path))
            assert warehouse.clear_stale_state(tmp_path / "other") == ["postmaster.pid"]
    finally:
        for proc in (by_option, by_folder):
            proc.kill()
            proc.wait()


def test_an_unreadable_pid_is_kept_while_it_may_still_be_written(tmp_path):
    pidfile = tmp_path / "postmaster.pid"
    pidfile.write_text("")
    assert warehouse.clear_stale_state(tmp_path) == []
    old = time.time() - warehouse.PIDFILE_WRITE_GRACE_S - 5
    os.utime(pidfile, (old, old))
    assert warehouse.clear_stale_state(tmp_path) == ["postmaster.pid"]


def test_a_broken_handle_list_is_removed_a_good_one_kept(tmp_path):
    handles = tmp_path / ".handle_pids.json"
    handles.write_text("[12, 3")
    assert warehouse.clear_stale_state(tmp_path) == [".handle_pids.json"]
    handles.write_text("[12, 34]")
    assert warehouse.clear_stale_state(tmp_path) == []


@pytest.mark.filterwarnings("ignore:XDG_RUNTIME_DIR")
def test_a_server_that_does_not_stop_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("ANTT_HOME", str(tmp_path))
    pgdata = warehouse.embedded_pgdata()
    pgdata.mkdir()
    (pgdata / "postmaster.pid").write_text(pidfile_text(os.getpid(), pgdata))
    monkeypatch.setattr(warehouse, "_is_postmaster_of", lambda pid, folder: True)

    def pg_ctl(cmd, **kwargs):
        return subprocess.CompletedProcess(cmd, 1, "", "pg_ctl: server does not shut down\n")

    monkeypatch.setattr(warehouse.subprocess, "run", pg_ctl)
    with pytest.raises(WarehouseUnavailable, match="did not stop: pg_ctl: server does not shut"):
        warehouse.embedded_down()


def run_antt(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTT_")}
    env["ANTT_HOME"] = str(home)
    return subprocess.run(
        [str(ANTT), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_embedded_server_starts_and_stops_over_stale_files(tmp_path, sleeper, zombie):
    home = tmp_path / "home"
    pidfile = home / "pg" / "postmaster.pid"
    try:
        first = run_antt(home, "db", "url")
        assert first.returncode == 0, first.stderr
        assert run_antt(home, "db", "down").returncode == 0
        assert not pidfile.exists()

        # a pid reused by another program: before, a URL of a dead socket and a traceback
        pidfile.write_text(pidfile_text(sleeper.pid, home / "pg"))
        again = run_antt(home, "db", "url")
        assert again.returncode == 0, again.stderr
        with psycopg.connect(again.stdout.strip()) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        assert run_antt(home, "db", "down").stdout.strip() == "embedded warehouse stopped"
        assert sleeper.poll() is None

        # a server killed while starting (file cut short) whose process nobody reaped
        pidfile.write_text(pidfile_text(zombie, home / "pg", lines=5))
        (home / "pg" / ".handle_pids.json").write_text("[1")
        down = run_antt(home, "db", "down")
        assert down.stdout.strip() == "embedded warehouse was not running", down.stderr
        third = run_antt(home, "db", "url")
        assert third.returncode == 0, third.stderr
        assert "Traceback" not in third.stderr
    finally:
        run_antt(home, "db", "down")


def test_loader_threads_that_each_ask_for_the_embedded_warehouse_share_one_start(
    tmp_path, monkeypatch
):
    """Threads that resolve the embedded warehouse at once (as the loader's connections do) get
    the same URL; each used to start pgserver by itself, which failed in its get_uri."""
    import concurrent.futures

    monkeypatch.setenv("ANTT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ANTT_WAREHOUSE_URL", raising=False)
    try:
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            urls = list(pool.map(lambda _: warehouse.warehouse_url(), range(8)))
        assert len(set(urls)) == 1
        with psycopg.connect(urls[0]) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("antt",)
    finally:
        warehouse.embedded_down()
