"""An independent reading of docs/criteria.md, in plain Python, over the sample's ground truth.

This is not the warehouse's implementation (that is dbt SQL); it exists so the sample's expected
statuses for every commune and district can be computed and cross-checked against the
hand-computed tables in `antt.sample.scenarios`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from antt.sample.units import TNXH_GROUP, TTXH_GROUP, Indicator, Province
from antt.sample.world import Assessment, Incident, MonthKey, SecurityModel, Values, World

DAT, KD, KDDL = "DAT", "KHONG_DAT", "KHONG_DU_DU_LIEU"
# Parameters of the 2021-2025 catalogue.
MAX_COMPLAINT_DAYS = 30
MIN_SAFE_SHARE = 0.70
MIN_EFFECTIVE_MODELS = 1
MIN_CUT_PERCENT = 5
MIN_CAMERA_MODELS = 1
MAX_REOFFENDERS = 0
MIN_NANG_CAO_SHARE = 0.50
GOOD_RATINGS = ("TOT", "KHA")


@dataclass
class Facts:
    """What the marts must be computed from: the newest accepted version of everything."""

    province: Province
    years: tuple[int, ...]
    indicators: tuple[Indicator, ...]
    values: dict[MonthKey, Values]
    registers: dict[tuple[str, int], list[SecurityModel]]
    assessments: dict[tuple[str, int], Assessment]
    incidents: list[Incident]


def facts_of(world: World, after_corrections: bool = True) -> Facts:
    values = dict(world.values)
    assessments = dict(world.assessments)
    incidents = list(world.incidents)
    if not after_corrections:
        values.update(world.superseded_values)
        assessments.update(world.superseded_assessments)
        incidents += world.superseded_incidents
    return Facts(
        world.province,
        world.years,
        world.indicators,
        values,
        world.registers,
        assessments,
        incidents,
    )


def level_status(statuses: list[str]) -> str:
    if all(s == DAT for s in statuses):
        return DAT
    return KD if KD in statuses else KDDL


class Evaluator:
    def __init__(self, facts: Facts):
        self.f = facts
        self.ttxh = [i.code for i in facts.indicators if i.group == TTXH_GROUP]
        self.tnxh = [i.code for i in facts.indicators if i.group == TNXH_GROUP]
        self.cat = f"CAT{facts.province.code}"

    # -- monthly data ---------------------------------------------------------------------
    def complete(self, ma_xa: str, year: int) -> bool:
        for month in range(1, 13):
            row = self.f.values.get((ma_xa, year, month))
            if row is None or any(row.get(c) is None for c in self.ttxh + self.tnxh):
                return False
        return True

    def total(self, ma_xa: str, year: int, codes: list[str]) -> int:
        return sum(self.f.values[(ma_xa, year, m)][c] or 0 for m in range(1, 13) for c in codes)

    # -- registers ------------------------------------------------------------------------
    def models(self, ma_xa: str, year: int) -> list[SecurityModel] | None:
        """The commune's models of the year, or None when no register of the year exists.

        The provincial register, when there is one, is used for every commune of the province
        (one it does not list has no model); otherwise the district unit's register.
        """
        district_unit = f"CAH{self.f.province.commune(ma_xa).district_code}"
        register = self.f.registers.get((self.cat, year))
        if register is None:
            register = self.f.registers.get((district_unit, year))
        if register is None:
            return None
        return [m for m in register if m.ma_xa == ma_xa]

    # -- incidents ------------------------------------------------------------------------
    def incidents(self, ma_xa: str) -> list[Incident]:
        return [i for i in self.f.incidents if i.ma_xa == ma_xa]

    @staticmethod
    def days(inc: Incident, year: int) -> int:
        end = inc.end if inc.end is not None else date(year, 12, 31)
        return (end - inc.start).days

    # -- commune criteria -----------------------------------------------------------------
    def commune(self, ma_xa: str, year: int) -> dict[str, str]:
        incs = self.incidents(ma_xa)
        active = [i for i in incs if i.active_in(year)]
        starts = [i for i in incs if i.start.year == year]
        out: dict[str, str] = {}
        out["ANTT_01"] = (
            KD
            if any(i.loai in ("CHONG_PHA", "DAO_TRAI_PHAP_LUAT", "LY_KHAI_GAY_ROI") for i in active)
            else DAT
        )
        long_mass = any(
            i.loai == "KHIEU_KIEN_DONG_NGUOI"
            and i.trai_phap_luat == 1
            and self.days(i, year) > MAX_COMPLAINT_DAYS
            for i in active
        )
        bypass = any(i.loai == "KHIEU_KIEN_VUOT_CAP" and i.trai_phap_luat == 1 for i in starts)
        out["ANTT_02"] = KD if long_mass or bypass else DAT
        out["ANTT_03"] = KD if any(i.loai == "TRONG_AN" for i in starts) else DAT

        both = self.complete(ma_xa, year) and self.complete(ma_xa, year - 1)
        if both:
            contained = self.total(ma_xa, year, self.ttxh) <= self.total(
                ma_xa, year - 1, self.ttxh
            ) and self.total(ma_xa, year, self.tnxh) <= self.total(ma_xa, year - 1, self.tnxh)
            out["ANTT_04"] = DAT if contained else KD
            out["ANTT_06"] = cut_status(
                self.total(ma_xa, year - 1, self.ttxh), self.total(ma_xa, year, self.ttxh)
            )
        else:
            out["ANTT_04"] = out["ANTT_06"] = KDDL

        assessment = self.f.assessments.get((ma_xa, year))
        models = self.models(ma_xa, year)
        out["ANTT_05"], out["ANTT_07"] = annual_statuses(assessment, models)
        out["ANTT_08"] = (
            KD if any(i.loai in ("DIEM_NONG", "TU_DIEM_PHUC_TAP") for i in active) else DAT
        )
        months = [self.f.values.get((ma_xa, year, m)) for m in range(1, 13)]
        if any(row is None or row.get("DT_TAI_PHAM") is None for row in months):
            out["ANTT_09"] = KDDL
        else:
            reoffended = sum(row["DT_TAI_PHAM"] for row in months)
            out["ANTT_09"] = DAT if reoffended <= MAX_REOFFENDERS else KD
        out["ANTT_10"] = KDDL if assessment is None else (DAT if assessment.tien_tien else KD)

        ntm = level_status([out[f"ANTT_0{n}"] for n in range(1, 6)])
        nang_cao = level_status(list(out.values()))
        out.update(NTM=ntm, NTM_NANG_CAO=nang_cao, NTM_KIEU_MAU=nang_cao)
        return out

    # -- district criteria ----------------------------------------------------------------
    def district(self, code: str, year: int, communes: dict[str, dict[str, str]]) -> dict:
        district = self.f.province.district(code)
        xa = [c.code for c in district.xa]
        all_codes = [c.code for c in district.communes]
        out: dict[str, str] = {}
        out["ANTT_H1"] = level_status([communes[c]["NTM"] for c in xa])
        incs = [i for i in self.f.incidents if i.ma_xa in all_codes]
        out["ANTT_H2"] = (
            KD if any(i.loai == "OAN_SAI" and i.start.year == year for i in incs) else DAT
        )
        out["ANTT_H3"] = (
            KD if any(i.loai == "DIEM_NONG" and i.active_in(year) for i in incs) else DAT
        )
        if all(self.complete(c, year) and self.complete(c, year - 1) for c in all_codes):
            now = sum(self.total(c, year, self.ttxh) for c in all_codes)
            before = sum(self.total(c, year - 1, self.ttxh) for c in all_codes)
            out["ANTT_H4"] = DAT if now <= before else KD
            out["ANTT_H5"] = cut_status(before, now)
        else:
            out["ANTT_H4"] = out["ANTT_H5"] = KDDL
        reached = sum(communes[c]["NTM_NANG_CAO"] == DAT for c in xa)
        # With no Xã the share rule holds vacuously, as ANTT_H1 does.
        share = reached / len(xa) if xa else 1.0
        out["ANTT_H6"] = DAT if share >= MIN_NANG_CAO_SHARE else KD
        out["HUYEN_NTM"] = level_status([out[f"ANTT_H{n}"] for n in range(1, 5)])
        out["HUYEN_NTM_NANG_CAO"] = level_status([out[f"ANTT_H{n}"] for n in range(1, 7)])
        return out


def annual_statuses(
    assessment: Assessment | None, models: list[SecurityModel] | None
) -> tuple[str, str]:
    """ANTT_05 ("an toàn về ANTT") and ANTT_07 (a camera model) from the commune's assessment
    and its models of the year (None: no danh_gia_nam row / no register)."""
    if assessment is None or models is None:
        safe = KDDL
    else:
        effective = [m for m in models if m.danh_gia == "HIEU_QUA" and m.hoat_dong == 1]
        ok = (
            assessment.so_ap_an_toan / assessment.so_ap >= MIN_SAFE_SHARE
            and len(effective) >= MIN_EFFECTIVE_MODELS
            and assessment.xep_loai in GOOD_RATINGS
        )
        safe = DAT if ok else KD
    if models is None:
        return safe, KDDL
    cameras = [
        m
        for m in models
        if (m.loai == "CAMERA_AN_NINH" or m.so_camera > 0)
        and m.hoat_dong == 1
        and m.danh_gia == "HIEU_QUA"
    ]
    return safe, DAT if len(cameras) >= MIN_CAMERA_MODELS else KD


def cut_status(baseline: int, now: int) -> str:
    if baseline == 0:
        return DAT if now == 0 else KD
    # Integer arithmetic: (B - Y) / B * 100 >= 5  <=>  (B - Y) * 100 >= 5 * B
    return DAT if (baseline - now) * 100 >= MIN_CUT_PERCENT * baseline else KD


@dataclass
class Expected:
    communes: dict[str, dict[int, dict[str, str]]]
    districts: dict[str, dict[int, dict[str, str]]]


def evaluate(facts: Facts) -> Expected:
    ev = Evaluator(facts)
    communes: dict[str, dict[int, dict[str, str]]] = {}
    districts: dict[str, dict[int, dict[str, str]]] = {}
    for year in facts.years:
        per_year = {c.code: ev.commune(c.code, year) for c in facts.province.communes}
        for code, statuses in per_year.items():
            communes.setdefault(code, {})[year] = statuses
        for d in facts.province.districts:
            districts.setdefault(d.code, {})[year] = ev.district(d.code, year, per_year)
    return Expected(communes, districts)
