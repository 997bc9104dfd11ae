"""Contract v2: the period decides the list; a code of the other list says where it went."""

from __future__ import annotations

import pytest

from antt.ingest.lineage import other_list_error
from antt.ingest.reference import Commune, Reference

from .builders import codes
from .v2 import (
    CON_DAO,
    HOA_LOC_BEN_TRE,
    HOA_MINH,
    INDICATOR,
    LONG_NAMED,
    LUONG_HOA,
    LUONG_HOA_A,
    NGAI_TU_OLD,
    SONG_LOC_OLD,
    counts,
    distinct,
    ntm_register,
)

MERGED_VI = "xã 29392 (Xã Song Lộc, huyện Châu Thành) đã nhập vào Xã Song Lộc (29386) từ 01/07/2025"
MERGED_EN = "commune 29392 merged into Xã Song Lộc (29386) on 1 July 2025"


def assert_messages_start(error, vi: str, en: str) -> None:
    """Both messages of `error` start as the officer must read them."""
    assert error.message_vi.startswith(vi), error.message_vi
    assert error.message_en.startswith(en), error.message_en


def test_an_old_code_in_a_new_period_says_where_the_commune_went(check):
    out = check("CAT86_2025-08_chi_tieu.csv", counts(LUONG_HOA_A, SONG_LOC_OLD))
    assert codes(out) == ["COMMUNE_CODE_ENDED"]
    error = out.errors[0]
    assert (error.row, error.column, error.value) == (3, "ma_xa", SONG_LOC_OLD)
    assert_messages_start(error, MERGED_VI, MERGED_EN)
    assert "Kỳ 2025-08 dùng mã đơn vị hành chính có từ 01/07/2025" in error.message_vi
    assert "Period 2025-08 uses the codes valid from 1 July 2025" in error.message_en


def test_a_split_commune_names_every_successor(check):
    out = check("CAT86_2025-07_chi_tieu.csv", counts(NGAI_TU_OLD))
    assert codes(out) == ["COMMUNE_CODE_ENDED"]
    assert_messages_start(
        out.errors[0],
        "xã 29764 (Xã Ngãi Tứ, huyện Tam Bình) đã được chia vào Xã Ngãi Tứ (29767), "
        "Phường Cái Vồn (29770) từ 01/07/2025",
        "commune 29764 was split into Xã Ngãi Tứ (29767), Phường Cái Vồn (29770) on 1 July 2025",
    )


def test_the_boundary_month_decides_the_list(check):
    # 2025-06: old codes (29392 valid, Xã Song Lộc of Châu Thành); 2025-07: new codes.
    assert check("CAT86_2025-06_chi_tieu.csv", counts(SONG_LOC_OLD)).status == "accepted"
    assert codes(check("CAT86_2025-07_chi_tieu.csv", counts(SONG_LOC_OLD))) == [
        "COMMUNE_CODE_ENDED"
    ]


def test_annual_datasets_of_2025_use_the_new_codes(check):
    assert check("VPDP86_2024_dang_ky_ntm.csv", ntm_register(SONG_LOC_OLD)).status == "accepted"
    out = check("VPDP86_2025_dang_ky_ntm.csv", ntm_register(SONG_LOC_OLD))
    assert codes(out) == ["COMMUNE_CODE_ENDED"]
    assert MERGED_EN in out.errors[0].message_en
    assert check("VPDP86_2025_dang_ky_ntm.csv", ntm_register(LUONG_HOA_A)).status == "accepted"


def test_a_new_code_in_an_old_period_names_the_new_unit(check):
    # Đặc khu Côn Đảo exists only from 2025-07-01 (its old district had no communes).
    out = check("CAT79_2024-05_chi_tieu.csv", counts(CON_DAO))
    assert codes(out) == ["COMMUNE_CODE_NOT_YET_VALID"]
    assert_messages_start(
        out.errors[0],
        "mã 26732 là Đặc khu Côn Đảo, đơn vị có từ 01/07/2025. Kỳ 2024-05 dùng mã đơn vị hành "
        "chính trước 01/07/2025",
        "code 26732 is Đặc khu Côn Đảo, a unit valid from 1 July 2025. Period 2024-05 uses the "
        "codes valid before 1 July 2025",
    )
    assert check("CAT79_2025-07_chi_tieu.csv", counts(CON_DAO)).status == "accepted"


