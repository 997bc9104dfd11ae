"""Which list of units a period uses, and which new province took over an old one."""

from __future__ import annotations

from functools import lru_cache

# Months from 2025-07 and years from 2025 use the new codes; earlier periods the old ones.
BOUNDARY_MONTH = "2025-07"
BOUNDARY_YEAR = 2025
# District police report up to 2025-02; commune police from 2025-03.
COMMUNE_POLICE_FROM = "2025-03"


def is_month(period: str) -> bool:
    return len(period) == 7


def uses_new_codes(period: str) -> bool:
    """`2025-06` and `2024` → old codes; `2025-07` and `2025` → new codes."""
    if is_month(period):
        return period >= BOUNDARY_MONTH
    return int(period) >= BOUNDARY_YEAR


@lru_cache(maxsize=1)
def _absorbing() -> dict[str, str]:
    from antt.units.crosswalk import crosswalk_rows
    from antt.units.lists import new_unit, old_commune

    return {
        old_commune(r.old_commune_code).province_code: new_unit(r.new_commune_code).province_code
        for r in crosswalk_rows()
    }


def read_static_lists() -> None:
    """Read both official lists and the crosswalk now (each is read once per process): a
    process about to fork does it once for all its children."""
    from antt.units.lists import _new_lists, _old_lists

    _old_lists()
    _new_lists()
    _absorbing()


def absorbing_province(old_province_code: str) -> str | None:
    """The new province whose units succeed the old province's communes (84 → 86)."""
    return _absorbing().get(old_province_code)


def old_provinces_of(new_province_code: str) -> list[str]:
    """The old provinces a new one absorbed (86 → 83, 84, 86)."""
    return sorted(old for old, new in _absorbing().items() if new == new_province_code)


def successor_province_of_unit(kind: str, area_code: str) -> str | None:
    """The province valid from 2025-07-01 that a reporting unit's area lies in (CAH847 → 86,
    CAX29392 → 86, CAT84 → 86, CAT86 → 86); None for an unknown unit."""
    from antt.units.lists import new_province_names, new_unit, old_commune, old_district_province

    if kind == "CAH":
        province = old_district_province(area_code)
        return absorbing_province(province) if province else None
    if kind == "CAX":
        old = old_commune(area_code)
        if old is not None:
            return absorbing_province(old.province_code)
        new = new_unit(area_code)
        return new.province_code if new else None
    if area_code in new_province_names():
        return area_code
    return absorbing_province(area_code)
