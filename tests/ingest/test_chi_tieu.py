"""`chi_tieu`: long and wide, CSV and XLSX, title rows, blanks, codes, names, authorization."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from .builders import HOA_MINH, HOA_THUAN, HUNG_MY, OTHER_PROVINCE, TRA_VINH_WARD, codes

NAME = "CAH847_2023-06_chi_tieu"


def loaded(db, submission_id):
    return db(
        "SELECT source_row, ma_xa, ma_chi_tieu, gia_tri, ten_xa, ghi_chu FROM raw.chi_tieu"
        " WHERE submission_id = %s ORDER BY source_row, ma_chi_tieu",
        (submission_id,),
    )


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_long_layout_loads_every_row(check, mdb, ext):
    out = check(
        f"{NAME}.{ext}",
        [
            ["ma_xa", "ma_chi_tieu", "gia_tri", "ten_xa", "ky_bao_cao", "ghi_chu"],
            [HOA_MINH, "TP_GIET_NGUOI", "0", "Xã Hòa Minh", "2023-06", ""],
            [HOA_MINH, "TP_TROM_CAP_TAI_SAN", "12", "Hoà Minh", "2023-06", "ghi chú, có dấu phẩy"],
            [HOA_THUAN, "DT_TAI_PHAM", "", "", "", ""],
        ],
    )
    assert out.status == "accepted", out.errors
    assert out.row_count == 3
    assert loaded(mdb, out.submission_id) == [
        (2, HOA_MINH, "TP_GIET_NGUOI", 0, "Xã Hòa Minh", None),
        (3, HOA_MINH, "TP_TROM_CAP_TAI_SAN", 12, "Hoà Minh", "ghi chú, có dấu phẩy"),
        (4, HOA_THUAN, "DT_TAI_PHAM", None, None, None),
    ]


def test_blank_value_stays_null_never_zero(check, mdb):
    out = check(f"{NAME}.csv", [["ma_xa", "ma_chi_tieu", "gia_tri"], [HOA_MINH, "TP_MA_TUY", " "]])
    assert out.status == "accepted"
    assert mdb(
        "SELECT gia_tri FROM raw.chi_tieu WHERE submission_id = %s", (out.submission_id,)
    ) == [(None,)]


def test_wide_layout_csv_with_normalized_indicator_headers(check, mdb):
    out = check(
        f"{NAME}.csv",
        [
            ["Mã xã", "Tên xã", "TP_GIET_NGUOI", "tp trom cap tai san", "Dt tai pham"],
            [HOA_MINH, "Hòa Minh", "1", "", "0"],
            [HOA_THUAN, "", "2", "3", "4"],
        ],
    )
    assert out.status == "accepted", out.errors
    assert out.row_count == 6
    rows = loaded(mdb, out.submission_id)
    assert (2, HOA_MINH, "TP_TROM_CAP_TAI_SAN", None, "Hòa Minh", None) in rows
    assert (3, HOA_THUAN, "DT_TAI_PHAM", 4, None, None) in rows


def test_wide_xlsx_with_title_rows_numeric_codes_and_vietnamese_headers(check, mdb):
    out = check(
        f"{NAME}.xlsx",
        [
            ["STT", "Mã xã", "Tên xã", "TP_GIET_NGUOI", "TP_LUA_DAO"],
            [None, 29410, "Xã Hoà Minh", 1, 2.0],
            [],
            [None, 29398.0, "hòa thuận", None, 0],
        ],
        title_rows=[["CÔNG AN HUYỆN CHÂU THÀNH"], ["BÁO CÁO THỐNG KÊ THÁNG 6/2023"], []],
        sheet="Chi tiêu",
    )
    # "STT" (row number column) is not in the contract: an unknown column is an error.
    assert codes(out) == ["COLUMN_UNKNOWN"]
    assert out.errors[0].row == 4 and out.errors[0].sheet == "Chi tiêu"


def test_wide_xlsx_title_rows_counted_in_row_numbers(check, mdb):
    out = check(
        f"{NAME}.xlsx",
        [
            ["Mã xã", "Tên xã", "TP_GIET_NGUOI", "TP_LUA_DAO"],
            [29410, "Xã Hoà Minh", 1, 2.0],
            [],
            [29398.0, "hòa thuận", None, 0],
        ],
        title_rows=[["CÔNG AN HUYỆN CHÂU THÀNH"], ["BÁO CÁO THỐNG KÊ THÁNG 6/2023"], []],
        start_col=2,
    )
    assert out.status == "accepted", out.errors
    assert loaded(mdb, out.submission_id) == [
        (5, HOA_MINH, "TP_GIET_NGUOI", 1, "Xã Hoà Minh", None),
        (5, HOA_MINH, "TP_LUA_DAO", 2, "Xã Hoà Minh", None),
        (7, HOA_THUAN, "TP_GIET_NGUOI", None, "hòa thuận", None),
        (7, HOA_THUAN, "TP_LUA_DAO", 0, "hòa thuận", None),
    ]


def test_small_numeric_commune_code_cell_is_zero_padded(check, mdb):
    # Hà Nội communes start with 000: a CAT01 file gets them as numbers from Excel.
    out = check(
        "CAT01_2023-06_chi_tieu.xlsx",
        [["ma_xa", "ma_chi_tieu", "gia_tri"], [4, "TP_GIET_NGUOI", 1], [1.0, "TP_GIET_NGUOI", 2]],
    )
    assert out.status == "accepted", out.errors
    assert mdb(
        "SELECT ma_xa FROM raw.chi_tieu WHERE submission_id = %s ORDER BY 1", (out.submission_id,)
    ) == [("00001",), ("00004",)]


def test_csv_commune_code_without_leading_zeros_is_an_error(check):
    out = check(
        "CAT01_2023-06_chi_tieu.csv", [["ma_xa", "ma_chi_tieu", "gia_tri"], ["4", "TP_MA_TUY", "1"]]
    )
    assert codes(out) == ["MA_XA_INVALID"]


def test_fractional_excel_number_is_an_error(check):
    out = check(
        f"{NAME}.xlsx",
        [
            ["ma_xa", "ma_chi_tieu", "gia_tri"],
            [HOA_MINH, "TP_MA_TUY", 2.5],
            [29410.5, "TP_KINH_TE", 1],
        ],
    )
    assert codes(out) == ["INTEGER_FRACTION", "MA_XA_INVALID"]
    assert (out.errors[0].row, out.errors[0].column, out.errors[0].value) == (2, "gia_tri", "2.5")


def test_every_error_is_collected_with_row_column_value(check, mdb):
    out = check(
        f"{NAME}.csv",
        [
            ["ma_xa", "ma_chi_tieu", "gia_tri", "ky_bao_cao"],
            [HOA_MINH, "TP_GIET_NGUOI", "-3", "2023-06"],
            [HOA_MINH, "TP_KHONG_CO", "1", "2023-06"],
            ["2941", "TP_MA_TUY", "1", "2023-07"],
            [HOA_MINH, "TP_GIET_NGUOI", "1", ""],
            [HOA_MINH, "TP_LUA_DAO", "1.0", "06/2023"],
        ],
    )
    assert out.status == "rejected"
    assert [(e.row, e.column, e.code) for e in out.errors] == [
        (2, "gia_tri", "INTEGER_OUT_OF_RANGE"),
        (3, "ma_chi_tieu", "CODE_UNKNOWN"),
        (4, "ma_xa", "MA_XA_INVALID"),
        (4, "ky_bao_cao", "PERIOD_MISMATCH"),
        (5, "ma_chi_tieu", "DUPLICATE_KEY"),
        (6, "gia_tri", "INTEGER_INVALID"),
        (6, "ky_bao_cao", "PERIOD_INVALID"),
    ]
    assert "dòng 2" in out.errors[4].message_vi and "row 2" in out.errors[4].message_en
    assert mdb(
        "SELECT count(*) FROM raw.chi_tieu WHERE submission_id = %s", (out.submission_id,)
    ) == [(0,)]
    stored = mdb(
        "SELECT error_no, source_row, column_name, cell_value, code FROM audit.submission_errors"
        " WHERE submission_id = %s ORDER BY error_no",
        (out.submission_id,),
    )
    assert stored[0] == (1, 2, "gia_tri", "-3", "INTEGER_OUT_OF_RANGE")
    assert len(stored) == 7


def test_pair_once_per_file_also_across_code_spellings(check):
    out = check(
        f"{NAME}.csv",
        [
            ["ma_xa", "ma_chi_tieu", "gia_tri"],
            [HOA_MINH, "TP_MA_TUY", "1"],
            [HOA_MINH, "tp ma tuy", "1"],
        ],
    )
    assert codes(out) == ["DUPLICATE_KEY"]


def test_wide_duplicate_commune_row(check):
    out = check(f"{NAME}.csv", [["ma_xa", "TP_MA_TUY"], [HOA_MINH, "1"], [HOA_MINH, "2"]])
    assert codes(out) == ["DUPLICATE_KEY"]


def test_ky_bao_cao_as_excel_date_cell(check):
    out = check(
        f"{NAME}.xlsx",
        [
            ["ma_xa", "ma_chi_tieu", "gia_tri", "ky_bao_cao"],
            [HOA_MINH, "TP_MA_TUY", 1, date(2023, 6, 1)],
        ],
    )
    assert out.status == "accepted", out.errors


@pytest.mark.parametrize(
    "given",
    [
        "Hòa Minh",
        "Hoà Minh",
        "xã hoà minh",
        "XÃ HÒA MINH",
        "  Hòa   Minh ",
        unicodedata.normalize("NFD", "Xã Hoà Minh"),
    ],
)
def test_ten_xa_accepts_tone_placements_case_nfd_and_prefix(check, given):
    out = check(f"{NAME}.csv", [["ma_xa", "ten_xa", "TP_MA_TUY"], [HOA_MINH, given, "1"]])
    assert out.status == "accepted", out.errors


@pytest.mark.parametrize("given", ["Hóa Minh", "Hòa Thuận", "Minh", "Phường Hòa Minh A"])
def test_ten_xa_that_names_another_commune_is_a_row_error(check, given):
    out = check(f"{NAME}.csv", [["ma_xa", "ten_xa", "TP_MA_TUY"], [HOA_MINH, given, "1"]])
    assert codes(out) == ["TEN_XA_MISMATCH"]
    assert out.errors[0].row == 2


def test_ten_xa_nfd_is_stored_nfc(check, mdb):
    out = check(
        f"{NAME}.csv",
        [["ma_xa", "ten_xa", "TP_MA_TUY"], [HUNG_MY, unicodedata.normalize("NFD", "Hưng Mỹ"), "1"]],
    )
    assert out.status == "accepted"
    assert mdb(
        "SELECT ten_xa FROM raw.chi_tieu WHERE submission_id = %s", (out.submission_id,)
    ) == [("Hưng Mỹ",)]


def test_district_unit_may_not_report_other_districts(check, mdb):
    out = check(
        f"{NAME}.csv",
        [
            ["ma_xa", "ma_chi_tieu", "gia_tri"],
            [HOA_MINH, "TP_MA_TUY", "1"],
            [TRA_VINH_WARD, "TP_MA_TUY", "1"],
            [OTHER_PROVINCE, "TP_MA_TUY", "1"],
            ["99999", "TP_MA_TUY", "1"],
        ],
    )
    assert codes(out) == [
        "COMMUNE_NOT_AUTHORIZED",
        "COMMUNE_NOT_AUTHORIZED",
        "COMMUNE_UNKNOWN",
    ]
    assert mdb(
        "SELECT count(*) FROM raw.chi_tieu WHERE submission_id = %s", (out.submission_id,)
    ) == [(0,)]


def test_province_unit_covers_its_whole_province_only(check):
    rows = [
        ["ma_xa", "ma_chi_tieu", "gia_tri"],
        [HOA_MINH, "TP_MA_TUY", "1"],
        [TRA_VINH_WARD, "TP_MA_TUY", "1"],
    ]
    assert check("CAT84_2023-06_chi_tieu.csv", rows).status == "accepted"
    out = check("CAT84_2023-07_chi_tieu.csv", [*rows, [OTHER_PROVINCE, "TP_MA_TUY", "1"]])
    assert codes(out) == ["COMMUNE_NOT_AUTHORIZED"]


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (["ma_xa", "ma_chi_tieu", "gia_tri", "gia_tri_khac"], "COLUMN_UNKNOWN"),
        (["ma_xa", "ma_chi_tieu"], "COLUMN_MISSING"),
        (["ma_xa", "ma_chi_tieu", "gia_tri", "Giá trị"], "COLUMN_DUPLICATE"),
        (["ma_xa", "TP_TROM_CAP"], "COLUMN_UNKNOWN"),
        (["ma_xa", "ten_xa"], "COLUMN_MISSING"),
    ],
)
def test_header_errors(check, header, code):
    out = check(f"{NAME}.csv", [header, [HOA_MINH] + ["1"] * (len(header) - 1)])
    assert code in codes(out)
    assert out.errors[0].row == 1


def test_data_under_a_blank_header_is_an_error_but_trailing_empty_columns_are_fine(check):
    ok = check(f"{NAME}.csv", [["ma_xa", "TP_MA_TUY", "", ""], [HOA_MINH, "1", "", ""]])
    assert ok.status == "accepted", ok.errors
    bad = check("CAH847_2023-07_chi_tieu.csv", [["ma_xa", "TP_MA_TUY", ""], [HOA_MINH, "1", "x"]])
    assert codes(bad) == ["COLUMN_UNKNOWN"]


def test_row_longer_than_header_is_an_error(check):
    out = check(f"{NAME}.csv", [["ma_xa", "TP_MA_TUY"], [HOA_MINH, "1", "2"]])
    assert codes(out) == ["ROW_EXTRA_CELLS"]


def test_empty_rows_are_skipped_and_line_numbers_stay_physical(ingest, areas):
    from antt.ingest import ingest_file

    path = areas.landing / f"{NAME}.csv"
    path.write_bytes(
        b"ma_xa,ma_chi_tieu,gia_tri,ghi_chu\r\n\r\n,,,\r\n"
        b'29410,TP_MA_TUY,1,"two\r\nlines"\r\n29410,TP_KINH_TE,x,\r\n'
    )
    out = ingest_file(path, areas)
    assert [(e.row, e.code) for e in out.errors] == [(6, "INTEGER_INVALID")]


def test_multiline_note_with_tab_and_backslash_round_trips(check, mdb):
    note = 'dòng 1\r\ndòng 2\tcột\\ "trích"'
    out = check(
        f"{NAME}.csv",
        [["ma_xa", "ma_chi_tieu", "gia_tri", "ghi_chu"], [HOA_MINH, "TP_MA_TUY", "1", note]],
    )
    assert out.status == "accepted", out.errors
    assert mdb(
        "SELECT ghi_chu FROM raw.chi_tieu WHERE submission_id = %s", (out.submission_id,)
    ) == [(note,)]


def test_header_only_file_is_accepted_with_no_rows(check, mdb):
    out = check(f"{NAME}.csv", [["ma_xa", "ma_chi_tieu", "gia_tri"]])
    assert (out.status, out.row_count) == ("accepted", 0)


def test_huge_value_out_of_bigint_range(check):
    out = check(f"{NAME}.csv", [["ma_xa", "TP_MA_TUY"], [HOA_MINH, "9" * 25]])
    assert codes(out) == ["INTEGER_INVALID"] or codes(out) == ["INTEGER_OUT_OF_RANGE"]


def test_unknown_column_is_reported_once_not_per_row(check):
    out = check(
        "CAH847_2023-08_chi_tieu.csv",
        [["ma_xa", "ma_chi_tieu", "gia_tri", "gia_tri_cu"]]
        + [[HOA_MINH, code, "1", "2"] for code in ("TP_MA_TUY", "TP_KINH_TE", "TP_LUA_DAO")],
    )
    assert [(e.row, e.column, e.code) for e in out.errors] == [(1, "gia_tri_cu", "COLUMN_UNKNOWN")]
