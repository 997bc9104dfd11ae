"""Column-wise validation of a count file (chi_tieu, chi_tieu_quy_doi) read from CSV.

A national export repeats a few values in each column: ~100 communes, 22 indicator codes, a
handful of small counts, one period, one name per commune. So each column is checked once per
*distinct* value (a set, or a set of pairs for the names against their codes) and the COPY text
is assembled by C-level joins over the columns, instead of checking every cell in the
interpreter. The checks are the row-by-row validator's own (`checks`), value for value.

These functions only say "clean" (the COPY text) or "not clean" (None). A file that is not
clean goes through the row-by-row validator, which reports every error with its row and
column: the report is the same whichever path a file takes, only the clean case is faster.
"""

from __future__ import annotations

from itertools import repeat

from antt.ingest.cells import copy_escape, is_blank
from antt.ingest.checks import (
    NULL,
    count_text,
    indicator_code,
    note_text,
    period_error,
    ten_xa_text,
)
from antt.ingest.contract import INDICATOR_CELLS
from antt.ingest.issues import CellError
from antt.ingest.reference import Reference

Columns = list[tuple]  # one tuple of cells per column, rows in file order


class Unclean(Exception):
    """Some value breaks a rule: the row-by-row validator reports it."""


def _each(values, check) -> dict:
    """Each distinct value → check(value); Unclean when one of them fails."""
    try:
        return {value: check(value) for value in set(values)}
    except CellError:
        raise Unclean from None


def _names(column_xa: tuple, column_ten: tuple, ctx: FileContext) -> dict[str, str]:
    """`ten_xa` cell → COPY text, every distinct (commune, name) pair checked."""
    texts: dict[str, str] = {}
    for code, value in set(zip(column_xa, column_ten, strict=True)):
        if is_blank(value):
            texts[value] = NULL
            continue
        try:
            texts[value] = copy_escape(ten_xa_text(ctx.reference, ctx.new_list, code, value))
        except CellError:
            raise Unclean from None
    return texts


class FileContext:
    """What the column checks need of the file: its width, area, list, period and id."""

    def __init__(
        self,
        width: int,
        area: frozenset[str],
        reference: Reference,
        new_list: bool,
        period: str,
        submission_id: int,
    ):
        self.width = width
        self.area = area
        self.reference = reference
        self.new_list = new_list
        self.period = period
        self.submission_id = str(submission_id)


def split_columns(ctx: FileContext, body: str | None) -> Columns:
    """The cells of a quote-free CSV body (see `Table.body`) as columns, by C-level splits;
    Unclean unless every line has the header's width."""
    if not body:
        raise Unclean
    if "\r" in body:
        body = body.replace("\r\n", "\n")
    if body.endswith("\n"):
        body = body[:-1]
    lines = body.split("\n")
    if set(map(str.count, lines, repeat(","))) != {ctx.width - 1}:
        raise Unclean  # a short, long or blank line: padding and stray cells are reported per row
    cells = body.replace("\n", ",").split(",")
    return [tuple(cells[column :: ctx.width]) for column in range(ctx.width)]


def _communes(ctx: FileContext, column_xa: tuple) -> None:
    if not ctx.area.issuperset(column_xa):
        raise Unclean  # blank rows, codes to parse or codes outside the area


def long_copy_text(ctx: FileContext, columns: dict[str, int], first_row: int, cols: Columns) -> str:
    """The COPY text of a clean long file (one row per commune and indicator)."""
    xa = cols[columns["ma_xa"]]
    _communes(ctx, xa)
    codes = dict(INDICATOR_CELLS)
    code_of = _each(cols[columns["ma_chi_tieu"]], lambda value: indicator_code(value, codes))
    code = list(map(code_of.__getitem__, cols[columns["ma_chi_tieu"]]))
    if len(set(zip(xa, code, strict=True))) != len(xa):
        raise Unclean  # a (commune, indicator) given twice
    gia_of = _each(cols[columns["gia_tri"]], count_text)
    if "ky_bao_cao" in columns:
        for value in set(cols[columns["ky_bao_cao"]]):
            if value != ctx.period and period_error(value, ctx.period) is not None:
                raise Unclean
    if "ten_xa" in columns:
        ten_column = cols[columns["ten_xa"]]
        ten = map(_names(xa, ten_column, ctx).__getitem__, ten_column)
    else:
        ten = repeat(NULL)
    if "ghi_chu" in columns:
        note_column = cols[columns["ghi_chu"]]
        note_of = {value: text + "\n" for value, text in _each(note_column, note_text).items()}
        notes = map(note_of.__getitem__, note_column)
    else:
        notes = repeat(NULL + "\n")
    return "".join(
        map(
            "\t".join,
            zip(
                repeat(ctx.submission_id),
                map(str, range(first_row, first_row + len(xa))),
                xa,
                code,
                map(gia_of.__getitem__, cols[columns["gia_tri"]]),
                ten,
                notes,
            ),
        )
    )


def wide_copy_text(
    ctx: FileContext,
    columns: dict[str, int],
    indicators: list[tuple[int, str]],
    first_row: int,
    cols: Columns,
) -> str:
    """The COPY text of a clean wide file (one row per commune, a column per indicator):
    the lines of each row in the indicators' column order, as the row-by-row path writes them."""
    xa = cols[columns["ma_xa"]]
    _communes(ctx, xa)
    if len(set(xa)) != len(xa):
        raise Unclean  # a commune given twice
    if "ten_xa" in columns:
        ten_column = cols[columns["ten_xa"]]
        ten = list(map(_names(xa, ten_column, ctx).__getitem__, ten_column))
    else:
        ten = [NULL] * len(xa)
    values = []
    for index, code in indicators:
        gia_of = _each(cols[index], count_text)
        values.append([f"{code}\t{gia}" for gia in map(gia_of.__getitem__, cols[index])])
    sid = ctx.submission_id
    parts = []
    by_row = zip(*values, strict=True)
    numbers = range(first_row, first_row + len(xa))
    for number, commune, name, cells in zip(numbers, xa, ten, by_row, strict=True):
        head = f"{sid}\t{number}\t{commune}\t"
        tail = f"\t{name}\t{NULL}\n"
        parts.append(head + (tail + head).join(cells) + tail)
    return "".join(parts)
