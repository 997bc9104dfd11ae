"""`antt sample --province 86 --years 2024 2025`: the new Vĩnh Long across the reorganisation.

The old units of Bến Tre (83), Trà Vinh (84) and the old Vĩnh Long (86) report 2024-01 … 2025-06
(district police `CAH` until 2025-02, then commune police `CAX<old code>` and the provincial
police `CAT83/84/86`); the 124 new units report from 2025-07 (`CAX<new code>`, `CAT86`,
`VPDP86`). Same layout as the single-era sample: batch folders, a manifest with the expected
status of every file, hand-computed and independently computed expectations.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from antt.sample import cycle
from antt.sample import scenarios2025 as sc
from antt.sample.evaluate2025 import evaluate_2024, evaluate_2025
from antt.sample.files import (
    DANG_KY_HEADER,
    DANH_GIA_HEADER,
    INCIDENT_LABELS,
    LEVEL_LABELS,
    RATING_LABELS,
    SU_VU_HEADER,
    Style,
    _code_cell,
    chi_tieu_table,
    mo_hinh_table,
    pick_style,
)
from antt.sample.manifest import BATCH_INITIAL, SampleManifest
from antt.sample.rejects2025 import REJECT_REASONS_2025, write_rejects_2025
from antt.sample.sample_set import SHAPES, SampleWriter, stringify_years
from antt.sample.units import Commune, load_indicators
from antt.sample.units2025 import load_new_province
from antt.sample.world import seeded
from antt.sample.world2025 import (
    NEW_YEAR,
    OLD_YEAR,
    World2025,
    add_background,
    add_background_incidents,
    assign_reporters,
    is_old_period,
)
from antt.sample.writers import Table

GENERATOR_VERSION_2025 = "2.0.0"
# Batches in the order files reach the warehouse: the reports of the old units (to 2025-06), then
# those sent from July 2025 (new units, the new provincial police's restatements and re-checks of
# earlier months), then re-sent files. A successor's update of an incident thus always arrives
# after the report that opened it.
BATCH_OLD_UNITS, BATCH_NEW_UNITS, BATCH_RESENT = "01_to_2025-06", "02_from_2025-07", "03_resent"
BATCHES_2025 = [BATCH_OLD_UNITS, BATCH_NEW_UNITS, BATCH_RESENT]


def build_world_2025(province: str, seed: int) -> World2025:
    world = World2025(load_new_province(province), load_indicators())
    world.reserved = sc.reserved_codes()
    sc.apply_scenarios(world)
    add_background(world, seed)
    assign_reporters(world, sc.CAX_OLD, sc.CAX_NEW)
    sc.apply_after_background(world)
    cycle.apply_outliers(world)  # after the background: a baseline raised, nothing else
    add_background_incidents(world, seed)
    world.finalise()
    return world


class Writer2025(SampleWriter):
    world: World2025

    STEPS = ("write_chi_tieu", "write_restated", "write_su_vu", "write_yearly", "write_rejects")

    def batch_for(self, batch: str, unit: str | None, dataset: str | None, period: str) -> str:
        """The chronological batch of a file the single-era code puts in `batch`."""
        if batch != BATCH_INITIAL:
            return BATCH_RESENT
        year = int(period[:4])
        month = int(period[5:]) if "-" in period else 12
        sent_after_july = dataset == "chi_tieu_quy_doi" or (
            unit == self.world.provincial_unit and year == OLD_YEAR and dataset == "chi_tieu"
        )
        if sent_after_july or not is_old_period(year, month):
            return BATCH_NEW_UNITS
        return BATCH_OLD_UNITS

    def add(self, batch: str, name: str, data: bytes, **meta):
        batch = self.batch_for(batch, meta.get("unit"), meta.get("dataset"), meta["period"])
        return super().add(batch, name, data, **meta)

    def find(self, unit: str, dataset: str, period: str, batch: str | None = None):
        return next(
            f for f in self.files if (f.unit, f.dataset, f.period) == (unit, dataset, period)
        )

    def commune(self, code: str, year: int, month: int) -> Commune:
        p = self.world.province
        return p.old_communes[code] if is_old_period(year, month) else p.unit(code)

    def title(self, unit: str, year: int, month: int | None) -> str:
        p = self.world.province
        if unit.startswith("CAH"):
            district = next(d for d in self.world.districts if d.unit == unit)
            return district.police_title
        if unit.startswith("CAX"):
            c = self.commune(unit[3:], year, month or 7)
            return f"CÔNG AN {c.name}".upper()
        if unit.startswith("CAT"):
            if unit[3:] == p.code and (month is None or not is_old_period(year, month)):
                return f"CÔNG AN TỈNH {p.name}".upper()
            old = next(o for o in p.old_provinces if o.code == unit[3:])
            return f"CÔNG AN {old.name}".upper()
        return f"VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI TỈNH {p.name}".upper()

    # chi_tieu ---------------------------------------------------------------------------------
    def write_chi_tieu(self) -> None:
        w = self.world
        scopes: dict[tuple[str, int, int], list] = defaultdict(list)
        for (code, year, month), unit in w.reporter.items():
            scopes[(unit, year, month)].append((code, w.values[(code, year, month)]))
        for (code, year, month), (unit, said) in w.losing.items():
            scopes[(unit, year, month)].append((code, said))
        for n, ((unit, year, month), rows) in enumerate(sorted(scopes.items())):
            period = f"{year}-{month:02d}"
            stem = f"{unit}_{period}_chi_tieu"
            fmt, layout = SHAPES[(month + n) % len(SHAPES)]
            style = pick_style(self.seed, stem, fmt, layout)
            entries = [(self.commune(c, year, month), v) for c, v in sorted(rows)]
            table = chi_tieu_table(
                entries, self.indicator_codes, period, style, seeded(self.seed, "names", stem)
            )
            table.title = [
                self.title(unit, year, month),
                f"BÁO CÁO SỐ LIỆU THÁNG {month:02d}/{year}",
            ]
            role = "provincial" if unit.startswith("CAT") else "initial"
            note = self.chi_tieu_note(unit, year, month)
            self.add_table(table, style, "chi_tieu", unit, period, role, note=note)

    def chi_tieu_note(self, unit: str, year: int, month: int) -> str | None:
        w = self.world
        lost = [k for k, (u, _v) in w.losing.items() if (u, k[1], k[2]) == (unit, year, month)]
        if lost:
            return "values for " + ", ".join(k[0] for k in lost) + " lose to the provincial file"
        if unit == w.provincial_unit and is_old_period(year, month):
            return "the new provincial police re-verify an earlier month of an old commune"
        return None

    def write_restated(self) -> None:
        w = self.world
        months = sorted({(y, m) for (_c, y, m) in w.restated})
        for year, month in months:
            period = f"{year}-{month:02d}"
            stem = f"{w.provincial_unit}_{period}_chi_tieu_quy_doi"
            style = Style(fmt="csv", layout="long", headers="vn", ten_xa="none")
            entries = [
                (w.province.unit(c), v)
                for (c, y, m), v in sorted(w.restated.items())
                if (y, m) == (year, month)
            ]
            table = chi_tieu_table(
                entries,
                self.indicator_codes,
                period,
                style,
                seeded(self.seed, stem),
                note="Số liệu quy đổi theo đơn vị hành chính mới (địa chỉ vụ việc)",
            )
            self.add_table(
                table,
                style,
                "chi_tieu_quy_doi",
                w.provincial_unit,
                period,
                "provincial",
                note="a month before the change re-counted on the new units (new codes)",
            )

    # su_vu --------------------------------------------------------------------------------------
    def write_su_vu(self) -> None:
        w = self.world
        files: dict[tuple[str, int, int], list] = defaultdict(list)
        for inc in w.incidents:
            for report in inc.reports:
                files[(report.unit, report.year, report.month)].append((inc, report))
        for n, ((unit, year, month), rows) in enumerate(sorted(files.items())):
            period = f"{year}-{month:02d}"
            stem = f"{unit}_{period}_su_vu"
            fmt = "xlsx" if n % 3 == 0 else "csv"
            style = pick_style(self.seed, stem, fmt)
            successor = any(r.unit != inc.origin for inc, r in rows)
            header = SU_VU_HEADER + (["Đơn vị gốc"] if successor else [])
            body = []
            for k, (inc, r) in enumerate(sorted(rows, key=lambda p: p[0].ma_su_vu)):
                row = [
                    inc.ma_su_vu,
                    INCIDENT_LABELS[inc.loai] if style.labels else inc.loai,
                    _code_cell(r.ma_xa, style, k),
                    inc.start,
                    r.end,
                    inc.so_nguoi,
                    inc.trai_phap_luat,
                    inc.mo_ta,
                ]
                if successor:
                    row.append(inc.origin if r.unit != inc.origin else None)
                body.append(row)
            table = Table(header, body)
            table.title = [
                self.title(unit, year, month),
                f"TỔNG HỢP SỰ VỤ VỀ AN NINH, TRẬT TỰ THÁNG {month:02d}/{year}",
            ]
            self.add_table(
                table,
                style,
                "su_vu",
                unit,
                period,
                "initial",
                note="updates incidents another unit opened (don_vi_goc)" if successor else None,
            )

    # yearly --------------------------------------------------------------------------------------
    def yearly_file(self, unit: str, year: int, dataset: str, fmt: str, table: Table) -> None:
        stem = f"{unit}_{year}_{dataset}"
        style = pick_style(self.seed, stem, fmt)
        table.title = [self.title(unit, year, None), f"{dataset.upper()} NĂM {year}"]
        self.add_table(
            table,
            style,
            dataset,
            unit,
            str(year),
            "initial" if unit.startswith(("CAH", "CAX")) else "provincial",
        )

    def danh_gia(self, codes: list[str], year: int) -> Table:
        rows = []
        for code in codes:
            a = self.world.assessments[(code, year)]
            rows.append([code, a.so_ap, a.so_ap_an_toan, RATING_LABELS[a.xep_loai], a.tien_tien])
        return Table(list(DANH_GIA_HEADER), rows)

    def dang_ky(self, codes: list[str], year: int) -> Table:
        rows = []
        for code in codes:
            reg = self.world.registrations.get((code, year))
            if reg is not None:
                rows.append(
                    [
                        code,
                        LEVEL_LABELS[reg.muc_da_dat],
                        reg.nam_dat,
                        LEVEL_LABELS[reg.muc_dang_ky],
                    ]
                )
        return Table(list(DANG_KY_HEADER), rows)

    def write_yearly(self) -> None:
        w = self.world
        for n, d in enumerate(w.districts):
            fmt = "xlsx" if n % 2 == 0 else "csv"
            plain = Style(fmt=fmt)
            models = w.registers.get((d.unit, OLD_YEAR), [])
            self.yearly_file(d.unit, OLD_YEAR, "mo_hinh", fmt, mo_hinh_table(models, plain))
            codes = [c.code for c in d.communes]
            self.yearly_file(d.unit, OLD_YEAR, "danh_gia_nam", fmt, self.danh_gia(codes, OLD_YEAR))
        for old in w.province.old_provinces:
            codes = [c.code for c in old.communes]
            table = self.dang_ky(codes, OLD_YEAR)
            self.yearly_file(f"VPDP{old.code}", OLD_YEAR, "dang_ky_ntm", "xlsx", table)
        units = [u.code for u in w.province.units]
        cat = w.provincial_unit
        register = w.registers[(cat, NEW_YEAR)]
        self.yearly_file(cat, NEW_YEAR, "mo_hinh", "xlsx", mo_hinh_table(register, Style("xlsx")))
        own = [c for c in units if c in cycle.OWN_ASSESSMENTS_2025]
        by_cat = [c for c in units if c not in own]
        self.yearly_file(cat, NEW_YEAR, "danh_gia_nam", "csv", self.danh_gia(by_cat, NEW_YEAR))
        for code in own:  # commune police that send their own assessment (antt.sample.cycle)
            table = self.danh_gia([code], NEW_YEAR)
            self.yearly_file(f"CAX{code}", NEW_YEAR, "danh_gia_nam", "csv", table)
        self.yearly_file(
            w.office_unit, NEW_YEAR, "dang_ky_ntm", "xlsx", self.dang_ky(units, NEW_YEAR)
        )

    def write_rejects(self) -> None:
        write_rejects_2025(self)


def computed_expectations_2025(world: World2025) -> dict:
    communes, districts = evaluate_2024(world)
    return {
        "source": "antt.sample.evaluate2025: an independent Python reading of the rules",
        "communes": stringify_years(communes),
        "districts": stringify_years(districts),
        "units": stringify_years(evaluate_2025(world)),
    }


def generate_2025(
    out_dir: Path, province: str, years: tuple[int, ...], seed: int
) -> tuple[Writer2025, SampleManifest]:
    """Write the Vĩnh Long 2024–2025 set into `out_dir` (see the module docstring)."""
    world = build_world_2025(province, seed)
    writer = Writer2025(world, out_dir, seed)
    writer.write()
    return writer, SampleManifest(
        out_dir=out_dir,
        province=province,
        years=list(years),
        seed=seed,
        version=GENERATOR_VERSION_2025,
        files=writer.files,
        scenarios=[s.to_json() for s in sc.SCENARIOS],
        expectations=sc.hand_expectations(),
        computed=computed_expectations_2025(world),
        reject_reasons={k: why for k, (_code, why) in REJECT_REASONS_2025.items()},
        expected_error_codes={k: code for k, (code, _why) in REJECT_REASONS_2025.items()},
        batches=list(BATCHES_2025),
        reporting_cycle=cycle.expectations(world),
    )
