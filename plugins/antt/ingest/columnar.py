"""Column-wise validation of a clean count file (chi_tieu, chi_tieu_quy_doi) read from CSV.

A national export repeats a few values in each column: ~100 communes, 22 indicator codes, a
handful of small counts, one period, one name per commune. So the body is parsed by Arrow's C++
CSV reader, each column is dictionary-encoded, every *distinct* value is checked once with the
row-by-row validator's own checks (`checks`), value for value, and the COPY text is written by
Arrow's CSV writer (tab-separated, unquoted, cells already COPY-escaped) from the columns mapped
through the checked values. Python work per file is then proportional to the distinct values,
not to the rows.

These functions only say "clean" (the COPY text) or "not clean" (`Unclean`). A file that is
not clean goes through the row-by-row validator, which reports every error with its row and
column: the report is the same whichever path a file takes, only the clean case is faster.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

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


class Unclean(Exception):
    """Some value breaks a rule: the row-by-row validator reports it."""


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


_WRITE_OPTIONS = pacsv.WriteOptions(
    include_header=False, delimiter="\t", quoting_style="none", batch_size=1 << 16
)


class Encoded:
    """A column as its distinct values (a Python list) and each row's index into them."""

    def __init__(self, column: pa.ChunkedArray):
        encoded = pc.dictionary_encode(column.combine_chunks())
        self.values: list[str] = encoded.dictionary.to_pylist()
        self.indices = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)

    def mapped(self, texts: list[str]) -> pa.Array:
        """Each row's text, given the text of each distinct value (same order as `values`)."""
        return pa.array(texts, pa.string()).take(pa.array(self.indices))


def read_columns(ctx: FileContext, body: bytes | None) -> list[pa.ChunkedArray]:
    """The cells of a quote-free CSV body (see `Table.body`) as string columns, parsed in C++;
    Unclean unless every line, blank ones included, has the header's width (row n is line n)."""
    if not body:
        raise Unclean
    names = [str(i) for i in range(ctx.width)]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pacsv.ParseOptions(
                quote_char=False, double_quote=False, escape_char=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=False,  # decoded, so checked, by `reading` already
            ),
        )
    except pa.ArrowInvalid:
        raise Unclean from None  # a short, long or blank line: reported per row
    return table.columns


def _distinct_keys(first: np.ndarray, second: np.ndarray, size: int) -> np.ndarray:
    """The distinct values of first * size + second: a count per possible key when there are
    few of them (linear), a sort otherwise."""
    keys = first * size + second
    possible = (int(first.max()) + 1) * size if len(first) else 0
    if possible <= 4 * len(keys) + 65536:
        return np.flatnonzero(np.bincount(keys, minlength=possible))
    return np.unique(keys)


def _checked(encoded: Encoded, check) -> list[str]:
    try:
        return [check(value) for value in encoded.values]
    except CellError:
        raise Unclean from None


def _communes(ctx: FileContext, column: pa.ChunkedArray) -> Encoded:
    xa = Encoded(column)
    if not ctx.area.issuperset(xa.values):
        raise Unclean  # blank rows, codes to parse or codes outside the area
    return xa


