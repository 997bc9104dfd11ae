"""The ground truth of the sample across the 2025 reorganisation (a new province, 2024–2025).

Old communes report 2024-01 … 2025-06 (district police until 2025-02, then commune or provincial
police), the new units report from 2025-07. `World2025` holds what the warehouse must end up with
(the values that win for each unit-month), which unit sends each of them, what the losing reports
said, the restated months, the incidents with every report that carries them, and the yearly
datasets (2024 on old codes by district police, 2025 on new codes by the new provincial police).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from antt.sample.units import TNXH_GROUP, TTXH_GROUP, District, Indicator
from antt.sample.units2025 import WHOLE, NewProvince
from antt.sample.world import (
    Assessment,
    ProvinceUnits,
    Registration,
    SecurityModel,
    Values,
    _background_models,
    _registration,
    counts,
    lawful_complaint,
    seeded,
)

OLD_YEAR, NEW_YEAR = 2024, 2025
LAST_CAH_MONTH = (2025, 2)  # district police were dissolved on 1 March 2025
FIRST_NEW_MONTH = (2025, 7)  # the new units exist from 1 July 2025
OLD_MONTHS = tuple((OLD_YEAR, m) for m in range(1, 13)) + tuple((NEW_YEAR, m) for m in range(1, 7))
NEW_MONTHS = tuple((NEW_YEAR, m) for m in range(7, 13))
Key = tuple[str, int, int]  # (code, year, month)


def is_old_period(year: int, month: int) -> bool:
    return (year, month) < FIRST_NEW_MONTH


@dataclass
class Report:
    """One row of one su_vu file: `unit` reports the incident for (year, month)."""

    unit: str
    year: int
    month: int
    ma_xa: str  # the code valid for the period (old up to 2025-06, new from 2025-07)
    end: date | None  # what this report says (None = still open)


@dataclass
class Incident2025:
    loai: str
    start: date
    so_nguoi: int | None
    trai_phap_luat: int | None
    mo_ta: str
    reports: list[Report]  # in period order; the first is the opening report
    ma_su_vu: str = ""

    @property
    def origin(self) -> str:
        return self.reports[0].unit

    @property
    def current(self) -> Report:
        return self.reports[-1]

    def active_in(self, year: int) -> bool:
        end = self.current.end
        return self.start <= date(year, 12, 31) and (end is None or end >= date(year, 1, 1))


@dataclass
class World2025(ProvinceUnits):
    province: NewProvince
    indicators: tuple[Indicator, ...]
    # The values that win for each unit-month: old codes up to 2025-06, new codes from 2025-07.
    values: dict[Key, Values] = field(default_factory=dict)
    # Who sends each unit-month (CAH…, CAX…, CAT…); a unit-month without one is not reported.
    reporter: dict[Key, str] = field(default_factory=dict)
    # A second report of a unit-month that loses to the provincial one: (unit, its values).
    losing: dict[Key, tuple[str, Values]] = field(default_factory=dict)
    # chi_tieu_quy_doi: (new code, year, month) -> the whole unit-month re-counted.
    restated: dict[Key, Values] = field(default_factory=dict)
    incidents: list[Incident2025] = field(default_factory=list)
    registers: dict[tuple[str, int], list[SecurityModel]] = field(default_factory=dict)
    assessments: dict[tuple[str, int], Assessment] = field(default_factory=dict)
    registrations: dict[tuple[str, int], Registration] = field(default_factory=dict)
    reserved: set[str] = field(default_factory=set)  # old and new codes the scenarios define

    @property
    def districts(self) -> tuple[District, ...]:
        return tuple(d for p in self.province.old_provinces for d in p.districts)

    def district_unit(self, old_code: str) -> str:
        return f"CAH{self.province.old_communes[old_code].district_code}"

    def old_provincial_unit(self, old_code: str) -> str:
        return f"CAT{self.province.old_province_of(old_code).code}"

    def set_counts(
        self,
        code: str,
        year: int,
        months: list[int],
        ttxh: int,
        tnxh: int,
        pins: dict[tuple[int, str], int] | None = None,
        quiet: bool = False,
    ) -> None:
        rng = seeded("counts2025", code, year, months[0], ttxh, tnxh)
        for month, vals in counts(rng, self.indicators, months, ttxh, tnxh, pins, quiet).items():
            self.values[(code, year, month)] = vals

    def finalise(self) -> None:
        """Number incidents per opening unit in order of start (ids are unit-local, stable)."""
        seq: dict[tuple[str, int], int] = {}
        for inc in sorted(self.incidents, key=lambda i: (i.origin, i.start, i.loai, i.mo_ta)):
            key = (inc.origin, inc.start.year)
            seq[key] = seq.get(key, 0) + 1
            inc.ma_su_vu = f"SV-{inc.origin}-{inc.start.year}-{seq[key]:03d}"


# --- background --------------------------------------------------------------------------------


def _group_total(values: Values, codes: list[str]) -> int:
    return sum(values[c] or 0 for c in codes)


def add_background(world: World2025, seed: int) -> None:
    """Unremarkable data: small counts, falling across the boundary, models and assessments.

    A new unit's second-half 2025 totals are set from its predecessors' counts so that even the
    interval of a split predecessor decides ANTT_04 and ANTT_06 (`DAT` at the worst corner)."""
    ind = world.indicators
    ttxh = [i.code for i in ind if i.group == TTXH_GROUP]
    tnxh = [i.code for i in ind if i.group == TNXH_GROUP]
    p = world.province
    for old in p.old_communes.values():
        if old.code in world.reserved:
            continue
        rng = seeded(seed, "old", old.code)
        t24 = rng.choices(range(2, 10), weights=[3, 4, 5, 5, 4, 3, 2, 1])[0]
        n24 = rng.choices(range(4), weights=[4, 4, 2, 1])[0]
        world.set_counts(old.code, OLD_YEAR, list(range(1, 13)), t24, n24)
        world.set_counts(old.code, NEW_YEAR, list(range(1, 7)), t24 * 3 // 10, n24 // 3)
    for unit in p.units:
        if unit.code in world.reserved:
            continue
        lo24 = {TTXH_GROUP: 0, TNXH_GROUP: 0}
        hi_h1 = {TTXH_GROUP: 0, TNXH_GROUP: 0}
        for row in p.predecessors[unit.code]:
            for group, codes in ((TTXH_GROUP, ttxh), (TNXH_GROUP, tnxh)):
                if row.relation == WHOLE:
                    lo24[group] += sum(
                        _group_total(world.values[(row.old_code, OLD_YEAR, m)], codes)
                        for m in range(1, 13)
                    )
                hi_h1[group] += sum(
                    _group_total(world.values[(row.old_code, NEW_YEAR, m)], codes)
                    for m in range(1, 7)
                )
        h2 = {g: max(0, math.floor(lo24[g] * 0.9) - hi_h1[g]) for g in lo24}
        world.set_counts(unit.code, NEW_YEAR, list(range(7, 13)), h2[TTXH_GROUP], h2[TNXH_GROUP])
    _background_yearly(world, seed)


def _background_yearly(world: World2025, seed: int) -> None:
    p = world.province
    for district in world.districts:
        rng_plan = seeded(seed, "plan2025", district.code)
        seq = 0
        register = world.registers.setdefault((district.unit, OLD_YEAR), [])
        for commune in district.communes:
            rng = seeded(seed, "yearly-old", commune.code)
            miss = None
            if commune.code not in world.reserved and rng_plan.random() < 0.2:
                miss = rng_plan.choice(["no_camera", "tien_tien"])
            so_ap = rng.randint(4, 14)
            safe = rng.randint(math.ceil(0.75 * so_ap), so_ap)
            world.assessments[(commune.code, OLD_YEAR)] = Assessment(
                so_ap, safe, rng.choice(["TOT", "TOT", "KHA"]), 0 if miss == "tien_tien" else 1
            )
            for n, m in enumerate(_background_models(rng, commune, miss == "no_camera"), 1):
                register.append(SecurityModel(f"MH{district.code}-{seq + n:03d}", commune.code, *m))
            seq = len(register)
            if commune.kind == "Xã":
                reg = _registration(rng, (OLD_YEAR,))[OLD_YEAR]
                world.registrations[(commune.code, OLD_YEAR)] = reg
    cat = world.provincial_unit
    register = world.registers.setdefault((cat, NEW_YEAR), [])
    rng_plan = seeded(seed, "plan2025", cat)
    for n, unit in enumerate(p.units, 1):
        rng = seeded(seed, "yearly-new", unit.code)
        miss = None
        if unit.code not in world.reserved and rng_plan.random() < 0.2:
            miss = rng_plan.choice(["no_camera", "tien_tien"])
        so_ap = rng.randint(8, 30)  # a new unit holds the hamlets of several old communes
        safe = rng.randint(math.ceil(0.75 * so_ap), so_ap)
        world.assessments[(unit.code, NEW_YEAR)] = Assessment(
            so_ap, safe, rng.choice(["TOT", "TOT", "KHA"]), 0 if miss == "tien_tien" else 1
        )
        models = _background_models(rng, unit, miss == "no_camera")
        for k, m in enumerate(models, 1):
            register.append(SecurityModel(f"MH{cat}-{n:03d}-{k}", unit.code, *m))
        if unit.kind == "Xã":
            held = _registration(rng, (NEW_YEAR,))[NEW_YEAR]
            world.registrations[(unit.code, NEW_YEAR)] = held


def add_background_incidents(world: World2025, seed: int) -> None:
    """Lawful complaints that decide nothing: by district police in 2024 on old codes, by the
    new provincial police in the second half of 2025 on new codes."""
    for district in world.districts:
        free = [c for c in district.communes if c.code not in world.reserved]
        rng = seeded(seed, "incidents2024", district.code)
        for _ in range(rng.randint(0, 2)):
            commune = rng.choice(free)
            start = date(OLD_YEAR, rng.randint(1, 11), rng.randint(1, 28))
            loai, end, people, description = lawful_complaint(rng, "lawful_mass", start, 25)
            reports = _reports(district.unit, commune.code, start, end)
            world.incidents.append(Incident2025(loai, start, people, 0, description, reports))
    free_units = [u for u in world.province.units if u.code not in world.reserved]
    rng = seeded(seed, "incidents2025", world.province.code)
    for unit in rng.sample(free_units, 6):
        start = date(NEW_YEAR, rng.randint(7, 11), rng.randint(1, 28))
        loai, end, people, description = lawful_complaint(rng, "lawful_bypass", start, 20)
        reports = _reports(world.provincial_unit, unit.code, start, end)
        world.incidents.append(Incident2025(loai, start, people, 0, description, reports))


def _reports(unit: str, ma_xa: str, start: date, end: date | None) -> list[Report]:
    """The opening report, and the update in the month it ends when that is a later month."""
    if end is not None and (end.year, end.month) == (start.year, start.month):
        return [Report(unit, start.year, start.month, ma_xa, end)]
    out = [Report(unit, start.year, start.month, ma_xa, None)]
    if end is not None:
        out.append(Report(unit, end.year, end.month, ma_xa, end))
    return out


def assign_reporters(world: World2025, cax_old: set[str], cax_new: set[str]) -> None:
    """Who sends each unit-month: district police up to 2025-02; then the commune police of the
    communes in `cax_old`, the old provincial police for the others; from 2025-07 the commune
    police of `cax_new`, the new provincial police for the others."""
    for key in world.values:
        code, year, month = key
        if is_old_period(year, month):
            if (year, month) <= LAST_CAH_MONTH:
                world.reporter[key] = world.district_unit(code)
            elif code in cax_old:
                world.reporter[key] = f"CAX{code}"
            else:
                world.reporter[key] = world.old_provincial_unit(code)
        else:
            world.reporter[key] = f"CAX{code}" if code in cax_new else world.provincial_unit
