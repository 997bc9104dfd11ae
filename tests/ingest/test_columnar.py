"""The column-wise path of count files (`ingest.columnar`) against the row-by-row validator.

For a clean quote-free CSV, the column-wise path must COPY the very rows the row-by-row path
writes (as text rows, or as the file's own lines in CSV); for any file it does not accept, the
report must be the row-by-row one (it is: the file goes through that path), and it must never
accept a file the row-by-row path rejects.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import psycopg
import pytest

from antt.ingest import columnar, validate
from antt.ingest.filename import parse_file_name
from antt.ingest.reading import file_facts, open_table
from antt.ingest.reference import reference_for

from .builders import HOA_MINH, HOA_THUAN, HUNG_MY, TRA_VINH_WARD

NAME = "CAH847_2023-06_chi_tieu.csv"
LONG = b"ma_xa,ma_chi_tieu,gia_tri\r\n"
NFD_HUNG_MY = unicodedata.normalize("NFD", "Xã Hưng Mỹ")


@pytest.fixture(scope="module")
def reference(module_warehouse):
    with psycopg.connect(module_warehouse) as conn:
        return reference_for(conn)


RAW = ("submission_id", "source_row", *validate.RAW_COLUMNS["chi_tieu"])
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}


def _text_value(field: str) -> str | None:
    if field == "\\N":
        return None
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], field)


def copied_rows(text: str, csv_columns: tuple[str, ...] | None) -> list[tuple]:
    """The rows a COPY of `text` stores, in raw's column order (None: NULL): text-format rows
    in raw's columns, or CSV lines in `csv_columns` (an unquoted empty field is NULL)."""
    if csv_columns is None:
        lines = text.split("\n")[:-1]
        return [tuple(map(_text_value, line.split("\t"))) for line in lines]
    names = ("submission_id", "source_row", *csv_columns)
    stored = [
        dict(zip(names, [cell if cell != "" else None for cell in cells], strict=True))
        for cells in csv.reader(io.StringIO(text))
    ]
    return [tuple(row.get(column) for column in RAW) for row in stored]


def run(tmp_path, reference, data: bytes, *, columnar_path: bool):
    """(rows COPYed, row count, [(row, column, code)]) of one validation of `data`."""
    path = tmp_path / NAME
    path.write_bytes(data)
    name = parse_file_name(NAME)
    validator = validate.Validator(
        name, reference, open_table(file_facts(path), "csv", name.dataset), 7
    )
    if not columnar_path:
        validator._columnar = lambda columns, write: False
    chunks: list[str] = []
    validator.run(chunks.append)
    issues = [(i.row, i.column, i.value, i.code, i.message_en) for i in validator.issues]
    return copied_rows("".join(chunks), validator.copy_columns), validator.row_count, issues


def fast_paths_taken(monkeypatch) -> list[str]:
    """The column-wise writers that wrote a file, recorded as they return."""
    taken: list[str] = []
    for function in ("long_copy_text", "long_csv_copy", "wide_copy_text"):
        real = getattr(columnar, function)

        def spy(*args, real=real, function=function):
            result = real(*args)  # Unclean propagates: only a file it wrote counts
            if result is not None:
                taken.append(function)
            return result

        monkeypatch.setattr(validate, function, spy)
    return taken


def lines(*rows: str, end: str = "\r\n") -> bytes:
    return "".join(row + end for row in rows).encode()


CLEAN = {
    "long": LONG
    + lines(f"{HOA_MINH},TP_GIET_NGUOI,0", f"{HOA_MINH},TP_MA_TUY,12", f"{HUNG_MY},DT_TAI_PHAM,"),
    "long with names, period and notes": lines(
        "ky_bao_cao,ma_xa,ten_xa,ma_chi_tieu,gia_tri,ghi_chu",
        f"2023-06,{HOA_MINH},Xã Hòa Minh,TP_GIET_NGUOI,0,",
        f"2023-06,{HOA_MINH},Hoà Minh,tp ma tuy,3,tab\there back\\slash",
        f",{HUNG_MY},{NFD_HUNG_MY},Dt tai pham,,chú thích",
        f"2023-06,{HOA_THUAN},,TP_KINH_TE, 7 ,",
    ),
    "LF endings, no final newline, blank lines above the header": b"\n\n"
    + lines("ma_xa,ma_chi_tieu,gia_tri", f"{HOA_MINH},TP_MA_TUY,1", end="\n")
    + f"{HOA_THUAN},TP_MA_TUY,2".encode(),
    "wide": lines(
        "Mã xã,Tên xã,TP_GIET_NGUOI,tp trom cap tai san,Dt tai pham",
        f"{HOA_MINH},Hòa Minh,1,,0",
        f"{HOA_THUAN},,2,3,4",
        f"{HUNG_MY},{NFD_HUNG_MY},0,0,18",
    ),
    "wide without names": lines("ma_xa,TP_MA_TUY", f"{HOA_MINH},5", f"{HUNG_MY},"),
}


