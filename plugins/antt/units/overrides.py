"""The overrides file a person edits to correct the generated crosswalk, each line with a reason.

Actions: `REMOVE` drops a generated (old, new) row; `ADD` adds one; `ACCEPT` keeps the generated
rows as they are and records that a person reviewed the finding on those codes. Relations are never
written by hand: an old commune with one successor is WHOLE, with several SPLIT.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from antt.config import INCLUDE_DIR
from antt.errors import AnttError

OVERRIDES_CSV = INCLUDE_DIR / "reference" / "commune_crosswalk_2025_overrides.csv"
OVERRIDES_HEADER = ("action", "old_commune_code", "new_commune_code", "reason")
ACTIONS = ("REMOVE", "ADD", "ACCEPT")
_CODE = re.compile(r"^[0-9]{5}$")


@dataclass(frozen=True)
class Override:
    line: int
    action: str
    old_code: str  # "" only for ACCEPT of a finding about a new unit
    new_code: str  # "" only for ACCEPT of a finding about an old commune
    reason: str

    def decides(self, old_code: str, new_code: str) -> bool:
        """Whether this line names the codes a finding is about (a blank side matches any; a
        finding without any code cannot be decided here)."""
        if not (old_code or new_code):
            return False
        return (not old_code or old_code == self.old_code) and (
            not new_code or new_code == self.new_code
        )


def read_overrides(path: Path = OVERRIDES_CSV) -> list[Override]:
    """Parse and check the file's own form; every problem is listed, none is skipped."""
    if not path.exists():
        return []
    problems: list[str] = []
    overrides: list[Override] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = tuple(cell.strip() for cell in next(reader, ()))
        if header != OVERRIDES_HEADER:
            raise AnttError(
                f"{path}: tiêu đề phải là {','.join(OVERRIDES_HEADER)}"
                f" / the header must be {','.join(OVERRIDES_HEADER)}"
            )
        for line, fields in enumerate(reader, start=2):
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(OVERRIDES_HEADER):
                problems.append(f"dòng {line}: cần 4 cột / line {line}: 4 columns expected")
                continue
            action, old, new, reason = (f.strip() for f in fields)
            problems += _line_problems(line, action.upper(), old, new, reason)
            overrides.append(Override(line, action.upper(), old, new, reason))
    seen: dict[tuple[str, str, str], int] = {}
    for o in overrides:
        key = (o.action, o.old_code, o.new_code)
        if key in seen:
            problems.append(
                f"dòng {o.line} lặp lại dòng {seen[key]} / line {o.line} repeats line {seen[key]}"
            )
        seen.setdefault(key, o.line)
    if problems:
        raise AnttError(f"{path}: " + "; ".join(problems))
    return overrides


def _line_problems(line: int, action: str, old: str, new: str, reason: str) -> list[str]:
    problems = []
    if action not in ACTIONS:
        problems.append(
            f"dòng {line}: thao tác '{action}' không hợp lệ (REMOVE, ADD, ACCEPT)"
            f" / line {line}: unknown action '{action}' (REMOVE, ADD, ACCEPT)"
        )
    if not reason:
        problems.append(f"dòng {line}: thiếu lý do / line {line}: the reason is mandatory")
    for code in (old, new):
        if code and not _CODE.match(code):
            problems.append(
                f"dòng {line}: mã '{code}' phải có 5 chữ số / line {line}: code '{code}'"
                " must be 5 digits"
            )
    needs_both = action in ("REMOVE", "ADD")
    if (needs_both and not (old and new)) or not (old or new):
        problems.append(
            f"dòng {line}: thiếu mã xã / line {line}: "
            + ("both codes are required" if needs_both else "a code is required")
        )
    return problems
