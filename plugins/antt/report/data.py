"""The data behind the reviewer outputs: the marts of one province and year, as plain objects.

Everything is read as `antt_reader` from schema `marts`; nothing here renders. Rejected files
are read in `rejected.py` (marts `submission_register` and `submission_errors`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from antt.errors import AnttError
from antt.records import record
from antt.report import labels
from antt.report.labels import COMMUNE_LEVEL_COLUMNS, DISTRICT_LEVEL_COLUMNS, Label
from antt.report.years import criteria_sets

CHART_GROUP = "TTXH"


@dataclass(frozen=True)
class CriterionResult:
    code: str
    level: str
    status: str
    measured_value: Decimal | float | int | str | None
    threshold: Decimal | float | int | str | None
    detail: str | None
    comparison: str | None  # "<=", ">=", … as the catalogue gives it
    # From 2025 a measured value on a new unit may be an interval (equal bounds: exact).
    measured_low: Decimal | float | int | None = None
    measured_high: Decimal | float | int | None = None

    @property
    def is_interval(self) -> bool:
        return (
            self.measured_low is not None
            and self.measured_high is not None
            and self.measured_low != self.measured_high
        )


@dataclass(frozen=True)
class Predecessor:
    """An old commune (valid until 2025-06-30) that a new unit was formed from."""

    old_code: str
    old_name: str
    old_district_code: str | None
    relation: str  # WHOLE / SPLIT


@dataclass(frozen=True)
class MissingMonth:
    """A month of the commune without complete data: no report at all, or blanks in it."""

    month: date
    indicators_reported: int
    indicators_required: int

    @property
    def not_reported(self) -> bool:
        return self.indicators_reported == 0


@dataclass(frozen=True)
class MonthValue:
    """Social-order crime (TTXH) of one month; None when a TTXH indicator is missing. Before
    July 2025 a new unit's month is the sum of its predecessors: `high` adds the split ones."""

    month: date
    value: int | None
    high: int | None = None

    @property
    def is_interval(self) -> bool:
        return self.high is not None and self.value is not None and self.high != self.value


@dataclass(frozen=True)
class PeriodStatus:
    """The newest lock event of the province-year (marts.period_status)."""

    is_closed: bool
    changed_at: datetime
    changed_by: str
    reason: str | None


@dataclass(kw_only=True)
class ScoredUnit:
    """What the report shows of a commune and of a district alike: the status of each level,
    the criterion results, the unusual values, and the unit's anchor in the HTML."""

    ANCHOR_PREFIX: ClassVar[str]
    code: str
    name: str
    level_status: dict[str, str] = field(default_factory=dict)
    criteria: dict[str, CriterionResult] = field(default_factory=dict)
    # criterion -> the unusual values among its inputs (marts.criteria_outlier_flags)
    outlier_flags: dict[str, str] = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return f"{self.ANCHOR_PREFIX}-{self.code}"


@dataclass(kw_only=True)
class Commune(ScoredUnit):
    ANCHOR_PREFIX: ClassVar[str] = "xa"
    commune_type: str
    district_code: str
    district_name: str
    held_level: str | None
    registered_level: str | None
    months_reported: int | None
    missing_months: dict[int, list[MissingMonth]] = field(default_factory=dict)
    ttxh_monthly: list[MonthValue] = field(default_factory=list)
    predecessors: list[Predecessor] = field(default_factory=list)


@dataclass(kw_only=True)
class District(ScoredUnit):
    ANCHOR_PREFIX: ClassVar[str] = "huyen"
    communes_total: int | None = None
    communes_ntm_dat: int | None = None
    communes_ntm_nang_cao_dat: int | None = None
    communes: list[Commune] = field(default_factory=list)


