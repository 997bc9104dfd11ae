"""Files the warehouse must reject, each for one reason, and one exact duplicate.

All are re-sends of scopes already accepted in the first batch (or carry a name that does not
parse), so no scenario depends on them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from antt.sample.files import Style, chi_tieu_table, danh_gia_table, render
from antt.sample.manifest import (
    BATCH_CORRECTIONS,
    BATCH_INITIAL,
    EXPECTED_ERROR_CODES,
    REJECT_REASONS,
)
from antt.sample.units import District
from antt.sample.world import seeded
from antt.sample.writers import Table, csv_text, encode_tcvn3

if TYPE_CHECKING:
    from antt.sample.sample_set import SampleWriter


def write_rejects(writer: SampleWriter) -> None:
    """Files that must be rejected, one reason each, and one exact duplicate."""
    w = writer.world
    districts = w.province.districts
    y = w.last

    def pick(n: int) -> District:
        return districts[n % len(districts)]

    def long_csv(district: District, month: int, mutate) -> tuple[Table, str]:
        period = f"{y}-{month:02d}"
        style = Style(fmt="csv", layout="long", headers="vn", ten_xa="mixed")
        entries = writer.district_entries(district, y, month, first=False)
        table = chi_tieu_table(
            entries, writer.indicator_codes, period, style, seeded(writer.seed, "rej", period)
        )
        mutate(table, entries)
        return table, f"{district.unit}_{period}_chi_tieu.csv"

    def reject_long(district, month: int, mutate, reason: str, encode=None) -> None:
        """A district's long chi_tieu CSV of `month`, changed by `mutate`, that must be rejected."""
        table, name = long_csv(district, month, mutate)
        text = csv_text(table)
        reject(
            BATCH_CORRECTIONS,
            name,
            encode(text) if encode else text.encode(),
            reason,
            "csv",
            unit=district.unit,
            dataset="chi_tieu",
            period=f"{y}-{month:02d}",
            layout="long",
            rows=len(table.rows),
        )

    def reject(batch: str, name: str, data: bytes, reason: str, fmt: str, **meta) -> None:
        writer.add(
            batch,
            name,
            data,
            format=fmt,
            role="rejected",
            expected_status="rejected",
            reason=reason,
            expected_error_code=EXPECTED_ERROR_CODES[reason],
            note=REJECT_REASONS[reason],
            **meta,
        )

    # A name that does not parse (month written the officer's way).
    d = pick(2)
    name, data, style, rows = writer.chi_tieu_file(d, y, 9, 2, first=False)
    reject(
        BATCH_INITIAL,
        f"{d.unit}_T09-{y}_chi_tieu.{style.fmt}",
        data,
        "bad_file_name",
        style.fmt,
        unit=None,
        dataset=None,
        period=None,
        layout=style.layout,
        rows=rows,
    )

    # A row for a commune of another district.
    d, other = pick(1), pick(4)
    stranger = other.communes[-1]

    def add_stranger(table: Table, entries) -> None:
        source = w.values[(stranger.code, y, 8)]
        for code in writer.indicator_codes[:3]:
            table.rows.append([stranger.code, stranger.short, code, source[code], f"{y}-08", ""])

    reject_long(d, 8, add_stranger, "commune_outside_area")

    # ten_xa naming another commune of the same district.
    d = pick(5)

    def wrong_name(table: Table, entries) -> None:
        commune, _ = entries[1]
        other_name = entries[2][0].name
        for row in table.rows:
            if row[0] == commune.code:
                row[1] = other_name

    reject_long(d, 9, wrong_name, "ten_xa_mismatch")

    # A negative count.
    d = pick(6)

    def negative(table: Table, entries) -> None:
        table.rows[5][3] = -1

    reject_long(d, 10, negative, "negative_value")

    # A fractional number in an Excel cell.
    d = pick(7)
    period = f"{y}-11"
    style = Style(fmt="xlsx", layout="wide", headers="vn", ten_xa="mixed", title_lines=2)
    entries = writer.district_entries(d, y, 11, first=False)
    rng = seeded(writer.seed, "frac")
    table = chi_tieu_table(entries, writer.indicator_codes, period, style, rng)
    table.rows[1][8] = 2.5
    table.title = [d.police_title, f"BÁO CÁO SỐ LIỆU THÁNG 11/{y}"]
    reject(
        BATCH_CORRECTIONS,
        f"{d.unit}_{period}_chi_tieu.xlsx",
        render(table, style, "chi_tieu"),
        "fractional_value",
        "xlsx",
        unit=d.unit,
        dataset="chi_tieu",
        period=period,
        layout="wide",
        rows=len(table.rows),
    )

    # A TCVN3-encoded CSV (a legacy font-encoded spreadsheet saved as CSV).
    d = pick(8)
    reject_long(d, 12, lambda t, e: None, "not_utf8", encode=encode_tcvn3)

    # An unknown column: the officer added a notes column the template does not have.
    d = pick(9)
    style = Style(fmt="csv")
    table = danh_gia_table(w, d, y, style, first=False)
    table.header.append("Ghi chú")
    for n, row in enumerate(table.rows):
        row.append("Đề nghị công nhận" if n % 4 == 0 else "")
    reject(
        BATCH_CORRECTIONS,
        f"{d.unit}_{y}_danh_gia_nam.csv",
        csv_text(table).encode(),
        "unknown_column",
        "csv",
        unit=d.unit,
        dataset="danh_gia_nam",
        period=str(y),
        layout=None,
        rows=len(table.rows),
    )

    # The same (commune, indicator) twice.
    d = pick(0)

    def twice(table: Table, entries) -> None:
        row = list(table.rows[3])
        row[3] = (row[3] or 0) + 1
        table.rows.insert(10, row)

    reject_long(d, 11, twice, "duplicate_pair")

    # The same bytes as an accepted file, sent again.
    d = pick(3)
    writer.resend(writer.find(d.unit, "chi_tieu", f"{y}-02"))
