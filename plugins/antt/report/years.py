"""Which years can be evaluated: the years the criteria sets of the catalogue cover, on the units
a province had in each year (old provinces until 2024, those since 1 July 2025 from 2025)."""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from antt.config import SEEDS_DIR
from antt.report.labels import FIRST_NEW_UNITS_YEAR, Label


@lru_cache(maxsize=1)
def criteria_set_years() -> dict[str, tuple[int, int]]:
    """Criteria set -> (first year, last year), from the catalogue seed: its `year_from` /
    `year_to` columns when it has them, else the span in the set's name (`2021-2025`)."""
    spans: dict[str, tuple[int, int]] = {}
    with (SEEDS_DIR / "bo_tieu_chi.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            name = row["criteria_set"]
            if row.get("year_from") and row.get("year_to"):
                spans[name] = (int(row["year_from"]), int(row["year_to"]))
            elif name not in spans and (m := re.fullmatch(r"(\d{4})-(\d{4})", name)):
                spans[name] = (int(m[1]), int(m[2]))
    return spans


def covered(year: int) -> bool:
    return any(first <= year <= last for first, last in criteria_set_years().values())


def after_every_set(year: int) -> bool:
    """A year later than every encoded set (2026 today): its data loads, nothing is evaluated."""
    return all(year > last for _first, last in criteria_set_years().values())


def evaluable_years(province: str) -> list[int]:
    """Years a province can be evaluated: a criteria set covers the year and the province code
    names a province in that year (84 until 2024; 86 before and after the change)."""
    from antt import units

    old = province in units.old_province_names()
    new = province in units.new_province_names()
    years = set()
    for first, last in criteria_set_years().values():
        for year in range(first, last + 1):
            if (old and year < FIRST_NEW_UNITS_YEAR) or (new and year >= FIRST_NEW_UNITS_YEAR):
                years.add(year)
    return sorted(years)


def year_ranges(years: list[int]) -> str:
    """[2021, 2022, 2023, 2025] -> `2021–2023, 2025`; empty -> `—`."""
    parts, run = [], []
    for year in years:
        if run and year == run[-1] + 1:
            run.append(year)
            continue
        if run:
            parts.append(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}")
        run = [year]
    if run:
        parts.append(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}")
    return ", ".join(parts) or "—"


def not_evaluated_reason(year: int) -> Label:
    """Why a year without a criteria set has no scorecard (its data still loads)."""
    spans = ", ".join(f"{a}–{b}" for a, b in sorted(set(criteria_set_years().values())))
    return Label(
        f"Năm {year} không được đánh giá: chưa có bộ tiêu chí nào được mã hóa cho năm này "
        f"(các bộ đã có: {spans}). Bộ tiêu chí 2026–2030 (Quyết định 51/2025/QĐ-TTg, chỉ cấp xã, "
        "không còn cấp huyện) chưa được đưa vào danh mục. Số liệu gửi về vẫn được nạp và lưu.",
        f"Year {year} is not evaluated: no encoded criteria set covers it (sets encoded: "
        f"{spans}). The 2026–2030 set (Decision 51/2025/QĐ-TTg, communes only, no district "
        "level) is not in the catalogue yet. Files received are still loaded and kept.",
    )
