"""Reading files: size limits, encodings, CSV quoting, XLSX structure, sheets and header rows."""

from __future__ import annotations

import csv
import unicodedata
import zipfile

import pytest

from antt.ingest import ingest_file
from antt.ingest.reading import MAX_FILE_BYTES

from .builders import HOA_MINH, codes, csv_bytes, write_xlsx

NAME = "CAH847_2023-06_chi_tieu"
ROWS = [["ma_xa", "ma_chi_tieu", "gia_tri", "ghi_chu"], [HOA_MINH, "TP_MA_TUY", "1", "Hòa"]]


@pytest.fixture
def put(module_warehouse, tmp_path, monkeypatch):
    """Write raw bytes under a name and ingest them on the module's warehouse."""
    from antt.config import FileAreas

    monkeypatch.setenv("ANTT_WAREHOUSE_URL", module_warehouse)
    areas = FileAreas(*(tmp_path / k for k in ("landing", "archive", "quarantine", "pub")))
    areas.ensure()

    def run(name: str, data: bytes):
        path = areas.landing / name
        path.write_bytes(data)
        return ingest_file(path, areas, move=False)

    return run


def run_script(tmp_path, source: str, *args: str, warehouse: str | None = None) -> str:
    """Run `source` as a script in a subprocess (a regression that aborts the process fails the
    test instead of killing the test run); its stdout, stripped. With `warehouse`, the script
    loads into it with ANTT_HOME in `tmp_path`."""
    import os
    import subprocess
    import sys

    script = tmp_path / "script.py"
    script.write_text(source)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    if warehouse is not None:
        env |= {"ANTT_WAREHOUSE_URL": warehouse, "ANTT_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_utf8_with_and_without_bom(put):
    assert put(f"{NAME}.csv", csv_bytes(ROWS)).status == "accepted"
    out = put("CAH847_2023-07_chi_tieu.csv", csv_bytes(ROWS, bom=True))
    assert out.status == "accepted", out.errors


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1258", unicodedata.normalize("NFD", "Hòa Minh")),  # Windows Vietnamese
        ("latin-1", "Hoøa Minh"),  # VNI fonts show as Latin-1 letters
        (None, b"H\xb5a Minh"),  # TCVN3 (ABC) bytes
    ],
)
def test_legacy_encodings_are_rejected_with_a_message_that_says_so(put, encoding, text):
    body = b"ma_xa,ma_chi_tieu,gia_tri,ghi_chu\r\n29410,TP_MA_TUY,1,"
    data = body + (text if encoding is None else text.encode(encoding)) + b"\r\n"
    out = put(f"{NAME}.csv", data)
    assert codes(out) == ["ENCODING_NOT_UTF8"]
    assert "TCVN3" in out.errors[0].message_vi and "VNI" in out.errors[0].message_en
    assert out.errors[0].row == 2


def test_utf16_is_rejected(put):
    data = "\ufeffma_xa,ma_chi_tieu,gia_tri\r\n".encode("utf-16-le")
    out = put(f"{NAME}.csv", b"\xff\xfe" + data)
    assert codes(out) == ["ENCODING_NOT_UTF8"]


def test_size_limit_boundary(put, tmp_path):
    header = b"ma_xa,ma_chi_tieu,gia_tri,ghi_chu\r\n29410,TP_MA_TUY,1,"
    # Exactly 20 MiB loads... (the note is over the text limit, so it is a row error, not size)
    exact = header + b"x" * (MAX_FILE_BYTES - len(header))
    out = put(f"{NAME}.csv", exact)
    assert codes(out) == ["TEXT_TOO_LONG"]
    over = put("CAH847_2023-07_chi_tieu.csv", exact + b"x")
    assert codes(over) == ["FILE_TOO_LARGE"]
    assert "20 MiB" in over.errors[0].message_en


def test_empty_file(put):
    assert codes(put(f"{NAME}.csv", b"")) == ["FILE_EMPTY"]


def test_malformed_csv_quoting(put):
    out = put(
        f"{NAME}.csv", b'ma_xa,ma_chi_tieu,gia_tri\r\n29410,TP_MA_TUY,1\r\n29410,"TP_"X,1\r\n'
    )
    assert codes(out) == ["CSV_MALFORMED"]
    assert out.errors[0].row == 3


def test_malformed_csv_without_quotes_names_its_line(put):
    # Quote-free text is numbered by a counter; an error must still name the line it is on.
    previous = csv.field_size_limit(100)
    try:
        out = put(
            f"{NAME}.csv",
            b"ma_xa,ma_chi_tieu,gia_tri\r\n\r\n29410,TP_MA_TUY,1\r\n29410,"
            + b"x" * 200
            + b",1\r\n",
        )
    finally:
        csv.field_size_limit(previous)
    assert codes(out) == ["CSV_MALFORMED"]
    assert out.errors[0].row == 4


