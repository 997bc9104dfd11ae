"""A province as it exists since 1 July 2025: its units, the old provinces it absorbed, and the
lineage old commune -> new unit (WHOLE / SPLIT) that the crosswalk gives."""

from __future__ import annotations

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
        return _lineage_by(self.lineage, "new_code")

    @cached_property
    def successors(self) -> dict[str, tuple[Lineage, ...]]:
        return _lineage_by(self.lineage, "old_code")

    def old_province_of(self, old_code: str) -> Province:
        for p in self.old_provinces:
            if any(c.code == old_code for c in p.communes):
                return p
        raise KeyError(old_code)


def _units_2025(province: str) -> tuple[str, tuple[Commune, ...]]:
    from antt import units

    names = units.new_province_names()
    if province not in names:
        raise AnttError(
            f"không có tỉnh mã {province!r} từ 01/07/2025 / no province {province!r} "
            "from 1 July 2025"
        )
    return names[province], tuple(
        Commune(u.code, u.name, u.short, u.kind, "") for u in units.new_units(province)
    )


def load_new_province(code: str) -> NewProvince:
    """The new province `code`, the old provinces it absorbed and the reviewed crosswalk."""
    from antt import units

    name, new_units = _units_2025(code)
    lineage = tuple(
        Lineage(r.old_commune_code, r.new_commune_code, r.relation)
        for r in units.crosswalk_rows(code)
    )
    old_provinces = tuple(load_province(p) for p in units.old_provinces_of(code))
    return NewProvince(code, name, new_units, old_provinces, lineage)


def _lineage_by(lineage, code: str) -> dict[str, tuple[Lineage, ...]]:
    """The lineage rows grouped by their `code` field ("new_code" or "old_code"), in order."""
    out: dict[str, list[Lineage]] = {}
    for row in lineage:
        out.setdefault(getattr(row, code), []).append(row)
    return {key: tuple(rows) for key, rows in out.items()}
