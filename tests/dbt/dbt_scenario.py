"""A small hand-computed scenario in Trà Vinh (84), years 2022-2023, loaded as the loader would.

District 842 (Thành phố Trà Vinh: 7 wards and one Xã, 29263) reports complete chi_tieu for both
years; district 847 (Châu Thành) reports one commune (29410) and the incidents. The expected
values in test_build.py are computed by hand from these numbers.
"""

from __future__ import annotations

from dbt_rawdata import month_rows, spread, submit

# commune -> (TTXH 2022, TTXH 2023, TNXH 2022, TNXH 2023), as reported by CAH842.
DISTRICT_842 = {
    "29263": (20, 19, 0, 0),  # Xã Long Đức: cut exactly 5 % -> ANTT_06 DAT
    "29236": (21, 20, 0, 0),  # Phường 4: cut 4.76 % -> ANTT_06 KHONG_DAT
    "29239": (0, 0, 0, 0),  # 0 -> 0: ANTT_06 DAT
    "29242": (0, 1, 0, 0),  # 0 -> 1: ANTT_06 and ANTT_04 KHONG_DAT
    "29248": (10, 8, 2, 3),  # TTXH -20 % but TNXH up: ANTT_04 KHONG_DAT, ANTT_06 DAT
    "29254": (12, 6, 0, 0),  # one managed person reoffends in 2023-05: ANTT_09 KHONG_DAT
    "29257": (12, 12, 0, 0),  # CAT84 reports 2023-06 with 0: TTXH 2023 = 11
    "29260": (12, 12, 0, 0),  # CAH842 corrects 2023-03 to 0: TTXH 2023 = 11
}


def _chi_tieu_842(year: int, month: int, corrected: bool = False) -> list:
    rows = []
    for commune, (t22, t23, n22, n23) in DISTRICT_842.items():
        ttxh = spread(t22 if year == 2022 else t23)[month - 1]
        tnxh = spread(n22 if year == 2022 else n23)[month - 1]
        if corrected and commune == "29260" and (year, month) == (2023, 3):
            ttxh = 0
        dt = 1 if (commune, year, month) == ("29254", 2023, 5) else 0
        rows += month_rows(commune, ttxh, tnxh, dt)
    return rows


def load(url: str) -> dict[str, int]:
    """Load the scenario; returns the submission ids the tests refer to."""
    ids: dict[str, int] = {}
    for year in (2022, 2023):
        for month in range(1, 13):
            period = f"{year}-{month:02d}"
            ids[f"CAH842 {period}"] = submit(
                url, "CAH842", "chi_tieu", period, _chi_tieu_842(year, month)
            )
            # 29410 Hòa Minh: 5 a year; 2023-12 never reported (incomplete 2023).
            if (year, month) != (2023, 12):
                rows = month_rows("29410", spread(5)[month - 1], 0, 0)
                ids[f"CAH847 {period}"] = submit(url, "CAH847", "chi_tieu", period, rows)
    # A correction of CAH842 2023-03 (the whole file again, 29260 changed): replaces the first.
    ids["CAH842 2023-03 v2"] = submit(
        url, "CAH842", "chi_tieu", "2023-03", _chi_tieu_842(2023, 3, corrected=True)
    )
    # Provincial values win over the district's for that commune-month; 29413 only CAT reports.
    cat_june = month_rows("29257", 0) + month_rows("29413", 2)
    ids["CAT84 2023-06"] = submit(url, "CAT84", "chi_tieu", "2023-06", cat_june)

    incidents = {
        "2022-11": [("SV01", "DIEM_NONG", "29383", "2022-11-01", None, None, None)],
        "2022-12": [("SV02", "TRONG_AN", "29392", "2022-12-31", "2022-12-31", None, None)],
        # SV01 ends on 10/01/2023: still active in 2023.
        "2023-01": [("SV01", "DIEM_NONG", "29383", "2022-11-01", "2023-01-10", None, None)],
        "2023-02": [("SV03", "KHIEU_KIEN_DONG_NGUOI", "29395", "2023-02-01", None, 50, 1)],
        "2023-03": [
            # SV03 updated: ended after 19 days (the open February row no longer counts).
            ("SV03", "KHIEU_KIEN_DONG_NGUOI", "29395", "2023-02-01", "2023-02-20", 50, 1),
            ("SV04", "KHIEU_KIEN_DONG_NGUOI", "29377", "2023-03-01", "2023-03-31", 20, 1),
            ("SV05", "KHIEU_KIEN_DONG_NGUOI", "29380", "2023-03-01", "2023-04-01", 20, 1),
            ("SV06", "KHIEU_KIEN_DONG_NGUOI", "29398", "2023-03-01", "2023-05-01", 20, 0),
        ],
        "2023-07": [
            ("SV07", "OAN_SAI", "29413", "2023-07-01", None, None, None),
            ("SV08", "KHIEU_KIEN_VUOT_CAP", "29401", "2023-07-05", "2023-07-06", 3, 1),
        ],
        # Open at the year's end: counted until 31/12/2023.
        "2023-11": [("SV09", "KHIEU_KIEN_DONG_NGUOI", "29389", "2023-11-30", None, 10, 1)],
        "2023-12": [("SV10", "KHIEU_KIEN_DONG_NGUOI", "29386", "2023-12-01", None, 10, 1)],
    }
    for period, rows in incidents.items():
        ids[f"CAH847 su_vu {period}"] = submit(url, "CAH847", "su_vu", period, rows)

    camera = ("CAMERA_AN_NINH", 4, "2020-01-01", "HIEU_QUA", 1)
    ids["CAH842 mo_hinh 2022"] = submit(
        url, "CAH842", "mo_hinh", "2022", [("MH1", "29263", "Camera Long Đức", *camera)]
    )
    # The provincial register of 2022 wins for every commune of the province, even unlisted ones.
    ids["CAT84 mo_hinh 2022"] = submit(
        url, "CAT84", "mo_hinh", "2022", [("T1", "29239", "Camera Phường 1", *camera)]
    )
    ids["CAH842 mo_hinh 2023"] = submit(
        url,
        "CAH842",
        "mo_hinh",
        "2023",
        [
            ("MH1", "29263", "Camera Long Đức", *camera),
            ("MH2", "29236", "Tổ tự quản", "TU_QUAN", 0, "2019-05-01", "HIEU_QUA", 1),
            ("MH3", "29242", "Camera hỏng", "CAMERA_AN_NINH", 2, "2019-05-01", "HIEU_QUA", 0),
        ],
    )
    ids["CAH842 danh_gia_nam 2023"] = submit(
        url,
        "CAH842",
        "danh_gia_nam",
        "2023",
        [
            ("29263", 10, 7, "KHA", 1),  # exactly 70 %
            ("29236", 10, 6, "TOT", 0),  # 60 %
            ("29239", 3, 3, "TOT", 1),  # no model in the register
            ("29242", 10, 10, "TRUNG_BINH", 1),
        ],
    )
    ids["CAH847 danh_gia_nam 2023"] = submit(
        url, "CAH847", "danh_gia_nam", "2023", [("29410", 5, 5, "TOT", 1)]
    )
    ids["VPDP84 dang_ky_ntm 2023"] = submit(
        url,
        "VPDP84",
        "dang_ky_ntm",
        "2023",
        [
            ("29263", "NTM", 2020, "NTM_NANG_CAO"),
            ("29236", "NTM", 2021, "NTM"),
            ("29410", "CHUA", None, "NTM"),
        ],
    )
    return ids
