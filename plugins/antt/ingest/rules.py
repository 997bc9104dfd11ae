"""Rules across the cells of one row, one rule set per record dataset.

Each rule takes the row's parsed values (a value that failed its own check is neither a
`date` nor an `int`, so rules over it stay silent) and the file name, and yields
(column, shown value, error) for every rule the row breaks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from antt.ingest.filename import FileName
from antt.ingest.issues import CellError
from antt.ingest.reference import COMPLAINT_TYPES

Broken = tuple[str, object, CellError]  # column key, value shown, error
RowRule = Callable[[dict[str, object], FileName], Iterator[Broken]]


def end_after_start(v: dict[str, object], name: FileName) -> Iterator[Broken]:
    start, end = v["ngay_bat_dau"], v["ngay_ket_thuc"]
    if isinstance(start, date) and isinstance(end, date) and end < start:
        yield (
            "ngay_ket_thuc",
            end.isoformat(),
            CellError("SU_VU_END_BEFORE_START", end=end, start=start),
        )


def mass_complaint_counts_people(v: dict[str, object], name: FileName) -> Iterator[Broken]:
    if v["loai"] == "KHIEU_KIEN_DONG_NGUOI" and v["so_nguoi"] is None:
        yield (
            "so_nguoi",
            None,
            CellError("SO_NGUOI_REQUIRED"),
        )


def complaint_says_if_unlawful(v: dict[str, object], name: FileName) -> Iterator[Broken]:
    if v["loai"] in COMPLAINT_TYPES and v["trai_phap_luat"] is None:
        yield (
            "trai_phap_luat",
            None,
            CellError("TRAI_PHAP_LUAT_REQUIRED"),
        )


def safe_hamlets_within_hamlets(v: dict[str, object], name: FileName) -> Iterator[Broken]:
    total, safe = v["so_ap"], v["so_ap_an_toan"]
    if isinstance(total, int) and isinstance(safe, int) and safe > total:
        yield (
            "so_ap_an_toan",
            safe,
            CellError("SO_AP_AN_TOAN_EXCEEDS", safe=safe, total=total),
        )


def recognised_by_report_year(v: dict[str, object], name: FileName) -> Iterator[Broken]:
    year = v["nam_dat"]
    if isinstance(year, int) and year > name.year:
        yield (
            "nam_dat",
            year,
            CellError("NAM_DAT_INVALID", year=year, report_year=name.year),
        )


ROW_RULES: dict[str, tuple[RowRule, ...]] = {
    "su_vu": (end_after_start, mass_complaint_counts_people, complaint_says_if_unlawful),
    "mo_hinh": (),
    "danh_gia_nam": (safe_hamlets_within_hamlets,),
    "dang_ky_ntm": (recognised_by_report_year,),
}
