"""Synthetic public marts of 2025 for the new Vĩnh Long (86): new units without districts, measured
intervals (`measured_low`/`measured_high`) and `marts.commune_lineage`, plus a file of 2026 (a year
no criteria set covers). Four units, each showing one face of the reorganisation."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import psycopg
from report_marts_fixture import DDL as DDL_BEFORE_2025
from report_marts_fixture import REGISTER_DDL, add_dimensions, indicators


def _ddl_2025() -> str:
    """The contract's marts as the single-era fixture makes them, with what 2025 adds: no
    district on a unit."""
    ddl = DDL_BEFORE_2025
    district = (
        "commune_type text NOT NULL, district_code text NOT NULL,\n    district_name text NOT NULL"
    )
    assert ddl.count(district) == 1
    return ddl.replace(
        district, "commune_type text NOT NULL, district_code text,\n    district_name text"
    )


DAT, KD, KDDL, KSS = "DAT", "KHONG_DAT", "KHONG_DU_DU_LIEU", "KHONG_SO_SANH_DUOC"
NC = ("ANTT_06", "ANTT_07", "ANTT_08", "ANTT_09", "ANTT_10")
# unit -> (name, type, levels, {criterion: (status, value, low, high, detail)})
UNITS = {
    "29386": (
        "Xã Song Lộc",
        "Xã",
        (DAT, DAT, DAT),
        {"ANTT_06": (DAT, Decimal("12.50"), Decimal("12.50"), Decimal("12.50"), "24 → 21")},
    ),
    "29719": (
        "Xã Tam Bình",
        "Xã",
        (KSS, KSS, KSS),
        {
            "ANTT_04": (KSS, 2, -2, 2, "TTXH 2024 = 10–22, 2025 = 12"),
            "ANTT_06": (KSS, Decimal("-20"), Decimal("-20"), Decimal("45.45"), "10–22 → 12"),
        },
    ),
    "29767": (
        "Xã Ngãi Tứ",
        "Xã",
        (KDDL, KDDL, KDDL),
        {
            "ANTT_04": (KDDL, None, None, None, "tháng đủ số liệu 2025 = 11/12"),
            "ANTT_08": (KSS, 1, 0, 1, "một tụ điểm có thể thuộc đơn vị"),
        },
    ),
    "29836": (
        "Xã Trà Côn",
        "Xã",
        (KD, KD, KD),
        {"ANTT_08": (KD, 1, 1, 1, "điểm nóng 06/05–12/09/2025")},
    ),
}
LINEAGE = [
    ("29386", "Xã Lương Hòa A", "847", "84", "29386", "WHOLE"),
    ("29389", "Xã Lương Hòa", "847", "84", "29386", "WHOLE"),
    ("29392", "Xã Song Lộc", "847", "84", "29386", "WHOLE"),
    ("29755", "Xã Mỹ Thạnh Trung", "860", "86", "29719", "WHOLE"),
    ("29719", "Thị trấn Tam Bình", "860", "86", "29719", "SPLIT"),
    ("29761", "Xã Loan Mỹ", "860", "86", "29767", "WHOLE"),
    ("29767", "Xã Bình Ninh", "860", "86", "29767", "WHOLE"),
    ("29764", "Xã Ngãi Tứ", "860", "86", "29767", "SPLIT"),
    ("29821", "Thị trấn Trà Ôn", "862", "86", "29767", "SPLIT"),
    ("29827", "Xã Nhơn Bình", "862", "86", "29836", "WHOLE"),
    ("29836", "Xã Trà Côn", "862", "86", "29836", "WHOLE"),
    ("29839", "Xã Tân Mỹ", "862", "86", "29836", "WHOLE"),
    ("29719", "Thị trấn Tam Bình", "860", "86", "29836", "SPLIT"),
]


def create_marts_2025(admin_url: str) -> None:
    with psycopg.connect(admin_url) as conn:
        conn.execute("SET ROLE antt_transformer")
        conn.execute(_ddl_2025())
        conn.execute(REGISTER_DDL)
        add_dimensions(conn)
        with conn.cursor() as cur:
            for code, (name, kind, levels, special) in UNITS.items():
                cur.execute(
                    "INSERT INTO marts.commune_scorecard VALUES"
                    " ('2021-2025', 2025, %s, %s, %s, NULL, NULL, '86', 'NTM', 'NTM_NANG_CAO',"
                    " %s, %s, %s, 12)",
                    (code, name, kind, *levels),
                )
                for n in range(1, 11):
                    crit = f"ANTT_{n:02d}"
                    status, value, low, high, detail = special.get(crit, (DAT, 0, 0, 0, "—"))
                    cur.execute(
                        "INSERT INTO marts.commune_criteria VALUES"
                        " ('2021-2025', 2025, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                        (
                            code,
                            crit,
                            "NTM_NANG_CAO" if crit in NC else "NTM",
                            status,
                            value,
                            low,
                            high,
                            5 if crit == "ANTT_06" else 0,
                            ">=" if crit == "ANTT_06" else "<=",
                            detail,
                        ),
                    )
            # Monthly facts as reported: old codes up to 2025-06, new codes from 2025-07. One theft
            # a month everywhere, two in the split town of Tam Bình.
            old_codes = {old: old for old, *_rest in LINEAGE}
            months = [date(2024, m, 1) for m in range(1, 13)]
            months += [date(2025, m, 1) for m in range(1, 13)]
            for month in months:
                reporters = old_codes if month < date(2025, 7, 1) else {c: c for c in UNITS}
                for code in sorted(reporters):
                    for indicator, group in indicators():
                        if group not in ("TTXH", "TE_NAN_XA_HOI"):
                            continue
                        value = 0
                        if indicator == "TP_TROM_CAP_TAI_SAN":
                            value = 2 if (code, month < date(2025, 7, 1)) == ("29719", True) else 1
                        cur.execute(
                            "INSERT INTO marts.fct_indicator_monthly VALUES"
                            " (%s, %s, %s, %s, %s, 'CAT86', 1)",
                            (code, month, indicator, group, value),
                        )
            for old, old_name, district, province, new, relation in LINEAGE:
                name, kind = UNITS[new][:2]
                cur.execute(
                    "INSERT INTO marts.commune_lineage VALUES"
                    " (%s, %s, %s, %s, %s, %s, %s, '86', %s, '2025-07-01')",
                    (old, old_name, district, province, new, name, kind, relation),
                )
        conn.execute("RESET ROLE")
        # Files of 2026: loaded, never evaluated (no criteria set covers 2026); one rejected.
        for i, (name, status) in enumerate(
            [
                ("CAT86_2026-01_chi_tieu.csv", "accepted"),
                ("CAX29386_2026-02_chi_tieu.csv", "rejected"),
            ]
        ):
            accepted = status == "accepted"
            sid = conn.execute(
                "INSERT INTO raw.submissions (unit_code, dataset, period, file_name, sha256,"
                " size_bytes, status, received_at, accepted_at, error_count)"
                " VALUES (%s, 'chi_tieu', %s, %s, %s, 100, %s, %s, %s, %s)"
                " RETURNING submission_id",
                (
                    name.split("_")[0],
                    name.split("_")[1],
                    name,
                    f"{i + 100:064x}",
                    status,
                    datetime(2026, 3, 2, tzinfo=UTC),
                    datetime(2026, 3, 2, tzinfo=UTC) if accepted else None,
                    0 if accepted else 1,
                ),
            ).fetchone()[0]
            if not accepted:
                conn.execute(
                    "INSERT INTO audit.submission_errors (submission_id, error_no, sheet,"
                    " source_row, column_name, cell_value, code, message_vi, message_en)"
                    " VALUES (%s, 1, NULL, 2, 'ten_xa', 'Xã Lương Hòa A', 'TEN_XA_MISMATCH',"
                    " 'Tên xã không khớp', 'ten_xa does not match')",
                    (sid,),
                )
