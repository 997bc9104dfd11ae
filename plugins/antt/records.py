"""Rows to records: the one way a database row or a JSON object becomes a dataclass."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, fields
from typing import Any, TypeVar

T = TypeVar("T")


def record(
    cls: type[T], row: Mapping[str, Any], /, columns: Mapping[str, str] | None = None, **values
) -> T:
    """An instance of the dataclass `cls`. Each field is taken from `values` when given there,
    else from `row` under its own name or under the key `columns` names for it; a field `row`
    does not hold keeps its default. A field with no default and no value is an error
    (`KeyError` with the key), never a silent None."""
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if not f.init:
            continue
        if f.name in values:
            kwargs[f.name] = values[f.name]
            continue
        key = (columns or {}).get(f.name, f.name)
        if key in row:
            kwargs[f.name] = row[key]
        elif f.default is MISSING and f.default_factory is MISSING:
            raise KeyError(key)
    unknown = values.keys() - kwargs.keys()
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
    return cls(**kwargs)