@dataclass
class ProvinceReport:
    province_code: str
    province_name: str
    year: int
    criteria_set: str
    districts: list[District]
    commune_criteria: list[str]  # criterion codes in column order
    district_criteria: list[str]
    criterion_levels: dict[str, list[str]]  # code -> levels it counts for
    criterion_labels: dict[str, Label]
    period: PeriodStatus | None = None  # None: the year was never closed (provisional)

    @property
    def closed(self) -> bool:
        return self.period is not None and self.period.is_closed

    @property
    def new_units(self) -> bool:
        """From 2025: the units valid since 1 July 2025, no district level."""
        return self.year >= labels.FIRST_NEW_UNITS_YEAR

    @property
    def statuses(self) -> tuple[str, ...]:
        return labels.statuses_of(self.year)

    @property
    def levels(self) -> list[str]:
        """The levels evaluated that year (no district level from 2025)."""
        districts = [] if self.new_units else list(labels.DISTRICT_LEVELS)
        return list(labels.COMMUNE_LEVELS) + districts

    @property
    def communes(self) -> list[Commune]:
        return [c for d in self.districts for c in d.communes]

    def level_counts(self, level: str) -> Counter:
        """Communes (or districts, for district levels) per status at `level`."""
        units = self.districts if level in DISTRICT_LEVEL_COLUMNS else self.communes
        return Counter(u.level_status.get(level) for u in units)

    def criteria_of_level(self, level: str) -> list[str]:
        pool = self.district_criteria if level in DISTRICT_LEVEL_COLUMNS else self.commune_criteria
        return [c for c in pool if level in self.criterion_levels.get(c, [])]

    def label(self, code: str) -> Label:
        return self.criterion_labels.get(code) or labels.criterion_label(code)


def required_indicators(conn: psycopg.Connection) -> dict[str, int]:
    """Indicator group -> how many of its indicators a month needs to hold complete data
    (marts.dim_indicator, `required_for_complete_data`)."""
    rows = conn.execute(
        "SELECT indicator_group, count(*) FROM marts.dim_indicator"
        " WHERE required_for_complete_data GROUP BY indicator_group ORDER BY indicator_group"
    ).fetchall()
    return dict(rows)


@dataclass(frozen=True)
class Provinces:
    """The provinces of the two unit lists (marts.dim_province): names by code in the `old` list
    (valid until 2025-06-30) and the `new` one (from 2025-07-01), and `absorbing`: old province ->
    the new province that took over its communes (marts.commune_lineage)."""

    old: dict[str, str]
    new: dict[str, str]
    absorbing: dict[str, str]

    def of(self, code: str, year: int | None = None) -> str:
        """The name from the new list for a year from 2025 (86: Vĩnh Long with Bến Tre and Trà
        Vinh), else from the old list; the code itself when no list holds it."""
        if year is not None and year >= labels.FIRST_NEW_UNITS_YEAR:
            name = self.new.get(code)
            if name:
                return name if name.startswith(("Tỉnh", "Thành phố")) else f"Tỉnh {name}"
        return self.old.get(code, code)


def load_provinces(conn: psycopg.Connection) -> Provinces:
    by_era: dict[str, dict[str, str]] = {"OLD": {}, "NEW": {}}
    for era, code, name in conn.execute(
        "SELECT era, province_code, province_name FROM marts.dim_province"
    ):
        by_era[era][code] = name
    absorbing = conn.execute(
        "SELECT DISTINCT old_province_code, new_province_code FROM marts.commune_lineage"
    )
    return Provinces(old=by_era["OLD"], new=by_era["NEW"], absorbing=dict(absorbing))


def check_arguments(year: int, province: str | None) -> None:
    if not 2000 <= int(year) <= 2100:
        raise AnttError(f"năm không hợp lệ / invalid year: {year} (2000–2100)")
    if province is not None and not re.fullmatch(r"[0-9]{2}", province):
        raise AnttError(
            f"mã tỉnh không hợp lệ / invalid province code: {province!r} (2 digits, e.g. 84)"
        )


def marts_present(conn: psycopg.Connection) -> set[str]:
    """The relations of schema `marts` the connection's role may read."""
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'marts' AND c.relkind IN ('r', 'v', 'm', 'p', 'f')"
        " AND has_table_privilege(c.oid, 'SELECT')"
    ).fetchall()
    return {r[0] for r in rows}


REQUIRED_MARTS = (
    "commune_scorecard",
    "commune_criteria",
    "district_scorecard",
    "district_criteria",
    "fct_indicator_monthly",
    "submission_register",
    "submission_errors",
    "dim_indicator",
    "dim_province",
    "dim_district",
    "dim_criterion",
    "dim_criteria_set",
    "dim_commune",
    "commune_lineage",
)


def check_marts(conn: psycopg.Connection) -> set[str]:
    present = marts_present(conn)
    missing = [m for m in REQUIRED_MARTS if m not in present]
    if missing:
        raise AnttError(
            "chưa có dữ liệu tổng hợp, hãy chạy `antt build` / the marts are missing "
            f"({', '.join('marts.' + m for m in missing)}): run `antt build` first"
        )
    return present


def provinces_with_scorecard(conn: psycopg.Connection, year: int) -> list[str]:
    rows = conn.execute(
        "SELECT DISTINCT province_code FROM marts.commune_scorecard WHERE year = %s ORDER BY 1",
        (year,),
    ).fetchall()
    return [r[0] for r in rows]


