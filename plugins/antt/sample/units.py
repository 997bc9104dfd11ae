"""Reference data the generator needs: a province's official units and the indicator list."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field

from antt.config import SEEDS_DIR
from antt.errors import AnttError
from antt.units.sources import admin_units


@dataclass(frozen=True)
class Commune:
    code: str  # 5-digit GSO code
    name: str  # full official name, e.g. "Xã Hòa Minh"
    short: str  # without the type prefix, e.g. "Hòa Minh"
    kind: str  # "Xã", "Phường" or "Thị trấn"
    district_code: str


@dataclass(frozen=True)
class District:
    code: str
    name: str  # e.g. "Huyện Châu Thành"
    short: str  # e.g. "Châu Thành"; vietnamadminunits disambiguates some: "Duyên Hải (Huyện)"
    kind: str  # "Huyện", "Thị xã", "Thành phố", "Quận"
    communes: tuple[Commune, ...] = field(default=())

    @property
    def unit(self) -> str:
        return f"CAH{self.code}"

    @property
    def xa(self) -> tuple[Commune, ...]:
        return tuple(c for c in self.communes if c.kind == "Xã")

    @property
    def police_title(self) -> str:
        """How the district police write their name on a report, e.g. CÔNG AN HUYỆN CHÂU THÀNH."""
        plain = self.name.split(" (")[0]
        return f"CÔNG AN {plain}".upper()


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    districts: tuple[District, ...]

    @property
    def communes(self) -> tuple[Commune, ...]:
        return tuple(c for d in self.districts for c in d.communes)

    def commune(self, code: str) -> Commune:
        for c in self.communes:
            if c.code == code:
                return c
        raise KeyError(code)

    def district(self, code: str) -> District:
        for d in self.districts:
            if d.code == code:
                return d
        raise KeyError(code)


def load_province(code: str) -> Province:
    """The province's districts and communes from the pre-2025 list (admin_units_legacy)."""
    with admin_units() as lite:
        rows = lite.execute(
            "SELECT province, districtCode, district, districtShort, districtType,"
            " wardCode, ward, wardShort, wardType FROM admin_units_legacy"
            " WHERE provinceCode = ? AND wardCode IS NOT NULL ORDER BY districtCode, wardCode",
            (code,),
        ).fetchall()
    if not rows:
        raise AnttError(
            f"không có tỉnh mã {code!r} / unknown province code {code!r} (2 digits, e.g. 84)"
        )
    districts: dict[str, tuple[tuple, list[Commune]]] = {}
    for _prov, dcode, dname, dshort, dtype, wcode, wname, wshort, wtype in rows:
        head, communes = districts.setdefault(dcode, ((dname, dshort, dtype), []))
        communes.append(Commune(wcode, wname, wshort, wtype, dcode))
    return Province(
        code=code,
        name=rows[0][0],
        districts=tuple(
            District(dcode, head[0], head[1], head[2], tuple(communes))
            for dcode, (head, communes) in sorted(districts.items())
        ),
    )


@dataclass(frozen=True)
class Indicator:
    code: str
    group: str


def load_indicators() -> tuple[Indicator, ...]:
    with (SEEDS_DIR / "indicators.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(Indicator(r["ma_chi_tieu"], r["nhom"]) for r in csv.DictReader(fh))


TTXH_GROUP = "TTXH"
TNXH_GROUP = "TE_NAN_XA_HOI"
