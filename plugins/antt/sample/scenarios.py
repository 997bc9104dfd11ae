"""Designed scenarios of the Trà Vinh (84) sample and their hand-computed expectations.

Each scenario pins one commune's data so that one rule of docs/criteria.md is hit at its boundary.
The expected statuses below were worked out by hand from the scenario text and docs/criteria.md, not
computed: `antt.sample.evaluate` is a separate reading of the same rules, and the tests require
both to agree. Years are relative: `previous` = the year before the last generated year (the first
year of the default 2022–2023 set, which has no baseline year), `last` = the last year.

Every other commune is unremarkable: small counts that fall year on year, hamlets ≥ 75 % safe,
an effective self-management model; whether it reaches NTM_NANG_CAO is set per district by
`DISTRICT_PLANS` (so the district criterion H6 lands where designed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from antt.sample.world import (
    Assessment,
    DistrictPlan,
    Incident,
    Registration,
    SecurityModel,
    World,
)

DAT, KD, KDDL = "DAT", "KHONG_DAT", "KHONG_DU_DU_LIEU"
COMMUNE_CRITERIA = tuple(f"ANTT_{n:02d}" for n in range(1, 11))
COMMUNE_LEVELS = ("NTM", "NTM_NANG_CAO", "NTM_KIEU_MAU")
DISTRICT_CRITERIA = tuple(f"ANTT_H{n}" for n in range(1, 7))
DISTRICT_LEVELS = ("HUYEN_NTM", "HUYEN_NTM_NANG_CAO")

PROVINCE = "84"

# Unremarkable communes that miss NTM_NANG_CAO in the last year, and why; "flat" districts keep
# social-order crime level. Counts of Xã reaching NTM_NANG_CAO are in DISTRICT_EXPECTED's notes.
DISTRICT_PLANS: dict[str, DistrictPlan] = {
    "842": DistrictPlan(),
    "844": DistrictPlan(),
    "845": DistrictPlan(),
    "846": DistrictPlan(misses={"29353": "no_camera", "29365": "tien_tien", "29371": "flat"}),
    "847": DistrictPlan(misses={"29380": "no_camera", "29392": "flat"}),
    "848": DistrictPlan(misses={"29431": "tien_tien"}),
    "849": DistrictPlan(trend="flat"),
    "850": DistrictPlan(misses={"29530": "no_camera", "29536": "tien_tien"}),
    "851": DistrictPlan(trend="flat"),
}


def commune_statuses(
    first_year: bool, levels: tuple[str, str, str], **criteria: str
) -> dict[str, str]:
    """Statuses of ANTT_01..10 (DAT unless given; ANTT_04/06 KHONG_DU_DU_LIEU in a first year,
    which has no baseline) and of the three levels, which are always written out by hand."""
    out = {c: DAT for c in COMMUNE_CRITERIA}
    if first_year:
        out["ANTT_04"] = out["ANTT_06"] = KDDL
    out.update(criteria)
    out.update(zip(COMMUNE_LEVELS, levels, strict=True))
    return out


def district_statuses(h: tuple[str, ...], levels: tuple[str, str]) -> dict[str, str]:
    return dict(zip(DISTRICT_CRITERIA + DISTRICT_LEVELS, h + levels, strict=True))


FIRST_YEAR_PLAIN = commune_statuses(True, (KDDL, KDDL, KDDL))
ALL_DAT = commune_statuses(False, (DAT, DAT, DAT))


@dataclass(frozen=True)
class Scenario:
    key: str
    ma_xa: str
    commune: str
    district: str
    summary: str  # what the data says and which rule it hits
    ttxh: tuple[int, int]  # social-order crime (previous year, last year)
    tnxh: tuple[int, int]  # social evils (previous year, last year)
    registration: tuple[str, int | None, str]  # muc_da_dat, nam_dat, muc_dang_ky
    expected_last: dict[str, str]
    expected_previous: dict[str, str] = field(default_factory=lambda: dict(FIRST_YEAR_PLAIN))
    # After the first batch only (before the corrections batch), where that differs.
    expected_last_before_corrections: dict[str, str] | None = None
    apply: Callable[[World, Scenario], None] | None = None
    pins_last: dict[tuple[int, str], int] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "ma_xa": self.ma_xa,
            "commune": self.commune,
            "district": self.district,
            "summary": self.summary,
            "ttxh": {"previous": self.ttxh[0], "last": self.ttxh[1]},
            "tnxh": {"previous": self.tnxh[0], "last": self.tnxh[1]},
            "registration": dict(
                zip(("muc_da_dat", "nam_dat", "muc_dang_ky"), self.registration, strict=True)
            ),
        }


# --- helpers the scenarios use to shape their data ------------------------------------------


def _incident(world: World, s: Scenario, loai: str, start: date, end: date | None, **kw) -> None:
    world.incidents.append(
        Incident(
            world.unit_of(s.ma_xa),
            loai,
            s.ma_xa,
            start,
            end,
            kw.get("so_nguoi"),
            kw.get("trai_phap_luat"),
            kw.get("mo_ta", ""),
        )
    )


def _set_models(world: World, ma_xa: str, year: int, models: list[tuple]) -> None:
    register = world.commune_register(ma_xa, year)
    kept = [m for m in register if m.ma_xa != ma_xa]
    prefix = f"MH{world.province.commune(ma_xa).district_code}-{ma_xa}"
    new = [SecurityModel(f"{prefix}-{n}", ma_xa, *m) for n, m in enumerate(models, 1)]
    register[:] = kept + new


def _assess(world: World, ma_xa: str, year: int, **changes) -> None:
    a = world.assessments[(ma_xa, year)]
    world.assessments[(ma_xa, year)] = Assessment(
        changes.get("so_ap", a.so_ap),
        changes.get("so_ap_an_toan", a.so_ap_an_toan),
        changes.get("xep_loai", a.xep_loai),
        changes.get("tien_tien", a.tien_tien),
    )


FOUNDED = date(2019, 3, 26)


# --- the scenarios' extra data ----------------------------------------------------------------


def _safe_70(world: World, s: Scenario) -> None:
    _assess(world, s.ma_xa, world.last, so_ap=10, so_ap_an_toan=7, xep_loai="TOT")


def _camera_other(world: World, s: Scenario) -> None:
    _set_models(
        world,
        s.ma_xa,
        world.last,
        [
            ("Tổ tự quản về ANTT xã Huyền Hội", "TU_QUAN", 0, FOUNDED, "HIEU_QUA", 1),
            ("Mô hình 'Mắt thần' giám sát khu dân cư", "KHAC", 12, FOUNDED, "HIEU_QUA", 1),
        ],
    )


def _complaint_30(world: World, s: Scenario) -> None:
    y = world.last
    _incident(
        world,
        s,
        "KHIEU_KIEN_DONG_NGUOI",
        date(y, 3, 10),
        date(y, 4, 9),
        so_nguoi=12,
        trai_phap_luat=1,
        mo_ta="Tụ tập đông người khiếu kiện đòi bồi thường đất",
    )


def _provincial_override(world: World, s: Scenario) -> None:
    key = (s.ma_xa, world.last, 5)
    reported = dict(world.values[key])
    reported["TP_TROM_CAP_TAI_SAN"] = (reported["TP_TROM_CAP_TAI_SAN"] or 0) + 2
    world.district_reported[key] = reported
    world.provincial_months.setdefault((world.last, 5), []).append(s.ma_xa)


def _open_complaint_30(world: World, s: Scenario) -> None:
    y = world.last
    _incident(
        world,
        s,
        "KHIEU_KIEN_DONG_NGUOI",
        date(y, 12, 1),
        None,
        so_nguoi=8,
        trai_phap_luat=1,
        mo_ta="Khiếu kiện đông người về ô nhiễm môi trường, chưa kết thúc",
    )


def _provincial_camera(world: World, s: Scenario) -> None:
    _set_models(
        world,
        s.ma_xa,
        world.last,
        [("Tổ tự quản về ANTT xã Đức Mỹ", "TU_QUAN", 0, FOUNDED, "HIEU_QUA", 1)],
    )
    world.registers.setdefault((world.provincial_unit, world.last), []).extend(
        [
            SecurityModel(
                "MHT84-004",
                s.ma_xa,
                "Tổ tự quản về ANTT xã Đức Mỹ",
                "TU_QUAN",
                0,
                FOUNDED,
                "HIEU_QUA",
                1,
            ),
            SecurityModel(
                "MHT84-001",
                s.ma_xa,
                "Camera an ninh xã Đức Mỹ (Công an tỉnh hỗ trợ)",
                "CAMERA_AN_NINH",
                16,
                date(world.last, 2, 15),
                "HIEU_QUA",
                1,
            ),
        ]
    )


def _complaint_31(world: World, s: Scenario) -> None:
    y = world.last
    _incident(
        world,
        s,
        "KHIEU_KIEN_DONG_NGUOI",
        date(y, 6, 1),
        date(y, 7, 2),
        so_nguoi=15,
        trai_phap_luat=1,
        mo_ta="Khiếu kiện đông người về tranh chấp đất, kéo dài 31 ngày",
    )


def _hotspot_ended_10_jan(world: World, s: Scenario) -> None:
    y, p = world.last, world.previous
    start = date(p, 5, 12) if p else date(y, 1, 3)
    _incident(
        world,
        s,
        "TU_DIEM_PHUC_TAP",
        start,
        date(y, 1, 10),
        mo_ta="Tụ điểm đánh bạc tại quán cà phê, giải tỏa ngày 10/01",
    )


def _safe_below_70(world: World, s: Scenario) -> None:
    _assess(world, s.ma_xa, world.last, so_ap=13, so_ap_an_toan=9, xep_loai="KHA")


def _open_complaint_41(world: World, s: Scenario) -> None:
    y = world.last
    _incident(
        world,
        s,
        "KHIEU_KIEN_DONG_NGUOI",
        date(y, 11, 20),
        None,
        so_nguoi=25,
        trai_phap_luat=1,
        mo_ta="Khiếu kiện đông người về giá đền bù, chưa kết thúc",
    )


def _bypass_unlawful(world: World, s: Scenario) -> None:
    y, p = world.last, world.previous
    _incident(
        world,
        s,
        "KHIEU_KIEN_VUOT_CAP",
        date(y, 9, 5),
        date(y, 9, 6),
        trai_phap_luat=1,
        mo_ta="Khiếu kiện vượt cấp lên Trung ương trái pháp luật",
    )
    if p:  # a lawful one the year before decides nothing
        _incident(
            world,
            s,
            "KHIEU_KIEN_VUOT_CAP",
            date(p, 10, 3),
            date(p, 10, 4),
            trai_phap_luat=0,
            mo_ta="Đơn gửi vượt cấp đúng quy định",
        )


def _serious_case(world: World, s: Scenario) -> None:
    y = world.last
    _incident(
        world,
        s,
        "TRONG_AN",
        date(y, 2, 14),
        date(y, 3, 2),
        mo_ta="Vụ giết người tại ấp, đã bắt giữ đối tượng",
    )


def _assessment_corrected(world: World, s: Scenario) -> None:
    y = world.last
    _assess(world, s.ma_xa, y, so_ap=10, so_ap_an_toan=8, xep_loai="TOT")
    first = world.assessments[(s.ma_xa, y)]
    world.superseded_assessments[(s.ma_xa, y)] = Assessment(10, 5, first.xep_loai, first.tien_tien)
    world.corrected_danh_gia.add((world.unit_of(s.ma_xa), y))


def _hotspot(world: World, s: Scenario) -> None:
    y = world.last
    _incident(
        world,
        s,
        "DIEM_NONG",
        date(y, 8, 1),
        None,
        mo_ta="Điểm nóng tranh chấp đất đai, đang giải quyết",
    )


def _not_advanced(world: World, s: Scenario) -> None:
    _assess(world, s.ma_xa, world.last, tien_tien=0)


def _no_effective_model(world: World, s: Scenario) -> None:
    _set_models(
        world,
        s.ma_xa,
        world.last,
        [
            ("Tổ tự quản về ANTT xã Hòa Ân", "TU_QUAN", 0, FOUNDED, "CHUA_HIEU_QUA", 1),
            ("Camera an ninh xã Hòa Ân", "CAMERA_AN_NINH", 8, FOUNDED, "HIEU_QUA", 0),
        ],
    )


def _not_in_register(world: World, s: Scenario) -> None:
    _set_models(world, s.ma_xa, world.last, [])


def _unlawful_religion(world: World, s: Scenario) -> None:
    y = world.last
    _incident(
        world,
        s,
        "DAO_TRAI_PHAP_LUAT",
        date(y, 3, 15),
        date(y, 5, 20),
        so_nguoi=4,
        mo_ta="Truyền đạo trái pháp luật tại nhà dân",
    )


def _provincial_register_wins(world: World, s: Scenario) -> None:
    y = world.last
    _set_models(
        world,
        s.ma_xa,
        y,
        [
            ("Tổ tự quản về ANTT xã Thạnh Phú", "TU_QUAN", 0, FOUNDED, "HIEU_QUA", 1),
            ("Camera an ninh xã Thạnh Phú", "CAMERA_AN_NINH", 10, FOUNDED, "HIEU_QUA", 1),
        ],
    )
    world.registers.setdefault((world.provincial_unit, y), []).extend(
        [
            SecurityModel(
                "MHT84-002",
                s.ma_xa,
                "Camera an ninh xã Thạnh Phú",
                "CAMERA_AN_NINH",
                10,
                FOUNDED,
                "CHUA_HIEU_QUA",
                1,
            ),
            SecurityModel(
                "MHT84-003",
                s.ma_xa,
                "Tổ tự quản về ANTT xã Thạnh Phú",
                "TU_QUAN",
                0,
                FOUNDED,
                "HIEU_QUA",
                1,
            ),
        ]
    )


def _missing_month(world: World, s: Scenario) -> None:
    del world.values[(s.ma_xa, world.last, 7)]


def _wrongful_case(world: World, s: Scenario) -> None:
    y = world.last
    _incident(
        world,
        s,
        "OAN_SAI",
        date(y, 4, 3),
        date(y, 6, 30),
        mo_ta="Oan sai trong điều tra vụ trộm cắp, đã đình chỉ và xin lỗi",
    )


def _blank_value(world: World, s: Scenario) -> None:
    world.values[(s.ma_xa, world.last, 4)]["TP_TROM_CAP_TAI_SAN"] = None


def _incident_withdrawn(world: World, s: Scenario) -> None:
    y = world.last
    unit = world.unit_of(s.ma_xa)
    world.superseded_incidents.append(
        Incident(
            unit,
            "LY_KHAI_GAY_ROI",
            s.ma_xa,
            date(y, 6, 12),
            date(y, 6, 12),
            6,
            None,
            "Báo nhầm: tụ tập gây rối (đã xác minh là sinh hoạt văn nghệ)",
        )
    )
    # The corrected June file still carries the unit's other June incident.
    world.incidents.append(
        Incident(
            unit,
            "KHIEU_KIEN_DONG_NGUOI",
            "29518",
            date(y, 6, 20),
            date(y, 6, 22),
            7,
            0,
            "Khiếu nại về cấp giấy chứng nhận quyền sử dụng đất",
        )
    )
    world.corrected_su_vu.add((unit, y, 6))


def _chi_tieu_corrected(world: World, s: Scenario) -> None:
    key = (s.ma_xa, world.last, 6)
    first = dict(world.values[key])
    first["TP_TROM_CAP_TAI_SAN"] = (first["TP_TROM_CAP_TAI_SAN"] or 0) + 8
    world.superseded_values[key] = first
    world.corrected_chi_tieu.add((world.unit_of(s.ma_xa), world.last, 6))


S = Scenario
NC_FAIL = (DAT, KD, KD)
ALL_FAIL = (KD, KD, KD)
NO_DATA = (KDDL, KDDL, KDDL)

# fmt: off
SCENARIOS: tuple[Scenario, ...] = (
    S("TTXH_CUT_EXACTLY_5", "29269", "Mỹ Cẩm", "844",
      "TTXH 20 → 19: a cut of exactly 5.00 % meets ANTT_06 (≥ 5).",
      (20, 19), (2, 1), ("NTM_NANG_CAO", 2021, "NTM_KIEU_MAU"), ALL_DAT),
    S("TTXH_ZERO_TO_ZERO", "29272", "An Trường A", "844",
      "TTXH 0 → 0: with a zero baseline ANTT_06 is met only when the year is zero too: met.",
      (0, 0), (1, 0), ("NTM", 2019, "NTM_NANG_CAO"), ALL_DAT),
    S("SAFE_HAMLETS_EXACTLY_70", "29275", "An Trường", "844",
      "7 of 10 hamlets safe = 70 %: meets the ≥ 0.70 share of ANTT_05.",
      (5, 3), (1, 1), ("NTM", 2018, "NTM_NANG_CAO"), ALL_DAT, apply=_safe_70),
    S("CAMERA_MODEL_OF_TYPE_OTHER", "29278", "Huyền Hội", "844",
      "The only camera model is of type KHAC with so_camera = 12: it counts for ANTT_07.",
      (4, 2), (0, 0), ("NTM_NANG_CAO", 2020, "NTM_NANG_CAO"), ALL_DAT, apply=_camera_other),
    S("COMPLAINT_30_DAYS", "29281", "Tân An", "844",
      "Unlawful mass complaint 10/03 → 09/04 (reported open in March, closed by the April "
      "update) lasts 30 days: not more than 30, ANTT_02 met.",
      (6, 4), (1, 1), ("NTM", 2017, "NTM_NANG_CAO"), ALL_DAT, apply=_complaint_30),
    S("PROVINCIAL_VALUES_WIN", "29284", "Tân Bình", "844",
      "May of the last year: the district reports 2 more thefts than the provincial police "
      "(CAT84). District values give TTXH 20 → 20 (0 %, ANTT_06 not met); the provincial values, "
      "which win, give 20 → 18 (10 %): met.",
      (20, 18), (1, 1), ("NTM", 2016, "NTM_NANG_CAO"), ALL_DAT, apply=_provincial_override),
    S("OPEN_COMPLAINT_30_DAYS", "29293", "Đại Phúc", "844",
      "Unlawful mass complaint from 01/12 still open: counted to 31/12 it lasts 30 days: met.",
      (3, 2), (0, 0), ("NTM", 2015, "NTM_NANG_CAO"), ALL_DAT, apply=_open_complaint_30),
    S("PROVINCIAL_REGISTER_CAMERA", "29305", "Đức Mỹ", "844",
      "The district register lists only a self-management model; the provincial register, "
      "which is used, adds an effective camera model (Công an tỉnh hỗ trợ): ANTT_05, 07 met.",
      (5, 3), (1, 0), ("NTM", 2019, "NTM_NANG_CAO"), ALL_DAT, apply=_provincial_camera),
    S("TTXH_CUT_4_76", "29410", "Hòa Minh", "847",
      "TTXH 21 → 20: a cut of 4.76 % < 5 %, ANTT_06 not met; ANTT_04 (20 ≤ 21) met.",
      (21, 20), (2, 2), ("NTM", 2018, "NTM_NANG_CAO"),
      commune_statuses(False, NC_FAIL, ANTT_06=KD)),
    S("TTXH_ZERO_TO_ONE", "29413", "Long Hòa", "847",
      "TTXH 0 → 1: ANTT_04 (1 > 0) and ANTT_06 (zero baseline, year not zero) not met.",
      (0, 1), (0, 0), ("NTM", 2020, "NTM"),
      commune_statuses(False, ALL_FAIL, ANTT_04=KD, ANTT_06=KD)),
    S("COMPLAINT_31_DAYS", "29401", "Hòa Lợi", "847",
      "Unlawful mass complaint 01/06 → 02/07 lasts 31 days > 30: ANTT_02 not met.",
      (4, 3), (1, 1), ("NTM", 2017, "NTM_NANG_CAO"),
      commune_statuses(False, ALL_FAIL, ANTT_02=KD), apply=_complaint_31),
    S("HOTSPOT_ENDED_10_JANUARY", "29398", "Hòa Thuận", "847",
      "A complex gathering place (TU_DIEM_PHUC_TAP) from 12/05 of the previous year, closed "
      "10/01 of the last year (the January update): active in both years, ANTT_08 not met twice.",
      (5, 4), (2, 1), ("NTM", 2016, "NTM_NANG_CAO"),
      commune_statuses(False, NC_FAIL, ANTT_08=KD), apply=_hotspot_ended_10_jan,
      expected_previous=commune_statuses(True, (KDDL, KD, KD), ANTT_08=KD)),
    S("SAFE_HAMLETS_BELOW_70", "29395", "Nguyệt Hóa", "847",
      "9 of 13 hamlets safe = 69.23 % < 70 %: ANTT_05 not met.",
      (3, 2), (0, 0), ("NTM", 2019, "NTM"),
      commune_statuses(False, ALL_FAIL, ANTT_05=KD), apply=_safe_below_70),
    S("OPEN_COMPLAINT_41_DAYS", "29428", "Mỹ Hòa", "848",
      "Unlawful mass complaint from 20/11 still open: counted to 31/12 it lasts 41 days: "
      "ANTT_02 not met.",
      (5, 3), (1, 1), ("NTM", 2018, "NTM_NANG_CAO"),
      commune_statuses(False, ALL_FAIL, ANTT_02=KD), apply=_open_complaint_41),
    S("BYPASS_COMPLAINT_UNLAWFUL", "29434", "Kim Hòa", "848",
      "Unlawful complaint bypassing the competent level, starting 05/09: ANTT_02 not met. A "
      "lawful one the year before decides nothing.",
      (4, 2), (1, 0), ("NTM", 2020, "NTM_NANG_CAO"),
      commune_statuses(False, ALL_FAIL, ANTT_02=KD), apply=_bypass_unlawful),
    S("SERIOUS_CASE", "29437", "Hiệp Hòa", "848",
      "A murder (TRONG_AN, 14/02; one TP_GIET_NGUOI in February): ANTT_03 not met.",
      (7, 5), (1, 1), ("NTM", 2019, "NTM_NANG_CAO"),
      commune_statuses(False, ALL_FAIL, ANTT_03=KD), apply=_serious_case,
      pins_last={(2, "TP_GIET_NGUOI"): 1}),
    S("ASSESSMENT_CORRECTED", "29443", "Long Sơn", "848",
      "The first danh_gia_nam of the last year says 5 of 10 hamlets safe (ANTT_05 not met); the "
      "district's correction says 8 of 10: met after the correction.",
      (6, 4), (1, 0), ("NTM", 2017, "NTM_NANG_CAO"), ALL_DAT, apply=_assessment_corrected,
      expected_last_before_corrections=commune_statuses(False, ALL_FAIL, ANTT_05=KD)),
    S("HOTSPOT", "29467", "Tập Sơn", "849",
      "A security hot spot (DIEM_NONG) since 01/08, still open: ANTT_08 not met, and the "
      "district fails ANTT_H3.",
      (6, 5), (2, 1), ("NTM", 2016, "NTM_NANG_CAO"),
      commune_statuses(False, NC_FAIL, ANTT_08=KD), apply=_hotspot),
    S("REOFFENDER", "29470", "Tân Sơn", "849",
      "One managed person reoffended in October (DT_TAI_PHAM = 1): ANTT_09 not met.",
      (5, 4), (1, 1), ("NTM", 2018, "NTM_NANG_CAO"),
      commune_statuses(False, NC_FAIL, ANTT_09=KD), pins_last={(10, "DT_TAI_PHAM"): 1}),
    S("POLICE_NOT_ADVANCED", "29473", "An Quảng Hữu", "849",
      "Commune police not rated tiên tiến (cong_an_xa_tien_tien = 0): ANTT_10 not met.",
      (4, 3), (1, 1), ("NTM", 2019, "NTM_NANG_CAO"),
      commune_statuses(False, NC_FAIL, ANTT_10=KD), apply=_not_advanced),
    S("TOWN_RISING", "29461", "Trà Cú", "849",
      "A town (thị trấn) whose TTXH rises 4 → 8 in a district where every other commune stays "
      "level and three scenario Xã fall by 1: the district total rises by 1, so ANTT_H4 and H5 "
      "are not met; its Xã all stay level (ANTT_06 not met), so H6 is 0/15.",
      (4, 8), (1, 1), ("CHUA", None, "KHONG"),
      commune_statuses(False, ALL_FAIL, ANTT_04=KD, ANTT_06=KD)),
    S("NO_EFFECTIVE_MODEL", "29311", "Hòa Ân", "845",
      "Its models: self-management not yet effective, cameras effective but not operating "
      "(hoat_dong = 0): ANTT_05 and ANTT_07 not met.",
      (4, 3), (0, 0), ("NTM", 2020, "NTM_NANG_CAO"),
      commune_statuses(False, ALL_FAIL, ANTT_05=KD, ANTT_07=KD), apply=_no_effective_model),
    S("NOT_IN_REGISTER", "29320", "Hòa Tân", "845",
      "The district's register of the last year lists no model for the commune: it has none; "
      "ANTT_05 and ANTT_07 not met (not 'no data': the register exists).",
      (3, 2), (1, 1), ("NTM", 2019, "NTM_NANG_CAO"),
      commune_statuses(False, ALL_FAIL, ANTT_05=KD, ANTT_07=KD), apply=_not_in_register),
    S("UNLAWFUL_RELIGION", "29332", "Tam Ngãi", "845",
      "Unlawful religious propagation 15/03 → 20/05: ANTT_01 not met.",
      (4, 3), (1, 1), ("NTM", 2018, "NTM"),
      commune_statuses(False, ALL_FAIL, ANTT_01=KD), apply=_unlawful_religion),
    S("PROVINCIAL_REGISTER_WINS", "29338", "Thạnh Phú", "845",
      "The district register rates its camera model effective; the provincial register, which "
      "is used, rates it not yet effective (and its self-management model effective): ANTT_05 "
      "met, ANTT_07 not met.",
      (5, 3), (1, 0), ("NTM", 2017, "NTM_NANG_CAO"),
      commune_statuses(False, NC_FAIL, ANTT_07=KD), apply=_provincial_register_wins),
    S("MISSING_MONTH", "29359", "Hùng Hòa", "846",
      "No July row in the district's report of the last year: ANTT_04, 06 and 09 are "
      "KHONG_DU_DU_LIEU, and so are the levels and the district's H1 and H4.",
      (4, 3), (1, 1), ("NTM", 2019, "NTM_NANG_CAO"),
      commune_statuses(False, NO_DATA, ANTT_04=KDDL, ANTT_06=KDDL, ANTT_09=KDDL),
      apply=_missing_month),
    S("WRONGFUL_CASE_IN_DISTRICT", "29362", "Tân Hùng", "846",
      "A wrongful investigation (OAN_SAI) starting 03/04: no commune criterion reads it, the "
      "commune is DAT; the district fails ANTT_H2.",
      (5, 4), (1, 0), ("NTM", 2018, "NTM_NANG_CAO"), ALL_DAT, apply=_wrongful_case),
    S("BLANK_VALUE", "29521", "Long Khánh", "850",
      "April theft cell left blank: NULL, not 0, so the year is incomplete: ANTT_04 and 06 "
      "KHONG_DU_DU_LIEU (DT_TAI_PHAM is complete: ANTT_09 met).",
      (4, 3), (1, 1), ("NTM", 2019, "NTM_NANG_CAO"),
      commune_statuses(False, NO_DATA, ANTT_04=KDDL, ANTT_06=KDDL), apply=_blank_value),
    S("INCIDENT_WITHDRAWN", "29515", "Long Toàn", "851",
      "The first June su_vu file reports a public-disorder incident (LY_KHAI_GAY_ROI); the "
      "corrected June file drops it. A correction replaces its whole scope: ANTT_01 met after.",
      (6, 4), (1, 0), ("NTM", 2018, "NTM_NANG_CAO"), ALL_DAT, apply=_incident_withdrawn,
      expected_last_before_corrections=commune_statuses(False, ALL_FAIL, ANTT_01=KD)),
    S("CHI_TIEU_CORRECTED", "29263", "Long Đức", "842",
      "The first June chi_tieu of TP Trà Vinh has 8 thefts too many (TTXH 6 → 13, ANTT_04 and "
      "06 not met); the corrected file gives 6 → 5 (16.7 %): met after the correction.",
      (6, 5), (1, 1), ("NTM", 2016, "NTM_NANG_CAO"), ALL_DAT, apply=_chi_tieu_corrected,
      expected_last_before_corrections=commune_statuses(False, ALL_FAIL, ANTT_04=KD, ANTT_06=KD)),
    S("WARD_RISING", "29512", "Phường 1", "851",
      "A ward (not a Xã) whose TTXH rises 3 → 5: ANTT_04/06 not met, yet the district's H1, "
      "which counts only Xã, is met; its rise offsets Long Toàn's fall so the district is flat.",
      (3, 5), (0, 0), ("CHUA", None, "KHONG"),
      commune_statuses(False, ALL_FAIL, ANTT_04=KD, ANTT_06=KD)),
)
# fmt: on

# Communes the provincial police also report for a month with the same values (no effect), and
# one in the previous year with different values (the provincial ones are the truth).
PROVINCIAL_SAME = ("29500", "last", 5)
PROVINCIAL_DIFFERENT = ("29350", "previous", 9)

# (previous year, last year) per district: H1..H6 then HUYEN_NTM, HUYEN_NTM_NANG_CAO.
_FIRST_YEAR_DISTRICT = district_statuses((KDDL, DAT, DAT, KDDL, KDDL, KD), (KDDL, KD))
DISTRICT_EXPECTED: dict[str, dict[str, dict[str, str]]] = {
    # H6 notes: Xã DAT at NTM_NANG_CAO / Xã in the district (last year).
    "842": {"last": district_statuses((DAT, DAT, DAT, DAT, DAT, DAT), (DAT, DAT))},  # 1/1
    "844": {"last": district_statuses((DAT, DAT, DAT, DAT, DAT, DAT), (DAT, DAT))},  # 13/13
    "845": {"last": district_statuses((KD, DAT, DAT, DAT, DAT, DAT), (KD, KD))},  # 6/10
    "846": {"last": district_statuses((KDDL, KD, DAT, KDDL, KDDL, DAT), (KD, KD))},  # 5/9
    "847": {"last": district_statuses((KD, DAT, DAT, DAT, DAT, KD), (KD, KD))},  # 6/13
    "848": {"last": district_statuses((KD, DAT, DAT, DAT, DAT, DAT), (KD, KD))},  # 9/13
    "849": {"last": district_statuses((DAT, DAT, KD, KD, KD, KD), (KD, KD))},  # 0/15, rising
    "850": {"last": district_statuses((KDDL, DAT, DAT, KDDL, KDDL, DAT), (KDDL, KDDL))},  # 3/6
    "851": {"last": district_statuses((DAT, DAT, DAT, DAT, KD, KD), (DAT, KD))},  # 1/5, flat
}
for _d in DISTRICT_EXPECTED.values():
    _d["previous"] = dict(_FIRST_YEAR_DISTRICT)


def reserved_codes() -> set[str]:
    """Communes whose data the scenarios define (and the ones they borrow): background extras
    such as harmless complaints and new models keep away from them."""
    return {s.ma_xa for s in SCENARIOS} | {"29518", PROVINCIAL_SAME[0], PROVINCIAL_DIFFERENT[0]}


def consolidate_provincial_register(world: World) -> None:
    """The provincial police's register of the last year: every district's models as verified
    by the province, with the province's own changes for the communes it re-assessed.

    The rule "where both units have a register, the provincial one is used" — read literally, a
    provincial register replaces the district registers for every commune of the province (a
    commune it does not list has no model). A complete register makes that reading and the
    per-listed-commune one give the same statuses (docs/decisions.md).
    """
    y = world.last
    own = world.registers.get((world.provincial_unit, y), [])
    reassessed = {m.ma_xa for m in own}
    copied = [
        replace(m)
        for d in world.province.districts
        for m in world.registers.get((d.unit, y), [])
        if m.ma_xa not in reassessed
    ]
    world.registers[(world.provincial_unit, y)] = copied + own


def apply_scenarios(world: World) -> None:
    """Overlay every scenario on the background data of province 84."""
    p, y = world.previous, world.last
    for s in SCENARIOS:
        if p is not None:
            world.set_year_counts(s.ma_xa, p, s.ttxh[0], s.tnxh[0])
        world.set_year_counts(s.ma_xa, y, s.ttxh[1], s.tnxh[1], s.pins_last)
        if world.province.commune(s.ma_xa).kind == "Xã":
            held, since, registered = s.registration
            for year in world.years:
                world.registrations[(s.ma_xa, year)] = Registration(held, since, registered)
        if s.apply:
            s.apply(world, s)
    consolidate_provincial_register(world)
    code, _rel, month = PROVINCIAL_SAME
    world.provincial_months.setdefault((y, month), []).append(code)
    code, _rel, month = PROVINCIAL_DIFFERENT
    if p is not None:
        key = (code, p, month)
        reported = dict(world.values[key])
        reported["TNXH_DANH_BAC"] = (reported["TNXH_DANH_BAC"] or 0) + 1
        world.district_reported[key] = reported
        world.provincial_months.setdefault((p, month), []).append(code)


def expectations_apply(years: tuple[int, ...]) -> dict[str, bool]:
    """Which hand-computed tables hold for these years: `last` needs a previous year in the set;
    `previous` is written for a first year without baseline (exactly two years)."""
    return {"last": len(years) >= 2, "previous": len(years) == 2}