def _pick_criteria_set(conn: psycopg.Connection, year: int, province: str) -> str | None:
    sets = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT criteria_set FROM marts.commune_scorecard"
            " WHERE year = %s AND province_code = %s ORDER BY 1",
            (year, province),
        ).fetchall()
    ]
    if len(sets) <= 1:
        return sets[0] if sets else None
    spans = criteria_sets(conn).spans  # the years each set covers (marts.dim_criteria_set)
    for name in sets:
        span = spans.get(name)
        if span and span[0] <= year <= span[1]:
            return name
    return sets[-1]


def _criterion(row: dict) -> CriterionResult:
    return record(CriterionResult, row, columns={"code": "criterion_code"})


def _collect_criteria(
    rows: list[dict], key: str, level_order: tuple[str, ...]
) -> tuple[dict[str, dict[str, CriterionResult]], dict[str, set[str]]]:
    """Per unit, one result per criterion: the row of the lowest level it is evaluated at.

    The marts may give one row per criterion (the level it first applies to) or one per
    (criterion, level); either way the status of a criterion does not depend on the level.
    """
    rank = {lvl: i for i, lvl in enumerate(level_order)}
    by_unit: dict[str, dict[str, CriterionResult]] = defaultdict(dict)
    levels_seen: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        result = _criterion(row)
        levels_seen[result.code].add(result.level)
        current = by_unit[row[key]].get(result.code)
        if current is None or rank.get(result.level, 99) < rank.get(current.level, 99):
            by_unit[row[key]][result.code] = result
    return by_unit, levels_seen


def _levels_of(levels_seen: dict[str, set[str]], level_order: tuple[str, ...]) -> dict[str, list]:
    """A criterion counts for the lowest level it is given at and every level above it."""
    out = {}
    for code, seen in levels_seen.items():
        ranks = [level_order.index(lv) for lv in seen if lv in level_order]
        lowest = min(ranks) if ranks else 0
        out[code] = list(level_order[lowest:])
    return out


def criterion_catalogue(
    conn: psycopg.Connection, criteria_set: str
) -> tuple[dict[str, Label], dict[str, list[str]]]:
    """Criterion texts and the levels each criterion makes up, lowest first, from
    marts.dim_criterion: the same versioned catalogue the marts are built from. Empty when the
    catalogue does not hold `criteria_set`."""
    rows = conn.execute(
        "SELECT criterion_code, criterion_name_vi, criterion_name_en, levels"
        " FROM marts.dim_criterion WHERE criteria_set = %s ORDER BY sort_order, criterion_code",
        (criteria_set,),
    ).fetchall()
    texts = {code: Label(vi, en) for code, vi, en, _levels in rows}
    return texts, {code: list(levels) for code, _vi, _en, levels in rows}


def _lineage(conn: psycopg.Connection, codes: list[str]) -> dict[str, list[Predecessor]]:
    """New unit -> its predecessors, from marts.commune_lineage."""
    rows = conn.execute(
        "SELECT new_code, old_code, old_name, old_district_code, relation"
        " FROM marts.commune_lineage WHERE new_code = ANY(%s)"
        " ORDER BY new_code, relation DESC, old_code",
        (codes,),
    ).fetchall()
    out: dict[str, list[Predecessor]] = defaultdict(list)
    for new_code, old_code, old_name, old_district, relation in rows:
        out[new_code].append(Predecessor(old_code, old_name, old_district, relation))
    return out


