"""Designed scenarios of the Vĩnh Long (86) sample across the 2025 reorganisation.

Each scenario pins the counts of one new unit and of its predecessors so that one rule of the
reorganisation (values on new units as intervals, the monotone evaluation, restated history,
incidents across the boundary, annual datasets on new codes) is hit. The expected statuses were
worked out by hand from the numbers in `summary`; `antt.sample.evaluate2025` is a separate reading
of the same rules and the tests require both to agree. Each scenario states the lineage it was
designed for; the generator refuses a crosswalk that says otherwise.

Count tuples are (TTXH 2024, TNXH 2024, TTXH 2025-01…06, TNXH 2025-01…06) for an old commune and
(TTXH 2025-07…12, TNXH 2025-07…12) for the new unit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from antt.errors import AnttError
from antt.sample.units2025 import SPLIT, WHOLE
from antt.sample.world import Assessment
from antt.sample.world2025 import NEW_YEAR, OLD_YEAR, Incident2025, Report, World2025

DAT, KD, KDDL, KSS = "DAT", "KHONG_DAT", "KHONG_DU_DU_LIEU", "KHONG_SO_SANH_DUOC"
CRITERIA = tuple(f"ANTT_{n:02d}" for n in range(1, 11))
LEVELS = ("NTM", "NTM_NANG_CAO", "NTM_KIEU_MAU")
PROVINCE = "86"
THEFT = "TP_TROM_CAP_TAI_SAN"


def statuses(levels: tuple[str, str], first_year: bool = False, **criteria: str) -> dict:
    """ANTT_01..10 (DAT unless given; ANTT_04/06 KHONG_DU_DU_LIEU in a year without baseline) and
    the levels NTM, NTM_NANG_CAO (= NTM_KIEU_MAU), written out by hand."""
    out = dict.fromkeys(CRITERIA, DAT)
    if first_year:
        out["ANTT_04"] = out["ANTT_06"] = KDDL
    out.update(criteria)
    out.update(NTM=levels[0], NTM_NANG_CAO=levels[1], NTM_KIEU_MAU=levels[1])
    return out


@dataclass(frozen=True)
class Scenario2025:
    key: str
    new_code: str
    new_name: str
    summary: str
    predecessors: dict[str, str]  # old code -> WHOLE / SPLIT, as designed
    old_counts: dict[str, tuple[int, int, int, int]]
    new_counts: tuple[int, int]
    expected_2025: dict[str, str]
    apply: Callable[[World2025, Scenario2025], None] | None = None
    # Old communes evaluated in 2024 whose statuses this scenario decides.
    expected_2024: dict[str, dict[str, str]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "new_code": self.new_code,
            "new_name": self.new_name,
            "summary": self.summary,
            "predecessors": self.predecessors,
        }


# Split old communes whose counts the scenarios define.
TT_TAM_BINH, NGAI_TU_OLD, CAI_VON_OLD, THANH_PHUOC, TT_TRA_ON = (
    "29719",
    "29764",
    "29770",
    "29771",
    "29821",
)
QUIET = (TT_TRA_ON, NGAI_TU_OLD)  # nothing at all in any month: a split count of 0 is exact
# Restatement (chi_tieu_quy_doi of CAT86): month -> {new unit: {old split commune: thefts}}.
RESTATED_SHARES = {
    5: {"29770": {CAI_VON_OLD: 1}, "29771": {CAI_VON_OLD: 1, THANH_PHUOC: 1}},
    9: {"29770": {CAI_VON_OLD: 1}, "29771": {}},
}
CAX_OLD = {TT_TAM_BINH, TT_TRA_ON, CAI_VON_OLD}  # commune police that report 2025-03…06
CAX_NEW = {"29386", "29410", "29836"}  # commune police that report from 2025-07


def _split_counts(world: World2025) -> None:
    """The split communes' own data: TT Tam Bình 12 thefts and 2 social-evil cases in 2024 and
    nothing in 2025; Cái Vồn 2 thefts in May and 1 in September 2024, Thành Phước 1 in May 2024;
    Ngãi Tứ and TT Trà Ôn nothing at all."""
    months24, months25 = list(range(1, 13)), list(range(1, 7))
    world.set_counts(TT_TAM_BINH, OLD_YEAR, months24, 12, 2, quiet=True)
    world.set_counts(TT_TAM_BINH, NEW_YEAR, months25, 0, 0, quiet=True)
    world.set_counts(CAI_VON_OLD, OLD_YEAR, months24, 3, 0, {(5, THEFT): 2, (9, THEFT): 1}, True)
    world.set_counts(THANH_PHUOC, OLD_YEAR, months24, 1, 0, {(5, THEFT): 1}, True)
    for code in (CAI_VON_OLD, THANH_PHUOC):
        world.set_counts(code, NEW_YEAR, months25, 0, 0, quiet=True)
    for code in QUIET:
        world.set_counts(code, OLD_YEAR, months24, 0, 0, quiet=True)
        world.set_counts(code, NEW_YEAR, months25, 0, 0, quiet=True)


def _restate(world: World2025) -> None:
    """CAT86 re-counts May and September 2024 on Cái Vồn and Bình Minh from case addresses: the
    whole unit-month = its WHOLE predecessors' values plus the thefts it got of the split ones."""
    p = world.province
    for month, units in RESTATED_SHARES.items():
        for new_code, shares in units.items():
            whole = [r.old_code for r in p.predecessors[new_code] if r.relation == WHOLE]
            total = {i.code: 0 for i in world.indicators}
            for old in whole:
                for code, value in world.values[(old, OLD_YEAR, month)].items():
                    total[code] += value or 0
            total[THEFT] += sum(shares.values())
            world.restated[(new_code, OLD_YEAR, month)] = total


