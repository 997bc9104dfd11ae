"""Contract v2 datasets: the restatement chi_tieu_quy_doi and su_vu's don_vi_goc."""

from __future__ import annotations

from datetime import date

import pytest

from antt.ingest.filename import parse_file_name
from antt.ingest.loader import scope_lock_text
from antt.ingest.plan import lanes

from .builders import codes, write_csv
from .v2 import HANOI_COMMUNE, HOA_MINH, INDICATOR, LONG, LUONG_HOA_A, counts, distinct

RESTATED = "CAT86_2024-05_chi_tieu_quy_doi.csv"


# ----- chi_tieu_quy_doi


def test_restatement_loads_into_its_own_table(ingest, db):
    out = ingest(
        RESTATED,
        [
            ["ma_xa", "ten_xa", "ma_chi_tieu", "gia_tri", "ky_bao_cao", "ghi_chu"],
            [LUONG_HOA_A, "Xã Song Lộc", INDICATOR, "7", "2024-05", "từ địa chỉ vụ việc"],
            ["29767", "", "TP_MA_TUY", "", "2024-05", ""],
        ],
    )
    assert out.status == "accepted", out.errors
    assert db(
        "SELECT ma_xa, ma_chi_tieu, gia_tri, ten_xa, ghi_chu FROM raw.chi_tieu_quy_doi"
        " WHERE submission_id = %s ORDER BY ma_xa",
        (out.submission_id,),
    ) == [
        (LUONG_HOA_A, INDICATOR, 7, "Xã Song Lộc", "từ địa chỉ vụ việc"),
        ("29767", "TP_MA_TUY", None, None, None),  # blank stays NULL, never 0
    ]
    assert db("SELECT count(*) FROM raw.chi_tieu")[0][0] == 0


def test_restatement_wide_layout_and_cell_rules(ingest):
    out = ingest(RESTATED, [["ma_xa", INDICATOR, "tp ma tuy"], [LUONG_HOA_A, 2, "1.5"]])
    assert codes(out) == ["INTEGER_INVALID"]
    out = ingest(RESTATED, [["ma_xa", INDICATOR, "tp ma tuy"], [LUONG_HOA_A, 2, ""]])
    assert out.status == "accepted", out.errors


def test_restatement_period_column_must_match(ingest):
    out = ingest(RESTATED, [[*LONG, "ky_bao_cao"], [LUONG_HOA_A, INDICATOR, 1, "2024-06"]])
    assert codes(out) == ["PERIOD_MISMATCH"]


def test_restatement_versions_and_duplicates(ingest):
    first = ingest(RESTATED, counts(LUONG_HOA_A, value=3))
    second = ingest(RESTATED, counts(LUONG_HOA_A, value=4))
    again = ingest(RESTATED, counts(LUONG_HOA_A, value=4))
    assert (first.status, second.status, again.status) == ("accepted", "accepted", "duplicate")
    assert second.replaces_submission_id == first.submission_id
    assert again.duplicate_of_submission_id == second.submission_id
    # Another scope: the chi_tieu of the same unit and month is not replaced by it.
    original = ingest("CAT86_2024-05_chi_tieu.csv", counts(HOA_MINH, value=3))
    assert original.replaces_submission_id is None


