"""An independent reading of the reorganisation rules, in plain Python, over the 2024–2025 truth.

2024 is evaluated on the old communes and districts exactly as before (`antt.sample.evaluate`);
2025 on the new units, with each value an interval [lo, hi] built from the predecessors (or a
restatement) and each criterion decided by the monotone rule: DAT at the worst corner, KHONG_DAT
at the best one, otherwise KHONG_SO_SANH_DUOC. Not the warehouse's implementation (dbt SQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from antt.sample.evaluate import (
    MAX_COMPLAINT_DAYS,
    MAX_REOFFENDERS,
    Evaluator,
    Facts,
    annual_statuses,
    cut_status,
)
from antt.sample.units import TNXH_GROUP, TTXH_GROUP
from antt.sample.units2025 import WHOLE
from antt.sample.world import Incident
from antt.sample.world2025 import NEW_YEAR, OLD_YEAR, Incident2025, World2025, is_old_period

DAT, KD, KDDL, KSS = "DAT", "KHONG_DAT", "KHONG_DU_DU_LIEU", "KHONG_SO_SANH_DUOC"
Interval = tuple[int, int]


def level_status(statuses: list[str]) -> str:
    """Any KHONG_DAT; else any missing data; else any not comparable; else DAT."""
    for status in (KD, KDDL, KSS):
        if status in statuses:
            return status
    return DAT


def decide(worst: bool, best: bool) -> str:
    """A monotone rule over a box: met at the worst corner → DAT; failed at the best → KHONG_DAT."""
    if worst:
        return DAT
    return KSS if best else KD


# --- 2024: old communes, as v1 ---------------------------------------------------------------


def _old_incidents(world: World2025) -> list[Incident]:
    out = []
    for inc in world.incidents:
        cur = inc.current
        if not is_old_period(cur.year, cur.month):
            if inc.start.year <= OLD_YEAR:
                raise AssertionError(f"{inc.ma_su_vu}: a 2024 incident relocated to a new code")
            continue
        out.append(
            Incident(
                inc.origin,
                inc.loai,
                cur.ma_xa,
                inc.start,
                cur.end,
                inc.so_nguoi,
                inc.trai_phap_luat,
                inc.mo_ta,
            )
        )
    return out


def evaluate_2024(world: World2025) -> tuple[dict, dict]:
    """(communes, districts): {code: {2024: {criterion or level: status}}} per old province."""
    values = {k: v for k, v in world.values.items() if k[1] == OLD_YEAR}
    incidents = _old_incidents(world)
    communes: dict = {}
    districts: dict = {}
    for province in world.province.old_provinces:
        facts = Facts(
            province,
            (OLD_YEAR,),
            world.indicators,
            values,
            world.registers,
            world.assessments,
            incidents,
        )
        ev = Evaluator(facts)
        per_year = {c.code: ev.commune(c.code, OLD_YEAR) for c in province.communes}
        for code, statuses in per_year.items():
            communes[code] = {OLD_YEAR: statuses}
        for d in province.districts:
            districts[d.code] = {OLD_YEAR: ev.district(d.code, OLD_YEAR, per_year)}
    return communes, districts


# --- 2025: new units, intervals --------------------------------------------------------------


@dataclass
class UnitYear:
    """What the criteria of a unit-year read (None = not complete)."""

    ttxh: Interval | None
    tnxh: Interval | None
    reoffenders: Interval | None


class Evaluator2025:
    def __init__(self, world: World2025):
        self.w = world
        self.p = world.province
        self.ttxh = [i.code for i in world.indicators if i.group == TTXH_GROUP]
        self.tnxh = [i.code for i in world.indicators if i.group == TNXH_GROUP]

    def month(self, unit: str, year: int, month: int, codes: list[str]) -> Interval | None:
        """The unit-month's sum over `codes` as an interval, or None when any value is missing."""
        if not is_old_period(year, month):
            row = self.w.values.get((unit, year, month))
            if row is None or any(row[c] is None for c in codes):
                return None
            total = sum(row[c] for c in codes)
            return total, total
        restated = self.w.restated.get((unit, year, month))
        if restated is not None:
            if any(restated[c] is None for c in codes):
                return None
            total = sum(restated[c] for c in codes)
            return total, total
        lo = hi = 0
        for row in self.p.predecessors[unit]:
            old = self.w.values.get((row.old_code, year, month))
            if old is None or any(old[c] is None for c in codes):
                return None
            value = sum(old[c] for c in codes)
            hi += value
            if row.relation == WHOLE:
                lo += value
        return lo, hi

    def year(self, unit: str, year: int, codes: list[str]) -> Interval | None:
        lo = hi = 0
        for m in range(1, 13):
            part = self.month(unit, year, m, codes)
            if part is None:
                return None
            lo, hi = lo + part[0], hi + part[1]
        return lo, hi

    def unit_year(self, unit: str, year: int) -> UnitYear:
        both = self.ttxh + self.tnxh
        complete = self.year(unit, year, both) is not None
        return UnitYear(
            self.year(unit, year, self.ttxh) if complete else None,
            self.year(unit, year, self.tnxh) if complete else None,
            self.year(unit, year, ["DT_TAI_PHAM"]),
        )

    # incidents ------------------------------------------------------------------------------
    def placement(self, inc: Incident2025, unit: str) -> str | None:
        """'certain' when the incident lies in the unit, 'possible' when it may, else None."""
        cur = inc.current
        if not is_old_period(cur.year, cur.month):
            return "certain" if cur.ma_xa == unit else None
        for row in self.p.successors.get(cur.ma_xa, ()):
            if row.new_code == unit:
                return "certain" if row.relation == WHOLE else "possible"
        return None

    def incident_rule(self, unit: str, bad) -> str:
        """KHONG_DAT if an offending incident surely lies in the unit, KHONG_SO_SANH_DUOC if one
        may, else DAT."""
        where = [self.placement(i, unit) for i in self.w.incidents if bad(i)]
        if "certain" in where:
            return KD
        return KSS if "possible" in where else DAT

    # criteria -------------------------------------------------------------------------------
    def unit(self, code: str, year: int = NEW_YEAR) -> dict[str, str]:
        out: dict[str, str] = {}
        out["ANTT_01"] = self.incident_rule(
            code,
            lambda i: (
                i.loai in ("CHONG_PHA", "DAO_TRAI_PHAP_LUAT", "LY_KHAI_GAY_ROI")
                and i.active_in(year)
            ),
        )

        def long_unlawful(i: Incident2025) -> bool:
            if i.loai == "KHIEU_KIEN_DONG_NGUOI" and i.trai_phap_luat == 1 and i.active_in(year):
                end = i.current.end or date(year, 12, 31)
                return (end - i.start).days > MAX_COMPLAINT_DAYS
            return (
                i.loai == "KHIEU_KIEN_VUOT_CAP" and i.trai_phap_luat == 1 and i.start.year == year
            )

        out["ANTT_02"] = self.incident_rule(code, long_unlawful)
        out["ANTT_03"] = self.incident_rule(
            code, lambda i: i.loai == "TRONG_AN" and i.start.year == year
        )
        now, before = self.unit_year(code, year), self.unit_year(code, year - 1)
        if now.ttxh is None or before.ttxh is None:
            out["ANTT_04"] = out["ANTT_06"] = KDDL
        else:
            out["ANTT_04"] = decide(
                now.ttxh[1] <= before.ttxh[0] and now.tnxh[1] <= before.tnxh[0],
                now.ttxh[0] <= before.ttxh[1] and now.tnxh[0] <= before.tnxh[1],
            )
            out["ANTT_06"] = decide(
                cut_status(before.ttxh[0], now.ttxh[1]) == DAT,
                cut_status(before.ttxh[1], now.ttxh[0]) == DAT,
            )
        assessment = self.w.assessments.get((code, year))
        register = self.w.registers.get((self.w.provincial_unit, year))
        models = None if register is None else [m for m in register if m.ma_xa == code]
        out["ANTT_05"], out["ANTT_07"] = annual_statuses(assessment, models)
        out["ANTT_08"] = self.incident_rule(
            code, lambda i: i.loai in ("DIEM_NONG", "TU_DIEM_PHUC_TAP") and i.active_in(year)
        )
        if now.reoffenders is None:
            out["ANTT_09"] = KDDL
        else:
            lo, hi = now.reoffenders
            out["ANTT_09"] = decide(hi <= MAX_REOFFENDERS, lo <= MAX_REOFFENDERS)
        out["ANTT_10"] = KDDL if assessment is None else (DAT if assessment.tien_tien else KD)
        ntm = level_status([out[f"ANTT_0{n}"] for n in range(1, 6)])
        nang_cao = level_status(list(out.values()))
        out.update(NTM=ntm, NTM_NANG_CAO=nang_cao, NTM_KIEU_MAU=nang_cao)
        return out


def evaluate_2025(world: World2025) -> dict:
    ev = Evaluator2025(world)
    return {u.code: {NEW_YEAR: ev.unit(u.code)} for u in world.province.units}
