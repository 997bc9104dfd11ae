"""The column-wise path of count files (`ingest.columnar`) against the row-by-row validator.

For a clean quote-free CSV, the column-wise path must write the very COPY text the row-by-row
path writes; for any file it does not accept, the report must be the row-by-row one (it is:
the file goes through that path), and it must never accept a file the row-by-row path rejects.
"""

from __future__ import annotations

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


def run(tmp_path, reference, data: bytes, *, columnar_path: bool):
    """(COPY text, row count, [(row, column, code)]) of one validation of `data`."""
    path = tmp_path / NAME
    path.write_bytes(data)
    name = parse_file_name(NAME)
    validator = validate.Validator(
        name, reference, open_table(file_facts(path), "csv", name.dataset), 7
    )
    if not columnar_path:
        validator._columnar = lambda columns, write: False
    chunks: list[str | bytes] = []
    validator.run(chunks.append)
    issues = [(i.row, i.column, i.value, i.code, i.message_en) for i in validator.issues]
    text = "".join(c.decode() if isinstance(c, bytes) else c for c in chunks)
    return text, validator.row_count, issues


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
    "mixed line ends": LONG
    + f"{HOA_MINH},TP_MA_TUY,1\n{HUNG_MY},TP_MA_TUY,2\r\n{HOA_THUAN},TP_MA_TUY,3".encode(),
    "commune blocks, CR LF, no final line end": lines(
        "ky_bao_cao,ma_xa,ten_xa,ma_chi_tieu,gia_tri",
        f"2023-06,{HOA_MINH},Xã Hòa Minh,TP_GIET_NGUOI,0",
        f"2023-06,{HOA_MINH},Xã Hòa Minh,TP_MA_TUY,",
        f"2023-06,{HUNG_MY},{NFD_HUNG_MY},TP_GIET_NGUOI,3",
        f"2023-06,{HUNG_MY},{NFD_HUNG_MY},TP_MA_TUY,4",
    ).removesuffix(b"\r\n"),
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
    taken = []
    for function in ("long_copy_text", "wide_copy_text"):
        real = getattr(columnar, function)
        monkeypatch.setattr(
            validate, function, lambda *a, real=real: taken.append(real) or real(*a)
        )
    fast = run(tmp_path, reference, CLEAN[case], columnar_path=True)
    assert taken, "the clean file did not take the column-wise path"
    slow = run(tmp_path, reference, CLEAN[case], columnar_path=False)
    assert fast == slow
    assert fast[2] == [] and fast[1] > 0


NOT_COLUMNAR = {
    # one row a cell too long, the next a cell short: split on every comma, the columns would
    # line up again and pass every check
    "shifted cells": LONG + lines(f"{HOA_MINH},TP_MA_TUY,1,{HUNG_MY}", "TP_KINH_TE,2"),
    "a row twice the width, one short": LONG
    + lines(f"{HOA_MINH},TP_MA_TUY,1,{HUNG_MY},TP_MA_TUY,2", f"{HOA_THUAN},TP_MA_TUY"),
    "a commune's block twice": LONG
    + lines(
        *[
            f"{xa},{code},1"
            for xa in (HOA_MINH, HUNG_MY, HOA_MINH)
            for code in ("TP_MA_TUY", "TP_KINH_TE")
        ]
    ),
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
    text, count, issues = run(
        tmp_path, reference, NOT_COLUMNAR["shifted cells"], columnar_path=True
    )
    assert [(row, code) for row, _, _, code, _ in issues] == [
        (2, "ROW_EXTRA_CELLS"),
        (3, "MA_XA_INVALID"),
        (3, "CODE_UNKNOWN"),
    ]
    assert text == ""


def test_a_short_wide_row_is_padded_and_accepted_as_before(tmp_path, reference):
    text, count, issues = run(
        tmp_path, reference, NOT_COLUMNAR["wide short row"], columnar_path=True
    )
    assert issues == [] and count == 2
    assert text == (
        f"7\t2\t{HOA_MINH}\tTP_MA_TUY\t1\t\\N\t\\N\n7\t2\t{HOA_MINH}\tTP_KINH_TE\t\\N\t\\N\t\\N\n"
    )
