"""File names, header/code normalization, commune-name keys and cell parsers at their boundaries."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from antt.ingest import FileNameError, parse_file_name
from antt.ingest.cells import (
    as_text,
    copy_escape,
    parse_date,
    parse_flag,
    parse_int,
    parse_ma_xa,
    parse_month,
    parse_text,
)
from antt.ingest.issues import CellError
from antt.ingest.normalize import commune_name_keys, name_key, normalize_header, ten_xa_matches


@pytest.mark.parametrize(
    ("name", "unit", "period", "dataset", "fmt"),
    [
        ("CAH847_2023-06_chi_tieu.xlsx", "CAH847", "2023-06", "chi_tieu", "xlsx"),
        ("cah847_2023-06_CHI_TIEU.XLSX", "CAH847", "2023-06", "chi_tieu", "xlsx"),
        ("VPDP84_2023_dang_ky_ntm.csv", "VPDP84", "2023", "dang_ky_ntm", "csv"),
        ("CAT84_2023-12_su_vu.Csv", "CAT84", "2023-12", "su_vu", "csv"),
        ("CAT01_2022_mo_hinh.csv", "CAT01", "2022", "mo_hinh", "csv"),
        ("CAH001_2022_danh_gia_nam.xlsx", "CAH001", "2022", "danh_gia_nam", "xlsx"),
    ],
)
def test_valid_file_names_parse_case_insensitively(name, unit, period, dataset, fmt):
    parsed = parse_file_name(name)
    assert (parsed.unit_code, parsed.period, parsed.dataset, parsed.fmt) == (
        unit,
        period,
        dataset,
        fmt,
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("CAH847_2023-06_chi_tieu.xls", "FILE_NAME_INVALID"),
        ("CAH847_2023-06_chi_tieu.csv.bak", "FILE_NAME_INVALID"),
        ("CAH847_2023-06_chi_tieu (1).csv", "FILE_NAME_INVALID"),
        ("CAH847-2023-06-chi_tieu.csv", "FILE_NAME_INVALID"),
        ("CAH847_2023-06_chitieu.csv", "FILE_NAME_INVALID"),
        ("CAH84_2023-06_chi_tieu.csv", "FILE_NAME_INVALID"),  # district needs 3 digits
        ("CAT847_2023-06_chi_tieu.csv", "FILE_NAME_INVALID"),  # province needs 2 digits
        ("VPDP8_2023_dang_ky_ntm.csv", "FILE_NAME_INVALID"),
        ("CAX84_2023-06_chi_tieu.csv", "FILE_NAME_INVALID"),
        ("CAH847_2023_chi_tieu.csv", "FILE_NAME_PERIOD"),  # monthly dataset, yearly period
        ("CAH847_2023-06_mo_hinh.csv", "FILE_NAME_PERIOD"),  # yearly dataset, monthly period
        ("CAH847_2023-13_chi_tieu.csv", "FILE_NAME_PERIOD"),
        ("CAH847_2023-00_su_vu.csv", "FILE_NAME_PERIOD"),
        ("CAH847_0999_mo_hinh.csv", "FILE_NAME_PERIOD"),
        ("CAH847_2023-6_chi_tieu.csv", "FILE_NAME_INVALID"),
        ("CAH847_2023-06_chi_tieu", "FILE_NAME_INVALID"),
        ("", "FILE_NAME_INVALID"),
    ],
)
def test_file_names_that_do_not_parse_are_never_guessed(name, code):
    with pytest.raises(FileNameError) as caught:
        parse_file_name(name)
    assert caught.value.code == code
    assert caught.value.message_vi and caught.value.message_en


@pytest.mark.parametrize(
    "header", ["Mã xã", "MA_XA", " ma xa ", "ma-xa", "Mã Xã", "mã__xã", "(Mã xã)"]
)
def test_header_normalization(header):
    assert normalize_header(header) == "ma_xa"
    assert normalize_header(unicodedata.normalize("NFD", header)) == "ma_xa"


def test_header_normalization_strips_d_stroke_and_keeps_digits():
    assert normalize_header("Đánh giá") == "danh_gia"
    assert normalize_header("tp trom cap tai san") == "tp_trom_cap_tai_san"
    assert normalize_header("Số ấp an toàn") == "so_ap_an_toan"
    assert normalize_header("Cột 2") == "cot_2"


@pytest.mark.parametrize(
    ("a", "b"),
    [("Hoà", "Hòa"), ("Thuỷ", "Thủy"), ("HOÀ MINH", "hòa minh"), ("Khoẻ", "Khỏe")],
)
def test_name_key_ignores_tone_placement_and_case(a, b):
    assert name_key(a) == name_key(b)
    assert name_key(unicodedata.normalize("NFD", a)) == name_key(b)


def test_name_key_keeps_different_tones_and_vowels_apart():
    assert name_key("Hòa") != name_key("Hóa")
    assert name_key("Hòa") != name_key("Hoa")
    assert name_key("Mỹ") != name_key("My")


def test_ten_xa_with_optional_type_prefix_and_parenthesised_short_name():
    keys = commune_name_keys("Thị trấn Yên Viên", "Yên Viên (Thị trấn)")
    for given in ("Thị trấn Yên Viên", "thị trấn yên viên", "Yên Viên", "Yên Viên (Thị trấn)"):
        assert ten_xa_matches(given, keys), given
    assert not ten_xa_matches("Yên Viên Mới", keys)


def test_ma_xa_parser():
    assert parse_ma_xa("29410") == "29410"
    assert parse_ma_xa(" 29410 ") == "29410"
    assert parse_ma_xa(1.0) == "00001"
    assert parse_ma_xa(29410) == "29410"
    assert parse_ma_xa(99999.0) == "99999"
    for bad in ("2941", "294100", "1", "29410.0", "2941O", 100000.0, 1.5, -1.0, True, "٢٩٤١٠"):
        with pytest.raises(CellError) as caught:
            parse_ma_xa(bad)
        assert caught.value.code == "MA_XA_INVALID"


def test_integer_parser_boundaries():
    assert parse_int("0") == 0
    assert parse_int(" 7 ") == 7
    assert parse_int(3.0) == 3
    assert parse_int("2147483647") == 2147483647
    cases = {
        "-1": "INTEGER_OUT_OF_RANGE",
        "2147483648": "INTEGER_OUT_OF_RANGE",
        "1.5": "INTEGER_INVALID",
        "1,000": "INTEGER_INVALID",
        "5.0": "INTEGER_INVALID",
        "+5": "INTEGER_INVALID",
        "năm": "INTEGER_INVALID",
        "²": "INTEGER_INVALID",
        2.5: "INTEGER_FRACTION",
        True: "INTEGER_INVALID",
        date(2023, 1, 1): "INTEGER_INVALID",
    }
    for value, code in cases.items():
        with pytest.raises(CellError) as caught:
            parse_int(value)
        assert caught.value.code == code, value
    with pytest.raises(CellError):
        parse_int("0", low=1)


def test_flag_parser():
    assert parse_flag("0") == 0
    assert parse_flag(1.0) == 1
    for bad in ("2", "-1", "có", "0.5", 0.5):
        with pytest.raises(CellError) as caught:
            parse_flag(bad)
        assert caught.value.code == "FLAG_INVALID"


def test_date_parser_accepts_the_three_forms():
    assert parse_date("2023-06-05") == date(2023, 6, 5)
    assert parse_date("05/06/2023") == date(2023, 6, 5)
    assert parse_date("5/6/2023") == date(2023, 6, 5)
    assert parse_date(date(2023, 6, 5)) == date(2023, 6, 5)
    assert parse_date(datetime(2023, 6, 5, 0, 0)) == date(2023, 6, 5)
    for bad in (
        "2023-02-30",
        "31/04/2023",
        "2023/06/05",
        "06-05-2023",
        "05.06.2023",
        "2023-6-5",
        "",
        "1899-12-31",
        45000.0,
        "hôm qua",
    ):
        with pytest.raises(CellError) as caught:
            parse_date(bad)
        assert caught.value.code == "DATE_INVALID", bad


def test_month_parser():
    assert parse_month("2023-06") == "2023-06"
    assert parse_month(date(2023, 6, 1)) == "2023-06"
    for bad in ("2023-13", "06/2023", "2023-6", "2023"):
        with pytest.raises(CellError):
            parse_month(bad)


def test_text_parser_limits_and_control_characters():
    assert parse_text("  ") is None
    assert parse_text(unicodedata.normalize("NFD", "Hòa")) == "Hòa"
    assert parse_text("a\tb\nc") == "a\tb\nc"
    with pytest.raises(CellError) as caught:
        parse_text("x" * 4001)
    assert caught.value.code == "TEXT_TOO_LONG"
    assert parse_text("x" * 4000) == "x" * 4000
    for bad in ("a\x00b", "a\x07", "\x1b[31m"):
        with pytest.raises(CellError) as caught:
            parse_text(bad)
        assert caught.value.code == "CONTROL_CHARACTER"


def test_copy_escape_and_as_text():
    assert copy_escape("a\\b\tc\nd\re") == "a\\\\b\\tc\\nd\\re"
    assert copy_escape("Hòa Minh") == "Hòa Minh"
    assert as_text(12.0) == "12"
    assert as_text(None) == ""
