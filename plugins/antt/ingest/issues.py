"""Validation findings: one `ValidationIssue` per error, with a stable code and two languages."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, astuple, dataclass

# The most errors listed for one file (report, audit rows); the rest are only counted. A file
# this broken is re-made, not fixed cell by cell, and a million-row file of errors must not
# turn into a million-row report (docs/decisions.md).
MAX_ISSUES = 1_000
# A cell value is quoted in reports up to this many characters.
MAX_VALUE_CHARS = 200


@dataclass(frozen=True)
class ValidationIssue:
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    code: str
    message_vi: str
    message_en: str

    def as_dict(self) -> dict:
        return asdict(self)

    def fields(self) -> tuple:
        """sheet, row, column, value, code, message_vi, message_en: a report's or an audit
        row's columns after the file."""
        return astuple(self)

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


class CodedError(Exception):
    """An error with a stable code (ERROR_CODES) and its message in both languages."""

    def __init__(self, code: str, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


class CellError(CodedError):
    """A cell that breaks a rule; the validator turns it into a `ValidationIssue`."""


class FileRejected(Exception):
    """The file cannot be read as a table at all (limits, encoding, format, header)."""

    def __init__(self, issues: list[ValidationIssue]):
        super().__init__(issues[0].message_en if issues else "rejected")
        self.issues = issues


# Bidirectional overrides and isolates: they make `report‮vsc.exe` read as `reportexe.csv`.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def escape_controls(text: str, keep: str = "") -> str:
    """`text` with control characters (and bidirectional overrides) as `\\xNN` / `\\uNNNN`:
    what reports, the register and the terminal show, never the raw characters (a NUL that
    PostgreSQL refuses, an escape sequence a terminal would run). `keep` lists those left as
    they are."""
    if text.isprintable():
        return text
    return "".join(
        (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        if c not in keep and (unicodedata.category(c) == "Cc" or c in _BIDI_CONTROLS)
        else c
        for c in text
    )


def shown_value(value: object) -> str | None:
    """A cell value as a report shows it: text, control characters escaped (line breaks and
    tabs kept), truncated, `None` for an empty cell."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    if text == "":
        return None
    if len(text) > MAX_VALUE_CHARS:
        text = text[:MAX_VALUE_CHARS] + f"… ({len(text)} chars)"
    return escape_controls(text, keep="\t\n\r")


def file_issue(
    code: str,
    message_vi: str,
    message_en: str,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
) -> ValidationIssue:
    return ValidationIssue(sheet, row, column, shown_value(value), code, message_vi, message_en)


# Every error code the validator gives, with what it means (stable: reports and tests use them).
ERROR_CODES: dict[str, str] = {
    # file level
    "FILE_NAME_INVALID": "the name is not <unit>_<period>_<dataset>.<csv|xlsx>",
    "FILE_NAME_PERIOD": "the period does not fit the dataset (YYYY-MM / YYYY) or does not exist",
    "UNIT_UNKNOWN": "no such district/commune/province code in the administrative lists",
    "DATASET_NOT_ALLOWED": "this kind of unit may not send this dataset",
    "UNIT_PERIOD_NOT_ALLOWED": "the unit may not submit this period (names the periods it may)",
    "FILE_TOO_LARGE": "over 20 MiB: not read",
    "FILE_EMPTY": "0 bytes",
    "XLSX_TOO_LARGE": "the workbook unpacks to over 200 MiB: not read",
    "XLSX_UNREADABLE": "not a valid .xlsx (legacy .xls, password, broken zip or XML)",
    "FORMAT_MISMATCH": "a workbook named .csv",
    "ENCODING_NOT_UTF8": "not UTF-8 (TCVN3/VNI/UTF-16)",
    "CSV_MALFORMED": "broken RFC 4180 quoting",
    "CSV_DELIMITER": "semicolon-separated CSV",
    "SHEET_NOT_FOUND": "several sheets, none named as the dataset",
    "HEADER_NOT_FOUND": "no header row with ma_xa (CSV: it must be the first line)",
    "COLUMN_UNKNOWN": "a column the template does not have (or data under a blank header)",
    "COLUMN_DUPLICATE": "two columns that normalize to the same name",
    "COLUMN_MISSING": "a required column is absent",
    "TOO_MANY_ERRORS": "listing stopped at the limit",
    "DATABASE_REJECTED": "the warehouse refused a value the validator let through",
    "PERIOD_CLOSED": "the period's year is closed (antt lock) for the unit's province",
    # cells and rows
    "ROW_EXTRA_CELLS": "more cells than header columns",
    "VALUE_MISSING": "a required cell is blank",
    "MA_XA_INVALID": "not a 5-digit commune code",
    "COMMUNE_UNKNOWN": "no such commune in either list",
    "COMMUNE_CODE_ENDED": "an old commune code in a period of the new codes (says where it went)",
    "COMMUNE_CODE_NOT_YET_VALID": "a new unit code in a period of the old codes (names its origin)",
    "COMMUNE_NOT_AUTHORIZED": "a commune outside the unit's area (rejects the whole file)",
    "TEN_XA_MISMATCH": "ten_xa names another commune than ma_xa",
    "INTEGER_INVALID": "not digits only",
    "INTEGER_FRACTION": "a numeric Excel cell with a fractional part",
    "INTEGER_OUT_OF_RANGE": "negative or outside the column's range",
    "FLAG_INVALID": "not 0 or 1",
    "DATE_INVALID": "not YYYY-MM-DD, DD/MM/YYYY or a date cell, or no such date",
    "PERIOD_INVALID": "ky_bao_cao is not YYYY-MM",
    "PERIOD_MISMATCH": "ky_bao_cao differs from the file name's period",
    "CODE_UNKNOWN": "a code outside its list (indicators, event types, ratings, levels)",
    "DUPLICATE_KEY": "a key repeated within the file",
    "TEXT_TOO_LONG": "text over its length limit",
    "CONTROL_CHARACTER": "a non-printable control character",
    "SU_VU_START_OUTSIDE_PERIOD": "a new incident that does not start in the file's month",
    "SU_VU_START_CHANGED": "an update that changes the incident's original start date",
    "SU_VU_END_BEFORE_START": "ngay_ket_thuc before ngay_bat_dau",
    "DON_VI_GOC_INVALID": "don_vi_goc is not a police unit code of the lists",
    "SO_NGUOI_REQUIRED": "a mass complaint without so_nguoi",
    "TRAI_PHAP_LUAT_REQUIRED": "a complaint without trai_phap_luat",
    "SO_AP_AN_TOAN_EXCEEDS": "more safe hamlets than hamlets",
    "NAM_DAT_INVALID": "recognition year after the report year",
}