def _relocated_hot_spot(world: World2025, s: Scenario2025) -> None:
    world.incidents.append(
        Incident2025(
            "DIEM_NONG",
            date(NEW_YEAR, 5, 6),
            None,
            None,
            "Điểm nóng tranh chấp đất đai giáp ranh, đang giải quyết",
            [
                Report(f"CAX{TT_TAM_BINH}", NEW_YEAR, 5, TT_TAM_BINH, None),
                Report(world.provincial_unit, NEW_YEAR, 9, s.new_code, date(NEW_YEAR, 9, 12)),
            ],
        )
    )


def _gathering_in_split_town(world: World2025, s: Scenario2025) -> None:
    world.incidents.append(
        Incident2025(
            "TU_DIEM_PHUC_TAP",
            date(NEW_YEAR, 3, 20),
            None,
            None,
            "Tụ điểm đánh bạc tại bến đò, đã giải tỏa",
            [
                Report(f"CAX{TT_TRA_ON}", NEW_YEAR, 3, TT_TRA_ON, None),
                Report(f"CAX{TT_TRA_ON}", NEW_YEAR, 5, TT_TRA_ON, date(NEW_YEAR, 5, 10)),
            ],
        )
    )


def _missing_october(world: World2025, s: Scenario2025) -> None:
    del world.values[(s.new_code, NEW_YEAR, 10)]
    del world.reporter[(s.new_code, NEW_YEAR, 10)]


def _few_safe_hamlets(world: World2025, s: Scenario2025) -> None:
    a = world.assessments[(s.new_code, NEW_YEAR)]
    world.assessments[(s.new_code, NEW_YEAR)] = Assessment(12, 8, a.xep_loai, 0)


def _provincial_checks(world: World2025, s: Scenario2025) -> None:
    """CAT86 verifies September 2025 (one theft fewer than the commune police said) and, as the
    police of the new province, November 2024 of the old commune (one theft fewer than CAH847)."""
    for key, loser in ((("29410", NEW_YEAR, 9), "CAX29410"), (("29410", OLD_YEAR, 11), "CAH847")):
        said = dict(world.values[key])
        said[THEFT] = (said[THEFT] or 0) + 1
        world.losing[key] = (loser, said)
        world.reporter[key] = world.provincial_unit


