"""Contract v2: which unit may submit which period (at 2025-02/03, 2025-06/07, 2024/2025)."""

from __future__ import annotations

import pytest

from antt.ingest.filename import FileNameError, parse_file_name

from .builders import DANG_KY_HEADER, codes
from .v2 import HOA_MINH, LUONG_HOA_A, SONG_LOC_OLD, counts, ntm_register, ratings


def _errors(out) -> tuple[str, str]:
    return " | ".join(e.message_vi for e in out.errors), " | ".join(
        e.message_en for e in out.errors
    )


def period_checked(check, file_name: str, rows, accepted: bool):
    """The outcome of checking the file: accepted as expected, else refused with
    UNIT_PERIOD_NOT_ALLOWED only."""
    out = check(file_name, rows)
    assert (out.status == "accepted") is accepted, out.errors
    if not accepted:
        assert codes(out) == ["UNIT_PERIOD_NOT_ALLOWED"]
    return out


def test_commune_police_file_names():
    name = parse_file_name("cax29386_2025-08_chi_tieu.xlsx")
    assert (name.unit_code, name.unit_kind, name.area_code) == ("CAX29386", "CAX", "29386")
    with pytest.raises(FileNameError) as caught:
        parse_file_name("CAX2938_2025-08_chi_tieu.csv")
    assert "CAX takes 5 digits (the commune code)" in caught.value.message_en
    assert "CAX phải kèm 5 chữ số (mã xã)" in caught.value.message_vi


@pytest.mark.parametrize(
    ("file_name", "rows", "accepted"),
    [
        ("CAH847_2025-02_chi_tieu.csv", lambda: counts(HOA_MINH), True),
        ("CAH847_2025-03_chi_tieu.csv", lambda: counts(HOA_MINH), False),
        ("CAH847_2024_danh_gia_nam.csv", lambda: ratings(HOA_MINH), True),
        ("CAH847_2025_danh_gia_nam.csv", lambda: ratings(HOA_MINH), False),
    ],
)
def test_district_police_submit_up_to_february_2025(check, file_name, rows, accepted):
    out = period_checked(check, file_name, rows(), accepted)
    if not accepted:
        vi, en = _errors(out)
        assert f"may not submit period {parse_file_name(file_name).period}" in en
        assert "months up to 2025-02 and years up to 2024" in en
        assert "các tháng đến 2025-02 và các năm đến 2024" in vi
        assert out.errors[0].row is None  # a file error


@pytest.mark.parametrize(
    ("file_name", "rows", "accepted"),
    [
        # an old code: months 2025-03 … 2025-06 only
        ("CAX29392_2025-02_chi_tieu.csv", lambda: counts(SONG_LOC_OLD), False),
        ("CAX29392_2025-03_chi_tieu.csv", lambda: counts(SONG_LOC_OLD), True),
        ("CAX29392_2025-06_chi_tieu.csv", lambda: counts(SONG_LOC_OLD), True),
        ("CAX29392_2025-07_chi_tieu.csv", lambda: counts(SONG_LOC_OLD), False),
        ("CAX29392_2025_danh_gia_nam.csv", lambda: ratings(SONG_LOC_OLD, "KHA"), False),
        # a code in both lists: the old unit until 2025-06, the new one from 2025-07
        ("CAX29386_2025-06_chi_tieu.csv", lambda: counts(LUONG_HOA_A), True),
        ("CAX29386_2025-07_chi_tieu.csv", lambda: counts(LUONG_HOA_A), True),
        ("CAX29386_2024_danh_gia_nam.csv", lambda: ratings(LUONG_HOA_A, "KHA"), False),
        ("CAX29386_2025_danh_gia_nam.csv", lambda: ratings(LUONG_HOA_A), True),
        (
            "CAX29386_2025-02_su_vu.csv",
            lambda: [["ma_su_vu", "loai", "ma_xa", "ngay_bat_dau"]],
            False,
        ),
    ],
)
def test_commune_police_periods(check, file_name, rows, accepted):
    period_checked(check, file_name, rows(), accepted)


def test_commune_police_period_error_names_the_periods_of_each_list(check):
    vi, en = _errors(check("CAX29386_2025-02_chi_tieu.csv", counts(LUONG_HOA_A)))
    assert "Unit CAX29386 may not submit period 2025-02" in en
    assert "months 2025-03 to 2025-06 (old code: Xã Lương Hòa A)" in en
    assert "months from 2025-07 and years from 2025 (new code: Xã Song Lộc)" in en
    assert "các tháng 2025-03 đến 2025-06 (mã cũ: Xã Lương Hòa A)" in vi
    assert "các tháng từ 2025-07 và các năm từ 2025 (mã mới: Xã Song Lộc)" in vi
    vi, en = _errors(check("CAX29392_2025-07_chi_tieu.csv", counts(SONG_LOC_OLD)))
    assert en.endswith(
        "it may submit months 2025-03 to 2025-06 (old code: Xã Song Lộc); from 2025-07 its "
        "territory is reported by CAX29386 (Xã Song Lộc)."
    )
    assert "từ 2025-07 địa bàn này do CAX29386 (Xã Song Lộc) báo cáo" in vi


