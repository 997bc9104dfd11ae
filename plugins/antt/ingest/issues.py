"""Validation findings: one `ValidationIssue` per error, with a stable code and two languages."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, astuple, dataclass

from antt.ingest.messages import ERROR_CODES as ERROR_CODES  # reports and tests import it here
from antt.ingest.messages import Bilingual, checked, fill

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
    """An error with a stable code and its message in both languages, made by the catalogue
    (`messages.ERRORS`) from the code, the variant when the code has several, and the values of
    its placeholders: `CellError("INTEGER_OUT_OF_RANGE", "range", low=0, high=1)`."""

    def __init__(self, code: str, variant: str = "", /, **params: object):
        # Checked now (a wrong code or placeholder fails where it is raised), rendered when
        # read: most errors of a broken file are only counted, and the clean-file fast path
        # only needs to know that a cell failed.
        self._templates = checked(code, variant, params)
        self._params = params
        self._messages: Bilingual | None = None
        super().__init__(code, variant)
        self.code = code
        self.variant = variant

    def _rendered(self) -> Bilingual:
        if self._messages is None:
            self._messages = fill(self._templates, self._params)
        return self._messages

    @property
    def message_vi(self) -> str:
        return self._rendered().vi

    @property
    def message_en(self) -> str:
        return self._rendered().en

    def __str__(self) -> str:
        return self.message_en


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
    error: CodedError,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
) -> ValidationIssue:
    """`error` as a finding at a place of the file (the whole file when none is given)."""
    return ValidationIssue(
        sheet, row, column, shown_value(value), error.code, error.message_vi, error.message_en
    )
