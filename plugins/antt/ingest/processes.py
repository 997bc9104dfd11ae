"""Lanes loaded by worker processes, each running `plan.run_lane_workers` threads.

Reading and validating a file is Python work: threads share one interpreter lock, so a threaded
load keeps one core busy in Python while the other mostly waits. Processes use every core.

The processes are forked, so they inherit the loader's code, the files' plan and the reference
data the parent loaded, and `load` may be any callable; only results and errors cross back, by
pipe. The lanes' order rules hold as with threads: a lane is taken whole by one worker and
loaded in order. The processes take the next lane from one shared counter, in the order given.

Failures. The first exception of a process stops the others after their current lane and is
raised here; a process that dies (killed, out of memory) is reported as such, and when this
process dies its loaders die with it (Linux). Every file is committed in its own transaction, so
a file being loaded by a process that dies is rolled back by the server and stays where it was
for the next run.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from antt.errors import AnttError
from antt.ingest.plan import run_lane_workers

T = TypeVar("T")
R = TypeVar("R")


class LoaderProcessDied(AnttError):
    """A loader process ended without saying it had finished (killed, out of memory)."""


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it survives a pickle round trip, else an AnttError saying it."""
    try:
        return pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own bytes, this process
    except Exception:  # noqa: BLE001 - any exception that cannot cross a pipe
        return AnttError(f"{type(exc).__name__}: {exc}")


def _die_with_parent(parent: int) -> None:
    """Linux: this process gets SIGKILL when the parent dies (a killed `antt ingest` takes its
    loaders with it, and their open transactions roll back); elsewhere, nothing."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


PR_SET_PDEATHSIG = 1


def _child(
    parent: int,
    groups: Sequence[Sequence[T]],
    load: Callable[[Any, T], R],
    threads: int,
    connect: Callable[[], AbstractContextManager],
    stop: Callable[[R], bool],
    shared,
    sender: Connection,
) -> None:
    _die_with_parent(parent)
    counter, stopping = shared

    def take() -> int | None:
        if stopping.is_set():
            return None
        with counter.get_lock():
            group = counter.value
            if group >= len(groups):
                return None
            counter.value = group + 1
        return group

    try:
        run_lane_workers(
            groups,
            take,
            load,
            threads,
            connect,
            stop,
            lambda group, result: sender.send(("result", group, result)),
        )
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        sender.send(("failed", _portable(exc)))
    else:
        sender.send(("done",))
    finally:
        sender.close()


def load_lanes_in_processes(
    groups: Sequence[Sequence[T]],
    load: Callable[[Any, T], R],
    processes: int,
    threads: int,
    connect: Callable[[], AbstractContextManager],
    stop: Callable[[R], bool] = lambda _: False,
    on_done: Callable[[R], None] | None = None,
) -> list[list[R]]:
    """`plan.load_lanes` over `processes` forked processes of `threads` connections each.
    `on_done` runs in this process, one result at a time, as results arrive."""
    context = multiprocessing.get_context("fork")
    shared = (context.Value("i", 0), context.Event())
    readers: dict[Connection, multiprocessing.process.BaseProcess] = {}
    for _ in range(max(1, min(processes, len(groups)))):
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(
            target=_child,
            args=(os.getpid(), groups, load, threads, connect, stop, shared, writer),
            daemon=True,
        )
        process.start()
        writer.close()  # the child's end: EOF here once the child has gone
        readers[reader] = process
    results: list[list[R]] = [[] for _ in groups]
    failures: list[BaseException] = []
    finished: set[int] = set()
    try:
        while readers:
            for reader in wait(list(readers)):
                process = readers[reader]
                try:
                    message = reader.recv()
                except EOFError:
                    del readers[reader]
                    reader.close()
                    process.join()
                    if process.pid not in finished:
                        shared[1].set()
                        failures.append(
                            LoaderProcessDied(
                                f"a loader process ended unexpectedly (exit code "
                                f"{process.exitcode}); the file it was loading was rolled back "
                                "and stays for the next run"
                            )
                        )
                    continue
                if message[0] == "result":
                    results[message[1]].append(message[2])
                    if on_done is not None:
                        on_done(message[2])
                elif message[0] == "failed":
                    shared[1].set()
                    failures.append(message[1])
                    finished.add(process.pid)
                else:
                    finished.add(process.pid)
    except BaseException:
        shared[1].set()
        for process in readers.values():
            process.terminate()
        raise
    finally:
        for reader, process in readers.items():
            process.join()
            reader.close()
    if failures:
        raise failures[0]
    return results


__all__ = ["LoaderProcessDied", "load_lanes_in_processes"]
