"""The sample's ground truth: what every unit reports, before it is written to files.

`World` holds the effective data the warehouse must end up with (after corrections and with the
provincial values where the province reported), plus the superseded variants that only the
first-batch files carry. The renderer writes files from it; the evaluator computes the expected
criteria statuses from it.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import date

from antt.sample.units import TNXH_GROUP, TTXH_GROUP, Commune, Indicator, Province

MonthKey = tuple[str, int, int]  # (ma_xa, year, month)
Values = dict[str, int | None]  # indicator code -> count (None = blank cell, "not reported")

TTXH_WEIGHTS = {
    "TP_TROM_CAP_TAI_SAN": 35,
    "TP_CO_Y_GAY_THUONG_TICH": 15,
    "TP_DANH_BAC": 15,
    "TP_LUA_DAO": 10,
    "TP_TTXH_KHAC": 8,
    "TP_CUOP_GIAT_TAI_SAN": 5,
    "TP_LAM_DUNG_TIN_NHIEM": 4,
    "TP_CUONG_DOAT_TAI_SAN": 3,
    "TP_CUOP_TAI_SAN": 2,
    "TP_HIEP_DAM": 1,
}
TNXH_WEIGHTS = {"TNXH_DANH_BAC": 45, "TNXH_NGHIEN_MA_TUY_MOI": 40, "TNXH_MAI_DAM": 15}
# Chance per commune-month of one case in the groups no criterion reads.
OTHER_RATES = {
    "TP_MA_TUY": 0.06,
    "TP_KINH_TE": 0.02,
    "TP_MOI_TRUONG": 0.02,
    "TP_CONG_NGHE_CAO": 0.03,
    "TNGT_SO_VU": 0.15,
    "CHAY_NO_SO_VU": 0.05,
}


@dataclass
class SecurityModel:
    ma_mo_hinh: str
    ma_xa: str
    ten: str
    loai: str  # TU_QUAN / CAMERA_AN_NINH / PHONG_CHONG_TOI_PHAM / KHAC
    so_camera: int
    ngay_thanh_lap: date
    danh_gia: str  # HIEU_QUA / CHUA_HIEU_QUA
    hoat_dong: int


@dataclass
class Assessment:
    so_ap: int
    so_ap_an_toan: int
    xep_loai: str  # TOT / KHA / TRUNG_BINH / YEU
    tien_tien: int


@dataclass
class Registration:
    muc_da_dat: str
    nam_dat: int | None
    muc_dang_ky: str


@dataclass
class Incident:
    unit: str
    loai: str
    ma_xa: str
    start: date
    end: date | None  # the state the last file that carries it reports (None = still open)
    so_nguoi: int | None
    trai_phap_luat: int | None
    mo_ta: str
    ma_su_vu: str = ""  # numbered per unit when the world is finalised

    def active_in(self, year: int) -> bool:
        return self.start <= date(year, 12, 31) and (
            self.end is None or self.end >= date(year, 1, 1)
        )


@dataclass
class DistrictPlan:
    """How a district's unremarkable communes behave in the last year.

    trend: "cut" (social-order crime falls) or "flat" (it stays level).
    misses: commune code -> why it misses NTM_NANG_CAO ("no_camera", "tien_tien", "flat").
    """

    trend: str = "cut"
    misses: dict[str, str] = field(default_factory=dict)


class ProvinceUnits:
    """The provincial police and the coordination office of a world's `province`."""

    province: Province  # a NewProvince in World2025: anything with a `code`

    @property
    def provincial_unit(self) -> str:
        return f"CAT{self.province.code}"

    @property
    def office_unit(self) -> str:
        return f"VPDP{self.province.code}"


