"""Files of the Vĩnh Long 2024–2025 sample that must be rejected for a reason of the
reorganisation, one reason each, and one exact duplicate.

Each is either a new scope no scenario needs or a re-send of an accepted scope (second batch), so
no expectation depends on them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from antt.sample.files import Style, chi_tieu_table
from antt.sample.manifest import BATCH_CORRECTIONS, BATCH_INITIAL
from antt.sample.world import seeded
from antt.sample.world2025 import NEW_YEAR, OLD_YEAR
from antt.sample.writers import Table, csv_text

if TYPE_CHECKING:
    from antt.sample.sample2025 import Writer2025

# reason -> (the code antt.ingest reports, what is wrong)
REJECT_REASONS_2025 = {
    "cah_after_february": (
        "UNIT_PERIOD_NOT_ALLOWED",
        "district police (CAH) report a month after 2025-02, when they no longer exist",
    ),
    "cax_before_march": (
        "UNIT_PERIOD_NOT_ALLOWED",
        "commune police (CAX) report a month before 2025-03",
    ),
    "vpdp_of_old_province_2025": (
        "UNIT_PERIOD_NOT_ALLOWED",
        "the NTM office of Trà Vinh (84) reports year 2025: province 84 no longer exists",
    ),
    "old_code_after_july": (
        "COMMUNE_CODE_ENDED",
        "a 2025-08 file lists 29392, an old commune merged into Xã Song Lộc (29386)",
    ),
    "old_code_in_2025_annual": (
        "COMMUNE_CODE_ENDED",
        "a 2025 danh_gia_nam lists the old commune 29392 (annual datasets of 2025 use new codes)",
    ),
    "new_code_in_2024_file": (
        "COMMUNE_NOT_AUTHORIZED",
        "a 2024 file of CAH847 uses the new code 29254 (Phường Nguyệt Hóa); in 2024 29254 is "
        "Phường 7 of TP Trà Vinh, outside the district",
    ),
    "ten_xa_new_name_in_2024": (
        "TEN_XA_MISMATCH",
        "a 2024 file names 29386 'Xã Song Lộc', its name from 2025-07 (then: Xã Lương Hòa A)",
    ),
    "ten_xa_old_name_after_july": (
        "TEN_XA_MISMATCH",
        "a 2025-08 file names 29386 'Xã Lương Hòa A', its name before 2025-07",
    ),
    "cax_outside_commune": (
        "COMMUNE_NOT_AUTHORIZED",
        "commune police report a row for another commune",
    ),
    "quy_doi_from_commune_police": (
        "DATASET_NOT_ALLOWED",
        "chi_tieu_quy_doi sent by commune police; only CAT of a province valid from 2025-07-01",
    ),
    "quy_doi_from_district_police": (
        "DATASET_NOT_ALLOWED",
        "chi_tieu_quy_doi sent by district police",
    ),
    "quy_doi_of_old_province": (
        "DATASET_NOT_ALLOWED",
        "chi_tieu_quy_doi sent by CAT84: province 84 is not valid from 2025-07-01",
    ),
    "quy_doi_after_june": (
        "UNIT_PERIOD_NOT_ALLOWED",
        "chi_tieu_quy_doi for 2025-07: a restatement is for a month up to 2025-06",
    ),
}


def write_rejects_2025(writer: Writer2025) -> None:
    w = writer.world
    p = w.province
    codes = writer.indicator_codes

    def table_for(entries, period: str, ten_xa: bool = True) -> Table:
        style = Style(fmt="csv", layout="long", headers="vn", ten_xa="mixed" if ten_xa else "none")
        return chi_tieu_table(entries, codes, period, style, seeded(writer.seed, "rej", period))

    def reject(batch: str, name: str, table: Table, reason: str, unit, dataset, period) -> None:
        code, why = REJECT_REASONS_2025[reason]
        writer.add(
            batch,
            name,
            csv_text(table).encode(),
            unit=unit,
            dataset=dataset,
            period=period,
            format="csv",
            layout="long",
            role="rejected",
            expected_status="rejected",
            rows=len(table.rows),
            reason=reason,
            expected_error_code=code,
            note=why,
        )

    def old_entries(district_code: str, year: int, month: int):
        d = next(d for d in w.districts if d.code == district_code)
        return [(c, w.values[(c.code, year, month)]) for c in d.communes]

    # CAH after February 2025: the district police's March report (CAT84 reported it).
    entries = old_entries("847", NEW_YEAR, 3)
    reject(
        BATCH_INITIAL,
        "CAH847_2025-03_chi_tieu.csv",
        table_for(entries, "2025-03"),
        "cah_after_february",
        "CAH847",
        "chi_tieu",
        "2025-03",
    )
    # CAX before March 2025 (the district police reported February).
    lhoa = p.old_communes["29386"]
    reject(
        BATCH_INITIAL,
        "CAX29386_2025-02_chi_tieu.csv",
        table_for([(lhoa, w.values[("29386", NEW_YEAR, 2)])], "2025-02"),
        "cax_before_march",
        "CAX29386",
        "chi_tieu",
        "2025-02",
    )
    # The old Trà Vinh NTM office registers for 2025.
    tra_vinh = next(o for o in p.old_provinces if o.code == "84")
    dk = writer.dang_ky([c.code for c in tra_vinh.communes if c.kind == "Xã"], OLD_YEAR)
    reject(
        BATCH_INITIAL,
        "VPDP84_2025_dang_ky_ntm.csv",
        dk,
        "vpdp_of_old_province_2025",
        "VPDP84",
        "dang_ky_ntm",
        "2025",
    )
    # A re-send of CAT86's August 2025 report that still lists the merged 29392.
    aug = [
        (p.unit(c), w.values[(c, y, m)])
        for (c, y, m), u in sorted(w.reporter.items())
        if (u, y, m) == (w.provincial_unit, NEW_YEAR, 8)
    ]
    old_song_loc = p.old_communes["29392"]
    table = table_for(aug + [(old_song_loc, w.values[("29392", NEW_YEAR, 6)])], "2025-08")
    reject(
        BATCH_CORRECTIONS,
        "CAT86_2025-08_chi_tieu.csv",
        table,
        "old_code_after_july",
        "CAT86",
        "chi_tieu",
        "2025-08",
    )
    # A re-send of the 2025 danh_gia_nam with a row for the old commune 29392.
    units = [u.code for u in p.units]
    dg = writer.danh_gia(units, NEW_YEAR)
    dg.rows.append(["29392", 6, 5, "Tốt", 1])
    reject(
        BATCH_CORRECTIONS,
        "CAT86_2025_danh_gia_nam.csv",
        dg,
        "old_code_in_2025_annual",
        "CAT86",
        "danh_gia_nam",
        "2025",
    )
    # CAH847's July 2024 report re-sent with the new code of Nguyệt Hóa.
    july = old_entries("847", OLD_YEAR, 7)
    renamed = [(p.unit("29254") if c.code == "29395" else c, v) for c, v in july]
    reject(
        BATCH_CORRECTIONS,
        "CAH847_2024-07_chi_tieu.csv",
        table_for(renamed, "2024-07", ten_xa=False),
        "new_code_in_2024_file",
        "CAH847",
        "chi_tieu",
        "2024-07",
    )
    # CAH847's June 2024 report re-sent naming 29386 by its new name.
    june = old_entries("847", OLD_YEAR, 6)
    table = table_for(june, "2024-06")
    for row in table.rows:
        if row[0] == "29386":
            row[1] = "Xã Song Lộc"
    reject(
        BATCH_CORRECTIONS,
        "CAH847_2024-06_chi_tieu.csv",
        table,
        "ten_xa_new_name_in_2024",
        "CAH847",
        "chi_tieu",
        "2024-06",
    )
    # CAX29386's August 2025 report re-sent naming the unit by its old name.
    table = table_for([(p.unit("29386"), w.values[("29386", NEW_YEAR, 8)])], "2025-08")
    for row in table.rows:
        row[1] = "Xã Lương Hòa A"
    reject(
        BATCH_CORRECTIONS,
        "CAX29386_2025-08_chi_tieu.csv",
        table,
        "ten_xa_old_name_after_july",
        "CAX29386",
        "chi_tieu",
        "2025-08",
    )
    # CAX29410's October report re-sent with a row for its neighbour Long Hòa.
    entries = [(p.unit(c), w.values[(c, NEW_YEAR, 10)]) for c in ("29410", "29413")]
    reject(
        BATCH_CORRECTIONS,
        "CAX29410_2025-10_chi_tieu.csv",
        table_for(entries, "2025-10"),
        "cax_outside_commune",
        "CAX29410",
        "chi_tieu",
        "2025-10",
    )
    # Restatements from units that may not send one, or for a month after the change.
    restated = [
        (p.unit(c), v) for (c, y, m), v in sorted(w.restated.items()) if (y, m) == (OLD_YEAR, 5)
    ]
    for name, reason, unit, period in (
        (
            "CAX29770_2025-04_chi_tieu_quy_doi.csv",
            "quy_doi_from_commune_police",
            "CAX29770",
            "2025-04",
        ),
        (
            "CAH861_2024-05_chi_tieu_quy_doi.csv",
            "quy_doi_from_district_police",
            "CAH861",
            "2024-05",
        ),
        ("CAT84_2024-05_chi_tieu_quy_doi.csv", "quy_doi_of_old_province", "CAT84", "2024-05"),
        ("CAT86_2025-07_chi_tieu_quy_doi.csv", "quy_doi_after_june", "CAT86", "2025-07"),
    ):
        entries = restated
        if unit == "CAX29770":
            entries = [e for e in restated if e[0].code == "29770"]
        reject(
            BATCH_INITIAL,
            name,
            table_for(entries, period, ten_xa=False),
            reason,
            unit,
            "chi_tieu_quy_doi",
            period,
        )

    # The same bytes as an accepted file, sent again.
    writer.resend(writer.find(w.provincial_unit, "chi_tieu", f"{NEW_YEAR}-11"))