def _complaint_closed_by_commune_police(world: World2025, s: Scenario2025) -> None:
    world.incidents.append(
        Incident2025(
            "KHIEU_KIEN_DONG_NGUOI",
            date(OLD_YEAR, 12, 1),
            14,
            1,
            "Tụ tập đông người khiếu kiện trái pháp luật về đất đai",
            [
                Report("CAH847", OLD_YEAR, 12, "29413", None),
                Report("CAX29413", NEW_YEAR, 3, "29413", date(NEW_YEAR, 3, 15)),
            ],
        )
    )


def _serious_case(world: World2025, s: Scenario2025) -> None:
    world.incidents.append(
        Incident2025(
            "TRONG_AN",
            date(NEW_YEAR, 8, 17),
            None,
            None,
            "Vụ cướp tài sản có sử dụng vũ khí, đã bắt giữ đối tượng",
            [Report(world.provincial_unit, NEW_YEAR, 8, s.new_code, date(NEW_YEAR, 8, 30))],
        )
    )


S = Scenario2025
FIRST_YEAR_PLAIN = statuses((KDDL, KDDL), first_year=True)

# fmt: off
SCENARIOS: tuple[Scenario2025, ...] = (
    S("WHOLE_MERGE_EXACT", "29386", "Xã Song Lộc",
      "Three Trà Vinh communes merged whole (29386 Lương Hòa A keeps its code, now Xã Song Lộc "
      "of a larger territory): TTXH 2024 = 10 + 8 + 6 = 24 exactly, 2025 = 4 + 3 + 2 (Jan–Jun) + "
      "12 (Jul–Dec, CAX29386) = 21: a 12.5 % cut, every criterion exact and DAT.",
      {"29386": WHOLE, "29389": WHOLE, "29392": WHOLE},
      {"29386": (10, 1, 4, 0), "29389": (8, 1, 3, 1), "29392": (6, 0, 2, 0)}, (12, 1),
      statuses((DAT, DAT)),
      expected_2024={"29386": FIRST_YEAR_PLAIN}),
    S("SPLIT_STILL_DECIDES", "29836", "Xã Trà Côn",
      "Three whole predecessors (40 thefts and crimes in 2024) and part of TT Tam Bình (12): TTXH "
      "2024 ∈ [40, 52], 2025 = 30 exact: the cut is at least 25 % → ANTT_06 DAT; TNXH 2024 ∈ "
      "[3, 5] but 6 in 2025: ANTT_04 fails even at its best corner → KHONG_DAT. A hot spot opened "
      "in TT Tam Bình by its commune police (old code) is located in Trà Côn by CAT86's September "
      "update (new code, don_vi_goc CAX29719): ANTT_08 KHONG_DAT, exact.",
      {"29827": WHOLE, "29836": WHOLE, "29839": WHOLE, TT_TAM_BINH: SPLIT},
      {"29827": (15, 1, 6, 1), "29836": (14, 1, 5, 1), "29839": (11, 1, 4, 0)}, (15, 4),
      statuses((KD, KD), ANTT_04=KD, ANTT_08=KD), apply=_relocated_hot_spot),
    S("SPLIT_CANNOT_DECIDE", "29719", "Xã Tam Bình",
      "Mỹ Thạnh Trung whole (10) and part of TT Tam Bình (12): TTXH 2024 ∈ [10, 22], 2025 = 12: "
      "ANTT_04 and ANTT_06 hold at one corner and fail at the other → KHONG_SO_SANH_DUOC, and so "
      "are both levels. The hot spot opened in TT Tam Bình was located in Trà Côn: not here.",
      {"29755": WHOLE, TT_TAM_BINH: SPLIT},
      {"29755": (10, 2, 5, 1)}, (7, 1),
      statuses((KSS, KSS), ANTT_04=KSS, ANTT_06=KSS),
      expected_2024={TT_TAM_BINH: FIRST_YEAR_PLAIN}),
    S("SPLIT_ZERO_EXACT", "29821", "Xã Trà Ôn",
      "Tích Thiện whole (9 → 3 + 4 = 7) and part of TT Trà Ôn, which counted 0 in every month: a "
      "split count of 0 is exactly 0, so ANTT_04 and ANTT_06 (22 %) are DAT and exact. A complex "
      "gathering place in TT Trà Ôn (20/03–10/05/2025, commune police, old code) may lie in either "
      "successor: ANTT_08 KHONG_SO_SANH_DUOC, NTM DAT, NTM_NANG_CAO KHONG_SO_SANH_DUOC.",
      {"29860": WHOLE, TT_TRA_ON: SPLIT},
      {"29860": (9, 1, 3, 0)}, (4, 1),
      statuses((DAT, KSS), ANTT_08=KSS), apply=_gathering_in_split_town),
    S("RESTATED_EXACT", "29770", "Phường Cái Vồn",
      "Mỹ Hòa whole (6) and parts of Ngãi Tứ (0), Cái Vồn and Thành Phước (4 thefts in May and "
      "September 2024): [6, 10] from the predecessors, but CAT86's chi_tieu_quy_doi of 2024-05 and "
      "2024-09 re-counts the unit (2 of the 4 thefts): 2024 = 8 exact, 2025 = 3 + 4 = 7: ANTT_04 "
      "DAT and ANTT_06 12.5 % DAT, exact.",
      {"29815": WHOLE, NGAI_TU_OLD: SPLIT, CAI_VON_OLD: SPLIT, THANH_PHUOC: SPLIT},
      {"29815": (6, 1, 3, 0)}, (4, 1),
      statuses((DAT, DAT))),
    S("RESTATED_AT_THE_LINE", "29771", "Phường Bình Minh",
      "Thuận An whole (15) and parts of Cái Vồn and Thành Phước: [15, 19] from the predecessors; "
      "the restatement gives it the other 2 thefts: 2024 = 17 exact, 2025 = 6 + 10 = 16: a 5.88 % "
      "cut, ANTT_06 DAT (without the restatement it would be KHONG_SO_SANH_DUOC).",
      {"29806": WHOLE, CAI_VON_OLD: SPLIT, THANH_PHUOC: SPLIT},
      {"29806": (15, 2, 6, 1)}, (10, 1),
      statuses((DAT, DAT))),
    S("MISSING_MONTH_WINS", "29767", "Xã Ngãi Tứ",
      "Loan Mỹ and Bình Ninh whole (29767 was Xã Bình Ninh), parts of Ngãi Tứ and TT Trà Ôn; "
      "CAT86's October 2025 report has no row for it: ANTT_04, 06 and 09 KHONG_DU_DU_LIEU. The "
      "gathering place in TT Trà Ôn makes ANTT_08 KHONG_SO_SANH_DUOC, but missing data wins: both "
      "levels KHONG_DU_DU_LIEU.",
      {"29761": WHOLE, "29767": WHOLE, NGAI_TU_OLD: SPLIT, TT_TRA_ON: SPLIT},
      {"29761": (7, 1, 3, 0), "29767": (5, 0, 2, 0)}, (4, 0),
      statuses((KDDL, KDDL), ANTT_04=KDDL, ANTT_06=KDDL, ANTT_08=KSS, ANTT_09=KDDL),
      apply=_missing_october),
    S("ANNUAL_ON_NEW_CODES", "29254", "Phường Nguyệt Hóa",
      "Two wards of TP Trà Vinh and Xã Nguyệt Hóa of Châu Thành (two old districts) merged whole: "
      "8 → 6, exact. CAT86's danh_gia_nam 2025 (new codes) says 8 of 12 hamlets safe (66.7 %) and "
      "its commune police not tiên tiến: ANTT_05 and ANTT_10 KHONG_DAT.",
      {"29254": WHOLE, "29257": WHOLE, "29395": WHOLE},
      {"29254": (3, 1, 1, 0), "29257": (2, 0, 1, 0), "29395": (3, 0, 0, 0)}, (4, 1),
      statuses((KD, KD), ANTT_05=KD, ANTT_10=KD), apply=_few_safe_hamlets),
    S("PROVINCIAL_WINS_AT_5_PERCENT", "29410", "Xã Hòa Minh",
      "TTXH 20 → 19 (a cut of exactly 5 %): the commune police (CAX29410) report one theft more "
      "in September 2025 than CAT86, whose values win (20 → 20 would fail); likewise CAT86, as the "
      "police of the new province, re-verifies November 2024 of the old commune over CAH847.",
      {"29410": WHOLE},
      {"29410": (20, 2, 9, 1)}, (10, 1),
      statuses((DAT, DAT)), apply=_provincial_checks,
      expected_2024={"29410": FIRST_YEAR_PLAIN}),
    S("COMPLAINT_CLOSED_BY_SUCCESSOR", "29413", "Xã Long Hòa",
      "An unlawful mass complaint opened 01/12/2024 by CAH847 is closed on 15/03/2025 by the "
      "commune police CAX29413 (don_vi_goc CAH847): it lasted 104 days, so ANTT_02 is KHONG_DAT "
      "in 2024 for the old commune (open, it would have counted 30 days) and in 2025 for the unit.",
      {"29413": WHOLE},
      {"29413": (5, 1, 2, 0)}, (2, 1),
      statuses((KD, KD), ANTT_02=KD), apply=_complaint_closed_by_commune_police,
      expected_2024={"29413": statuses((KD, KD), first_year=True, ANTT_02=KD)}),
    S("SERIOUS_CASE_NEW_CODE", "29278", "Xã Tân An",
      "An armed robbery (TRONG_AN) on 17/08/2025, reported by CAT86 with the new code: ANTT_03 "
      "KHONG_DAT, exact.",
      {"29278": WHOLE, "29281": WHOLE},
      {"29278": (4, 0, 1, 0), "29281": (3, 1, 1, 0)}, (3, 1),
      statuses((KD, KD), ANTT_03=KD), apply=_serious_case),
)
# fmt: on