@dataclass
class World(ProvinceUnits):
    province: Province
    years: tuple[int, ...]
    indicators: tuple[Indicator, ...]
    values: dict[MonthKey, Values] = field(default_factory=dict)
    # What the district file says where the provincial unit reported the same commune-month.
    district_reported: dict[MonthKey, Values] = field(default_factory=dict)
    provincial_months: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    # First-batch values of district chi_tieu scopes that the second batch corrects.
    superseded_values: dict[MonthKey, Values] = field(default_factory=dict)
    corrected_chi_tieu: set[tuple[str, int, int]] = field(default_factory=set)
    registers: dict[tuple[str, int], list[SecurityModel]] = field(default_factory=dict)
    assessments: dict[tuple[str, int], Assessment] = field(default_factory=dict)
    superseded_assessments: dict[tuple[str, int], Assessment] = field(default_factory=dict)
    corrected_danh_gia: set[tuple[str, int]] = field(default_factory=set)
    registrations: dict[tuple[str, int], Registration] = field(default_factory=dict)
    incidents: list[Incident] = field(default_factory=list)
    superseded_incidents: list[Incident] = field(default_factory=list)
    corrected_su_vu: set[tuple[str, int, int]] = field(default_factory=set)
    # Commune codes whose data a scenario defines; background incidents keep away from them.
    reserved: set[str] = field(default_factory=set)

    @property
    def last(self) -> int:
        return self.years[-1]

    @property
    def previous(self) -> int | None:
        return self.years[-2] if len(self.years) > 1 else None

    def unit_of(self, ma_xa: str) -> str:
        return f"CAH{self.province.commune(ma_xa).district_code}"

    def group_codes(self, group: str) -> list[str]:
        return [i.code for i in self.indicators if i.group == group]

    def commune_register(self, ma_xa: str, year: int) -> list[SecurityModel]:
        return self.registers.setdefault((self.unit_of(ma_xa), year), [])

    def models_of(self, unit: str, year: int, ma_xa: str) -> list[SecurityModel]:
        return [m for m in self.registers.get((unit, year), []) if m.ma_xa == ma_xa]

    def set_year_counts(
        self,
        ma_xa: str,
        year: int,
        ttxh: int,
        tnxh: int,
        pins: dict[tuple[int, str], int] | None = None,
    ) -> None:
        """Redistribute a commune-year's counts so its yearly TTXH and TNXH totals are exact."""
        rng = seeded("counts", ma_xa, year, ttxh, tnxh)
        months = counts(rng, self.indicators, list(range(1, 13)), ttxh, tnxh, pins, deaths=True)
        for month, vals in months.items():
            self.values[(ma_xa, year, month)] = vals

    def finalise(self) -> None:
        """Number incidents per unit in order of start (ids are unit-local, stable)."""
        everything = sorted(
            self.incidents + self.superseded_incidents,
            key=lambda i: (i.unit, i.start, i.ma_xa, i.loai, i.mo_ta),
        )
        seq: dict[tuple[str, int], int] = {}
        for inc in everything:
            key = (inc.unit, inc.start.year)
            seq[key] = seq.get(key, 0) + 1
            inc.ma_su_vu = f"SV{inc.unit[3:]}-{inc.start.year}-{seq[key]:03d}"


def seeded(*parts: object) -> random.Random:
    """A generator seeded from a fixed string: the same parts give the same numbers every run."""
    return random.Random(":".join(map(str, parts)))  # noqa: S311 - sample data, not secrets


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def counts(
    rng: random.Random,
    indicators: tuple[Indicator, ...],
    months: list[int],
    ttxh: int,
    tnxh: int,
    pins: dict[tuple[int, str], int] | None = None,
    quiet: bool = False,
    deaths: bool = False,
) -> dict[int, Values]:
    """Counts for `months` whose TTXH and TNXH sums are exactly `ttxh` and `tnxh`.

    `pins` fixes single cells (month, indicator); pinned TTXH/TNXH cells count towards the totals.
    `quiet` leaves the groups no criterion reads at 0 too (a unit-month with nothing at all);
    `deaths` gives a month with traffic accidents a death now and then.
    """
    pins = pins or {}
    groups = {i.code: i.group for i in indicators}
    out: dict[int, Values] = {m: dict.fromkeys(groups, 0) for m in months}
    pinned = {TTXH_GROUP: 0, TNXH_GROUP: 0}
    for (month, code), value in pins.items():
        out[month][code] = value
        if groups[code] in pinned:
            pinned[groups[code]] += value
    for group, total, weights in (
        (TTXH_GROUP, ttxh, TTXH_WEIGHTS),
        (TNXH_GROUP, tnxh, TNXH_WEIGHTS),
    ):
        left = total - pinned[group]
        if left < 0:
            raise ValueError(f"pins exceed the {group} total {total}")
        for _ in range(left):
            out[rng.choice(months)][_weighted(rng, weights)] += 1
    if quiet:
        return out
    for month in months:
        for code, rate in OTHER_RATES.items():
            if (month, code) not in pins and rng.random() < rate:
                out[month][code] += 1
        vu = out[month]["TNGT_SO_VU"]
        if deaths and (month, "TNGT_SO_NGUOI_CHET") not in pins and vu and rng.random() < 0.3:
            out[month]["TNGT_SO_NGUOI_CHET"] = 1
    return out


