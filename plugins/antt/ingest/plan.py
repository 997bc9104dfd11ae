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
from dataclasses import dataclass, field
from pathlib import Path

from antt.ingest.filename import FileNameError, parse_file_name
from antt.ingest.loader import scope_lock_text

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


def _bytes_key(path: Path) -> str:
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return f"special:{path}"  # never opened (a FIFO would block): a lane of its own
        return f"sha:{sha256_file(path)}"
    except OSError:  # the loader reports it; here it only needs a key of its own
        return f"unreadable:{path}"


def lanes(files: list[Path]) -> list[list[int]]:
    """Indexes of `files` in lanes, each lane in input order, lanes in order of their first file."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    firsts: list[str] = []
    for path in files:
        keys = [_bytes_key(path)]
        with contextlib.suppress(FileNameError):
            keys.append(f"scope:{scope_lock_text(parse_file_name(path.name))}")
        first = find(keys[0])
        for key in keys[1:]:
            parent[find(key)] = first
        firsts.append(keys[0])
    grouped: dict[str, list[int]] = {}
    for index, key in enumerate(firsts):
        grouped.setdefault(find(key), []).append(index)
    return list(grouped.values())


@dataclass
class LoadPlan:
    lanes: list[list[str]] = field(default_factory=list)
    deferred: int = 0  # files beyond the per-run limit, left for the next run

    @property
    def paths(self) -> list[str]:
        return [p for lane in self.lanes for p in lane]


def plan_loads(landing: Path, limit: int) -> LoadPlan:
    """The finished files of the landing folder in lanes: the first `limit` files in sorted path
    order; a lane cut by the limit keeps its earlier files and leaves the rest, in order, for the
    next run (never a later file without its earlier ones)."""
    files = finished_files(landing)
    lane_of = {i: n for n, lane in enumerate(lanes(files)) for i in lane}
    plan = LoadPlan()
    taken: dict[int, list[str]] = {}
    cut: set[int] = set()
    count = 0
    for i, path in enumerate(files):
        lane = lane_of[i]
        if count >= limit or lane in cut:
            cut.add(lane)
            plan.deferred += 1
            continue
        taken.setdefault(lane, []).append(str(path))
        count += 1
    plan.lanes = list(taken.values())
    return plan


def batches(lanes: list[list[str]], count: int) -> list[list[list[str]]]:
    """The lanes dealt into at most `count` batches of about equal file counts (longest lane
    first, each to the lightest batch); a lane stays whole and keeps its order."""
    if count < 1:
        raise ValueError("count must be at least 1")
    loads: list[list[list[str]]] = [[] for _ in range(min(count, len(lanes)))]
    sizes = [0] * len(loads)
    for lane in sorted(lanes, key=len, reverse=True):
        lightest = sizes.index(min(sizes))
        loads[lightest].append(lane)
        sizes[lightest] += len(lane)
    return loads
