"""Which years can be evaluated: the years the criteria sets of the catalogue cover, on the units
a province had in each year (old provinces until 2024, those since 1 July 2025 from 2025)."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from antt.report.labels import FIRST_NEW_UNITS_YEAR, Label


@dataclass(frozen=True)
class CriteriaSets:
    """Criteria set -> (first year, last year) it covers (marts.dim_criteria_set)."""

    spans: dict[str, tuple[int, int]]

    def after_every_set(self, year: int) -> bool:
        """A year later than every encoded set (2026 today): its data loads, nothing is
        evaluated."""
        return all(year > last for _first, last in self.spans.values())


def criteria_sets(conn: psycopg.Connection) -> CriteriaSets:
    rows = conn.execute(
        "SELECT criteria_set, year_from, year_to FROM marts.dim_criteria_set"
    ).fetchall()
    return CriteriaSets({name: (first, last) for name, first, last in rows})


def evaluable_years(sets: CriteriaSets, old: bool, new: bool) -> list[int]:
    """Years a province can be evaluated: a criteria set covers the year and the province code
    names a province in that year (`old`: in the list until 2025-06-30, as 84 until 2024;
    `new`: in the list from 2025-07-01; 86 is both)."""
    years = set()
    for first, last in sets.spans.values():
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


def not_evaluated_reason(year: int, sets: CriteriaSets) -> Label:
    """Why a year without a criteria set has no scorecard (its data still loads)."""
    spans = ", ".join(f"{a}–{b}" for a, b in sorted(set(sets.spans.values())))
    return Label(
        f"Năm {year} không được đánh giá: chưa có bộ tiêu chí nào được mã hóa cho năm này "
        f"(các bộ đã có: {spans}). Bộ tiêu chí 2026–2030 (Quyết định 51/2025/QĐ-TTg, chỉ cấp xã, "
        "không còn cấp huyện) chưa được đưa vào danh mục. Số liệu gửi về vẫn được nạp và lưu.",
        f"Year {year} is not evaluated: no encoded criteria set covers it (sets encoded: "
        f"{spans}). The 2026–2030 set (Decision 51/2025/QĐ-TTg, communes only, no district "
        "level) is not in the catalogue yet. Files received are still loaded and kept.",
    )
