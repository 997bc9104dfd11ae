"""The two official lists: old communes (until 2025-06-30) and new units (from 2025-07-01)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, order=True)
class OldCommune:
    code: str  # 5 digits, e.g. "29386"
    name: str  # "Xã Lương Hòa A"
    short: str  # "Lương Hòa A"
    kind: str  # "Xã", "Phường", "Thị trấn"
    district_code: str
    district_name: str  # "Huyện Châu Thành"
    province_code: str


@dataclass(frozen=True, order=True)
class NewUnit:
    code: str  # official GSO code from vietnam-provinces, e.g. "29386"
    name: str  # "Xã Song Lộc"
    short: str  # "Song Lộc"
    kind: str  # "Xã", "Phường", "Đặc khu"
    province_code: str


@lru_cache(maxsize=1)
def _old_lists() -> tuple[dict[str, str], dict[str, OldCommune], dict[str, str]]:
    from antt.bootstrap import read_admin_units

    provinces, districts, communes = read_admin_units()
    district_names = {code: name for code, _province, name, _short, _kind in districts}
    by_code = {
        code: OldCommune(code, name, short, kind, district, district_names[district], province)
        for code, district, province, name, short, kind in communes
    }
    district_province = {code: province for code, province, *_rest in districts}
    return {code: name for code, name, _short in provinces}, by_code, district_province


@lru_cache(maxsize=1)
def _new_lists() -> tuple[dict[str, str], dict[str, NewUnit]]:
    from antt.bootstrap import read_units_2025

    provinces, communes = read_units_2025()
    by_code = {
        code: NewUnit(code, name, short, kind, province)
        for code, province, name, short, kind in communes
    }
    return {code: name for code, name, _kind in provinces}, by_code


def old_province_names() -> dict[str, str]:
    """Province code -> name of the 63 provinces valid until 2025-06-30."""
    return dict(_old_lists()[0])


def new_province_names() -> dict[str, str]:
    """Province code -> name of the 34 provinces valid from 2025-07-01."""
    return dict(_new_lists()[0])


def old_communes(province_code: str | None = None) -> list[OldCommune]:
    """The 10,035 old communes (or those of one old province), sorted by code."""
    communes = _old_lists()[1].values()
    return sorted(c for c in communes if province_code in (None, c.province_code))


def new_units(province_code: str | None = None) -> list[NewUnit]:
    """The 3,321 new units (or those of one new province), sorted by code."""
    units = _new_lists()[1].values()
    return sorted(u for u in units if province_code in (None, u.province_code))


def old_district_province(district_code: str) -> str | None:
    """The province of an old district (3-digit code)."""
    return _old_lists()[2].get(district_code)


def old_commune(code: str) -> OldCommune | None:
    return _old_lists()[1].get(code)


def new_unit(code: str) -> NewUnit | None:
    return _new_lists()[1].get(code)