def _names(ctx: FileContext, xa: Encoded, column: pa.ChunkedArray) -> pa.Array:
    """`ten_xa` as COPY text, every distinct (commune, name) pair checked."""
    ten = Encoded(column)
    pairs = _distinct_keys(xa.indices, ten.indices, len(ten.values))
    texts: list[str | None] = [None] * len(ten.values)
    for pair in pairs.tolist():
        code, value = xa.values[pair // len(ten.values)], ten.values[pair % len(ten.values)]
        if is_blank(value):
            texts[pair % len(ten.values)] = NULL
            continue
        try:
            texts[pair % len(ten.values)] = copy_escape(
                ten_xa_text(ctx.reference, ctx.new_list, code, value)
            )
        except CellError:
            raise Unclean from None
    return ten.mapped(texts)


def _copy_bytes(ctx: FileContext, numbers: np.ndarray, columns: list[pa.Array]) -> bytes:
    """COPY text lines: submission id, the row number the officer sees, then `columns`."""
    table = pa.table(
        [pa.repeat(pa.scalar(ctx.submission_id), len(numbers)), pa.array(numbers), *columns],
        names=[str(i) for i in range(len(columns) + 2)],
    )
    sink = pa.BufferOutputStream()
    try:
        pacsv.write_csv(table, sink, _WRITE_OPTIONS)
    except pa.ArrowInvalid:
        raise Unclean from None  # a cell Arrow would have to quote: the row-by-row path writes it
    return sink.getvalue().to_pybytes()


def long_copy_bytes(
    ctx: FileContext, columns: dict[str, int], first_row: int, cols: list[pa.ChunkedArray]
) -> bytes:
    """The COPY text of a clean long file (one row per commune and indicator)."""
    xa = _communes(ctx, cols[columns["ma_xa"]])
    codes = dict(INDICATOR_CELLS)
    raw_code = Encoded(cols[columns["ma_chi_tieu"]])
    code_texts = _checked(raw_code, lambda value: indicator_code(value, codes))
    canonical = {code: index for index, code in enumerate(dict.fromkeys(code_texts))}
    code_index = np.array([canonical[code] for code in code_texts], np.int64)[raw_code.indices]
    if len(_distinct_keys(xa.indices, code_index, len(canonical))) != len(xa.indices):
        raise Unclean  # a (commune, indicator) given twice
    gia = Encoded(cols[columns["gia_tri"]])
    gia_texts = _checked(gia, count_text)
    if "ky_bao_cao" in columns:
        for value in Encoded(cols[columns["ky_bao_cao"]]).values:
            if value != ctx.period and period_error(value, ctx.period) is not None:
                raise Unclean
    rows = len(xa.indices)
    if "ten_xa" in columns:
        ten = _names(ctx, xa, cols[columns["ten_xa"]])
    else:
        ten = pa.repeat(pa.scalar(NULL), rows)
    if "ghi_chu" in columns:
        note = Encoded(cols[columns["ghi_chu"]])
        notes = note.mapped(_checked(note, note_text))
    else:
        notes = pa.repeat(pa.scalar(NULL), rows)
    return _copy_bytes(
        ctx,
        np.arange(first_row, first_row + rows, dtype=np.int64),
        [
            cols[columns["ma_xa"]].combine_chunks(),
            raw_code.mapped(code_texts),
            gia.mapped(gia_texts),
            ten,
            notes,
        ],
    )


def wide_copy_bytes(
    ctx: FileContext,
    columns: dict[str, int],
    indicators: list[tuple[int, str]],
    first_row: int,
    cols: list[pa.ChunkedArray],
) -> bytes:
    """The COPY text of a clean wide file (one row per commune, a column per indicator):
    the lines of each row in the indicators' column order, as the row-by-row path writes them."""
    xa = _communes(ctx, cols[columns["ma_xa"]])
    rows, width = len(xa.indices), len(indicators)
    if len(xa.values) != rows or not indicators:
        raise Unclean  # a commune given twice
    if "ten_xa" in columns:
        ten = _names(ctx, xa, cols[columns["ten_xa"]])
    else:
        ten = pa.repeat(pa.scalar(NULL), rows)
    # every indicator column at once: column k's cells are cells[k * rows : (k + 1) * rows]
    gia = Encoded(pa.chunked_array([cols[index].combine_chunks() for index, _ in indicators]))
    gia_texts = gia.mapped(_checked(gia, count_text))
    # line k of row i is indicator k of row i: position i * width + k
    row_of = np.repeat(np.arange(rows, dtype=np.int64), width)
    indicator_of = np.tile(np.arange(width, dtype=np.int64), rows)
    return _copy_bytes(
        ctx,
        row_of + first_row,
        [
            cols[columns["ma_xa"]].combine_chunks().take(pa.array(row_of)),
            pa.array([code for _, code in indicators]).take(pa.array(indicator_of)),
            gia_texts.take(pa.array(indicator_of * rows + row_of)),
            ten.take(pa.array(row_of)),
            pa.repeat(pa.scalar(NULL), rows * width),
        ],
    )