MODEL_NAMES = {
    "TU_QUAN": ["Tổ tự quản về an ninh trật tự", "Tổ liên gia tự quản", "Dòng họ tự quản ANTT"],
    "CAMERA_AN_NINH": ["Camera an ninh", "Camera giám sát an ninh trật tự"],
    "PHONG_CHONG_TOI_PHAM": ["Tổ phòng chống tội phạm", "Tổ tuần tra nhân dân"],
    "KHAC": ["Nhóm Zalo an ninh trật tự", "Mô hình Tiếng kẻng an ninh"],
}


def _totals_by_year(
    rng: random.Random, years: tuple[int, ...], mode: str
) -> tuple[dict[int, int], dict[int, int]]:
    """Yearly TTXH and TNXH totals, last year first; mode "cut" falls, "flat" stays level."""
    last = years[-1]
    ttxh = {last: rng.choices(range(9), weights=[3, 4, 5, 5, 4, 3, 2, 2, 1])[0]}
    tnxh = {last: rng.choices(range(4), weights=[4, 4, 2, 1])[0]}
    if mode == "flat" and ttxh[last] == 0:
        ttxh[last] = 2
    for y in reversed(years[:-1]):
        step = ttxh[y + 1]
        if y == years[-2]:
            ttxh[y] = step if mode == "flat" else step + rng.randint(1, 3)
        else:
            ttxh[y] = step + rng.randint(0, 2)
        tnxh[y] = tnxh[y + 1] + rng.randint(0, 1)
    return ttxh, tnxh


LEVEL_ORDER = ["CHUA", "NTM", "NTM_NANG_CAO", "NTM_KIEU_MAU"]


def _registration(rng: random.Random, years: tuple[int, ...]) -> dict[int, Registration]:
    held = rng.choices(LEVEL_ORDER, weights=[15, 55, 25, 5])[0]
    since = None if held == "CHUA" else rng.randint(2014, years[0] - 1)
    out: dict[int, Registration] = {}
    for y in years:
        rank = LEVEL_ORDER.index(held)
        target = LEVEL_ORDER[min(rank + 1, 3)] if rng.random() < 0.8 else held
        out[y] = Registration(held, since, "NTM" if target == "CHUA" else target)
    return out


def add_background(world: World, plans: dict[str, DistrictPlan], seed: int) -> None:
    """Unremarkable data for every commune: small counts, falling, DAT at NTM in the last year."""
    years = world.years
    for district in world.province.districts:
        plan = plans.get(district.code, DistrictPlan())
        seq = 0
        for commune in district.communes:
            rng = seeded(seed, "background", commune.code)
            miss = plan.misses.get(commune.code)
            mode = "flat" if (plan.trend == "flat" or miss == "flat") else "cut"
            ttxh, tnxh = _totals_by_year(rng, years, mode)
            for y in years:
                world.set_year_counts(commune.code, y, ttxh[y], tnxh[y])
            so_ap = rng.randint(4, 14)
            for y in years:
                safe = rng.randint(math.ceil(0.75 * so_ap), so_ap)
                world.assessments[(commune.code, y)] = Assessment(
                    so_ap, safe, rng.choice(["TOT", "TOT", "KHA"]), 0 if miss == "tien_tien" else 1
                )
            models = [
                SecurityModel(f"MH{district.code}-{seq + n:03d}", commune.code, *m)
                for n, m in enumerate(_background_models(rng, commune, miss == "no_camera"), 1)
            ]
            seq += len(models)
            for y in years:
                world.registers.setdefault((district.unit, y), []).extend(
                    replace(m) for m in models
                )
            if commune.kind == "Xã":
                for y, reg in _registration(rng, years).items():
                    world.registrations[(commune.code, y)] = reg
        # Each year brings a few new models, so a register is never the same file twice.
        for y in years:
            rng = seeded(seed, "new_models", district.code, y)
            free = [c for c in district.communes if c.code not in world.reserved]
            for commune in rng.sample(free, min(len(free), rng.randint(1, 3))):
                seq += 1
                model = SecurityModel(
                    f"MH{district.code}-{seq:03d}",
                    commune.code,
                    f"{rng.choice(MODEL_NAMES['PHONG_CHONG_TOI_PHAM'])} {commune.short} ({y})",
                    "PHONG_CHONG_TOI_PHAM",
                    0,
                    date(y, rng.randint(1, 12), rng.randint(1, 28)),
                    rng.choice(["HIEU_QUA", "CHUA_HIEU_QUA"]),
                    1,
                )
                for later in (v for v in years if v >= y):
                    world.registers.setdefault((district.unit, later), []).append(replace(model))


