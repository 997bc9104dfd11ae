"""A small inline SVG bar chart of a commune's monthly social-order crime over two years."""

from __future__ import annotations

from html import escape

from antt.report.data import MonthValue

WIDTH, HEIGHT = 380, 120
LEFT, RIGHT, TOP, BOTTOM = 26, 6, 16, 30
PREVIOUS_FILL, CURRENT_FILL = "#9BB7CF", "#0072B2"


def ttxh_chart(series: list[MonthValue], year: int) -> str:
    """Grouped bars per month of year: Y-1 light, Y dark; `?` marks a month without full data."""
    by_key = {(p.month.year, p.month.month): p.value for p in series}
    highs = {(p.month.year, p.month.month): p.high for p in series if p.is_interval}
    values = [v for v in by_key.values() if v is not None] + list(highs.values())
    peak = max(values, default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / 12
    bar = slot * 0.36
    base = TOP + plot_h
    totals = {
        y: sum(v for (yy, _), v in by_key.items() if yy == y and v is not None)
        for y in (year - 1, year)
    }
    gaps = {y: sum(1 for (yy, _), v in by_key.items() if yy == y and v is None) for y in totals}
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="TTXH {year - 1}: {totals[year - 1]}, {year}: {totals[year]}">',
        f"<title>Tội phạm về TTXH theo tháng / Social-order crime per month, "
        f"{year - 1}–{year}</title>",
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" class="axis"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{WIDTH - RIGHT}" y2="{TOP}" class="grid"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" class="tick" text-anchor="end">{peak}</text>',
        f'<text x="{LEFT - 4}" y="{base}" class="tick" text-anchor="end">0</text>',
    ]
    for m in range(1, 13):
        x0 = LEFT + (m - 1) * slot + slot * 0.12
        for offset, (y, fill) in enumerate(((year - 1, PREVIOUS_FILL), (year, CURRENT_FILL))):
            x = x0 + offset * bar
            value = by_key.get((y, m))
            label = f"{m:02d}/{y}"
            if value is None:
                parts.append(
                    f'<text x="{x + bar / 2:.1f}" y="{base - 3}" class="gap" '
                    f'text-anchor="middle"><title>{label}: thiếu dữ liệu / no complete data'
                    "</title>?</text>"
                )
                continue
            h = plot_h * value / peak
            parts.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{fill}"><title>{label}: {value}</title></rect>'
            )
            high = highs.get((y, m))
            if high is not None:  # a split predecessor's count: somewhere between none and all
                top = plot_h * high / peak
                parts.append(
                    f'<rect x="{x:.1f}" y="{base - top:.1f}" width="{bar:.1f}" '
                    f'height="{top - h:.1f}" fill="{fill}" fill-opacity="0.35" class="interval">'
                    f"<title>{label}: {value}–{high} (khoảng / interval)</title></rect>"
                )
        parts.append(
            f'<text x="{LEFT + (m - 0.5) * slot:.1f}" y="{base + 11}" class="tick" '
            f'text-anchor="middle">{m}</text>'
        )
    legend_y = HEIGHT - 5
    for i, (y, fill) in enumerate(((year - 1, PREVIOUS_FILL), (year, CURRENT_FILL))):
        x = LEFT + i * 170
        gap_note = f", thiếu {gaps[y]} tháng" if gaps[y] else ""
        parts.append(f'<rect x="{x}" y="{legend_y - 8}" width="9" height="9" fill="{fill}"/>')
        parts.append(
            f'<text x="{x + 13}" y="{legend_y}" class="legend">'
            f"{y}: {totals[y]}{escape(gap_note)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
