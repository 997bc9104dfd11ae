"""Column-wise validation of a count file (chi_tieu, chi_tieu_quy_doi) read from CSV.

A national export repeats a few values in each column: ~100 communes, 22 indicator codes, a
handful of small counts, one period, one name per commune. So each column is checked once per
*distinct* value (a set, or a set of pairs for the names against their codes) and the COPY text
is assembled by C-level joins over the columns, instead of checking every cell in the
interpreter. The checks are the row-by-row validator's own (`checks`), value for value.

A clean long file whose cells are already in their stored form (canonical codes and counts,
names and notes as given, blanks empty) is not rewritten at all: its own lines go to COPY in CSV
format, each behind its submission and row number, with the file's column order as the COPY's
column list (`CsvCopy`). Only a `ky_bao_cao` column, first or last, is cut out with one string
replace (raw has no such column; the checks found one value in it).

These functions only say "clean" (the COPY text) or "not clean" (Unclean). A file that is not
clean goes through the row-by-row validator, which reports every error with its row and
column: the report is the same whichever path a file takes, only the clean case is faster.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from itertools import repeat

from antt.ingest.cells import copy_escape, is_blank, parse_text
from antt.ingest.checks import (
    NULL,
    count_text,
    indicator_code,
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


def _names(column_xa: tuple, column_ten: tuple, ctx: FileContext) -> dict[str, str | None]:
    """`ten_xa` cell → the name stored (None: blank); every distinct (commune, name) checked."""
    texts: dict[str, str | None] = {}
    for code, value in set(zip(column_xa, column_ten, strict=True)):
        if is_blank(value):
            texts[value] = None
            continue
        try:
            texts[value] = ten_xa_text(ctx.reference, ctx.new_list, code, value)
        except CellError:
            raise Unclean from None
    return texts


def _note(value: str) -> str | None:
    """A `ghi_chu` cell → the note stored (None: blank)."""
    return None if is_blank(value) else parse_text(value)


def _escaped(stored: str | None) -> str:
    return NULL if stored is None else copy_escape(stored)


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


def body_lines(body: str | None) -> str:
    """A quote-free CSV body (see `Table.body`) with LF line ends and no final line end;
    Unclean when there is none."""
    if not body:
        raise Unclean
    if "\r" in body:
        body = body.replace("\r\n", "\n")
    return body[:-1] if body.endswith("\n") else body


def split_columns(ctx: FileContext, body: str) -> Columns:
    """The cells of `body_lines(...)` as columns, by C-level splits; Unclean unless every line
    has the header's width."""
    lines = body.split("\n")
    if set(map(str.count, lines, repeat(","))) != {ctx.width - 1}:
        raise Unclean  # a short, long or blank line: padding and stray cells are reported per row
    cells = body.replace("\n", ",").split(",")
    return [tuple(cells[column :: ctx.width]) for column in range(ctx.width)]


def _communes(ctx: FileContext, column_xa: tuple) -> None:
    if not ctx.area.issuperset(column_xa):
        raise Unclean  # blank rows, codes to parse or codes outside the area


@dataclass(frozen=True)
class LongCells:
    """A clean long file's columns and each distinct cell's stored form (None: NULL)."""

    xa: tuple
    codes: tuple
    values: tuple
    code_of: dict[str, str]
    value_of: dict[str, str]  # COPY text: digits or NULL
    names: tuple | None
    name_of: dict[str, str | None]
    notes: tuple | None
    note_of: dict[str, str | None]
    period_cells: set[str]


