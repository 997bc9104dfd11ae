"""A small, separate reader of the sample files, so tests can check what the files really say."""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from pathlib import Path

import openpyxl


def normalize(text: object) -> str:
    """The contract's header normalization: NFC, strip diacritics (đ→d), lower, runs → _."""
    s = unicodedata.normalize("NFC", str(text or "")).replace("đ", "d").replace("Đ", "D")
    s = "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "_", s.lower()).strip("_")


@functools.cache  # several tests read the same few hundred files
def read_rows(path: Path, dataset: str) -> tuple[list[str], list[list[object]], int]:
    """(normalized header, data rows, 1-based row number of the header)."""
    if path.suffix.lower() == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        return [normalize(h) for h in rows[0]], rows[1:], 1
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = wb[dataset] if dataset in wb.sheetnames else wb[wb.sheetnames[0]]
    if len(wb.sheetnames) > 1:
        assert dataset in wb.sheetnames, f"{path.name}: several sheets, none named {dataset}"
    all_rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    for n, row in enumerate(all_rows):
        if any(normalize(c) == "ma_xa" for c in row):
            header = [normalize(c) for c in row]
            body = [r for r in all_rows[n + 1 :] if any(c not in (None, "") for c in r)]
            return header, body, n + 1
    raise AssertionError(f"{path.name}: no header row")


def code(value: object) -> str:
    return str(value).zfill(5) if isinstance(value, int) else str(value)


def chi_tieu_values(path: Path, indicators: list[str]) -> dict[tuple[str, str], int | None]:
    """(ma_xa, indicator) -> value (None for a blank cell) of one chi_tieu file."""
    header, rows, _ = read_rows(path, "chi_tieu")
    out: dict[tuple[str, str], int | None] = {}

    def value(cell: object) -> int | None:
        if cell in (None, ""):
            return None
        return int(cell)

    if "ma_chi_tieu" in header:
        xa, ind, val = (header.index(c) for c in ("ma_xa", "ma_chi_tieu", "gia_tri"))
        for row in rows:
            out[(code(row[xa]), normalize(row[ind]).upper())] = value(row[val])
        return out
    columns = {normalize(i): i for i in indicators}
    xa = header.index("ma_xa")
    for row in rows:
        for n, h in enumerate(header):
            if h in columns:
                out[(code(row[xa]), columns[h])] = value(row[n])
    return out
