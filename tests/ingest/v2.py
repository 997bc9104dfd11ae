"""Units and rows of contract v2 (the 2025 reorganisation) used across the v2 ingestion tests."""

from __future__ import annotations

import itertools

from .builders import DANG_KY_HEADER, DANH_GIA_HEADER

# Every table gets its own count: equal bytes would make a later file a duplicate of an earlier.
_distinct = itertools.count(1)

# Old Trà Vinh (84), huyện Châu Thành (847); from 2025-07-01 all part of Vĩnh Long (86).
LUONG_HOA_A = "29386"  # old Xã Lương Hòa A; from 2025-07-01 Xã Song Lộc = 29386 + 29389 + 29392
LUONG_HOA = "29389"  # old Xã Lương Hòa: merged into 29386
SONG_LOC_OLD = "29392"  # old Xã Song Lộc: merged into 29386
HOA_MINH = "29410"  # kept its code and territory
# Old Vĩnh Long (86), huyện Tam Bình: split over new 29767 (Xã Ngãi Tứ) and 29770 (Phường Cái Vồn)
NGAI_TU_OLD = "29764"
# Old Bến Tre (83), Mỏ Cày Bắc: merged whole into Xã Tân Thành Bình (28921)
HOA_LOC_BEN_TRE = "28924"
# Hồ Chí Minh City (79, new): Đặc khu Côn Đảo has no commune predecessor (island district)
CON_DAO = "26732"
HANOI_COMMUNE = "00004"  # Phường Ba Đình (old and new Hà Nội)

LONG = ["ma_xa", "ma_chi_tieu", "gia_tri"]
LONG_NAMED = ["ma_xa", "ten_xa", "ma_chi_tieu", "gia_tri"]
INDICATOR = "TP_GIET_NGUOI"


def counts(*communes: str, value: int | None = None) -> list[list[object]]:
    """A long chi_tieu table: one row per commune for one indicator."""
    value = next(_distinct) if value is None else value
    return [LONG, *([xa, INDICATOR, value] for xa in communes)]


def distinct() -> int:
    return next(_distinct)


def ratings(xa: str, rating: str = "TOT") -> list[list[object]]:
    """A danh_gia_nam table: one commune rated `rating`."""
    return [DANH_GIA_HEADER, [xa, distinct(), 1, rating, 1]]


def ntm_register(xa: str) -> list[list[object]]:
    """A dang_ky_ntm table: one commune registered for NTM."""
    return [DANG_KY_HEADER, [xa, "NTM", 2000 + distinct() % 20, "NTM"]]