def test_quote_free_csv_rows_are_numbered_by_line(put):
    out = put(
        f"{NAME}.csv",
        b"ma_xa,ma_chi_tieu,gia_tri\r\n\r\n29410,TP_MA_TUY,x\n\r\n29410,TP_MA_TUY,1\r\n",
    )
    assert [(e.row, e.code) for e in out.errors] == [(3, "INTEGER_INVALID"), (5, "DUPLICATE_KEY")]


def test_csv_must_start_with_its_header(put):
    data = csv_bytes([["BÁO CÁO THÁNG 6"], *ROWS])
    out = put(f"{NAME}.csv", data)
    assert codes(out) == ["HEADER_NOT_FOUND"]
    assert out.errors[0].row == 1


def test_csv_with_leading_blank_lines_finds_header(put):
    out = put(f"{NAME}.csv", b"\r\n,,\r\n" + csv_bytes(ROWS))
    assert out.status == "accepted", out.errors


def test_excel_file_named_csv(put, tmp_path):
    xlsx = write_xlsx(tmp_path, "x.xlsx", ROWS, sheet="chi_tieu")
    assert codes(put(f"{NAME}.csv", xlsx.read_bytes())) == ["FORMAT_MISMATCH"]


def test_csv_named_xlsx_and_legacy_xls(put):
    assert codes(put(f"{NAME}.xlsx", csv_bytes(ROWS) + b"\r\n")) == ["XLSX_UNREADABLE"]
    out = put("CAH847_2023-07_chi_tieu.xlsx", b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    assert codes(out) == ["XLSX_UNREADABLE"] and ".xls" in out.errors[0].message_en


def test_broken_zip_and_zip_without_workbook(put, tmp_path):
    good = write_xlsx(tmp_path, "g.xlsx", ROWS, sheet="chi_tieu").read_bytes()
    assert codes(put(f"{NAME}.xlsx", good[: len(good) // 2])) == ["XLSX_UNREADABLE"]
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert codes(put("CAH847_2023-07_chi_tieu.xlsx", other.read_bytes())) == ["XLSX_UNREADABLE"]


def test_xlsx_uncompressed_over_200_mib_is_rejected_unread(put, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(201):
                member.write(block)
    assert bomb.stat().st_size < MAX_FILE_BYTES
    out = put(f"{NAME}.xlsx", bomb.read_bytes())
    assert codes(out) == ["XLSX_TOO_LARGE"]
    assert "200 MiB" in out.errors[0].message_en


def test_sheet_named_as_dataset_among_others(check, tmp_path):
    out = check(f"{NAME}.xlsx", ROWS, sheet="Chi_Tieu", extra_sheets=["Hướng dẫn", "Ghi chú"])
    assert out.status == "accepted", out.errors
    assert out.row_count == 1


def test_several_sheets_none_named_as_dataset(check):
    out = check(f"{NAME}.xlsx", ROWS, sheet="Sheet1", extra_sheets=["Sheet2"])
    assert codes(out) == ["SHEET_NOT_FOUND"]


def test_only_sheet_with_any_name(check):
    out = check(f"{NAME}.xlsx", ROWS, sheet="Báo cáo T6")
    assert out.status == "accepted", out.errors


def test_xlsx_without_header_row(check):
    out = check(f"{NAME}.xlsx", [["Mã đơn vị", "x"], ["1", "2"]], sheet="chi_tieu")
    assert codes(out) == ["HEADER_NOT_FOUND"]
    assert out.errors[0].sheet == "chi_tieu"


def test_xlsx_row_numbers_count_title_rows_and_empty_rows(check):
    out = check(
        f"{NAME}.xlsx",
        [
            ["Mã xã", "Mã chỉ tiêu", "Giá trị"],
            [HOA_MINH, "TP_MA_TUY", 1],
            [],
            [],
            [HOA_MINH, "TP_KINH_TE", "nhiều"],
        ],
        title_rows=[["CÔNG AN HUYỆN CHÂU THÀNH"], [None, "BÁO CÁO"]],
    )
    assert [(e.sheet, e.row, e.column, e.value) for e in out.errors] == [
        ("chi_tieu", 7, "Giá trị", "nhiều")
    ]


def test_semicolon_separated_csv_gets_a_specific_message(put):
    out = put(f"{NAME}.csv", b"ma_xa;ma_chi_tieu;gia_tri\r\n29410;TP_MA_TUY;1\r\n")
    assert codes(out) == ["CSV_DELIMITER"]


def test_loaded_bytes_are_the_hashed_bytes(module_warehouse, tmp_path, monkeypatch):
    """The file changing on disk after hashing cannot load bytes other than the hashed ones."""
    from antt.config import FileAreas
    from antt.ingest import reading

    monkeypatch.setenv("ANTT_WAREHOUSE_URL", module_warehouse)
    areas = FileAreas(*(tmp_path / k for k in ("l", "a", "q", "p"))).ensure()
    path = areas.landing / "CAH847_2023-11_chi_tieu.csv"
    path.write_bytes(csv_bytes([*ROWS[:1], [HOA_MINH, "TP_MA_TUY", "5", "x"]]))
    real = reading.file_facts

    def facts_then_change(p):
        facts = real(p)
        p.write_bytes(csv_bytes([*ROWS[:1], [HOA_MINH, "TP_MA_TUY", "-9", "x"]]))
        return facts

    monkeypatch.setattr("antt.ingest.pipeline.file_facts", facts_then_change)
    out = ingest_file(path, areas, move=False)
    assert out.status == "accepted", out.errors
    with __import__("psycopg").connect(module_warehouse) as conn:
        value = conn.execute(
            "SELECT gia_tri FROM raw.chi_tieu WHERE submission_id = %s", (out.submission_id,)
        ).fetchone()
    assert value == (5,)


def test_unreadable_path_is_a_clear_error(check, tmp_path):
    from antt.errors import AnttError

    missing = tmp_path / "CAH847_2023-06_chi_tieu.csv"
    with pytest.raises(AnttError, match="cannot read"):
        ingest_file(missing, move=False)


# The start of the scripts below: a one-row chi_tieu workbook in `workbook`.
ONE_ROW_WORKBOOK = """
import io, sys, zipfile
from pathlib import Path
import openpyxl
from antt.ingest import ingest_file

workbook = openpyxl.Workbook()
sheet = workbook.active
sheet.title = "chi_tieu"
sheet.append(["ma_xa", "ma_chi_tieu", "gia_tri"])
sheet.append(["29410", "TP_MA_TUY", 1])
"""

FAR_CELL = (
    ONE_ROW_WORKBOOK
    + """
sheet[sys.argv[2]] = "x"
path = Path(sys.argv[1]) / "CAH847_2023-06_chi_tieu.xlsx"
workbook.save(path)
out = ingest_file(path, move=False)
print(out.status, *[e.code for e in out.errors])
"""
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("XFD1048576", "rejected XLSX_TOO_LARGE"),
        ("D40", "rejected COLUMN_UNKNOWN VALUE_MISSING VALUE_MISSING"),
    ],
)
def test_one_far_away_cell_cannot_exhaust_memory(module_warehouse, tmp_path, cell, expected):
    """4 KB of XML would make the reader allocate 500 GB and abort the process: a subprocess
    runs the load, so a regression fails this test instead of killing the test run."""
    out = run_script(tmp_path, FAR_CELL, str(tmp_path), cell, warehouse=module_warehouse)
    assert out == expected


def _rewrite_sheet(xlsx: bytes, change) -> bytes:
    source = zipfile.ZipFile(__import__("io").BytesIO(xlsx))
    out = __import__("io").BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(info.filename, data)
    return out.getvalue()


def test_cells_without_references_are_bounded_too(put, tmp_path):
    """Cells written without `r` sit after the previous one: 20,000 of them in row 1,048,576."""
    import re

    good = write_xlsx(tmp_path, "g.xlsx", ROWS, sheet="chi_tieu").read_bytes()
    loose = b'<row r="1048576">' + b'<c t="n"><v>1</v></c>' * 20_000 + b"</row>"
    data = _rewrite_sheet(good, lambda xml: re.sub(rb"</sheetData>", loose + b"</sheetData>", xml))
    out = put("CAH847_2023-12_chi_tieu.xlsx", data)
    assert [e.code for e in out.errors] == ["XLSX_TOO_LARGE"]


def test_far_empty_formatted_rows_and_dimension_do_not_count(put, tmp_path):
    import re

    good = write_xlsx(
        tmp_path, "g.xlsx", [*ROWS[:1], [HOA_MINH, "TP_KINH_TE", 3, ""]], sheet="chi_tieu"
    ).read_bytes()

    def change(xml):
        xml = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', xml)
        far = b'<row r="1048570" ht="30" customHeight="1"><c r="XFD1048570" s="0"/></row>'
        return xml.replace(b"</sheetData>", far + b"</sheetData>")

    out = put("CAH847_2024-01_chi_tieu.xlsx", _rewrite_sheet(good, change))
    assert out.status == "accepted", out.errors


SHARED = (
    ONE_ROW_WORKBOOK
    + """
buffer = io.BytesIO()
workbook.save(buffer)
source = zipfile.ZipFile(buffer)
out = io.BytesIO()
rel = (b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats'
       b'.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')
ctype = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats'
         b'-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
    for info in source.infolist():
        data = source.read(info.filename)
        if info.filename == "xl/worksheets/sheet1.xml":
            data = data.replace(b'<c r="A1" t="inlineStr"><is><t>ma_xa</t></is></c>',
                                b'<c r="A1" t="s"><v>0</v></c>')
        data = data.replace(b"</Relationships>", rel).replace(b"</Types>", ctype)
        target.writestr(info.filename, data)
    target.writestr("xl/sharedStrings.xml",
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    b'count="1" uniqueCount="' + sys.argv[2].encode()
                    + b'"><si><t>ma_xa</t></si></sst>')
path = Path(sys.argv[1]) / "CAH847_2023-06_chi_tieu.xlsx"
path.write_bytes(out.getvalue())
result = ingest_file(path, move=False)
print(result.status, *[e.code for e in result.errors])
"""
)


@pytest.mark.parametrize(
    ("count", "expected"), [("2000000000", "rejected XLSX_UNREADABLE"), ("1", "accepted")]
)
def test_forged_shared_string_count_cannot_abort_the_process(
    module_warehouse, tmp_path, count, expected
):
    out = run_script(tmp_path, SHARED, str(tmp_path), count, warehouse=module_warehouse)
    assert out == expected


OPEN_TABLE = """
import sys
from pathlib import Path
from antt.ingest.issues import FileRejected
from antt.ingest.reading import FileFacts, open_table

data = Path(sys.argv[1]).read_bytes()
try:
    table = open_table(FileFacts(Path("x"), "x", len(data), "0" * 64, data), "xlsx", "chi_tieu")
    print("read", sum(1 for _ in table.rows))
except FileRejected as exc:
    print("rejected", exc.issues[0].code)
"""


@pytest.mark.parametrize(
    ("row_xml", "expected"),
    [
        (b'<row><c r="xfd1048576" t="n"><v>1</v></c></row>', "rejected XLSX_UNREADABLE"),
        (b'<row><c r="$XFD$1048576" t="n"><v>1</v></c></row>', "rejected XLSX_UNREADABLE"),
        (b"<row><c r='XFD1048576' t=\"n\"><v>1</v></c></row>", "rejected XLSX_TOO_LARGE"),
        (b'<row><c r = "XFD1048576" t="n"><v>1</v></c></row>', "rejected XLSX_TOO_LARGE"),
        (b'<row><c r="XFE1" t="n"><v>1</v></c></row>', "rejected XLSX_UNREADABLE"),
        (b'<row r="0"><c t="n"><v>1</v></c></row>', "rejected XLSX_UNREADABLE"),
        (b'<row r="7"><c r="D7" t="n"><v>1</v></c></row>', "read 6"),
    ],
)
def test_cell_references_the_reader_would_misread_are_refused(tmp_path, row_xml, expected):
    """Run in a subprocess: a regression would abort the process, not the test run."""
    good = write_xlsx(tmp_path, "g.xlsx", ROWS, sheet="chi_tieu").read_bytes()
    data = _rewrite_sheet(good, lambda xml: xml.replace(b"</sheetData>", row_xml + b"</sheetData>"))
    (tmp_path / "f.xlsx").write_bytes(data)
    assert run_script(tmp_path, OPEN_TABLE, str(tmp_path / "f.xlsx")) == expected


def test_member_larger_than_its_directory_entry_is_refused(put, tmp_path):
    """A zip whose directory understates a member's size (a disguised bomb) is refused."""
    import re
    import struct

    data = bytearray(write_xlsx(tmp_path, "g.xlsx", ROWS, sheet="chi_tieu").read_bytes())
    target = b"xl/styles.xml"
    for match in re.finditer(rb"PK\x01\x02", bytes(data)):  # central directory entries
        start = match.start()
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if bytes(data[start + 46 : start + 46 + name_length]) == target:
            struct.pack_into("<I", data, start + 24, 10)  # uncompressed size
            local = struct.unpack_from("<I", data, start + 42)[0]
            struct.pack_into("<I", data, local + 22, 10)
            break
    else:
        raise AssertionError("no central directory entry for styles.xml")
    assert (
        zipfile.ZipFile(__import__("io").BytesIO(bytes(data))).getinfo(target.decode()).file_size
        == 10
    )
    out = put("CAH847_2024-02_chi_tieu.xlsx", bytes(data))
    assert [e.code for e in out.errors] == ["XLSX_UNREADABLE"]


def test_a_header_of_punctuation_only_is_not_a_column_name(check):
    rows = [["ma_xa", "ma_chi_tieu", "gia_tri", "(*)"], [HOA_MINH, "TP_MA_TUY", "1", ""]]
    out = check(f"{NAME}.csv", rows)
    assert codes(out) == ["COLUMN_UNKNOWN"]
    error = out.errors[0]
    assert (error.column, error.value) == ("(*)", "(*)")
    assert error.message_vi == "Tiêu đề cột '(*)' không hợp lệ."
    assert error.message_en == "Column header '(*)' is not valid."