def _month_add(month: date, n: int) -> date:
    total = month.year * 12 + month.month - 1 + n
    return date(total // 12, total % 12 + 1, 1)


FIRST_NEW_MONTH = date(labels.FIRST_NEW_UNITS_YEAR, 7, 1)


def _monthly(
    conn: psycopg.Connection,
    codes: list[str],
    year: int,
    lineage: dict[str, list[Predecessor]] | None = None,
) -> tuple[dict[str, dict[int, list[MissingMonth]]], dict[str, list[MonthValue]]]:
    """Missing months (Y-1 and Y) and monthly TTXH of each commune, from fct_indicator_monthly.

    With `lineage` (a year on the new units), a month before July 2025 is read from the unit's
    predecessors: complete when every one is, TTXH from the whole ones up to all of them."""
    required = required_indicators(conn)
    need = sum(required.values())
    need_chart = required.get(CHART_GROUP, 0)
    sources = set(codes) | {p.old_code for preds in (lineage or {}).values() for p in preds}
    rows = conn.execute(
        """
        SELECT commune_code, period_month,
               count(DISTINCT indicator_code) FILTER (
                   WHERE value IS NOT NULL AND indicator_group = ANY(%(groups)s)) AS reported,
               count(DISTINCT indicator_code) FILTER (
                   WHERE value IS NOT NULL AND indicator_group = %(chart)s) AS chart_reported,
               sum(value) FILTER (WHERE indicator_group = %(chart)s) AS chart_value
        FROM marts.fct_indicator_monthly
        WHERE commune_code = ANY(%(codes)s)
          AND period_month >= %(start)s AND period_month < %(end)s
        GROUP BY commune_code, period_month
        """,
        {
            "groups": list(required),
            "chart": CHART_GROUP,
            "codes": sorted(sources),
            "start": date(year - 1, 1, 1),
            "end": date(year + 1, 1, 1),
        },
    ).fetchall()
    seen: dict[tuple[str, date], tuple[int, int, int | None]] = {}
    for code, month, reported, chart_reported, chart_value in rows:
        seen[(code, month)] = (reported, chart_reported, chart_value)
    months = [_month_add(date(year - 1, 1, 1), i) for i in range(24)]
    missing: dict[str, dict[int, list[MissingMonth]]] = {}
    series: dict[str, list[MonthValue]] = {}
    for code in codes:
        missing[code] = {year - 1: [], year: []}
        series[code] = []
        for month in months:
            preds = (lineage or {}).get(code) if month < FIRST_NEW_MONTH else None
            parts = [(code, "WHOLE")] if not preds else [(p.old_code, p.relation) for p in preds]
            got = [(seen.get((c, month), (0, 0, None)), relation) for c, relation in parts]
            reported = min(g[0][0] for g in got)
            if reported < need:
                missing[code][month.year].append(MissingMonth(month, reported, need))
            complete_chart = all(g[0][1] >= need_chart and g[0][2] is not None for g in got)
            if not complete_chart:
                series[code].append(MonthValue(month, None))
                continue
            low = sum(int(g[0][2]) for g in got if g[1] == "WHOLE")
            high = sum(int(g[0][2]) for g in got)
            series[code].append(MonthValue(month, low, high if preds else None))
    return missing, series


def _outlier_flags(
    conn: psycopg.Connection, present: set[str], year: int, scope: str, codes: list[str]
) -> dict[str, dict[str, str]]:
    """Area code -> criterion -> the unusual values among its inputs."""
    if "criteria_outlier_flags" not in present or not codes:
        return {}
    flags: dict[str, dict[str, str]] = defaultdict(dict)
    for area, criterion, detail in conn.execute(
        "SELECT area_code, criterion_code, detail FROM marts.criteria_outlier_flags"
        " WHERE year = %s AND scope = %s AND area_code = ANY(%s)",
        (year, scope, codes),
    ):
        flags[area][criterion] = detail
    return flags


def period_status(conn: psycopg.Connection, present: set[str], province: str, year: int):
    """Whether the province's year is closed (`antt lock`); None when never locked."""
    if "period_status" not in present:
        return None
    row = conn.execute(
        "SELECT is_closed, changed_at, changed_by, reason FROM marts.period_status"
        " WHERE province_code = %s AND year = %s",
        (province, year),
    ).fetchone()
    return PeriodStatus(*row) if row else None


_UNIT_ORDER = {
    "commune": sql.SQL("district_code, commune_code"),
    "district": sql.SQL("district_code"),
}
# District criteria carry no measured bounds: districts ended before values became intervals.
_BOUNDS = {
    "commune": sql.SQL("c.measured_low, c.measured_high"),
    "district": sql.SQL("NULL AS measured_low, NULL AS measured_high"),
}


def _unit_rows(cur: psycopg.Cursor, unit: str, params: dict) -> tuple[list[dict], list[dict]]:
    """The scorecard rows of the province-year's units of one kind (`commune`, `district`) and
    the criteria rows of those units."""
    scorecard = sql.Identifier("marts", f"{unit}_scorecard")
    key = sql.Identifier(f"{unit}_code")
    units = cur.execute(
        sql.SQL(
            "SELECT * FROM {scorecard} WHERE year = %(year)s AND province_code = %(province)s"
            " AND criteria_set = %(cset)s ORDER BY {order}"
        ).format(scorecard=scorecard, order=_UNIT_ORDER[unit]),
        params,
    ).fetchall()
    criteria = cur.execute(
        sql.SQL(
            """
            SELECT c.{key}, c.criterion_code, c.level, c.status, c.measured_value, {bounds},
                   c.threshold, c.comparison, c.detail
            FROM {criteria} c
            JOIN {scorecard} s USING (criteria_set, year, {key})
            WHERE c.year = %(year)s AND s.province_code = %(province)s
              AND c.criteria_set = %(cset)s
            ORDER BY c.criterion_code
            """
        ).format(
            key=key,
            bounds=_BOUNDS[unit],
            criteria=sql.Identifier("marts", f"{unit}_criteria"),
            scorecard=scorecard,
        ),
        params,
    ).fetchall()
    return units, criteria


def load_province_report(conn: psycopg.Connection, year: int, province: str) -> ProvinceReport:
    """Everything the scorecard and the workbook show for one province and year."""
    check_arguments(year, province)
    present = check_marts(conn)
    criteria_set = _pick_criteria_set(conn, year, province)
    if criteria_set is None:
        raise AnttError(
            f"không có kết quả đánh giá của tỉnh {province} năm {year} / "
            f"no scorecard for province {province} in {year}"
        )
    params = {"year": year, "province": province, "cset": criteria_set}
    cur = conn.cursor(row_factory=dict_row)
    scorecard, commune_rows = _unit_rows(cur, "commune", params)
    district_scorecard, district_rows = _unit_rows(cur, "district", params)

    commune_criteria, commune_levels = _collect_criteria(
        commune_rows, "commune_code", labels.COMMUNE_LEVELS
    )
    district_criteria, district_levels = _collect_criteria(
        district_rows, "district_code", labels.DISTRICT_LEVELS
    )
    codes = [row["commune_code"] for row in scorecard]
    new_units = year >= labels.FIRST_NEW_UNITS_YEAR
    lineage = _lineage(conn, codes) if new_units else {}
    missing, series = _monthly(conn, codes, year, lineage if new_units else None)
    name = load_provinces(conn).of(province, year)
    commune_flags = _outlier_flags(conn, present, year, "XA", codes)
    district_flags = _outlier_flags(
        conn, present, year, "HUYEN", [row["district_code"] for row in district_scorecard]
    )

    districts: dict[str, District] = {}
    for row in district_scorecard:
        districts[row["district_code"]] = District(
            code=row["district_code"],
            name=row["district_name"],
            level_status={lv: row[col] for lv, col in DISTRICT_LEVEL_COLUMNS.items()},
            communes_total=row["communes_total"],
            communes_ntm_dat=row["communes_ntm_dat"],
            communes_ntm_nang_cao_dat=row["communes_ntm_nang_cao_dat"],
            criteria=district_criteria.get(row["district_code"], {}),
            outlier_flags=district_flags.get(row["district_code"], {}),
        )
    for row in scorecard:
        district = districts.get(row["district_code"])
        if district is None and new_units:  # no districts since 1 July 2025: one group
            district = districts[row["district_code"]] = District(
                code="", name=f"{name} — đơn vị từ 01/07/2025 / units since 1 July 2025"
            )
        elif district is None:  # a district without its own scorecard row still groups communes
            district = districts[row["district_code"]] = District(
                code=row["district_code"], name=row["district_name"]
            )
        code = row["commune_code"]
        district.communes.append(
            Commune(
                code=code,
                name=row["commune_name"],
                commune_type=row["commune_type"],
                district_code=row["district_code"],
                district_name=row["district_name"],
                held_level=row["held_level"],
                registered_level=row["registered_level"],
                level_status={lv: row[col] for lv, col in COMMUNE_LEVEL_COLUMNS.items()},
                months_reported=row["months_reported"],
                criteria=commune_criteria.get(code, {}),
                missing_months=missing.get(code, {}),
                ttxh_monthly=series.get(code, []),
                predecessors=lineage.get(code, []),
                outlier_flags=commune_flags.get(code, {}),
            )
        )
    catalogue_texts, catalogue_levels = criterion_catalogue(conn, criteria_set)
    derived_levels = _levels_of(commune_levels, labels.COMMUNE_LEVELS) | _levels_of(
        district_levels, labels.DISTRICT_LEVELS
    )
    return ProvinceReport(
        province_code=province,
        province_name=name,
        year=year,
        criteria_set=criteria_set,
        districts=sorted(districts.values(), key=lambda d: d.code),
        commune_criteria=sorted(commune_levels),
        district_criteria=sorted(district_levels),
        criterion_levels=derived_levels
        | {code: lv for code, lv in catalogue_levels.items() if code in derived_levels},
        criterion_labels=catalogue_texts,
        period=period_status(conn, present, province, year),
    )
