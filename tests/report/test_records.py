"""antt.records.record: the one way rows and JSON objects become dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from antt.records import record


@dataclass
class Row:
    code: str
    expected: int
    note: str | None = None
    items: list[int] = field(default_factory=list)
    derived: int = field(init=False, default=0)


def test_fields_come_from_their_own_names_or_the_renamed_columns():
    made = record(
        Row,
        {"code": "84", "expected_reports": 3, "extra": "ignored"},
        {"expected": "expected_reports"},
    )
    assert made == Row("84", 3)


def test_given_values_win_over_the_row():
    made = record(Row, {"code": "84", "expected": 3, "note": "row"}, note="given", items=[1])
    assert (made.note, made.items) == ("given", [1])


def test_a_field_the_row_lacks_keeps_its_default():
    made = record(Row, {"code": "84", "expected": 3})
    assert (made.note, made.items, made.derived) == (None, [], 0)


def test_a_required_field_missing_from_the_row_is_an_error():
    with pytest.raises(KeyError, match="expected_reports"):
        record(Row, {"code": "84"}, {"expected": "expected_reports"})


def test_a_value_for_no_field_is_an_error():
    with pytest.raises(TypeError, match="Row has no field colour"):
        record(Row, {"code": "84", "expected": 3}, colour="red")
