"""A Celery worker slot is free when its task process exits (antt.orchestration.task_exit_watch):
Airflow's task supervisor, given a process that closed its sockets before exiting, returns when
the process exits instead of sleeping out `[workers] min_heartbeat_interval`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from unittest import mock

import psutil
import pytest
import structlog
from airflow.sdk.execution_time import supervisor
from airflow.sdk.execution_time.supervisor import ActivitySubprocess

from antt.orchestration import task_exit_watch

# closes the socket it shares with its supervisor, then keeps running a while: the moment
# between a task process's last EOF and its exit, drawn out so the test sees it every time
CHILD = "import os, sys, time; os.close(int(sys.argv[1])); time.sleep(float(sys.argv[2]))"
INTERVAL = 30  # the heartbeat interval the supervisor would otherwise sleep out


def supervised_child(linger: float) -> tuple[ActivitySubprocess, subprocess.Popen]:
    ours, theirs = socket.socketpair()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(theirs.fileno()), str(linger)],
        pass_fds=[theirs.fileno()],
    )
    theirs.close()
    proc = ActivitySubprocess(
        id=uuid.uuid4(),
        pid=child.pid,
        stdin=ours,
        process=supervisor.PsutilTracker(psutil.Process(child.pid)),
        process_log=structlog.get_logger("test"),
        client=mock.MagicMock(),
    )
    now = time.monotonic()
    proc._last_successful_heartbeat = proc._last_heartbeat_attempt = now  # no heartbeat is due

    def read(sock) -> bool:
        return bool(sock.recv(4096))

    proc._open_sockets[ours] = "stdout"
    proc.selector.register(ours, supervisor.selectors.EVENT_READ, (read, proc._on_socket_closed))
    return proc, child


def monitor(proc: ActivitySubprocess, monkeypatch, interval: int) -> float:
    monkeypatch.setattr(supervisor, "MIN_HEARTBEAT_INTERVAL", interval)
    started = time.monotonic()
    proc._monitor_subprocess()
    return time.monotonic() - started


def close(proc: ActivitySubprocess) -> None:
    proc.selector.close()  # what Airflow's `wait` does after the loop
    proc.stdin.close()


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


# Airflow's own loop, whether or not a module imported earlier in this process installed the watch
SHIPPED = getattr(
    ActivitySubprocess._monitor_subprocess, "__wrapped__", ActivitySubprocess._monitor_subprocess
)


@pytest.fixture
def watched(monkeypatch):
    monkeypatch.setattr(
        ActivitySubprocess, "_monitor_subprocess", task_exit_watch.watch_exit(SHIPPED)
    )


def test_without_the_watch_the_supervisor_sleeps_out_the_interval(monkeypatch):
    # what the watch is for: Airflow as shipped waits the whole interval once the sockets are
    # closed (2 s here) although the process exited after 0.2 s
    monkeypatch.setattr(ActivitySubprocess, "_monitor_subprocess", SHIPPED)
    proc, child = supervised_child(linger=0.2)
    elapsed = monitor(proc, monkeypatch, interval=2)
    assert proc._exit_code == 0
    assert elapsed >= 1.5, f"returned after {elapsed:.2f} s"
    close(proc)


def test_with_the_watch_the_supervisor_returns_when_the_process_exits(watched, monkeypatch):
    fds = open_fds()
    proc, child = supervised_child(linger=0.5)
    elapsed = monitor(proc, monkeypatch, interval=INTERVAL)
    assert proc._exit_code == 0
    assert elapsed < INTERVAL / 3, f"returned after {elapsed:.2f} s"
    assert not proc._open_sockets
    close(proc)
    assert open_fds() == fds  # the pidfd is closed


def test_a_process_already_exited_when_the_supervisor_starts_is_reaped(watched, monkeypatch):
    fds = open_fds()
    proc, child = supervised_child(linger=0.0)
    while psutil.Process(child.pid).status() != psutil.STATUS_ZOMBIE:
        time.sleep(0.01)
    assert monitor(proc, monkeypatch, interval=INTERVAL) < INTERVAL / 3
    assert proc._exit_code == 0
    close(proc)
    assert open_fds() == fds


def test_without_pidfd_the_supervisor_runs_as_airflow_ships_it(watched, monkeypatch):
    monkeypatch.setattr(task_exit_watch.ExitWatch, "of", classmethod(lambda cls, pid: None))
    proc, child = supervised_child(linger=0.0)
    monitor(proc, monkeypatch, interval=1)
    assert proc._exit_code == 0
    close(proc)


def test_a_starting_celery_worker_installs_the_watch_once():
    code = (
        "from airflow.sdk.execution_time.supervisor import ActivitySubprocess as A\n"
        "from celery.signals import worker_init\n"
        "import antt.orchestration.celery_worker\n"
        "from antt.orchestration import task_exit_watch\n"
        "shipped = A._monitor_subprocess\n"  # importing the configuration patches nothing
        "worker_init.send(sender=None)\n"
        "first = A._monitor_subprocess\n"
        "task_exit_watch.install()\n"
        "print(getattr(shipped, '_antt_exit_watch', False),"
        " getattr(first, '_antt_exit_watch', False), A._monitor_subprocess is first)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-3:] == ["False", "True", "True"]