@pytest.mark.parametrize("case", list(CLEAN))
def test_a_clean_file_gives_the_row_by_row_copy_text(tmp_path, reference, monkeypatch, case):
    taken = fast_paths_taken(monkeypatch)
    fast = run(tmp_path, reference, CLEAN[case], columnar_path=True)
    assert taken, "the clean file did not take the column-wise path"
    slow = run(tmp_path, reference, CLEAN[case], columnar_path=False)
    assert fast == slow
    assert fast[2] == [] and fast[1] > 0


NOT_COLUMNAR = {
    # one row a cell too long, the next a cell short: split on every comma, the columns would
    # line up again and pass every check
    "shifted cells": LONG + lines(f"{HOA_MINH},TP_MA_TUY,1,{HUNG_MY}", "TP_KINH_TE,2"),
    "blank line between rows": LONG
    + lines(f"{HOA_MINH},TP_MA_TUY,1", "", f"{HUNG_MY},TP_MA_TUY,2"),
    "bare CR line ends": LONG + f"{HOA_MINH},TP_MA_TUY,1\r{HUNG_MY},TP_MA_TUY,2\r".encode(),
    "commune outside the area": LONG + lines(f"{TRA_VINH_WARD},TP_MA_TUY,1"),
    "code with spaces": LONG + lines(f" {HOA_MINH},TP_MA_TUY,1"),
    "pair given twice": LONG + lines(f"{HOA_MINH},TP_MA_TUY,1", f"{HOA_MINH},tp_ma_tuy,2"),
    "unknown indicator": LONG + lines(f"{HOA_MINH},TP_KHONG_CO,1"),
    "negative value": LONG + lines(f"{HOA_MINH},TP_MA_TUY,-1"),
    "name of another commune": lines(
        "ma_xa,ten_xa,ma_chi_tieu,gia_tri", f"{HOA_MINH},Hòa Thuận,TP_MA_TUY,1"
    ),
    "other period": lines(
        "ma_xa,ky_bao_cao,ma_chi_tieu,gia_tri", f"{HOA_MINH},2023-07,TP_MA_TUY,1"
    ),
    "control character in a note": lines(
        "ma_xa,ma_chi_tieu,gia_tri,ghi_chu", f"{HOA_MINH},TP_MA_TUY,1,a\x07b"
    ),
    "wide commune twice": lines("ma_xa,TP_MA_TUY", f"{HOA_MINH},1", f"{HOA_MINH},2"),
    "wide bad value": lines("ma_xa,TP_MA_TUY,TP_KINH_TE", f"{HOA_MINH},1,1.5"),
    "wide short row": lines("ma_xa,TP_MA_TUY,TP_KINH_TE", f"{HOA_MINH},1"),
}


@pytest.mark.parametrize("case", list(NOT_COLUMNAR))
def test_a_file_that_is_not_clean_gets_the_row_by_row_report(tmp_path, reference, case):
    fast = run(tmp_path, reference, NOT_COLUMNAR[case], columnar_path=True)
    slow = run(tmp_path, reference, NOT_COLUMNAR[case], columnar_path=False)
    assert fast == slow


def test_shifted_cells_are_reported_on_their_rows(tmp_path, reference):
    rows, count, issues = run(
        tmp_path, reference, NOT_COLUMNAR["shifted cells"], columnar_path=True
    )
    assert [(row, code) for row, _, _, code, _ in issues] == [
        (2, "ROW_EXTRA_CELLS"),
        (3, "MA_XA_INVALID"),
        (3, "CODE_UNKNOWN"),
    ]
    assert rows == []


def test_a_short_wide_row_is_padded_and_accepted_as_before(tmp_path, reference):
    rows, count, issues = run(
        tmp_path, reference, NOT_COLUMNAR["wide short row"], columnar_path=True
    )
    assert issues == [] and count == 2
    assert rows == [
        ("7", "2", HOA_MINH, "TP_MA_TUY", "1", None, None),
        ("7", "2", HOA_MINH, "TP_KINH_TE", None, None, None),
    ]