def long_cells(ctx: FileContext, columns: dict[str, int], cols: Columns) -> LongCells:
    """Every check of a long file (one row per commune and indicator), column-wise."""
    xa = cols[columns["ma_xa"]]
    _communes(ctx, xa)
    codes_given = dict(INDICATOR_CELLS)
    column_code = cols[columns["ma_chi_tieu"]]
    code_of = _each(column_code, lambda value: indicator_code(value, codes_given))
    if len(set(zip(xa, map(code_of.__getitem__, column_code), strict=True))) != len(xa):
        raise Unclean  # a (commune, indicator) given twice
    values = cols[columns["gia_tri"]]
    period_cells = set(cols[columns["ky_bao_cao"]]) if "ky_bao_cao" in columns else set()
    for value in period_cells:
        if value != ctx.period and period_error(value, ctx.period) is not None:
            raise Unclean
    names = cols[columns["ten_xa"]] if "ten_xa" in columns else None
    notes = cols[columns["ghi_chu"]] if "ghi_chu" in columns else None
    return LongCells(
        xa=xa,
        codes=column_code,
        values=values,
        code_of=code_of,
        value_of=_each(values, count_text),
        names=names,
        name_of=_names(xa, names, ctx) if names is not None else {},
        notes=notes,
        note_of=_each(notes, _note) if notes is not None else {},
        period_cells=period_cells,
    )


def long_copy_text(ctx: FileContext, first_row: int, cells: LongCells) -> str:
    """The COPY text (text format, raw's column order) of a clean long file."""
    if cells.names is not None:
        name_text = {value: _escaped(stored) for value, stored in cells.name_of.items()}
        names = map(name_text.__getitem__, cells.names)
    else:
        names = repeat(NULL)
    if cells.notes is not None:
        note_text = {value: _escaped(stored) + "\n" for value, stored in cells.note_of.items()}
        notes = map(note_text.__getitem__, cells.notes)
    else:
        notes = repeat(NULL + "\n")
    return "".join(
        map(
            "\t".join,
            zip(
                repeat(ctx.submission_id),
                map(str, range(first_row, first_row + len(cells.xa))),
                cells.xa,
                map(cells.code_of.__getitem__, cells.codes),
                map(cells.value_of.__getitem__, cells.values),
                names,
                notes,
            ),
        )
    )


@dataclass(frozen=True)
class CsvCopy:
    """COPY (FORMAT csv) of a file's own lines into raw's `columns`, in the file's order, each
    line behind its submission and row number."""

    columns: tuple[str, ...]
    text: str


def _as_stored(stored_of: dict[str, str | None]) -> bool:
    """Every cell is its own stored form: the text itself, or empty for NULL."""
    return all(
        stored == value if stored is not None else value == ""
        for value, stored in stored_of.items()
    )


def long_csv_copy(
    ctx: FileContext, columns: dict[str, int], first_row: int, body: str, cells: LongCells
) -> CsvCopy | None:
    """The file's own lines as COPY input, when every cell is already stored as written and a
    `ky_bao_cao` column (one value) is first or last; else None."""
    if not (
        all(code == value for value, code in cells.code_of.items())
        and all(
            text == value if text != NULL else value == "" for value, text in cells.value_of.items()
        )
        and _as_stored(cells.name_of)
        and _as_stored(cells.note_of)
    ):
        return None
    order = sorted(columns, key=columns.__getitem__)
    if "ky_bao_cao" in columns:
        if len(cells.period_cells) != 1:
            return None
        (period,) = cells.period_cells
        if order[0] == "ky_bao_cao":
            body = ("\n" + body).replace(f"\n{period},", "\n")[1:]
        elif order[-1] == "ky_bao_cao":
            body = (body + "\n").replace(f",{period}\n", "\n")[:-1]
        else:
            return None
        order.remove("ky_bao_cao")
    lines = body.split("\n")
    head = ctx.submission_id + ","
    numbers = map("{},".format, range(first_row, first_row + len(lines)))
    text = head + ("\n" + head).join(map(operator.add, numbers, lines)) + "\n"
    return CsvCopy(tuple(order), text)


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
        name_text = {
            value: _escaped(stored) for value, stored in _names(xa, ten_column, ctx).items()
        }
        ten = list(map(name_text.__getitem__, ten_column))
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