def _background_models(rng: random.Random, commune: Commune, no_camera: bool) -> list[tuple]:
    def founded() -> date:
        return date(rng.randint(2015, 2020), rng.randint(1, 12), rng.randint(1, 28))

    place = f"{commune.kind.lower()} {commune.short}"
    models = [
        (
            f"{rng.choice(MODEL_NAMES['TU_QUAN'])} {place}",
            "TU_QUAN",
            0,
            founded(),
            "HIEU_QUA",
            1,
        )
    ]
    if no_camera:
        if rng.random() < 0.5:  # cameras installed but not yet effective: still no camera model
            cams = rng.randint(2, 6)
            models.append(
                (f"Camera an ninh {place}", "CAMERA_AN_NINH", cams, founded(), "CHUA_HIEU_QUA", 1)
            )
    else:
        cams = rng.randint(4, 30)
        name = f"{rng.choice(MODEL_NAMES['CAMERA_AN_NINH'])} {place}"
        models.append((name, "CAMERA_AN_NINH", cams, founded(), "HIEU_QUA", 1))
    if rng.random() < 0.4:
        name = f"{rng.choice(MODEL_NAMES['PHONG_CHONG_TOI_PHAM'])} {place}"
        models.append((name, "PHONG_CHONG_TOI_PHAM", 0, founded(), "HIEU_QUA", 1))
    if rng.random() < 0.2:
        models.append(
            (f"{rng.choice(MODEL_NAMES['KHAC'])} {place}", "KHAC", 0, founded(), "CHUA_HIEU_QUA", 0)
        )
    return models


# The lawful complaints of the background: kind -> (loai, people range or None, description).
LAWFUL_COMPLAINTS = {
    "lawful_mass": (
        "KHIEU_KIEN_DONG_NGUOI",
        (5, 30),
        "Khiếu nại về bồi thường, giải phóng mặt bằng",
    ),
    "lawful_bypass": (
        "KHIEU_KIEN_VUOT_CAP",
        None,
        "Đơn khiếu nại gửi vượt cấp về tranh chấp đất đai",
    ),
}


def lawful_complaint(rng: random.Random, kind: str, start: date, most_days: int) -> tuple:
    """(loai, end, people, description) of a lawful complaint of `kind` opened on `start` and
    closed within `most_days` days (drawn in this order: the end, then the people)."""
    loai, people, description = LAWFUL_COMPLAINTS[kind]
    end = date.fromordinal(start.toordinal() + rng.randint(0, most_days))
    return loai, end, rng.randint(*people) if people else None, description


def add_background_incidents(world: World, seed: int) -> None:
    """Complaints that decide nothing: lawful ones (some long, some across months or the new
    year) and short unlawful mass complaints; never in a commune a scenario defines."""
    last_day = date(world.last, 12, 31)
    for district in world.province.districts:
        free = [c for c in district.communes if c.code not in world.reserved]
        if not free:
            continue
        for y in world.years:
            rng = seeded(seed, "incidents", district.code, y)
            for _ in range(rng.randint(2, 5)):
                commune = rng.choice(free)
                month = rng.randint(1, 12)
                kind = rng.choices(["lawful_mass", "lawful_bypass", "unlawful_short"], [5, 3, 2])[0]
                if kind == "unlawful_short":
                    start = date(y, month, rng.randint(1, 15))
                    end = date(y, month, start.day + rng.randint(0, 10))
                    inc = Incident(
                        district.unit,
                        "KHIEU_KIEN_DONG_NGUOI",
                        commune.code,
                        start,
                        end,
                        rng.randint(5, 20),
                        1,
                        "Tập trung đông người tại trụ sở UBND xã",
                    )
                else:
                    start = date(y, month, rng.randint(1, 28))
                    most_days = 45 if kind == "lawful_mass" else 20
                    loai, end, people, description = lawful_complaint(rng, kind, start, most_days)
                    end = end if end <= last_day else None
                    inc = Incident(
                        district.unit, loai, commune.code, start, end, people, 0, description
                    )
                world.incidents.append(inc)
