"""Byte-stable CSV and XLSX writers, Vietnamese text variants and a legacy (TCVN3) encoder."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font

Cell = str | int | float | date | None
FIXED_TIME = datetime(2024, 1, 1, 0, 0, 0)
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]]
    title: list[str] = field(default_factory=list)  # XLSX title rows above the header


# --- Vietnamese text ----------------------------------------------------------------------------

_TONE_ON_FIRST = re.compile(
    r"(?<![qQ])([oOuU])([\u0300\u0301\u0303\u0309\u0323])([aAeEyY])(?![\w\u0300-\u036f])"
)
_TONE_ON_SECOND = re.compile(
    r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![\w\u0300-\u036f])"
)


def other_tone_placement(text: str) -> str:
    """Hòa ↔ Hoà, Thủy ↔ Thuỷ: the other of the two accepted tone-mark placements (NFC out)."""
    nfd = unicodedata.normalize("NFD", text)
    if _TONE_ON_FIRST.search(nfd):
        nfd = _TONE_ON_FIRST.sub(r"\1\3\2", nfd)
    else:
        nfd = _TONE_ON_SECOND.sub(r"\1\3\2", nfd)
    return unicodedata.normalize("NFC", nfd)


# TCVN3 (ABC), the pre-Unicode single-byte Vietnamese encoding: lower-case letters only (the
# upper-case toned letters live in a separate font), so upper-case text is lowered first.
_TCVN3 = dict(
    zip(
        "àảãáạăằẳẵắặâầẩẫấậđèẻẽéẹêềểễếệìỉĩíịòỏõóọôồổỗốộơờởỡớợùủũúụưừửữứựỳỷỹýỵ",
        [
            0xB5,
            0xB6,
            0xB7,
            0xB8,
            0xB9,
            0xA8,
            0xBB,
            0xBC,
            0xBD,
            0xBE,
            0xC6,
            0xA9,
            0xC7,
            0xC8,
            0xC9,
            0xCA,
            0xCB,
            0xAE,
            0xCC,
            0xCE,
            0xCF,
            0xD0,
            0xD1,
            0xAA,
            0xD2,
            0xD3,
            0xD4,
            0xD5,
            0xD6,
            0xD7,
            0xD8,
            0xDC,
            0xDD,
            0xDE,
            0xDF,
            0xE1,
            0xE2,
            0xE3,
            0xE4,
            0xAB,
            0xE5,
            0xE6,
            0xE7,
            0xE8,
            0xE9,
            0xAC,
            0xEA,
            0xEB,
            0xEC,
            0xED,
            0xEE,
            0xEF,
            0xF1,
            0xF2,
            0xF3,
            0xF4,
            0xAD,
            0xF5,
            0xF6,
            0xF7,
            0xF8,
            0xF9,
            0xFA,
            0xFB,
            0xFC,
            0xFD,
            0xFE,
        ],
        strict=True,
    )
)
_TCVN3_UPPER = {"Ă": 0xA1, "Â": 0xA2, "Đ": 0xA7, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6}


def encode_tcvn3(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN3_UPPER:
            out.append(_TCVN3_UPPER[ch])
        elif ch.lower() in _TCVN3:
            out.append(_TCVN3[ch.lower()])
        else:
            out += ch.encode("ascii")
    return bytes(out)


# --- CSV ----------------------------------------------------------------------------------------


def _text(value: Cell, date_style: str) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y" if date_style == "dmy" else "%Y-%m-%d")
    return str(value)


def csv_text(table: Table, date_style: str = "iso") -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([_text(v, date_style) for v in row])
    return buf.getvalue()


def csv_bytes(table: Table, date_style: str = "iso", bom: bool = False, nfd: bool = False) -> bytes:
    text = csv_text(table, date_style)
    if nfd:
        text = unicodedata.normalize("NFD", text)
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


# --- XLSX ---------------------------------------------------------------------------------------


def xlsx_bytes(
    table: Table,
    sheet: str,
    blank_row_after_title: bool = False,
    guide_sheet: bool = False,
) -> bytes:
    """One workbook; the same table gives the same bytes every run."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    row_no = 0
    for line in table.title:
        ws.append([line])
        row_no += 1
        ws.cell(row_no, 1).font = Font(bold=True)
    if table.title and blank_row_after_title:
        ws.append([])
        row_no += 1
    ws.append(table.header)
    row_no += 1
    for col in range(1, len(table.header) + 1):
        ws.cell(row_no, col).font = Font(bold=True)
    for row in table.rows:
        ws.append(row)
        row_no += 1
        for col, value in enumerate(row, 1):
            if isinstance(value, date):
                ws.cell(row_no, col).number_format = "DD/MM/YYYY"
    if guide_sheet:
        guide = wb.create_sheet("Hướng dẫn")
        guide.append(["Điền số liệu vào sheet dữ liệu; không đổi tên cột."])
        guide.append(["Fill in the data sheet; do not rename columns."])
    wb.properties.creator = "ANTT sample generator"
    wb.properties.created = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return _stable_zip(buf.getvalue())


_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>")


def _stable_zip(data: bytes) -> bytes:
    """openpyxl stamps the save time into docProps/core.xml and every zip entry: fix both."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                payload = _MODIFIED.sub(
                    b'<dcterms:modified xsi:type="dcterms:W3CDTF">'
                    + stamp
                    + b"</dcterms:modified>",
                    payload,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, payload)
    return out.getvalue()
