"""The contract's column lists as the tests state them, independently of `antt.ingest.contract`
(a test that took them from the code it checks could not catch a change to the contract).
One list per dataset, in the order of the contract's templates; imported by every test helper
that builds files or raw rows."""

from __future__ import annotations

LONG_COLUMNS = ("ma_xa", "ma_chi_tieu", "gia_tri")
# su_vu without its free-text `mo_ta`, which the raw rows of the dbt tests leave out
SU_VU_COLUMNS = (
    "ma_su_vu",
    "loai",
    "ma_xa",
    "ngay_bat_dau",
    "ngay_ket_thuc",
    "so_nguoi",
    "trai_phap_luat",
)
MO_HINH_COLUMNS = (
    "ma_mo_hinh",
    "ma_xa",
    "ten_mo_hinh",
    "loai_mo_hinh",
    "so_camera",
    "ngay_thanh_lap",
    "danh_gia",
    "hoat_dong",
)
DANH_GIA_COLUMNS = (
    "ma_xa",
    "so_ap",
    "so_ap_an_toan",
    "xep_loai_phong_trao",
    "cong_an_xa_tien_tien",
)
DANG_KY_COLUMNS = ("ma_xa", "muc_da_dat", "nam_dat", "muc_dang_ky")
