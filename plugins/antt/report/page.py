"""HTML rendering of the reviewer pages (Jinja2, autoescaped; CSS and JS inlined from include/)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2

from antt.config import INCLUDE_DIR
from antt.errors import AnttError
from antt.report import labels
from antt.report.chart import ttxh_chart
from antt.report.data import Commune, ProvinceReport

TEMPLATES_DIR = INCLUDE_DIR / "report"
LEVEL_ABBR = {
    "NTM": "NTM",
    "NTM_NANG_CAO": "NTM-NC",
    "NTM_KIEU_MAU": "NTM-KM",
    "CHUA": "Chưa",
    "KHONG": "Không",
}


def fmt(value) -> str:
    """A measured value or threshold as a reviewer reads it: no trailing zeros, `—` when none."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal | float):
        number = Decimal(str(value)) if isinstance(value, float) else value
        if number == number.to_integral_value():
            return str(int(number))
        return f"{number.quantize(Decimal('0.01')).normalize():f}"
    return str(value)


def fmt_threshold(result) -> str:
    """`≤ 0`, `≥ 5`: the threshold with the comparison the mart used, when it gives one."""
    if result is None or result.threshold is None:
        return "—"
    symbol = labels.comparison_symbol(result.comparison)
    return f"{symbol} {fmt(result.threshold)}".strip()


def figure_words(result) -> labels.Label | None:
    """Whether a measured value on a new unit is exact or an interval, in words; None when the
    mart gives no bounds (years before 2025)."""
    if result is None or result.measured_low is None or result.measured_high is None:
        return None
    if not result.is_interval:
        return labels.Label("chính xác", "exact")
    low, high = fmt(result.measured_low), fmt(result.measured_high)
    return labels.Label(
        f"khoảng từ {low} đến {high} (có xã tiền thân bị chia tách)",
        f"an interval from {low} to {high} (a predecessor commune was split)",
    )


def code_ranges(codes: list[str]) -> str:
    """`ANTT_01..ANTT_05` -> `01–05`; `ANTT_H1, ANTT_H2, ANTT_H4` -> `H1–H2, H4`."""
    shorts = [labels.short_code(c) for c in codes]
    parts: list[str] = []
    run: list[str] = []

    def key(code: str) -> tuple[str, int] | None:
        prefix, digits = code.rstrip("0123456789"), code[len(code.rstrip("0123456789")) :]
        return (prefix, int(digits)) if digits else None

    for code in shorts:
        prev = key(run[-1]) if run else None
        cur = key(code)
        if run and prev and cur and prev[0] == cur[0] and cur[1] == prev[1] + 1:
            run.append(code)
            continue
        if run:
            parts.append(run[0] if len(run) == 1 else f"{run[0]}–{run[-1]}")
        run = [code]
    if run:
        parts.append(run[0] if len(run) == 1 else f"{run[0]}–{run[-1]}")
    return ", ".join(parts)


def asset(name: str) -> str:
    text = (TEMPLATES_DIR / name).read_text(encoding="utf-8")
    if "</script" in text.lower() or "</style" in text.lower():
        raise ValueError(f"{name} must not close its own inline element")
    return text


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.globals.update(
        style=labels.status_style,
        level_label=labels.level_label,
        short=labels.short_code,
        fmt=fmt,
        fmt_threshold=fmt_threshold,
        figure_words=figure_words,
        relation_label=labels.relation_label,
        code_ranges=code_ranges,
        local_time=local_time,
        statuses=labels.STATUSES,
        commune_levels=list(labels.COMMUNE_LEVELS),
        district_levels=list(labels.DISTRICT_LEVELS),
        level_abbr=LEVEL_ABBR,
    )
    env.filters["level_vi"] = lambda level: labels.level_label(level).vi
    env.filters["short"] = labels.short_code
    # submitters' cells may be decomposed (NFD); shown composed so diacritics render in place
    env.filters["nfc"] = lambda text: unicodedata.normalize("NFC", text)
    return env


def report_timezone() -> ZoneInfo:
    """Times on the pages are Vietnam time unless ANTT_TIMEZONE names another zone."""
    from antt.config import load_settings

    name = load_settings().timezone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise AnttError(f"ANTT_TIMEZONE không hợp lệ / unknown time zone: {name!r}") from exc


def local_time(moment: datetime) -> str:
    """`03/07/2023 16:30 (UTC+07)`: day first, as Vietnamese readers write dates."""
    when = moment.astimezone(report_timezone())
    offset = when.strftime("%z")
    return (
        f"{when:%d/%m/%Y %H:%M} (UTC{offset[:3]}{':' + offset[3:] if offset[3:] != '00' else ''})"
    )


def generated_stamp(now: datetime | None = None) -> str:
    return local_time(now or datetime.now(UTC))


def _render(template: str, now: datetime | None, **context) -> str:
    """A page of the report: the template with the shared stylesheet and the time it was made."""
    return (
        environment()
        .get_template(template)
        .render(**context, css=asset("report.css"), generated_at=generated_stamp(now))
    )


def render_scorecard(report: ProvinceReport, now: datetime | None = None) -> str:
    def chart(commune: Commune) -> str:
        return ttxh_chart(commune.ttxh_monthly, report.year)

    return _render("scorecard.html.j2", now, r=report, js=asset("scorecard.js"), chart=chart)


def render_rejected(
    files: list,
    year: int | None,
    province_code: str | None,
    province_name: str | None,
    first_errors: int,
    now: datetime | None = None,
) -> str:
    return _render(
        "rejected_files.html.j2",
        now,
        files=files,
        year=year,
        province_code=province_code,
        province_name=province_name,
        first_errors=first_errors,
    )


def render_tracker(tracker, province_name: str, now: datetime | None = None) -> str:
    from antt.report.tracker import DATASET_LABELS

    def dataset_label(dataset: str) -> str:
        vi, en = DATASET_LABELS.get(dataset, (dataset, dataset))
        return f"{vi} / {en}"

    return _render(
        "tracker.html.j2", now, t=tracker, province_name=province_name, dataset_label=dataset_label
    )


def render_index(
    entries: list[dict],
    docs: dict | None,
    now: datetime | None = None,
    provinces: list[dict] | None = None,
    unplaced: list[dict] | None = None,
) -> str:
    return _render(
        "index.html.j2",
        now,
        entries=entries,
        docs=docs,
        unplaced=unplaced or [],
        provinces=provinces or [],
    )


def render_not_evaluated(
    province_code: str, province_name: str, year: int, reason, now: datetime | None = None
) -> str:
    """The scorecard page of a year no criteria set covers: it says why nothing is evaluated."""
    return _render(
        "not_evaluated.html.j2",
        now,
        province_code=province_code,
        province_name=province_name,
        year=year,
        reason=reason,
    )