def test_a_new_code_message_names_its_predecessors():
    # Every real new unit but the island special zones reuses an old code; a unit with a code
    # of its own (as a future list might have) names where it came from.
    ref = Reference(
        communes={
            "00001": Commune("00001", "001", "01", "Xã A", "A"),
            "00002": Commune("00002", "002", "01", "Phường B", "B"),
        },
        district_province={"001": "01", "002": "01"},
        provinces=frozenset({"01"}),
        communes_2025={"09999": Commune("09999", None, "01", "Xã Mới", "Mới")},
        district_names={"001": "Huyện Một", "002": "Thị xã Hai"},
        predecessors={"09999": ("00001", "00002")},
    )
    error = other_list_error("09999", False, "2025-01", ref)
    assert error.code == "COMMUNE_CODE_NOT_YET_VALID"
    assert_messages_start(
        error,
        "mã 09999 là Xã Mới, đơn vị có từ 01/07/2025, lập từ Xã A (00001, huyện Một), "
        "Phường B (00002, thị xã Hai).",
        "code 09999 is Xã Mới, a unit valid from 1 July 2025, formed from Xã A (00001), "
        "Phường B (00002).",
    )
    assert other_list_error("12345", False, "2025-01", ref) is None
    assert other_list_error("12345", True, "2025-07", ref) is None


def test_a_code_in_neither_list_is_unknown(check):
    out = check("CAT86_2025-08_chi_tieu.csv", counts("99999"))
    assert codes(out) == ["COMMUNE_UNKNOWN"]


def test_restated_rows_carry_new_codes(check):
    out = check("CAT86_2024-05_chi_tieu_quy_doi.csv", counts(SONG_LOC_OLD))
    assert codes(out) == ["COMMUNE_CODE_ENDED"]
    assert MERGED_EN in out.errors[0].message_en


@pytest.mark.parametrize(
    ("file_name", "code", "name", "accepted"),
    [
        # 29386 is Xã Lương Hòa A until 2025-06 and Xã Song Lộc from 2025-07.
        ("CAT86_2025-06_chi_tieu.csv", LUONG_HOA_A, "Lương Hòa A", True),
        ("CAT86_2025-06_chi_tieu.csv", LUONG_HOA_A, "Xã Song Lộc", False),
        ("CAT86_2025-07_chi_tieu.csv", LUONG_HOA_A, "Xã Song Lộc", True),
        ("CAT86_2025-07_chi_tieu.csv", LUONG_HOA_A, "Lương Hòa A", False),
        ("CAT86_2024-05_chi_tieu_quy_doi.csv", LUONG_HOA_A, "song lộc", True),
        ("CAT86_2024-05_chi_tieu_quy_doi.csv", LUONG_HOA_A, "Lương Hoà A", False),
        ("CAT86_2024-05_chi_tieu.csv", LUONG_HOA, "Xã Lương Hòa", True),
        ("CAT86_2024-05_chi_tieu.csv", HOA_LOC_BEN_TRE, "Hòa Lộc", True),
        ("CAT86_2025-07_chi_tieu.csv", HOA_MINH, "Hoà Minh", True),
    ],
)
def test_ten_xa_is_checked_against_the_name_valid_for_the_period(
    check, file_name, code, name, accepted
):
    out = check(file_name, [LONG_NAMED, [code, name, INDICATOR, distinct()]])
    assert (out.status == "accepted") is accepted, out.errors
    if not accepted:
        assert codes(out) == ["TEN_XA_MISMATCH"]
        new = "2025-07" in file_name or "quy_doi" in file_name
        valid = "Xã Song Lộc" if new else "Xã Lương Hòa A"
        assert out.errors[0].message_en == (
            f"Commune name '{name}' does not match commune code {code} ({valid}); check the code."
        )
        assert out.errors[0].message_vi == (
            f"Tên xã '{name}' không khớp mã xã {code} ({valid}); kiểm tra lại mã xã."
        )
