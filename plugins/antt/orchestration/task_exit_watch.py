"""Free a Celery worker slot when its task process exits, not up to a heartbeat interval later.

Airflow's task supervisor (`ActivitySubprocess._monitor_subprocess`) loops until the task
process is reaped and its sockets are closed, blocking in `select` on those sockets for up to
`[workers] min_heartbeat_interval` seconds (an integer: 1 in this project's compose, 5 by
default). The kernel closes a process's sockets a moment before the process can be reaped, so
the supervisor often reads the last EOF, finds the process still running, and then sleeps in a
`select` that has nothing left to wake it: the whole interval, with the worker slot held. On the
Celery topology that was about 1 s after each task, paid by the next task queued for the slot
(bench/results/ingest_celery*.md, docs/decisions.md).

`install()` adds the task process's pidfd (Linux 5.3+) to the supervisor's selector for the
time of that loop: it becomes readable when the process exits, so the loop reaps it at once.
Where there is no pidfd the supervisor runs as Airflow ships it. Nothing else changes: the same
loop, heartbeats, log forwarding and exit handling.
"""

from __future__ import annotations

import contextlib
import functools
import os
import selectors

_INSTALLED = "_antt_exit_watch"


class ExitWatch:
    """A process's pidfd, as the selector and the supervisor's close handling want it."""

    def __init__(self, fd: int):
        self._fd = fd

    @classmethod
    def of(cls, pid: int) -> ExitWatch | None:
        try:
            return cls(os.pidfd_open(pid))
        except (AttributeError, OSError):  # not Linux, kernel before 5.3, or the pid is gone
            return None

    def fileno(self) -> int:
        return self._fd

    @property
    def closed(self) -> bool:
        return self._fd < 0

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _exited(_watch: ExitWatch) -> bool:
    return False  # readable once: the process has exited; the loop then reaps it


def watch_exit(monitor):
    """`_monitor_subprocess`, with the task process's exit among the events it waits for."""

    @functools.wraps(monitor)
    def monitor_with_exit_watch(self):
        watch = ExitWatch.of(self.pid)
        if watch is None:
            return monitor(self)

        def unregister(sock) -> None:
            with contextlib.suppress(KeyError, ValueError):  # already unregistered
                self.selector.unregister(sock)

        self.selector.register(watch, selectors.EVENT_READ, (_exited, unregister))
        try:
            return monitor(self)
        finally:
            if not watch.closed:
                unregister(watch)
                watch.close()

    setattr(monitor_with_exit_watch, _INSTALLED, True)
    return monitor_with_exit_watch


def install() -> None:
    """Patch Airflow's task supervisor in this process (idempotent)."""
    from airflow.sdk.execution_time.supervisor import ActivitySubprocess

    monitor = ActivitySubprocess._monitor_subprocess
    if not getattr(monitor, _INSTALLED, False):
        ActivitySubprocess._monitor_subprocess = watch_exit(monitor)
