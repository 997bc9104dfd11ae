"""`su_vu`, `mo_hinh`, `danh_gia_nam`, `dang_ky_ntm`: each dataset's rules at their boundaries."""

from __future__ import annotations

from datetime import date

import pytest

from .builders import (
    DANG_KY_HEADER,
    DANH_GIA_HEADER,
    HOA_MINH,
    HOA_THUAN,
    MO_HINH_HEADER,
    SU_VU_HEADER,
    TRA_VINH_WARD,
    codes,
    row_builder,
)

SU_VU = "CAH847_2023-06_su_vu.csv"


# a su_vu row in SU_VU_HEADER's order: incident("SV2", "DIEM_NONG", end="2023-06-02")
incident = row_builder(
    ma="SV1",
    loai="TRONG_AN",
    xa=HOA_MINH,
    start="2023-06-01",
    end="",
    people="",
    unlawful="",
    note="",
)


def test_su_vu_accepted_with_optional_columns_blank(check, mdb):
    out = check(
        SU_VU,
        [
            SU_VU_HEADER,
            incident(),
            incident("SV2", "diem nong", start="30/06/2023", end="2023-07-15", note="mô tả"),
        ],
    )
    assert out.status == "accepted", out.errors
    assert mdb(
        "SELECT ma_su_vu, loai, ngay_bat_dau, ngay_ket_thuc, so_nguoi, trai_phap_luat, mo_ta"
        " FROM raw.su_vu WHERE submission_id = %s ORDER BY 1",
        (out.submission_id,),
    ) == [
        ("SV1", "TRONG_AN", date(2023, 6, 1), None, None, None, None),
        ("SV2", "DIEM_NONG", date(2023, 6, 30), date(2023, 7, 15), None, None, "mô tả"),
    ]


def test_su_vu_minimal_columns_only(check):
    out = check(
        SU_VU,
        [["ma_su_vu", "loai", "ma_xa", "ngay_bat_dau"], ["A", "OAN_SAI", HOA_MINH, "2023-06-15"]],
    )
    assert out.status == "accepted", out.errors


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (incident(start="2023-05-31"), "SU_VU_START_OUTSIDE_PERIOD"),
        (incident(start="2023-07-01"), "SU_VU_START_OUTSIDE_PERIOD"),
        (incident(end="2023-05-31"), "SU_VU_END_BEFORE_START"),
        (incident(loai="KHIEU_KIEN_DONG_NGUOI", unlawful="1"), "SO_NGUOI_REQUIRED"),
        (incident(loai="KHIEU_KIEN_DONG_NGUOI", people="20"), "TRAI_PHAP_LUAT_REQUIRED"),
        (incident(loai="KHIEU_KIEN_VUOT_CAP"), "TRAI_PHAP_LUAT_REQUIRED"),
        (incident(loai="KHIEU_KIEN_VUOT_CAP", unlawful="2"), "FLAG_INVALID"),
        (incident(loai="CUOP_BIEN"), "CODE_UNKNOWN"),
        (incident(ma=""), "VALUE_MISSING"),
        (incident(start=""), "VALUE_MISSING"),
        (incident(start="2023-06-31"), "DATE_INVALID"),
        (incident(people="-5", loai="KHIEU_KIEN_DONG_NGUOI", unlawful="0"), "INTEGER_OUT_OF_RANGE"),
        (incident(xa=TRA_VINH_WARD), "COMMUNE_NOT_AUTHORIZED"),
    ],
)
def test_su_vu_row_rules(check, row, code):
    out = check(SU_VU, [SU_VU_HEADER, row])
    assert codes(out) == [code]


def test_su_vu_boundaries_accepted(check):
    out = check(
        SU_VU,
        [
            SU_VU_HEADER,
            incident("A", start="2023-06-30", end="2023-06-30"),
            incident("B", "KHIEU_KIEN_DONG_NGUOI", people="0", unlawful="0"),
            incident("C", "KHIEU_KIEN_VUOT_CAP", unlawful="1"),
        ],
    )
    assert out.status == "accepted", out.errors


def test_su_vu_duplicate_incident_in_file(check):
    out = check(SU_VU, [SU_VU_HEADER, incident("X"), incident("X", start="2023-06-02")])
    assert codes(out) == ["DUPLICATE_KEY"]
    assert out.errors[0].row == 3