@pytest.mark.parametrize(
    ("file_name", "code", "words_en", "words_vi"),
    [
        ("CAT86_2025-06_chi_tieu_quy_doi.csv", None, None, None),
        (
            "CAT86_2025-07_chi_tieu_quy_doi.csv",
            "UNIT_PERIOD_NOT_ALLOWED",
            "chi_tieu_quy_doi restates months up to 2025-06 on the new units; month 2025-07 "
            "already uses the new codes: submit chi_tieu.",
            "chi_tieu_quy_doi chỉ quy đổi các tháng đến 2025-06 sang đơn vị mới; tháng 2025-07 "
            "đã dùng mã mới: gửi chi_tieu.",
        ),
        (
            "CAT86_2024_chi_tieu_quy_doi.csv",
            "FILE_NAME_PERIOD",
            "the period in the file name must be YYYY-MM, not '2024'.",
            "kỳ trong tên tệp phải là YYYY-MM, không phải '2024'.",
        ),
        (
            "CAT84_2024-05_chi_tieu_quy_doi.csv",
            "DATASET_NOT_ALLOWED",
            "Only the police of a province valid from 1 July 2025 may submit chi_tieu_quy_doi; "
            "province 84 ended on 30 June 2025 (it is part of province 86): CAT86 submits the "
            "restatement.",
            "Chỉ công an của một tỉnh có từ 01/07/2025 được gửi chi_tieu_quy_doi; tỉnh 84 không "
            "còn từ 01/07/2025 (nay thuộc tỉnh 86): CAT86 gửi số liệu quy đổi.",
        ),
        (
            "CAH847_2024-05_chi_tieu_quy_doi.csv",
            "DATASET_NOT_ALLOWED",
            "may submit: chi_tieu, su_vu, mo_hinh, danh_gia_nam.",
            "chỉ gửi: chi_tieu, su_vu, mo_hinh, danh_gia_nam.",
        ),
        (
            "CAX29386_2025-04_chi_tieu_quy_doi.csv",
            "DATASET_NOT_ALLOWED",
            "may submit: chi_tieu, su_vu, mo_hinh, danh_gia_nam.",
            "chỉ gửi: chi_tieu, su_vu, mo_hinh, danh_gia_nam.",
        ),
        (
            "VPDP86_2024-05_chi_tieu_quy_doi.csv",
            "DATASET_NOT_ALLOWED",
            "may submit: dang_ky_ntm.",
            "chỉ gửi: dang_ky_ntm.",
        ),
    ],
)
def test_only_the_police_of_a_new_province_restate_months_before_july_2025(
    check, file_name, code, words_en, words_vi
):
    out = check(file_name, counts(LUONG_HOA_A))
    if code is None:
        assert out.status == "accepted", out.errors
        return
    assert codes(out) == [code]
    assert out.errors[0].message_en.endswith(words_en)
    assert out.errors[0].message_vi.endswith(words_vi)


def test_restatement_codes_are_those_of_the_submitting_province(check):
    out = check(RESTATED, counts(HANOI_COMMUNE))
    assert codes(out) == ["COMMUNE_NOT_AUTHORIZED"]


def test_the_police_of_a_new_province_may_list_chi_tieu_quy_doi(check):
    out = check("CAT86_2024_dang_ky_ntm.csv", [["ma_xa"]])
    assert "chi_tieu_quy_doi" in out.errors[0].message_en
    out = check("CAT84_2024_dang_ky_ntm.csv", [["ma_xa"]])
    assert out.errors[0].message_en.endswith("may submit: chi_tieu, su_vu, mo_hinh, danh_gia_nam.")


# ----- su_vu: don_vi_goc and the incident's identity across units

SU_VU = ["ma_su_vu", "loai", "ma_xa", "ngay_bat_dau", "ngay_ket_thuc", "don_vi_goc"]


def test_a_successor_unit_updates_an_incident_a_dissolved_unit_opened(ingest, db):
    opened = ingest(
        "CAH847_2025-01_su_vu.csv", [SU_VU, ["SV1", "TRONG_AN", LUONG_HOA_A, "2025-01-10", "", ""]]
    )
    assert opened.status == "accepted", opened.errors
    # 2025-04: the commune police (old code) update it; 2025-08: the provincial police close it.
    update = ingest(
        "CAX29386_2025-04_su_vu.csv",
        [SU_VU, ["SV1", "TRONG_AN", LUONG_HOA_A, "10/01/2025", "", "cah847"]],
    )
    assert update.status == "accepted", update.errors
    closed = ingest(
        "CAT86_2025-08_su_vu.csv",
        [SU_VU, ["SV1", "TRONG_AN", LUONG_HOA_A, "2025-01-10", "2025-08-02", "CAH847"]],
    )
    assert closed.status == "accepted", closed.errors
    assert db(
        "SELECT s.unit_code, v.don_vi_goc, v.ngay_ket_thuc FROM raw.su_vu v"
        " JOIN raw.submissions s USING (submission_id) ORDER BY s.period"
    ) == [
        ("CAH847", None, None),
        ("CAX29386", "CAH847", None),
        ("CAT86", "CAH847", date(2025, 8, 2)),
    ]


def test_an_update_by_another_unit_keeps_the_original_start(ingest):
    ingest("CAH847_2025-02_su_vu.csv", [SU_VU, ["SV2", "TRONG_AN", HOA_MINH, "2025-02-03", "", ""]])
    out = ingest(
        "CAT86_2025-07_su_vu.csv",
        [SU_VU, ["SV2", "TRONG_AN", HOA_MINH, "2025-02-04", "", "CAH847"]],
    )
    assert codes(out) == ["SU_VU_START_CHANGED"]
    assert out.errors[0].message_en == (
        "Incident SV2 of unit CAH847 was reported earlier with start date 2025-02-03; an update "
        "must keep that date."
    )
    assert out.errors[0].message_vi == (
        "Vụ SV2 của đơn vị CAH847 đã được báo cáo trước đây với ngày bắt đầu 03/02/2025; bản "
        "cập nhật phải giữ nguyên ngày đó."
    )


