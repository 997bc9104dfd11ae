"""Validation findings: one `ValidationIssue` per error, with a stable code and two languages."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# The most errors kept for one file; a file this broken is re-made, not fixed cell by cell.
MAX_ISSUES = 50_000
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

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


class CellError(Exception):
    """A cell that breaks a rule; the validator turns it into a `ValidationIssue`."""

    def __init__(self, code: str, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


class FileRejected(Exception):
    """The file cannot be read as a table at all (limits, encoding, format, header)."""

    def __init__(self, issues: list[ValidationIssue]):
        super().__init__(issues[0].message_en if issues else "rejected")
        self.issues = issues


def shown_value(value: object) -> str | None:
    """A cell value as a report shows it: text, truncated, `None` for an empty cell."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    if text == "":
        return None
    if len(text) > MAX_VALUE_CHARS:
        return text[:MAX_VALUE_CHARS] + f"… ({len(text)} chars)"
    return text


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
