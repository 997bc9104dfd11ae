"""The reviewed crosswalk old commune -> new unit(s), committed in the repository; its readers."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from antt.config import INCLUDE_DIR
from antt.errors import AnttError

CROSSWALK_CSV = INCLUDE_DIR / "reference" / "commune_crosswalk_2025.csv"
CROSSWALK_HEADER = ("old_commune_code", "new_commune_code", "relation")
RELATIONS = ("WHOLE", "SPLIT")


@dataclass(frozen=True, order=True)
class CrosswalkRow:
    old_commune_code: str
    new_commune_code: str
    relation: str  # WHOLE: all of the old commune went into this unit; SPLIT: a part of it


def with_relations(pairs: Iterable[tuple[str, str]]) -> list[CrosswalkRow]:
    """Rows for (old, new) pairs: WHOLE when the old commune has one successor, else SPLIT."""
    successors: dict[str, set[str]] = defaultdict(set)
    for old, new in pairs:
        successors[old].add(new)
    return sorted(
        CrosswalkRow(old, new, "WHOLE" if len(news) == 1 else "SPLIT")
        for old, news in successors.items()
        for new in news
    )


def write_crosswalk(rows: Iterable[CrosswalkRow], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(CROSSWALK_HEADER)
        writer.writerows((r.old_commune_code, r.new_commune_code, r.relation) for r in sorted(rows))


def read_crosswalk(path: Path = CROSSWALK_CSV) -> list[CrosswalkRow]:
    try:
        fh = path.open(encoding="utf-8", newline="")
    except FileNotFoundError as exc:
        raise AnttError(
            f"không có tệp bảng chuyển đổi {path} / the crosswalk file {path} is missing"
        ) from exc
    with fh:
        reader = csv.reader(fh)
        if tuple(next(reader, ())) != CROSSWALK_HEADER:
            raise AnttError(
                f"{path}: tiêu đề phải là {','.join(CROSSWALK_HEADER)}"
                f" / the header must be {','.join(CROSSWALK_HEADER)}"
            )
        rows = []
        for line, fields in enumerate(reader, start=2):
            if len(fields) != 3 or fields[2] not in RELATIONS:
                raise AnttError(f"{path}:{line}: dòng không hợp lệ / invalid row {fields}")
            rows.append(CrosswalkRow(*fields))
    return rows


@lru_cache(maxsize=1)
def _committed() -> tuple[CrosswalkRow, ...]:
    return tuple(read_crosswalk())


def crosswalk_rows(new_province_code: str | None = None) -> list[CrosswalkRow]:
    """The committed crosswalk, or its rows whose new unit lies in one new province."""
    from antt.units.lists import new_unit

    rows = _committed()
    if new_province_code is None:
        return list(rows)
    return [r for r in rows if new_unit(r.new_commune_code).province_code == new_province_code]


def successors(old_commune_code: str) -> list[CrosswalkRow]:
    """Where an old commune went on 2025-07-01 (one WHOLE row, or one SPLIT row per unit)."""
    return [r for r in _committed() if r.old_commune_code == old_commune_code]


def predecessors(new_commune_code: str) -> list[CrosswalkRow]:
    """The old communes a new unit was formed from."""
    return [r for r in _committed() if r.new_commune_code == new_commune_code]
