"""Which files may load side by side: files that share a scope or their bytes never do.

Loads of one scope must be accepted in the order given (the later version replaces the
earlier), `su_vu` files of one territory must follow each other (each is checked against earlier
earlier incidents), and of two files with equal bytes the first given is the one accepted. So files
are grouped by connected scope lock and SHA-256; a group is loaded in order by one worker, and
different groups load in parallel (the database locks would keep them correct anyway; the grouping
keeps the outcome the same as a one-by-one load).
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from antt.ingest.filename import FileNameError, parse_file_name
from antt.ingest.loader import scope_lock_text


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return f"unreadable:{path}"
    return digest.hexdigest()


def ordered_groups(files: list[Path]) -> list[list[int]]:
    """Indexes of `files` in groups that must load one after the other, each in input order."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    roots: list[str] = []
    for path in files:
        keys = [f"sha:{_sha256(path)}"]
        with contextlib.suppress(FileNameError):
            keys.append(f"scope:{scope_lock_text(parse_file_name(path.name))}")
        first = find(keys[0])
        for key in keys[1:]:
            parent[find(key)] = first
        roots.append(keys[0])
    groups: dict[str, list[int]] = {}
    for index, key in enumerate(roots):
        groups.setdefault(find(key), []).append(index)
    # Biggest groups first, so the workers finish at about the same time.
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))
