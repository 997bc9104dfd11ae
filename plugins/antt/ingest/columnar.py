"""Column-wise validation of a count file (chi_tieu, chi_tieu_quy_doi) read from CSV.

A national export repeats a few values in each column: ~100 communes, 22 indicator codes, a
handful of small counts, one period, one name per commune. So each column is checked once per
*distinct* value (a set, or a set of pairs for the names against their codes) and the COPY text
is assembled by C-level joins over the columns, instead of checking every cell in the
interpreter. The checks are the row-by-row validator's own (`checks`), value for value.

The cells stay bytes, as read (the file was decoded once, so each one is valid UTF-8): splitting
and joining bytes cost half what the same on text cost for files with Vietnamese names, whose
text takes two bytes a character and is scanned again for every cell cut out of it. Only the
distinct values are decoded, checked, and encoded again as their COPY text.

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
from antt.ingest.reference import NAMES_KEPT, Reference

Columns = list[tuple[bytes, ...]]  # one tuple of cells per column, rows in file order


class Unclean(Exception):
    """Some value breaks a rule: the row-by-row validator reports it."""


def _each(values: tuple[bytes, ...], check, end: str = "") -> dict[bytes, bytes]:
    """Each distinct cell → its COPY text (`check` of the decoded cell, then `end`), encoded;
    Unclean when one of them fails."""
    try:
        return {value: (check(value.decode()) + end).encode() for value in set(values)}
    except CellError:
        raise Unclean from None


def _names(column_xa: tuple, column_ten: tuple, ctx: FileContext) -> dict[bytes, bytes]:
    """`ten_xa` cell → COPY text, every distinct (commune, name) pair checked (once a process:
    `Reference.ten_xa_copy`)."""
    known = ctx.reference.ten_xa_copy
    texts: dict[bytes, bytes] = {}
    for code, value in set(zip(column_xa, column_ten, strict=True)):
        key = (code, value, ctx.new_list)
        text = known.get(key)
        if text is None:
            text = _name_text(ctx, code, value)
            if len(known) < NAMES_KEPT:
                known[key] = text
        texts[value] = text
    return texts


def _name_text(ctx: FileContext, code: bytes, value: bytes) -> bytes:
    name = value.decode()
    if is_blank(name):
        return NULL_BYTES
    try:
        text = ten_xa_text(ctx.reference, ctx.new_list, code.decode(), name)
    except CellError:
        raise Unclean from None
    return copy_escape(text).encode()


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
        self.submission_id = str(submission_id).encode()


NULL_BYTES = NULL.encode()


def split_columns(ctx: FileContext, body: bytes | None) -> Columns:
    """The cells of a quote-free CSV body (see `Table.body`) as columns, by C-level splits;
    Unclean unless every line has the header's width.

    Each line break becomes a cell of its own (`a,b\\n` → `a`, `b`, `\\n`): with as many cells
    as lines × (width + 1), every line has the header's width exactly when every cell in the
    break's places is a break, since a line of another width moves the breaks after it out of
    those places. The break cells are one shared object, so that test costs no allocation."""
    if not body:
        raise Unclean
    if b"\r" in body:
        body = body.replace(b"\r", b"")  # every CR of a `Table.body` is in a CR LF pair
    if not body.endswith(b"\n"):
        body += b"\n"
    width = ctx.width
    step = width + 1
    cells = body.replace(b"\n", b",\n,").split(b",")
    cells.pop()  # the empty cell after the last line break
    lines = body.count(b"\n")
    if len(cells) != lines * step or cells[width::step].count(b"\n") != lines:
        raise Unclean  # a short, long or blank line: padding and stray cells are reported per row
    return [tuple(cells[column::step]) for column in range(width)]


_numbers: tuple[bytes, ...] = ()


def row_numbers(first: int, count: int) -> tuple[bytes, ...]:
    """The row numbers first … first + count - 1 as COPY text, sliced from a tuple kept per
    process (formatting each number cost a tenth of a microsecond a row; the tuple is
    replaced, never changed, so threads can share it)."""
    global _numbers
    numbers = _numbers
    if len(numbers) < first + count:
        size = max(first + count, 2 * len(numbers), 4096)
        numbers = _numbers = tuple(b"%d" % number for number in range(size))
    return numbers[first : first + count]


def _communes(ctx: FileContext, column_xa: tuple[bytes, ...]) -> None:
    if not ctx.area.issuperset(value.decode() for value in set(column_xa)):
        raise Unclean  # blank rows, codes to parse or codes outside the area


def commune_blocks(xa: tuple, code: tuple) -> int | None:
    """k when the rows come commune by commune in blocks of k rows, every block listing the
    same indicator cells in the same order (how exports write a long file); else None."""
    count = len(code)
    try:
        size = code.index(code[0], 1)
    except ValueError:
        size = count
    if count % size or code != code[:size] * (count // size):
        return None
    heads = xa[::size]
    if any(xa[row::size] != heads for row in range(1, size)):
        return None
    return size


def _indicator_codes(xa: tuple, cells: tuple, size: int | None) -> list[bytes]:
    """Each row's indicator code; Unclean when a (commune, indicator) pair comes twice. In
    blocks only the first block's cells are read: the indicators of a block must differ and
    no commune may have two blocks. Otherwise by the set of all pairs."""
    codes = dict(INDICATOR_CELLS)
    if size is None:
        code_of = _each(cells, lambda value: indicator_code(value, codes))
        code = list(map(code_of.__getitem__, cells))
        if len(set(zip(xa, code, strict=True))) != len(xa):
            raise Unclean
        return code
    block = cells[:size]
    code_of = _each(block, lambda value: indicator_code(value, codes))
    first = list(map(code_of.__getitem__, block))
    heads = xa[::size]
    if len(set(first)) != size or len(set(heads)) != len(heads):
        raise Unclean
    return first * len(heads)


def _name_pairs(xa: tuple, ten: tuple, size: int | None) -> tuple[tuple, tuple]:
    """The (commune, name) pairs to check: in blocks that give their commune one name, one
    pair a block; else every row's."""
    if size is not None:
        heads = ten[::size]
        if all(ten[row::size] == heads for row in range(1, size)):
            return xa[::size], heads
    return xa, ten


