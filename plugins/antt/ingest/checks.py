"""Checks of one cell value of a count dataset, shared by the row-by-row and the column-wise
validation: each returns the value as COPY text or raises `CellError`."""

from __future__ import annotations

from antt.ingest.cells import INT8_MAX, copy_escape, is_blank, parse_code, parse_int, parse_month
from antt.ingest.cells import parse_text as _parse_text
from antt.ingest.issues import CellError
from antt.ingest.normalize import ten_xa_matches
from antt.ingest.reference import NAMES_KEPT, Reference

NULL = "\\N"  # COPY text for NULL
# Per-file caches of valid cells stay this small: a file repeats a few small counts and codes.
MAX_CACHED = 4096


def missing(column: str) -> CellError:
    return CellError("VALUE_MISSING", column=column)


def duplicate(first: int) -> CellError:
    return CellError("DUPLICATE_KEY", first=first)


def count_text(value: object) -> str:
    """`gia_tri` as COPY text: digits, `\\N` for blank (never 0)."""
    if type(value) is str and value.isdigit() and value.isascii() and len(value) < 19:
        return value
    if is_blank(value):
        return NULL
    return str(parse_int(value, 0, INT8_MAX))


def indicator_code(value: object, codes: dict[str, str]) -> str:
    """The canonical indicator code of a `ma_chi_tieu` cell."""
    if is_blank(value):
        raise missing("ma_chi_tieu")
    return parse_code(value, codes, "ma_chi_tieu")


def note_text(value: object) -> str:
    """`ghi_chu` as COPY text."""
    if is_blank(value):
        return NULL
    return copy_escape(_parse_text(value))


def period_error(value: object, period: str) -> CellError | None:
    """The error of a `ky_bao_cao` cell in a file of `period`; None when it is blank or equal."""
    if is_blank(value):
        return None
    try:
        given = parse_month(value)
    except CellError as error:
        return error
    if given == period:
        return None
    return CellError("PERIOD_MISMATCH", given=given, period=period)


def ten_xa_text(reference: Reference, new_list: bool, code: str | None, value: object) -> str:
    """A non-blank `ten_xa` as given (NFC), after checking it names the commune `code`.

    Remembered per process (`reference.ten_xa_checked`): a province's files name the same
    communes month after month."""
    key = (code, value, new_list)
    known = reference.ten_xa_checked.get(key)
    if known is None:
        try:
            text = _parse_text(value, 200)
            keys = None if code is None else reference.name_keys(code, new_list)
            if keys is not None and not ten_xa_matches(text, keys):
                commune = reference.communes_of(new_list)[code]
                raise CellError("TEN_XA_MISMATCH", name=text, code=code, commune=commune.name)
            known = text
        except CellError as error:
            known = error
        if len(reference.ten_xa_checked) < NAMES_KEPT:
            reference.ten_xa_checked[key] = known
    if isinstance(known, CellError):
        raise known
    return known