def test_su_vu_update_keeps_original_start_date(ingest, db):
    first = ingest(SU_VU, [SU_VU_HEADER, incident("X", "DIEM_NONG", start="2023-06-10")])
    assert first.status == "accepted"
    # July: an update of X (closing it) plus a new incident.
    update = ingest(
        "CAH847_2023-07_su_vu.csv",
        [
            SU_VU_HEADER,
            incident("X", "DIEM_NONG", start="10/06/2023", end="2023-07-20"),
            incident("Y", start="2023-07-02"),
        ],
    )
    assert update.status == "accepted", update.errors
    moved = ingest(
        "CAH847_2023-08_su_vu.csv",
        [SU_VU_HEADER, incident("X", "DIEM_NONG", start="2023-06-11", end="2023-08-01")],
    )
    assert codes(moved) == ["SU_VU_START_CHANGED"]
    assert "10/06/2023" in moved.errors[0].message_vi


def test_su_vu_history_is_per_unit_and_earlier_periods_only(ingest):
    assert ingest(SU_VU, [SU_VU_HEADER, incident("X", start="2023-06-10")]).status == "accepted"
    # The provincial unit never reported X: for it, X is new and must start in its month.
    other_unit = ingest(
        "CAT84_2023-07_su_vu.csv", [SU_VU_HEADER, incident("X", start="2023-06-10", note="t")]
    )
    assert codes(other_unit) == ["SU_VU_START_OUTSIDE_PERIOD"]
    # A correction of June itself may change a June start date (it replaces the June file).
    corrected = ingest(
        "CAH847_2023-06_su_vu.xlsx", [SU_VU_HEADER, incident("X", start="2023-06-12")]
    )
    assert corrected.status == "accepted", corrected.errors
    # An earlier month (May) does not see June's incident either.
    may = ingest("CAH847_2023-05_su_vu.csv", [SU_VU_HEADER, incident("X", start="2023-06-12")])
    assert codes(may) == ["SU_VU_START_OUTSIDE_PERIOD"]


def test_su_vu_history_uses_newest_version_of_earlier_month(ingest):
    assert ingest(SU_VU, [SU_VU_HEADER, incident("X", start="2023-06-10")]).status == "accepted"
    fixed = ingest("CAH847_2023-06_su_vu.xlsx", [SU_VU_HEADER, incident("X", start="2023-06-12")])
    assert fixed.status == "accepted"
    july = "CAH847_2023-07_su_vu.csv"
    assert codes(ingest(july, [SU_VU_HEADER, incident("X", start="2023-06-10", note="t")])) == [
        "SU_VU_START_CHANGED"
    ]
    assert ingest(july, [SU_VU_HEADER, incident("X", start="2023-06-12")]).status == "accepted"


def test_su_vu_empty_month_is_accepted(check):
    out = check(SU_VU, [SU_VU_HEADER])
    assert (out.status, out.row_count) == ("accepted", 0)


def test_su_vu_xlsx_date_cells_and_numeric_ids(check, mdb):
    out = check(
        "CAH847_2023-06_su_vu.xlsx",
        [SU_VU_HEADER, [17, "trọng án", 29410, date(2023, 6, 3), None, None, None, "x"]],
    )
    assert out.status == "accepted", out.errors
    assert mdb(
        "SELECT ma_su_vu, loai, ngay_bat_dau FROM raw.su_vu WHERE submission_id = %s",
        (out.submission_id,),
    ) == [("17", "TRONG_AN", date(2023, 6, 3))]


MO_HINH = "CAH847_2023_mo_hinh.csv"


# a mo_hinh row in MO_HINH_HEADER's order
model = row_builder(
    ma="MH1",
    xa=HOA_MINH,
    ten="Camera an ninh ấp 1",
    loai="CAMERA_AN_NINH",
    cams="4",
    founded="2021-03-01",
    rating="HIEU_QUA",
    active="1",
)


def test_mo_hinh_accepted(check, mdb):
    out = check(
        MO_HINH,
        [
            MO_HINH_HEADER,
            model(),
            model("MH2", loai="tự quản", cams="0", rating="chua hieu qua", active="0"),
        ],
    )
    assert out.status == "accepted", out.errors
    assert mdb(
        "SELECT ma_mo_hinh, loai_mo_hinh, so_camera, danh_gia, hoat_dong FROM raw.mo_hinh"
        " WHERE submission_id = %s ORDER BY 1",
        (out.submission_id,),
    ) == [("MH1", "CAMERA_AN_NINH", 4, "HIEU_QUA", 1), ("MH2", "TU_QUAN", 0, "CHUA_HIEU_QUA", 0)]


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (model(loai="DIEN_TU"), "CODE_UNKNOWN"),
        (model(cams="-1"), "INTEGER_OUT_OF_RANGE"),
        (model(cams=""), "VALUE_MISSING"),
        (model(rating="TOT"), "CODE_UNKNOWN"),
        (model(active="2"), "FLAG_INVALID"),
        (model(founded="2023-02-29"), "DATE_INVALID"),
        (model(ten=""), "VALUE_MISSING"),
    ],
)
def test_mo_hinh_row_rules(check, row, code):
    assert codes(check(MO_HINH, [MO_HINH_HEADER, row])) == [code]


