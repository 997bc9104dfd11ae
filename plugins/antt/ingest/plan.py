"""The load plan: which files are finished, and which must load one after the other (lanes).

`antt ingest` and the antt_ingest DAG both plan with this module.

Order. Files that share a lane load one after the other, in the order given (sorted path order
for a folder); files of different lanes may load side by side:
- files of one scope (`loader.scope_lock_text`: unit, dataset, period; for `su_vu` the territory
  across periods and units, since an incident opened by one unit may be updated by its successor):
  a correction replaces the earlier file of its scope only when it is accepted after it, and an
  incident updated in June is "new" unless May was accepted first;
- files with the same bytes: the first is accepted and the others are its duplicates.
Lanes join transitively (union-find over both keys). A file whose name does not parse is its own
lane unless its bytes join it to another (the loader rejects it with the reason).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from antt.ingest.filename import FileNameError, parse_file_name
from antt.ingest.loader import scope_lock_text

T = TypeVar("T")
R = TypeVar("R")

# Names an uploader or an editor leaves while a file is still being written.
PARTIAL_PREFIXES = (".", "~$")
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".swp")


def is_finished(path: Path, root: Path) -> bool:
    """Whether an entry `_walk` found under `root` is a finished file: not hidden, not an
    editor's lock file, not an upload in progress. Symlinks, FIFOs and devices count (without
    being followed or opened): the loader refuses them and sets them aside."""
    rel = path.relative_to(root)
    if any(part.startswith(PARTIAL_PREFIXES) for part in rel.parts):
        return False
    return not path.name.lower().endswith(PARTIAL_SUFFIXES)


def _walk(folder: Path) -> list[Path]:
    """Entries under `folder`, never following a symlink (a symlink to a folder is an entry)."""
    found: list[Path] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            path = Path(entry.path)
            found.extend(_walk(path) if entry.is_dir(follow_symlinks=False) else [path])
    return found


def finished_files(folder: Path) -> list[Path]:
    """Every finished file under `folder`, in sorted relative-path order."""
    if not folder.is_dir() or folder.is_symlink():
        return []
    found = (p for p in _walk(folder) if is_finished(p, folder))
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _regular_size(path: Path) -> int | str:
    """The size of a regular file, or the key of an entry that is never opened: a FIFO would
    block, and the loader reports an unreadable file (here it only needs a key of its own)."""
    try:
        info = path.lstat()
    except OSError:
        return f"unreadable:{path}"
    return info.st_size if stat.S_ISREG(info.st_mode) else f"special:{path}"


def _bytes_keys(files: list[Path]) -> list[str]:
    """A key per file, equal for files with the same bytes. Only files whose size another file
    shares are hashed: the loader reads and hashes every file again, and a plan of the national
    year (756 files) would otherwise read them all twice."""
    sizes = [_regular_size(path) for path in files]
    shared = Counter(size for size in sizes if isinstance(size, int))
    keys = []
    for path, size in zip(files, sizes, strict=True):
        if not isinstance(size, int):
            keys.append(size)
        elif shared[size] == 1:
            keys.append(f"size:{size}")  # no other file has this size: bytes of its own
        else:
            try:
                keys.append(f"sha:{sha256_file(path)}")
            except OSError:
                keys.append(f"unreadable:{path}")
    return keys


def lanes(files: list[Path]) -> list[list[int]]:
    """Indexes of `files` in lanes, each lane in input order (its `su_vu` files in period order,
    `_su_vu_in_period_order`), lanes in order of their first file."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    firsts: list[str] = []
    su_vu_periods: dict[int, str] = {}
    for index, (path, bytes_key) in enumerate(zip(files, _bytes_keys(files), strict=True)):
        keys = [bytes_key]
        with contextlib.suppress(FileNameError):
            name = parse_file_name(path.name)
            keys.append(f"scope:{scope_lock_text(name)}")
            if name.dataset == "su_vu":
                su_vu_periods[index] = name.period
        first = find(keys[0])
        for key in keys[1:]:
            parent[find(key)] = first
        firsts.append(keys[0])
    grouped: dict[str, list[int]] = {}
    for index, key in enumerate(firsts):
        grouped.setdefault(find(key), []).append(index)
    return [_su_vu_in_period_order(lane, files, su_vu_periods) for lane in grouped.values()]


def _su_vu_in_period_order(
    lane: list[int], files: list[Path], periods: dict[int, str]
) -> list[int]:
    """The lane with its `su_vu` files in period order inside each folder (a delivery), on the
    places su_vu files held: an incident's update loads after the month that opened it, even
    when the updating unit's name sorts first (a successor CAT86 before the commune CAX29392
    whose incident it updates). Folders keep their order (a later delivery loads after an
    earlier one); other files keep their places."""
    places = [n for n, index in enumerate(lane) if index in periods]
    folder_rank: dict[Path, int] = {}
    for index in lane:
        folder_rank.setdefault(files[index].parent, len(folder_rank))
    ordered = sorted(
        (lane[n] for n in places), key=lambda i: (folder_rank[files[i].parent], periods[i])
    )
    result = list(lane)
    for place, index in zip(places, ordered, strict=True):
        result[place] = index
    return result


