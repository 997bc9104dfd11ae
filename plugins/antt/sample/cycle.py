"""The reporting cycle in the sample: when each file arrived, the designed late and withheld
(missing) reports, and the designed unusual values (marts.value_outliers).

None of it changes a criterion status of the Trà Vinh sample: arrival times do not enter the
criteria; the withheld files are district `mo_hinh` registers of a year for which the provincial
police sent a consolidated register (it replaces the district ones for every commune); the unusual
values are in indicators no criterion reads, or raise a baseline year's TTXH of a commune and a
district that already meet the trend criteria (a larger baseline only helps them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from antt.sample.world import World

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
PROVINCE = "84"


@dataclass(frozen=True)
class Arrival:
    unit: str
    dataset: str
    period: str
    at: datetime  # Vietnam time
    note: str


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


def designed(world: World) -> bool:
    """The designed cycle belongs to the Trà Vinh 2022–2023 set (other sets get usual times)."""
    province = getattr(getattr(world, "province", None), "code", None)
    return province == PROVINCE and set(getattr(world, "years", ())) >= {2022, 2023}


def apply_outliers(world: World) -> None:
    if not designed(world):
        return
    for o in DESIGNED_OUTLIERS:
        world.values[(o.commune, o.year, o.month)][o.indicator] = o.value


def withheld(world: World, unit: str, dataset: str, period: str) -> bool:
    return designed(world) and (unit, dataset, period) in WITHHELD


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
    if designed(world) and role == "initial":
        for a in DESIGNED_ARRIVALS:
            if (a.unit, a.dataset, a.period) == (unit, dataset, period):
                return a.at
    return _usual(unit, dataset, period, role)


def expectations(world: World) -> dict:
    """What marts.reporting_completeness and marts.value_outliers must show for the sample."""
    if not designed(world):
        return {}
    return {
        "late": [
            {"unit": a.unit, "dataset": a.dataset, "period": a.period, "note": a.note}
            for a in DESIGNED_ARRIVALS
            if a.note.startswith("late")
        ],
        "on_time_at_the_deadline": [
            {"unit": a.unit, "dataset": a.dataset, "period": a.period}
            for a in DESIGNED_ARRIVALS
            if a.note.startswith("on time")
        ],
        "missing": [{"unit": u, "dataset": d, "period": p} for u, d, p in WITHHELD],
        "outliers": [
            {
                "commune": o.commune,
                "period_month": date(o.year, o.month, 1).isoformat(),
                "indicator": o.indicator,
                "value": o.value,
                "note": o.note,
            }
            for o in DESIGNED_OUTLIERS
        ],
    }