def long_copy_text(
    ctx: FileContext, columns: dict[str, int], first_row: int, cols: Columns
) -> bytes:
    """The COPY text of a clean long file (one row per commune and indicator)."""
    xa = cols[columns["ma_xa"]]
    size = commune_blocks(xa, cols[columns["ma_chi_tieu"]])
    _communes(ctx, xa if size is None else xa[::size])
    code = _indicator_codes(xa, cols[columns["ma_chi_tieu"]], size)
    gia_of = _each(cols[columns["gia_tri"]], count_text)
    if "ky_bao_cao" in columns:
        for value in set(cols[columns["ky_bao_cao"]]):
            text = value.decode()
            if text != ctx.period and period_error(text, ctx.period) is not None:
                raise Unclean
    if "ten_xa" in columns:
        ten_column = cols[columns["ten_xa"]]
        ten = map(_names(*_name_pairs(xa, ten_column, size), ctx).__getitem__, ten_column)
    else:
        ten = repeat(NULL_BYTES)
    if "ghi_chu" in columns:
        note_column = cols[columns["ghi_chu"]]
        notes = map(_each(note_column, note_text, "\n").__getitem__, note_column)
    else:
        notes = repeat(NULL_BYTES + b"\n")
    return b"".join(
        map(
            b"\t".join,
            zip(
                repeat(ctx.submission_id),
                row_numbers(first_row, len(xa)),
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
) -> bytes:
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
        ten = [NULL_BYTES] * len(xa)
    values = []
    for index, code in indicators:
        gia_of = _each(cols[index], count_text)
        prefix = code.encode() + b"\t"
        values.append([prefix + gia for gia in map(gia_of.__getitem__, cols[index])])
    sid = ctx.submission_id
    parts = []
    by_row = zip(*values, strict=True)
    numbers = row_numbers(first_row, len(xa))
    for number, commune, name, cells in zip(numbers, xa, ten, by_row, strict=True):
        head = b"%s\t%s\t%s\t" % (sid, number, commune)
        tail = b"\t%s\t%s\n" % (name, NULL_BYTES)
        parts.append(head + (tail + head).join(cells) + tail)
    return b"".join(parts)