AS_WRITTEN = {
    # cells already in their stored form: the file's own lines go to COPY (FORMAT csv)
    "long": (LONG + lines(f"{HOA_MINH},TP_GIET_NGUOI,0", f"{HUNG_MY},DT_TAI_PHAM,"), ()),
    "period first, names, notes with backslashes and commas-free text": (
        lines(
            "ky_bao_cao,ma_xa,ten_xa,ma_chi_tieu,gia_tri,ghi_chu",
            f"2023-06,{HOA_MINH},Xã Hòa Minh,TP_GIET_NGUOI,0,back\\slash",
            f"2023-06,{HUNG_MY},,TP_MA_TUY,,\\N",
            f"2023-06,{HOA_THUAN},Hòa Thuận,TP_KINH_TE,7,",
        ),
        ("ma_xa", "ten_xa", "ma_chi_tieu", "gia_tri", "ghi_chu"),
    ),
    "period last, LF": (
        lines(
            "ma_chi_tieu,ma_xa,gia_tri,ky_bao_cao",
            f"TP_MA_TUY,{HOA_MINH},3,2023-06",
            f"TP_MA_TUY,{HUNG_MY},1234567,2023-06",
            end="\n",
        ),
        ("ma_chi_tieu", "ma_xa", "gia_tri"),
    ),
}
REWRITTEN = {
    # clean, but some cell is stored in another form (or the period column cannot be cut out
    # by one replace): the COPY text is written row by row from the columns
    "indicator code in another form": LONG + lines(f"{HOA_MINH},tp ma tuy,1"),
    "value with spaces": LONG + lines(f"{HOA_MINH},TP_MA_TUY, 7 "),
    "name in NFD": lines(
        "ma_xa,ten_xa,ma_chi_tieu,gia_tri", f"{HUNG_MY},{NFD_HUNG_MY},TP_MA_TUY,1"
    ),
    "period in the middle": lines(
        "ma_xa,ky_bao_cao,ma_chi_tieu,gia_tri", f"{HOA_MINH},2023-06,TP_MA_TUY,1"
    ),
    "period given and blank": lines(
        "ky_bao_cao,ma_xa,ma_chi_tieu,gia_tri",
        f"2023-06,{HOA_MINH},TP_MA_TUY,1",
        f",{HUNG_MY},TP_MA_TUY,1",
    ),
}


@pytest.mark.parametrize("case", list(AS_WRITTEN))
def test_a_file_written_as_stored_goes_to_copy_as_its_own_lines(
    tmp_path, reference, monkeypatch, case
):
    data, columns = AS_WRITTEN[case]
    taken = fast_paths_taken(monkeypatch)
    fast = run(tmp_path, reference, data, columnar_path=True)
    assert taken == ["long_csv_copy"]
    assert fast == run(tmp_path, reference, data, columnar_path=False)
    assert fast[2] == [] and fast[1] > 0
    name = parse_file_name(NAME)
    validator = validate.Validator(
        name, reference, open_table(file_facts(tmp_path / NAME), "csv", name.dataset), 7
    )
    validator.run(lambda chunk: None)
    assert validator.copy_columns == (columns or ("ma_xa", "ma_chi_tieu", "gia_tri"))


@pytest.mark.parametrize("case", list(REWRITTEN))
def test_a_file_with_cells_stored_in_another_form_is_rewritten(
    tmp_path, reference, monkeypatch, case
):
    taken = fast_paths_taken(monkeypatch)
    fast = run(tmp_path, reference, REWRITTEN[case], columnar_path=True)
    assert taken == ["long_copy_text"]
    assert fast == run(tmp_path, reference, REWRITTEN[case], columnar_path=False)
    assert fast[2] == []


def test_its_own_lines_store_the_same_rows_in_raw(module_warehouse, tmp_path, monkeypatch):
    # the real COPY (FORMAT csv) into raw.chi_tieu against the text rows of the same cells
    from antt.config import FileAreas
    from antt.ingest import ingest_file

    monkeypatch.setenv("ANTT_WAREHOUSE_URL", module_warehouse)
    areas = FileAreas(*(tmp_path / k for k in ("landing", "archive", "quarantine", "pub")))
    areas.ensure()
    data, _ = AS_WRITTEN["period first, names, notes with backslashes and commas-free text"]
    stored = {}
    for period, as_lines in (("2023-04", True), ("2023-05", False)):
        if not as_lines:
            monkeypatch.setattr(validate, "long_csv_copy", lambda *args: None)
        path = areas.landing / NAME.replace("2023-06", period)
        path.write_bytes(data.replace(b"2023-06", period.encode()))
        outcome = ingest_file(path, areas, move=False)
        assert outcome.status == "accepted", outcome.errors
        with psycopg.connect(module_warehouse) as conn:
            stored[as_lines] = conn.execute(
                "SELECT source_row, ma_xa, ma_chi_tieu, gia_tri, ten_xa, ghi_chu"
                " FROM raw.chi_tieu WHERE submission_id = %s ORDER BY source_row",
                (outcome.submission_id,),
            ).fetchall()
    assert stored[True] == stored[False]
    assert stored[True][1] == (3, HUNG_MY, "TP_MA_TUY", None, None, "\\N")
    assert stored[True][0][5] == "back\\slash"
