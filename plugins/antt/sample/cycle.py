"""The reporting cycle in the sample: when each file arrived, the designed late and withheld
(missing) reports, and the designed unusual values (marts.value_outliers).

None of it changes a criterion status of either set: arrival times do not enter the criteria.
Trà Vinh 2022–2023: the withheld files are district `mo_hinh` registers of a year for which the
provincial police sent a consolidated register (it replaces the district ones for every commune);
the unusual values are in indicators no criterion reads, or raise a baseline year's TTXH of a
commune and a district that already meet the trend criteria (a larger baseline only helps them).
Vĩnh Long 2024–2025: nothing is withheld (a commune police report no criterion needs does not
exist: the provincial police send for every unit without one); the missing report is the October
2025 row that scenario MISSING_MONTH_WINS already leaves out (KHONG_DU_DU_LIEU by design); two
commune police units send their own 2025 `danh_gia_nam` (the same rows, left out of CAT86's file);
the unusual values are in indicators no criterion reads, or raise a 2024 TTXH of an old commune
(a baseline of its successor's 2025 ANTT_04/06, which that unit meets anyway; 2024 itself has no
baseline in the set).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from antt.sample.world import World

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
PROVINCE = "84"
PROVINCE_2025 = "86"


@dataclass(frozen=True)
class Arrival:
    unit: str
    dataset: str
    period: str
    at: datetime  # Vietnam time
    note: str
    via: str | None = None  # a provincial file that covers the report before this one arrived


def _vn(y: int, m: int, d: int, hh: int = 8, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LOCAL)


# Deadlines: the 20th of the next month (monthly), 31 January of the next year (yearly), that
# day included.
DESIGNED_ARRIVALS = (
    Arrival("CAH849", "chi_tieu", "2023-05", _vn(2023, 6, 27, 9, 15), "late: 7 days"),
    Arrival("CAH851", "chi_tieu", "2022-11", _vn(2022, 12, 21, 7, 30), "late: the 21st"),
    Arrival("CAH846", "chi_tieu", "2023-08", _vn(2023, 9, 20, 23, 40), "on time: the 20th"),
    Arrival("CAH845", "danh_gia_nam", "2023", _vn(2024, 2, 1, 8, 0), "late: 1 February"),
    Arrival("CAH844", "mo_hinh", "2023", _vn(2024, 1, 31, 16, 0), "on time: 31 January"),
)
# Files the sample does not send: the tracker lists them as missing.
WITHHELD = (("CAH842", "mo_hinh", "2023"), ("CAH850", "mo_hinh", "2023"))

DESIGNED_ARRIVALS_2025 = (
    Arrival("CAX29836", "chi_tieu", "2025-08", _vn(2025, 9, 21, 7, 30), "late: the 21st"),
    Arrival("CAX29386", "chi_tieu", "2025-10", _vn(2025, 11, 20, 23, 40), "on time: the 20th"),
    Arrival("CAX29386", "danh_gia_nam", "2025", _vn(2026, 2, 1, 8, 0), "late: 1 February"),
    Arrival("CAX29410", "danh_gia_nam", "2025", _vn(2026, 1, 31, 16, 0), "on time: 31 January"),
    Arrival("CAH861", "chi_tieu", "2024-03", _vn(2024, 4, 23, 9, 15), "late: 3 days"),
    Arrival("CAH833", "chi_tieu", "2024-12", _vn(2025, 1, 21, 0, 5), "late: the 21st"),
    Arrival(
        "CAX29410",
        "chi_tieu",
        "2025-09",
        _vn(2025, 10, 27, 10, 0),
        "covered by the province: its own file is 7 days late, CAT86's report of the month (on "
        "time) has the commune's row",
        via="CAT86",
    ),
)
# Commune police units that send their own 2025 danh_gia_nam (CAT86's file leaves them out).
OWN_ASSESSMENTS_2025 = ("29386", "29410")
# Reports no file carries: CAT86's October 2025 report has no row for Xã Ngãi Tứ (scenario
# MISSING_MONTH_WINS, already KHONG_DU_DU_LIEU), so its commune police owe it.
MISSING_2025 = (("CAX29767", "chi_tieu", "2025-10"),)


@dataclass(frozen=True)
class Outlier:
    commune: str
    year: int
    month: int
    indicator: str
    value: int
    note: str


DESIGNED_OUTLIERS = (
    Outlier(
        "29296",
        2022,
        9,
        "TP_TROM_CAP_TAI_SAN",
        11,
        "theft 11 in a month after 0–1 a month: a baseline TTXH of ANTT_04/06 (2023) and "
        "of the district's H4/H5; the commune and district meet them anyway",
    ),
    Outlier("29326", 2023, 8, "TNGT_SO_VU", 14, "14 traffic accidents after 0–1 a month"),
    Outlier("29431", 2023, 5, "CHAY_NO_SO_VU", 9, "9 fires after none"),
)
BASELINE_2024 = (
    "theft 11 in a month after 0–1 a month: a baseline TTXH of ANTT_04/06 (2025) of its "
    "successor 28783, which meets them anyway"
)
DESIGNED_OUTLIERS_2025 = (
    Outlier("28762", 2024, 9, "TP_TROM_CAP_TAI_SAN", 11, BASELINE_2024),
    Outlier("28777", 2024, 10, "CHAY_NO_SO_VU", 9, "9 fires after none"),
    Outlier("28786", 2025, 5, "TNGT_SO_VU", 14, "14 traffic accidents after 0–1 a month"),
)


@dataclass(frozen=True)
class Design:
    arrivals: tuple[Arrival, ...]
    withheld: tuple[tuple[str, str, str], ...]
    outliers: tuple[Outlier, ...]
    missing: tuple[tuple[str, str, str], ...]  # the tracker's missing reports (withheld or not)


DESIGN_84 = Design(DESIGNED_ARRIVALS, WITHHELD, DESIGNED_OUTLIERS, WITHHELD)
DESIGN_86 = Design(DESIGNED_ARRIVALS_2025, (), DESIGNED_OUTLIERS_2025, MISSING_2025)


def design(world) -> Design | None:
    """The designed cycle of the Trà Vinh 2022–2023 set or of the Vĩnh Long 2024–2025 set
    (other sets get usual times and nothing designed)."""
    province = getattr(getattr(world, "province", None), "code", None)
    if province == PROVINCE and set(getattr(world, "years", ())) >= {2022, 2023}:
        return DESIGN_84
    if province == PROVINCE_2025 and hasattr(world, "restated"):  # a World2025: 2024–2025
        return DESIGN_86
    return None


def apply_outliers(world) -> None:
    found = design(world)
    for o in found.outliers if found else ():
        world.values[(o.commune, o.year, o.month)][o.indicator] = o.value


def withheld(world: World, unit: str, dataset: str, period: str) -> bool:
    found = design(world)
    return found is not None and (unit, dataset, period) in found.withheld


def _next_month(period: str) -> tuple[int, int]:
    year, month = int(period[:4]), int(period[5:7])
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _usual(unit: str | None, dataset: str | None, period: str | None, role: str) -> datetime:
    """An ordinary arrival: within the deadline, a different day per unit."""
    spread = sum(map(ord, unit or "")) % 9  # 0..8: units do not all send on one day
    if period is None or dataset is None:
        return _vn(2023, 10, 3, 10, 0)
    if len(period) == 7:
        year, month = _next_month(period)
        at = _vn(year, month, 5 + spread, 8 + spread % 4, 10 * (spread % 6))
    elif dataset == "dang_ky_ntm":  # the registration of a year is made at its start
        at = _vn(int(period), 3, 10 + spread)
    else:
        at = _vn(int(period) + 1, 1, 10 + spread, 9, 0)
    if role == "correction":
        at += timedelta(days=20)
    elif role in ("rejected", "duplicate"):
        at += timedelta(days=12, hours=2)
    return at


def arrival(world: World, unit, dataset, period, role: str) -> datetime:
    """When the sample file reached the landing area (its modification time)."""
    found = design(world)
    if found is not None and role == "initial":
        for a in found.arrivals:
            if (a.unit, a.dataset, a.period) == (unit, dataset, period):
                return a.at
    return _usual(unit, dataset, period, role)


def expectations(world: World) -> dict:
    """What marts.reporting_completeness and marts.value_outliers must show for the sample."""
    found = design(world)
    if found is None:
        return {}
    out = {
        "late": [
            {"unit": a.unit, "dataset": a.dataset, "period": a.period, "note": a.note}
            for a in found.arrivals
            if a.note.startswith("late")
        ],
        "on_time_at_the_deadline": [
            {"unit": a.unit, "dataset": a.dataset, "period": a.period}
            for a in found.arrivals
            if a.note.startswith("on time")
        ],
        "missing": [{"unit": u, "dataset": d, "period": p} for u, d, p in found.missing],
        "outliers": [
            {
                "commune": o.commune,
                "period_month": date(o.year, o.month, 1).isoformat(),
                "indicator": o.indicator,
                "value": o.value,
                "note": o.note,
            }
            for o in found.outliers
        ],
    }
    covered = [a for a in found.arrivals if a.via]
    if covered:  # only the Vĩnh Long set has one (the Trà Vinh manifest stays as it was)
        out["covered_by_the_province"] = [
            {"unit": a.unit, "dataset": a.dataset, "period": a.period, "via": a.via}
            for a in covered
        ]
    return out
