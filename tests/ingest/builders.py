"""Small builders for ingestion tests: CSV and XLSX files with the contract's quirks."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from contract_columns import (
    DANG_KY_COLUMNS,
    DANH_GIA_COLUMNS,
    LONG_COLUMNS,
    MO_HINH_COLUMNS,
    SU_VU_COLUMNS,
)

# Trà Vinh (84), huyện Châu Thành (847): communes used across the tests.
HOA_MINH = "29410"  # Xã Hòa Minh, district 847
HOA_THUAN = "29398"  # Xã Hòa Thuận, district 847
HUNG_MY = "29407"  # Xã Hưng Mỹ, district 847
TRA_VINH_WARD = "29254"  # Phường 7, Thành phố Trà Vinh (district 842): outside CAH847
OTHER_PROVINCE = "00004"  # Hà Nội: outside Trà Vinh


def csv_bytes(rows: Sequence[Sequence[object]], *, bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


def write_csv(folder: Path, name: str, rows: Sequence[Sequence[object]], **kw) -> Path:
    path = folder / name
    path.write_bytes(csv_bytes(rows, **kw))
    return path


def write_xlsx(
    folder: Path,
    name: str,
    rows: Sequence[Sequence[object]],
    *,
    sheet: str | None = None,
    title_rows: Sequence[Sequence[object]] = (),
    extra_sheets: Sequence[str] = (),
    start_col: int = 1,
) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet or name.split("_", 2)[-1].split(".")[0]
    for row in (*title_rows, *rows):
        ws.append([None] * (start_col - 1) + list(row))
    for extra in extra_sheets:
        workbook.create_sheet(extra)
    path = folder / name
    workbook.save(path)
    return path


def write_file(folder: Path, name: str, rows: Sequence[Sequence[object]], **kw) -> Path:
    """CSV or XLSX by the name's extension (XLSX keyword arguments go to `write_xlsx`)."""
    if name.lower().endswith(".xlsx"):
        return write_xlsx(folder, name, rows, **kw)
    return write_csv(folder, name, rows, **kw)


def row_builder(**defaults: object):
    """A function building a row of `defaults`' values in their order, each replaceable by
    position or by name: `row_builder(a=1, b=2)(5, b=6) == [5, 6]`."""
    names = list(defaults)

    def build(*values: object, **changes: object) -> list[object]:
        unknown = set(changes) - set(defaults)
        assert len(values) <= len(names) and not unknown, (values, unknown)
        return list(
            (defaults | dict(zip(names[: len(values)], values, strict=True)) | changes).values()
        )

    return build


def codes(outcome) -> list[str]:
    return [issue.code for issue in outcome.errors]


LONG_HEADER = list(LONG_COLUMNS)
SU_VU_HEADER = [*SU_VU_COLUMNS, "mo_ta"]
MO_HINH_HEADER = list(MO_HINH_COLUMNS)
DANH_GIA_HEADER = list(DANH_GIA_COLUMNS)
DANG_KY_HEADER = list(DANG_KY_COLUMNS)