def test_mo_hinh_duplicate_model_id(check):
    out = check(MO_HINH, [MO_HINH_HEADER, model(), model(xa=HOA_THUAN)])
    assert codes(out) == ["DUPLICATE_KEY"]


def test_mo_hinh_all_columns_required(check):
    out = check(MO_HINH, [MO_HINH_HEADER[:-1], model()[:-1]])
    assert codes(out) == ["COLUMN_MISSING"]


DANH_GIA = "CAH847_2023_danh_gia_nam.csv"


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ([HOA_MINH, "10", "10", "TOT", "1"], None),
        ([HOA_MINH, "1", "0", "trung bình", "0"], None),
        ([HOA_MINH, "0", "0", "TOT", "1"], "INTEGER_OUT_OF_RANGE"),
        ([HOA_MINH, "10", "11", "TOT", "1"], "SO_AP_AN_TOAN_EXCEEDS"),
        ([HOA_MINH, "10", "9", "XUAT_SAC", "1"], "CODE_UNKNOWN"),
        ([HOA_MINH, "10", "9", "KHA", ""], "VALUE_MISSING"),
    ],
)
def test_danh_gia_nam_rules(check, row, code):
    out = check(DANH_GIA, [DANH_GIA_HEADER, row])
    assert codes(out) == ([code] if code else [])


def test_danh_gia_nam_one_row_per_commune(check):
    out = check(
        DANH_GIA,
        [DANH_GIA_HEADER, [HOA_MINH, "5", "5", "TOT", "1"], [HOA_MINH, "5", "4", "KHA", "1"]],
    )
    assert codes(out) == ["DUPLICATE_KEY"]


DANG_KY = "VPDP84_2023_dang_ky_ntm.csv"


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ([HOA_MINH, "NTM", "2020", "NTM_NANG_CAO"], None),
        ([HOA_MINH, "CHUA", "", "ntm"], None),
        ([TRA_VINH_WARD, "NTM_KIEU_MAU", "2023", "KHONG"], None),
        ([HOA_MINH, "NTM", "2024", "NTM_NANG_CAO"], "NAM_DAT_INVALID"),
        ([HOA_MINH, "KHONG", "", "NTM"], "CODE_UNKNOWN"),
        ([HOA_MINH, "NTM", "", "CHUA"], "CODE_UNKNOWN"),
        ([HOA_MINH, "NTM", "20", "NTM"], "INTEGER_OUT_OF_RANGE"),
        ([HOA_MINH, "NTM", "", ""], "VALUE_MISSING"),
        (["00004", "NTM", "", "NTM"], "COMMUNE_NOT_AUTHORIZED"),
    ],
)
def test_dang_ky_ntm_rules(check, row, code):
    out = check(DANG_KY, [DANG_KY_HEADER, row])
    assert codes(out) == ([code] if code else [])


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("CAH847_2023_dang_ky_ntm.csv", "DATASET_NOT_ALLOWED"),
        ("CAT84_2023_dang_ky_ntm.csv", "DATASET_NOT_ALLOWED"),
        ("VPDP84_2023-06_chi_tieu.csv", "DATASET_NOT_ALLOWED"),
        ("VPDP84_2023_mo_hinh.csv", "DATASET_NOT_ALLOWED"),
        ("CAH999_2023-06_chi_tieu.csv", "UNIT_UNKNOWN"),
        ("CAT99_2023-06_chi_tieu.csv", "UNIT_UNKNOWN"),
        ("VPDP00_2023_dang_ky_ntm.csv", "UNIT_UNKNOWN"),
    ],
)
def test_who_may_submit_what(check, name, code):
    out = check(name, [["ma_xa", "ma_chi_tieu", "gia_tri"], [HOA_MINH, "TP_MA_TUY", "1"]])
    assert codes(out) == [code]
    assert out.status == "rejected" and out.unit_code == name.split("_")[0]


TITLE = [["CÔNG AN HUYỆN CHÂU THÀNH"], ["BÁO CÁO NĂM 2023"], []]


