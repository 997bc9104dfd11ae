"""Cell parsers. Each takes a CSV string or a typed XLSX value and returns the value to load,
or raises `CellError` in both languages. The common case returns early: these run per cell."""

from __future__ import annotations

import re
from datetime import date, datetime

from antt.ingest.issues import CellError
from antt.ingest.normalize import nfc, normalize_header

INT4_MAX = 2_147_483_647
INT8_MAX = 9_223_372_036_854_775_807
MAX_TEXT_CHARS = 4000
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_VN_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
# C0 controls other than tab, line feed and carriage return, and DEL: PostgreSQL refuses NUL,
# Excel and the published workbooks refuse the rest.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def is_blank(value: object) -> bool:
    return value is None or (type(value) is str and (value == "" or value.isspace()))


def as_text(value: object) -> str:
    """A cell as stripped text; an integral Excel number loses its `.0`."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if type(value) is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if type(value) is bool:
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def copy_escape(text: str) -> str:
    """Text for PostgreSQL COPY text format (backslash, tab, newline, carriage return)."""
    if _COPY_SPECIAL.search(text):
        return _COPY_SPECIAL.sub(lambda m: _COPY_ESCAPES[m.group()], text)
    return text


def parse_ma_xa(value: object) -> str:
    if type(value) is str:
        text = value.strip()
        if len(text) == 5 and text.isascii() and text.isdigit():
            return text
    elif ((type(value) is float and value.is_integer()) or type(value) is int) and (
        0 <= value <= 99999
    ):
        return f"{int(value):05d}"
    raise CellError("MA_XA_INVALID")


def parse_int(value: object, low: int = 0, high: int = INT4_MAX) -> int:
    kind = type(value)
    if kind is str:
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 19:
            number = int(text)
        elif text[:1] == "-" and text[1:].isascii() and text[1:].isdigit():
            raise CellError("INTEGER_OUT_OF_RANGE", "negative", low=low)
        else:
            raise CellError("INTEGER_INVALID", "text")
    elif kind is float or kind is int:
        if kind is float and not value.is_integer():
            raise CellError("INTEGER_FRACTION")
        number = int(value)
    else:
        raise CellError("INTEGER_INVALID", "typed")
    if not low <= number <= high:
        raise CellError("INTEGER_OUT_OF_RANGE", "range", low=low, high=high)
    return number


def parse_flag(value: object) -> int:
    try:
        number = parse_int(value, 0, 1)
    except CellError:
        number = None
    if number is None:
        raise CellError("FLAG_INVALID")
    return number


def parse_date(value: object) -> date:
    kind = type(value)
    if kind is datetime:
        return value.date()
    if kind is date:
        return value
    if kind is str:
        text = value.strip()
        match = _ISO_DATE.fullmatch(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
        else:
            match = _VN_DATE.fullmatch(text)
            if match:
                day, month, year = (int(part) for part in match.groups())
        if match:
            try:
                if year >= 1900:
                    return date(year, month, day)
            except ValueError:
                pass
            raise CellError("DATE_INVALID", "no_such_date", text=text)
    raise CellError("DATE_INVALID", "form")


def parse_month(value: object) -> str:
    """A `YYYY-MM` period; an Excel date cell (Excel turns `2023-06` into a date) counts."""
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    text = as_text(value)
    if _MONTH.fullmatch(text) and 1 <= int(text[5:]) <= 12:
        return text
    raise CellError("PERIOD_INVALID")


def parse_code(value: object, codes: dict[str, str], column: str) -> str:
    text = as_text(value)
    found = codes.get(text) or codes.get(normalize_header(text))
    if found:
        return found
    allowed = ", ".join(sorted(set(codes.values())))
    if len(allowed) > 300:
        allowed = allowed[:300] + "…"
    raise CellError("CODE_UNKNOWN", code=text[:80], column=column, allowed=allowed)


def parse_text(value: object, max_chars: int = MAX_TEXT_CHARS) -> str | None:
    text = as_text(value)
    if not text:
        return None
    if len(text) > max_chars:
        raise CellError("TEXT_TOO_LONG", length=len(text), limit=max_chars)
    if _CONTROL.search(text):
        raise CellError("CONTROL_CHARACTER")
    return nfc(text)
