"""A province as it exists since 1 July 2025: its units, the old provinces it absorbed, and the
lineage old commune -> new unit (WHOLE / SPLIT) that the crosswalk gives."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from antt.errors import AnttError
from antt.sample.units import Commune, Province, load_province

WHOLE, SPLIT = "WHOLE", "SPLIT"


@dataclass(frozen=True)
class Lineage:
    old_code: str
    new_code: str
    relation: str  # WHOLE / SPLIT


@dataclass(frozen=True)
class NewProvince:
    code: str
    name: str
    units: tuple[Commune, ...]  # district_code is "" (no districts since 2025-07-01)
    old_provinces: tuple[Province, ...]
    lineage: tuple[Lineage, ...]

    @cached_property
    def by_code(self) -> dict[str, Commune]:
        return {u.code: u for u in self.units}

    def unit(self, code: str) -> Commune:
        return self.by_code[code]

    @cached_property
    def old_communes(self) -> dict[str, Commune]:
        return {c.code: c for p in self.old_provinces for c in p.communes}

    @cached_property
    def predecessors(self) -> dict[str, tuple[Lineage, ...]]:
        out: dict[str, list[Lineage]] = {}
        for row in self.lineage:
            out.setdefault(row.new_code, []).append(row)
        return {code: tuple(rows) for code, rows in out.items()}

    @cached_property
    def successors(self) -> dict[str, tuple[Lineage, ...]]:
        out: dict[str, list[Lineage]] = {}
        for row in self.lineage:
            out.setdefault(row.old_code, []).append(row)
        return {code: tuple(rows) for code, rows in out.items()}

    def old_province_of(self, old_code: str) -> Province:
        for p in self.old_provinces:
            if any(c.code == old_code for c in p.communes):
                return p
        raise KeyError(old_code)


def _units_2025(province: str) -> tuple[str, tuple[Commune, ...]]:
    from antt.bootstrap import read_units_2025

    provinces, communes = read_units_2025()
    names = {code: name for code, name, _kind in provinces}
    if province not in names:
        raise AnttError(
            f"không có tỉnh mã {province!r} từ 01/07/2025 / no province {province!r} "
            "from 1 July 2025"
        )
    units = tuple(
        Commune(code, name, short, kind, "")
        for code, prov, name, short, kind in sorted(communes)
        if prov == province
    )
    return names[province], units


def crosswalk_rows(province: str) -> list[tuple[str, str, str]]:
    """(old commune code, new unit code, relation) of the reviewed crosswalk, for the new units of
    `province`."""
    import csv
    import os

    with open(os.environ["ANTT_SAMPLE_CROSSWALK"], encoding="utf-8") as fh:  # TEMPORARY

        def load_reviewed_crosswalk():
            return [tuple(r) for r in csv.reader(fh)]

        units = {u.code for u in _units_2025(province)[1]}
        return [r for r in load_reviewed_crosswalk() if r[1] in units]


def load_new_province(code: str, rows: Iterable[tuple[str, str, str]] | None = None) -> NewProvince:
    """The new province `code` with the old provinces whose communes went into it."""
    name, units = _units_2025(code)
    lineage = tuple(
        Lineage(o, n, r) for o, n, r in sorted(crosswalk_rows(code) if rows is None else rows)
    )
    # The old province of a commune is not in its code: find it in the old list.
    old_codes = {row.old_code for row in lineage}
    old_provinces = tuple(load_province(p) for p in _old_province_codes(old_codes))
    return NewProvince(code, name, units, old_provinces, lineage)


def _old_province_codes(old_codes: set[str]) -> list[str]:
    import sqlite3

    from antt.sample.units import _dataset_db

    with sqlite3.connect(f"file:{_dataset_db()}?mode=ro", uri=True) as lite:
        rows = lite.execute(
            "SELECT DISTINCT provinceCode, wardCode FROM admin_units_legacy"
            " WHERE wardCode IS NOT NULL"
        ).fetchall()
    return sorted({p for p, w in rows if w in old_codes}, key=int)