def test_commune_police_of_an_unknown_commune(check):
    out = check("CAX99999_2025-08_chi_tieu.csv", counts(LUONG_HOA_A))
    assert codes(out) == ["UNIT_UNKNOWN"]
    assert "no commune with code 99999" in out.errors[0].message_en
    assert "không có xã mã 99999" in out.errors[0].message_vi


def test_commune_police_datasets_are_those_of_district_police(check):
    out = check(
        "CAX29386_2025_dang_ky_ntm.csv", [DANG_KY_HEADER, [LUONG_HOA_A, "NTM", 2020, "NTM"]]
    )
    assert codes(out) == ["DATASET_NOT_ALLOWED"]
    assert "may submit: chi_tieu, su_vu, mo_hinh, danh_gia_nam" in out.errors[0].message_en
    assert out.errors[0].message_vi == (
        "Đơn vị CAX29386 không được gửi dữ liệu dang_ky_ntm; đơn vị này chỉ gửi: chi_tieu, su_vu, "
        "mo_hinh, danh_gia_nam."
    )


def test_commune_police_report_on_their_commune_only(check):
    out = check("CAX29386_2025-08_chi_tieu.csv", counts(LUONG_HOA_A, HOA_MINH))
    assert codes(out) == ["COMMUNE_NOT_AUTHORIZED"]
    assert out.errors[0].row == 3
    assert "Commune 29410 (Xã Hòa Minh, province 86) is outside the area of unit CAX29386" in (
        out.errors[0].message_en
    )
    assert "không thuộc địa bàn của đơn vị CAX29386 trong kỳ 2025-08" in out.errors[0].message_vi


@pytest.mark.parametrize(
    ("file_name", "accepted"),
    [
        ("CAT84_2025-06_chi_tieu.csv", True),
        ("CAT84_2025-07_chi_tieu.csv", False),
        ("CAT84_2024_danh_gia_nam.csv", True),
        ("CAT84_2025_danh_gia_nam.csv", False),
        ("VPDP84_2024_dang_ky_ntm.csv", True),
        ("VPDP84_2025_dang_ky_ntm.csv", False),
    ],
)
def test_an_old_province_submits_until_june_2025(check, file_name, accepted):
    rows = {
        "chi_tieu": lambda: counts(HOA_MINH),
        "danh_gia_nam": lambda: ratings(HOA_MINH),
        "dang_ky_ntm": lambda: ntm_register(HOA_MINH),
    }[parse_file_name(file_name).dataset]
    out = period_checked(check, file_name, rows(), accepted)
    if not accepted:
        vi, en = _errors(out)
        assert "months up to 2025-06 and years up to 2024" in en
        assert "from 1 July 2025 province 84 is part of province 86" in en
        assert "từ 01/07/2025 tỉnh 84 thuộc tỉnh 86" in vi


def test_the_new_province_submits_every_period_for_its_predecessors(check):
    # 2024-05: old codes of 83, 84 and 86 (every old commune whose successor lies in 86).
    out = check("CAT86_2024-05_chi_tieu.csv", counts(LUONG_HOA_A, "28924", "29764"))
    assert out.status == "accepted", out.errors
    out = check("CAT86_2025-07_chi_tieu.csv", counts(LUONG_HOA_A, "28921", "29767"))
    assert out.status == "accepted", out.errors
    out = check("VPDP86_2024_dang_ky_ntm.csv", [DANG_KY_HEADER, [HOA_MINH, "NTM", 2020, "NTM"]])
    assert out.status == "accepted", out.errors
    out = check("CAT83_2025-07_chi_tieu.csv", counts("28921"))
    assert codes(out) == ["UNIT_PERIOD_NOT_ALLOWED"]


def test_a_new_province_reports_only_its_predecessors(check):
    out = check("CAT86_2024-05_chi_tieu.csv", counts("00004"))
    assert codes(out) == ["COMMUNE_NOT_AUTHORIZED"]
    out = check("CAT86_2025-08_chi_tieu.csv", counts("00004"))
    assert codes(out) == ["COMMUNE_NOT_AUTHORIZED"]


def test_an_old_province_that_lives_on_reports_on_every_commune_its_successor_took(
    module_warehouse,
):
    # the area of a province code that is also a new province, before 2025-07: its own old
    # communes and every old commune with a successor in the new province, by definition
    import psycopg

    from antt.ingest.reference import reference_for
    from antt.ingest.submitters import submitter_area

    with psycopg.connect(module_warehouse) as conn:
        ref = reference_for(conn)
    checked = 0
    for code in sorted(ref.provinces & ref.provinces_2025):
        new_province = {c.code for c in ref.communes_2025.values() if c.province_code == code}
        expected = {c.code for c in ref.communes.values() if c.province_code == code} | {
            old
            for old, successors in ref.successors.items()
            if any(new in new_province for new, _relation in successors)
        }
        area = submitter_area(parse_file_name(f"CAT{code}_2024-06_chi_tieu.csv"), ref)
        assert area == expected, code
        checked += len(
            expected - {c.code for c in ref.communes.values() if c.province_code == code}
        )
    assert checked > 0  # some old communes of other provinces went to these