def test_every_dataset_as_xlsx_with_vietnamese_headers_and_title_rows(ingest, db):
    su_vu = ingest(
        "CAH847_2023-06_su_vu.xlsx",
        [
            [
                "Mã sự vụ",
                "Loại",
                "Mã xã",
                "Tên xã",
                "Ngày bắt đầu",
                "Ngày kết thúc",
                "Số người",
                "Trái pháp luật",
                "Mô tả",
            ],
            [
                "SV-01",
                "Khiếu kiện đông người",
                29410,
                "Hoà Minh",
                date(2023, 6, 2),
                "05/07/2023",
                25,
                1,
                "Tập trung trước trụ sở UBND",
            ],
        ],
        title_rows=TITLE,
    )
    mo_hinh = ingest(
        "CAH847_2023_mo_hinh.xlsx",
        [
            [
                "Mã mô hình",
                "Mã xã",
                "Tên mô hình",
                "Loại mô hình",
                "Số camera",
                "Ngày thành lập",
                "Đánh giá",
                "Hoạt động",
            ],
            [
                "MH-01",
                29410,
                "Camera an ninh ấp Bình Phụng",
                "Camera an ninh",
                12,
                date(2021, 3, 26),
                "Hiệu quả",
                1,
            ],
        ],
        title_rows=TITLE,
    )
    danh_gia = ingest(
        "CAH847_2023_danh_gia_nam.xlsx",
        [
            ["Mã xã", "Số ấp", "Số ấp an toàn", "Xếp loại phong trào", "Công an xã tiên tiến"],
            [29410, 8, 7, "Khá", 1],
        ],
        title_rows=TITLE,
    )
    dang_ky = ingest(
        "VPDP84_2023_dang_ky_ntm.xlsx",
        [
            ["Mã xã", "Mức đã đạt", "Năm đạt", "Mức đăng ký"],
            [29410, "NTM", 2019, "NTM nâng cao"],
        ],
        title_rows=TITLE,
    )
    for out in (su_vu, mo_hinh, danh_gia, dang_ky):
        assert (out.status, out.row_count) == ("accepted", 1), (out.file_name, out.errors)
    assert db(
        "SELECT source_row, loai, ten_xa, ngay_ket_thuc, so_nguoi, trai_phap_luat FROM raw.su_vu"
    ) == [(5, "KHIEU_KIEN_DONG_NGUOI", "Hoà Minh", date(2023, 7, 5), 25, 1)]
    assert db("SELECT loai_mo_hinh, so_camera, ngay_thanh_lap, danh_gia FROM raw.mo_hinh") == [
        ("CAMERA_AN_NINH", 12, date(2021, 3, 26), "HIEU_QUA")
    ]
    assert db("SELECT so_ap, so_ap_an_toan, xep_loai_phong_trao FROM raw.danh_gia_nam") == [
        (8, 7, "KHA")
    ]
    assert db("SELECT muc_da_dat, nam_dat, muc_dang_ky FROM raw.dang_ky_ntm") == [
        ("NTM", 2019, "NTM_NANG_CAO")
    ]


def test_ten_xa_checked_in_other_datasets_too(check):
    out = check(
        "CAH847_2023_danh_gia_nam.csv",
        [["ma_xa", "ten_xa", *DANH_GIA_HEADER[1:]], [HOA_MINH, "Hòa Thuận", "5", "5", "TOT", "1"]],
    )
    assert codes(out) == ["TEN_XA_MISMATCH"]


def test_collects_errors_of_every_row_and_cell_in_records_datasets(check):
    out = check(
        "CAH847_2023_mo_hinh.csv",
        [
            MO_HINH_HEADER,
            model("A", cams="x", rating="?"),
            model("B", xa="2941"),
            model("A", active="5"),
        ],
    )
    assert [(e.row, e.column, e.code) for e in out.errors] == [
        (2, "so_camera", "INTEGER_INVALID"),
        (2, "danh_gia", "CODE_UNKNOWN"),
        (3, "ma_xa", "MA_XA_INVALID"),
        (4, "hoat_dong", "FLAG_INVALID"),
        (4, "ma_mo_hinh", "DUPLICATE_KEY"),
    ]


def test_the_templates_are_accepted_as_empty_submissions(check):
    from antt.config import INCLUDE_DIR

    names = {
        "chi_tieu_long.csv": "CAH847_2024-01_chi_tieu.csv",
        "chi_tieu_wide.csv": "CAH847_2024-02_chi_tieu.csv",
        "su_vu.csv": "CAH847_2024-01_su_vu.csv",
        "mo_hinh.csv": "CAH847_2024_mo_hinh.csv",
        "danh_gia_nam.csv": "CAH847_2024_danh_gia_nam.csv",
        "dang_ky_ntm.csv": "VPDP84_2024_dang_ky_ntm.csv",
        "chi_tieu_quy_doi.csv": "CAT86_2024-05_chi_tieu_quy_doi.csv",
    }
    folder = INCLUDE_DIR / "templates"
    assert {p.name for p in folder.glob("*.csv")} == set(names)
    for template, submission in names.items():
        header = (folder / template).read_text(encoding="utf-8").strip().split(",")
        out = check(submission, [header])
        assert (out.status, out.row_count) == ("accepted", 0), (template, out.errors)
