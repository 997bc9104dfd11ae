"""The report contract's datasets: their columns, cell kinds, keys and raw-table columns."""

from __future__ import annotations

from dataclasses import dataclass

from antt.ingest.cells import INT4_MAX
from antt.ingest.filename import COUNT_DATASETS
from antt.ingest.reference import (
    DANH_GIA,
    EVENT_TYPES,
    INDICATORS,
    LOAI_MO_HINH,
    MUC_DA_DAT,
    MUC_DANG_KY,
    XEP_LOAI_PHONG_TRAO,
    code_map,
)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # ma_xa, ten_xa, id, text, int, flag, date, code, unit
    required: bool = True  # the column must be in the header and every row needs a value
    codes: tuple[str, ...] = ()
    low: int = 0
    high: int = INT4_MAX
    max_chars: int = 4000


# Columns per record dataset, in the column order of the raw table (after submission_id,
# source_row).
DATASET_COLUMNS: dict[str, tuple[Column, ...]] = {
    "su_vu": (
        Column("ma_su_vu", "id", max_chars=100),
        Column("loai", "code", codes=EVENT_TYPES),
        Column("ma_xa", "ma_xa"),
        Column("ten_xa", "ten_xa", required=False),
        Column("ngay_bat_dau", "date"),
        Column("ngay_ket_thuc", "date", required=False),
        Column("so_nguoi", "int", required=False),
        Column("trai_phap_luat", "flag", required=False),
        Column("mo_ta", "text", required=False),
        # Contract v2: the unit that first reported the incident (blank: the submitting unit).
        Column("don_vi_goc", "unit", required=False),
    ),
    "mo_hinh": (
        Column("ma_mo_hinh", "id", max_chars=100),
        Column("ma_xa", "ma_xa"),
        Column("ten_xa", "ten_xa", required=False),
        Column("ten_mo_hinh", "text", max_chars=1000),
        Column("loai_mo_hinh", "code", codes=LOAI_MO_HINH),
        Column("so_camera", "int"),
        Column("ngay_thanh_lap", "date"),
        Column("danh_gia", "code", codes=DANH_GIA),
        Column("hoat_dong", "flag"),
    ),
    "danh_gia_nam": (
        Column("ma_xa", "ma_xa"),
        Column("ten_xa", "ten_xa", required=False),
        Column("so_ap", "int", low=1),
        Column("so_ap_an_toan", "int"),
        Column("xep_loai_phong_trao", "code", codes=XEP_LOAI_PHONG_TRAO),
        Column("cong_an_xa_tien_tien", "flag"),
    ),
    "dang_ky_ntm": (
        Column("ma_xa", "ma_xa"),
        Column("ten_xa", "ten_xa", required=False),
        Column("muc_da_dat", "code", codes=MUC_DA_DAT),
        Column("nam_dat", "int", required=False, low=1900, high=9999),
        Column("muc_dang_ky", "code", codes=MUC_DANG_KY),
    ),
}
# The count datasets (chi_tieu, chi_tieu_quy_doi) come in two layouts: long, one row per
# (commune, indicator), or wide, one row per commune and one column per indicator.
CHI_TIEU_LONG = ("ma_xa", "ma_chi_tieu", "gia_tri", "ten_xa", "ky_bao_cao", "ghi_chu")
CHI_TIEU_LONG_REQUIRED = ("ma_xa", "ma_chi_tieu", "gia_tri")
CHI_TIEU_WIDE_REQUIRED = ("ma_xa",)
# Raw table columns after submission_id and source_row, per dataset.
RAW_COLUMNS: dict[str, tuple[str, ...]] = {
    **{name: ("ma_xa", "ma_chi_tieu", "gia_tri", "ten_xa", "ghi_chu") for name in COUNT_DATASETS},
    **{name: tuple(c.name for c in cols) for name, cols in DATASET_COLUMNS.items()},
}
# Row keys that may appear once per file.
FILE_KEYS = {
    "su_vu": "ma_su_vu",
    "mo_hinh": "ma_mo_hinh",
    "danh_gia_nam": "ma_xa",
    "dang_ky_ntm": "ma_xa",
}

# Indicator codes as headers and cells give them (normalized) → the canonical code.
INDICATOR_CODES = code_map(INDICATORS)
# The same, with the canonical codes themselves: what a long file's cells are looked up in.
INDICATOR_CELLS = {**INDICATOR_CODES, **{code: code for code in INDICATORS}}
CODE_MAPS = {
    col.name: code_map(col.codes)
    for cols in DATASET_COLUMNS.values()
    for col in cols
    if col.kind == "code"
}


def header_columns(dataset: str, keys: list[str]) -> tuple[set[str], tuple[str, ...]]:
    """(allowed, required) header keys of a file of `dataset` whose header reads `keys`."""
    if dataset in COUNT_DATASETS:
        if "ma_chi_tieu" in keys:
            return set(CHI_TIEU_LONG), CHI_TIEU_LONG_REQUIRED
        return {"ma_xa", "ten_xa", *INDICATOR_CODES}, CHI_TIEU_WIDE_REQUIRED
    cols = DATASET_COLUMNS[dataset]
    return {c.name for c in cols}, tuple(c.name for c in cols if c.required)