def test_an_unknown_incident_of_another_unit_is_a_new_one(ingest):
    # CAH847 never reported SV3: the row is a new incident, so it must start in the file's month.
    out = ingest(
        "CAT86_2025-07_su_vu.csv",
        [SU_VU, ["SV3", "TRONG_AN", HOA_MINH, "2025-02-04", "", "CAH847"]],
    )
    assert codes(out) == ["SU_VU_START_OUTSIDE_PERIOD"]
    assert "New incident SV3 of unit CAH847 must start in the file's month 2025-07" in (
        out.errors[0].message_en
    )
    assert "unit CAH847 has not reported it in an earlier period" in out.errors[0].message_en
    assert "đơn vị CAH847 chưa báo cáo vụ này" in out.errors[0].message_vi


def test_the_same_id_of_two_units_names_two_incidents(ingest):
    ingest("CAH847_2025-02_su_vu.csv", [SU_VU, ["SV4", "TRONG_AN", HOA_MINH, "2025-02-03", "", ""]])
    # Blank don_vi_goc: CAT86's own SV4, a new incident (not CAH847's).
    out = ingest(
        "CAT86_2025-07_su_vu.csv", [SU_VU, ["SV4", "TRONG_AN", LUONG_HOA_A, "2025-02-03", "", ""]]
    )
    assert codes(out) == ["SU_VU_START_OUTSIDE_PERIOD"]
    both = ingest(
        "CAT86_2025-07_su_vu.csv",
        [
            SU_VU,
            ["SV4", "TRONG_AN", HOA_MINH, "2025-07-01", "", ""],
            ["SV4", "TRONG_AN", HOA_MINH, "2025-02-03", "", "CAH847"],
        ],
    )
    assert both.status == "accepted", both.errors


def test_one_incident_twice_in_a_file_is_a_duplicate(check):
    out = check(
        "CAT86_2025-09_su_vu.csv",
        [
            SU_VU,
            ["SV5", "TRONG_AN", HOA_MINH, "2025-09-01", "", "CAT86"],
            ["SV5", "TRONG_AN", HOA_MINH, "2025-09-01", "", ""],
        ],
    )
    assert codes(out) == ["DUPLICATE_KEY"]


@pytest.mark.parametrize("value", ["XYZ", "CAH84", "CAH999", "VPDP86", "CAX99999", "CAT99"])
def test_don_vi_goc_must_be_a_police_unit_of_the_lists(check, value):
    out = check(
        "CAT86_2025-09_su_vu.csv", [SU_VU, ["SV6", "TRONG_AN", HOA_MINH, "2025-09-01", "", value]]
    )
    assert codes(out) == ["DON_VI_GOC_INVALID"]
    assert out.errors[0].column == "don_vi_goc"
    assert "is not the code of a police unit" in out.errors[0].message_en
    assert "không phải mã một đơn vị công an" in out.errors[0].message_vi


@pytest.mark.parametrize("value", ["CAH847", "CAX29392", "CAX29386", "CAT84", "CAT86"])
def test_don_vi_goc_of_either_list_is_accepted(check, value):
    out = check(
        "CAT86_2025-09_su_vu.csv",
        [SU_VU, [f"SV7{distinct()}", "TRONG_AN", HOA_MINH, "2025-09-01", "", value]],
    )
    assert out.status == "accepted", out.errors


def test_su_vu_files_of_one_territory_load_in_order(tmp_path):
    names = [
        "CAH847_2025-01_su_vu.csv",
        "CAX29386_2025-04_su_vu.csv",
        "CAT86_2025-08_su_vu.csv",
        "CAT84_2025-05_su_vu.csv",
        "CAH001_2025-01_su_vu.csv",
    ]
    locks = {scope_lock_text(parse_file_name(n)) for n in names}
    assert locks == {"86|su_vu", "01|su_vu"}
    paths = [write_csv(tmp_path, n, [[n]]) for n in names]
    # one lane per territory, its su_vu files in period order (2025-01, -04, -05, -08)
    assert sorted(lanes(paths)) == [[0, 1, 3, 2], [4]]