def reserved_codes() -> set[str]:
    codes = set(QUIET) | {TT_TAM_BINH, CAI_VON_OLD, THANH_PHUOC}
    for s in SCENARIOS:
        codes |= {s.new_code, *s.predecessors, *s.old_counts}
    return codes


def check_lineage(world: World2025) -> None:
    """The crosswalk must say what the scenarios were designed for."""
    p = world.province
    for s in SCENARIOS:
        got = {r.old_code: r.relation for r in p.predecessors.get(s.new_code, ())}
        unit = p.by_code.get(s.new_code)
        if got != s.predecessors or unit is None or unit.name != s.new_name:
            raise AnttError(
                f"bảng chuyển đổi khác thiết kế / the crosswalk does not match scenario {s.key}: "
                f"{s.new_code} {unit.name if unit else '?'} has predecessors {got}, the scenario "
                f"assumes {s.new_name} = {s.predecessors}"
            )


def apply_scenarios(world: World2025) -> None:
    check_lineage(world)
    _split_counts(world)
    for s in SCENARIOS:
        for old, (t24, n24, t25, n25) in s.old_counts.items():
            world.set_counts(old, OLD_YEAR, list(range(1, 13)), t24, n24)
            world.set_counts(old, NEW_YEAR, list(range(1, 7)), t25, n25)
        world.set_counts(s.new_code, NEW_YEAR, list(range(7, 13)), *s.new_counts)
    _restate(world)


def apply_after_background(world: World2025) -> None:
    """What needs the background data first (assessments, values to override)."""
    for s in SCENARIOS:
        if s.apply:
            s.apply(world, s)


def hand_expectations() -> dict:
    units = {s.new_code: {str(NEW_YEAR): s.expected_2025} for s in SCENARIOS}
    old: dict = {}
    for s in SCENARIOS:
        for code, expected in s.expected_2024.items():
            old[code] = {str(OLD_YEAR): expected}
    return {
        "source": "hand-computed from the reorganisation rules (antt.sample.scenarios2025)",
        "units": units,
        "communes": old,
    }