def load_order(files: list[Path]) -> list[int]:
    """Indexes of `files` in the order a one-by-one load takes them: the given order, with each
    lane's files put in its order on the places they hold (su_vu by period)."""
    order = list(range(len(files)))
    for lane in lanes(files):
        for place, index in zip(sorted(lane), lane, strict=True):
            order[place] = index
    return order


@dataclass
class LoadPlan:
    lanes: list[list[str]] = field(default_factory=list)
    deferred: int = 0  # files beyond the per-run limit, left for the next run

    @property
    def paths(self) -> list[str]:
        return [p for lane in self.lanes for p in lane]


def plan_loads(landing: Path, limit: int) -> LoadPlan:
    """The finished files of the landing folder in lanes, at most `limit` of them: each of the
    first `limit` files in sorted path order takes the next file of its lane, so a lane cut by
    the limit keeps its earlier files and leaves the rest, in order, for the next run (never a
    later file without its earlier ones, even where a lane's order is not path order)."""
    files = finished_files(landing)
    file_lanes = lanes(files)
    lane_of = {i: n for n, lane in enumerate(file_lanes) for i in lane}
    taken = [0] * len(file_lanes)
    for i in range(min(limit, len(files))):
        taken[lane_of[i]] += 1
    return LoadPlan(
        lanes=[
            [str(files[i]) for i in lane[:n]]
            for lane, n in zip(file_lanes, taken, strict=True)
            if n
        ],
        deferred=max(0, len(files) - limit),
    )


# A file's fixed cost (its transaction, register, locks, reading), in bytes of CSV that take as
# long: outside validation a long national file cost 1.9 ms of loader CPU, against 4.3 ms to
# validate and send its 86 KB (one timing of each phase over 200 files): about 38 KB.
FILE_COST_BYTES = 38_000


def lane_weight(lane: Sequence[str]) -> int:
    """What loading a lane costs, in bytes: its files' sizes plus a fixed cost per file."""
    total = 0
    for path in lane:
        size = _regular_size(Path(path))
        total += (size if isinstance(size, int) else 0) + FILE_COST_BYTES
    return total


def batches(
    lanes: list[list[str]], count: int, weight: Callable[[list[str]], int] = len
) -> list[list[list[str]]]:
    """The lanes dealt into at most `count` batches of about equal weight (by default the file
    count; heaviest lane first, each to the lightest batch); a lane stays whole and keeps its
    order."""
    if count < 1:
        raise ValueError("count must be at least 1")
    loads: list[list[list[str]]] = [[] for _ in range(min(count, len(lanes)))]
    totals = [0] * len(loads)
    weighted = sorted(((weight(lane), lane) for lane in lanes), key=lambda x: x[0], reverse=True)
    for lane_cost, lane in weighted:
        lightest = totals.index(min(totals))
        loads[lightest].append(lane)
        totals[lightest] += lane_cost
    return loads


def load_lanes(
    groups: Sequence[Sequence[T]],
    load: Callable[[Any, T], R],
    workers: int,
    connect: Callable[[], AbstractContextManager],
    stop: Callable[[R], bool] = lambda _: False,
    on_done: Callable[[R], None] | None = None,
) -> list[list[R]]:
    """Each group's items loaded in order, up to `workers` groups side by side, each worker on a
    connection of its own (`connect()`) taking the next group in the order given. A result for
    which `stop` is true ends its group (the rest waits for the next run); `on_done` sees every
    result, one at a time. The first exception of any worker stops the others after their
    current group and is raised here. Results come back per group, in the groups' order."""
    results: list[list[R]] = [[] for _ in groups]
    pending = list(reversed(range(len(groups))))

    def record(group: int, result: R) -> None:
        results[group].append(result)
        if on_done is not None:
            on_done(result)

    run_lane_workers(
        groups,
        lambda: pending.pop() if pending else None,
        load,
        workers,
        connect,
        stop,
        record,
    )
    return results


def run_lane_workers(
    groups: Sequence[Sequence[T]],
    take: Callable[[], int | None],
    load: Callable[[Any, T], R],
    workers: int,
    connect: Callable[[], AbstractContextManager],
    stop: Callable[[R], bool],
    record: Callable[[int, R], None],
) -> None:
    """The threads of `load_lanes`: each takes the index of its next group from `take()` (None:
    no more) and hands each result to `record(group, result)`; both are called under one lock.
    The first exception stops the other threads after their current group and is raised here."""
    import threading

    lock = threading.Lock()
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            with connect() as conn:
                while True:
                    with lock:
                        group = None if failures else take()
                    if group is None:
                        return
                    for item in groups[group]:
                        result = load(conn, item)
                        with lock:
                            record(group, result)
                        if stop(result):
                            break
        except BaseException as exc:  # re-raised in the caller's thread
            with lock:
                failures.append(exc)

    threads = [
        threading.Thread(target=worker, daemon=True) for _ in range(min(workers, len(groups)))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
