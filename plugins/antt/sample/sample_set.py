"""`antt sample`: build the ground truth, write every submission file and the manifest."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from antt.errors import AnttError
from antt.sample import cycle
from antt.sample import scenarios as sc
from antt.sample.evaluate import Expected, evaluate, facts_of
from antt.sample.files import (
    Style,
    chi_tieu_table,
    dang_ky_table,
    danh_gia_table,
    mo_hinh_table,
    pick_style,
    render,
    su_vu_rows,
    su_vu_table,
)
from antt.sample.manifest import (
    BATCH_CORRECTIONS,
    BATCH_INITIAL,
    MANIFEST,
    SampleFile,
    SampleManifest,
)
from antt.sample.rejects import write_rejects
from antt.sample.units import District, load_indicators, load_province
from antt.sample.world import (
    DistrictPlan,
    World,
    add_background,
    add_background_incidents,
    seeded,
)

GENERATOR_VERSION = "1.0.0"
SEED = 20230615
# The four chi_tieu shapes, rotated over units and months.
SHAPES = [("xlsx", "wide"), ("csv", "long"), ("xlsx", "long"), ("csv", "wide")]


# --- the world --------------------------------------------------------------------------------


def _generic_plans(world: World, seed: int) -> dict[str, DistrictPlan]:
    plans = {}
    for d in world.province.districts:
        rng = seeded(seed, "plan", d.code)
        misses = {
            c.code: rng.choice(["no_camera", "tien_tien", "flat"])
            for c in d.communes
            if rng.random() < 0.25
        }
        plans[d.code] = DistrictPlan(misses=misses)
    return plans


def build_world(province: str, years: Sequence[int], seed: int = SEED) -> World:
    years = tuple(years)
    if not years or list(years) != list(range(years[0], years[0] + len(years))):
        raise AnttError(
            f"năm phải liên tiếp, tăng dần / years must be consecutive and ascending: {years}"
        )
    if years[0] < 2021 or years[-1] > 2025:
        raise AnttError(
            f"bộ tiêu chí 2021–2025 / the encoded criteria set covers 2021–2025, got {years}"
        )
    world = World(load_province(province), years, load_indicators())
    designed = province == sc.PROVINCE
    if designed:
        world.reserved = sc.reserved_codes()
    add_background(world, sc.DISTRICT_PLANS if designed else _generic_plans(world, seed), seed)
    if designed:
        sc.apply_scenarios(world)
    cycle.apply_outliers(world)
    add_background_incidents(world, seed)
    world.finalise()
    return world


# --- writing ------------------------------------------------------------------------------------


class SampleWriter:
    # the writing steps, in order (a subclass names its own)
    STEPS = (
        "write_chi_tieu",
        "write_provincial_chi_tieu",
        "write_su_vu",
        "write_yearly",
        "write_rejects",
    )

    def __init__(self, world: World, out_dir: Path, seed: int):
        self.world = world
        self.out = out_dir
        self.seed = seed
        self.files: list[SampleFile] = []
        self.by_path: dict[str, bytes] = {}
        self.accepted_shas: dict[str, str] = {}  # an accepted file must not repeat another
        self.indicator_codes = [i.code for i in world.indicators]

    def write(self) -> None:
        """Every file of the set into `files`, sorted by path (`flush` writes them to disk)."""
        for step in self.STEPS:
            getattr(self, step)()
        self.files.sort(key=lambda f: f.path)

    def add(self, batch: str, name: str, data: bytes, **meta) -> SampleFile | None:
        if meta["role"] == "initial" and cycle.withheld(
            self.world, meta["unit"], meta["dataset"], meta["period"]
        ):
            return None  # a report the unit never sends (the tracker lists it as missing)
        rel = f"{batch}/{name}"
        if rel in self.by_path:
            raise AssertionError(f"two sample files at {rel}")
        self.by_path[rel] = data
        digest = hashlib.sha256(data).hexdigest()
        if meta["expected_status"] == "accepted" and digest in self.accepted_shas:
            raise AssertionError(f"{rel} has the bytes of {self.accepted_shas[digest]}")
        self.accepted_shas.setdefault(digest, rel)
        arrived = cycle.arrival(
            self.world, meta.get("unit"), meta.get("dataset"), meta.get("period"), meta["role"]
        )
        entry = SampleFile(
            path=rel,
            batch=batch,
            sha256=digest,
            size_bytes=len(data),
            received_at=arrived.isoformat(),
            **meta,
        )
        self.files.append(entry)
        return entry

    def add_table(
        self,
        table,
        style: Style,
        dataset: str,
        unit: str,
        period: str,
        role: str,
        batch: str = BATCH_INITIAL,
        **meta,
    ) -> SampleFile | None:
        """An accepted file `<unit>_<period>_<dataset>.<format>` in `batch` holding `table` as
        `style` renders it; a correction replaces the initial file of the same name."""
        name = f"{unit}_{period}_{dataset}.{style.fmt}"
        if role == "correction":
            meta["replaces"] = f"{BATCH_INITIAL}/{name}"
        return self.add(
            batch,
            name,
            render(table, style, dataset),
            unit=unit,
            dataset=dataset,
            period=period,
            role=role,
            format=style.fmt,
            layout=style.layout,
            expected_status="accepted",
            rows=len(table.rows),
            **meta,
        )

    def add_chi_tieu(
        self, batch: str, name: str, data: bytes, style: Style, rows: int, scope, **meta
    ) -> SampleFile | None:
        """A district's accepted chi_tieu file; `scope` is (unit, period), the role follows the
        batch (a file in the corrections batch replaces the initial one)."""
        unit, period = scope
        role = "correction" if batch == BATCH_CORRECTIONS else "initial"
        return self.add(
            batch,
            name,
            data,
            unit=unit,
            dataset="chi_tieu",
            period=period,
            format=style.fmt,
            layout=style.layout,
            role=role,
            expected_status="accepted",
            rows=rows,
            **meta,
        )

    def resend(self, original: SampleFile) -> SampleFile | None:
        """The bytes of an accepted file sent again: a duplicate the loader must recognise."""
        return self.add(
            BATCH_CORRECTIONS,
            original.path.split("/", 1)[1],
            self.by_path[original.path],
            unit=original.unit,
            dataset=original.dataset,
            period=original.period,
            format=original.format,
            layout=original.layout,
            role="duplicate",
            expected_status="duplicate",
            rows=original.rows,
            duplicate_of=original.path,
            note="sent twice: same SHA-256",
        )

    def find(self, unit: str, dataset: str, period: str, batch: str = BATCH_INITIAL) -> SampleFile:
        for f in self.files:
            if (f.unit, f.dataset, f.period, f.batch) == (unit, dataset, period, batch):
                return f
        raise KeyError((unit, dataset, period, batch))

    # chi_tieu ------------------------------------------------------------------------------
    def district_entries(self, district: District, year: int, month: int, first: bool) -> list:
        w = self.world
        entries = []
        for c in district.communes:
            key = (c.code, year, month)
            if key not in w.values:
                continue
            values = w.district_reported.get(key, w.values[key])
            if first and key in w.superseded_values:
                values = w.superseded_values[key]
            entries.append((c, values))
        return entries

    def chi_tieu_file(
        self, district: District, year: int, month: int, d_index: int, first: bool
    ) -> tuple[str, bytes, Style, int]:
        period = f"{year}-{month:02d}"
        name_stem = f"{district.unit}_{period}_chi_tieu"
        fmt, layout = SHAPES[(month + d_index) % len(SHAPES)]
        style = pick_style(self.seed, name_stem + ("" if first else "_v2"), fmt, layout)
        if fmt == "csv" and (d_index, year, month) == (5, self.world.last, 4):
            style.nfd, style.ten_xa = True, "mixed"  # decomposed Unicode, as some Mac tools save
        rng = seeded(self.seed, "names", name_stem, first)
        entries = self.district_entries(district, year, month, first)
        table = chi_tieu_table(entries, self.indicator_codes, period, style, rng)
        table.title = [district.police_title, f"BÁO CÁO SỐ LIỆU THÁNG {month:02d}/{year}"]
        sheet = "chi_tieu" if style.guide_sheet or month % 3 else "Báo cáo"
        return f"{name_stem}.{fmt}", render(table, style, sheet), style, len(table.rows)

    def write_chi_tieu(self) -> None:
        w = self.world
        for d_index, district in enumerate(w.province.districts):
            for year in w.years:
                for month in range(1, 13):
                    name, data, style, rows = self.chi_tieu_file(
                        district, year, month, d_index, first=True
                    )
                    note = "text in Unicode NFD (decomposed)" if style.nfd else None
                    if (d_index, year, month) == (2, w.years[0], 7):
                        name = name.lower()  # file names are case-insensitive
                        note = "lower-case file name"
                    scope = (district.unit, f"{year}-{month:02d}")
                    self.add_chi_tieu(BATCH_INITIAL, name, data, style, rows, scope, note=note)
                    if (district.unit, year, month) in w.corrected_chi_tieu:
                        name, data, style, rows = self.chi_tieu_file(
                            district, year, month, d_index, first=False
                        )
                        self.add_chi_tieu(
                            BATCH_CORRECTIONS,
                            name,
                            data,
                            style,
                            rows,
                            scope,
                            replaces=f"{BATCH_INITIAL}/{name}",
                            note="corrected values for a commune; replaces the whole scope",
                        )

    def write_provincial_chi_tieu(self) -> None:
        w = self.world
        unit = w.provincial_unit
        title = f"CÔNG AN {w.province.name}".upper()
        for n, ((year, month), codes) in enumerate(sorted(w.provincial_months.items())):
            period = f"{year}-{month:02d}"
            fmt, layout = ("xlsx", "long") if n % 2 == 0 else ("csv", "wide")
            stem = f"{unit}_{period}_chi_tieu"
            style = pick_style(self.seed, stem, fmt, layout)
            entries = [(w.province.commune(c), w.values[(c, year, month)]) for c in sorted(codes)]
            rng = seeded(self.seed, "names", stem)
            table = chi_tieu_table(
                entries,
                self.indicator_codes,
                period,
                style,
                rng,
                note="Số liệu Công an tỉnh xác minh",
            )
            table.title = [title, f"SỐ LIỆU XÁC MINH THÁNG {month:02d}/{year}"]
            note = f"provincial values for {', '.join(sorted(codes))} win over the district's"
            self.add_table(table, style, "chi_tieu", unit, period, "provincial", note=note)

    # su_vu -----------------------------------------------------------------------------------
    def write_su_vu(self) -> None:
        w = self.world
        for d_index, district in enumerate(w.province.districts):
            unit_incidents = [i for i in w.incidents if i.unit == district.unit]
            withdrawn = [i for i in w.superseded_incidents if i.unit == district.unit]
            for year in w.years:
                for month in range(1, 13):
                    period = f"{year}-{month:02d}"
                    stem = f"{district.unit}_{period}_su_vu"
                    corrected = (district.unit, year, month) in w.corrected_su_vu
                    first_rows = su_vu_rows(unit_incidents + withdrawn, year, month)
                    if not first_rows:
                        continue
                    fmt = "xlsx" if (month + d_index) % 3 == 0 else "csv"
                    versions = [(BATCH_INITIAL, first_rows, "initial")]
                    if corrected:
                        versions.append(
                            (
                                BATCH_CORRECTIONS,
                                su_vu_rows(unit_incidents, year, month),
                                "correction",
                            )
                        )
                    for batch, rows, role in versions:
                        style = pick_style(self.seed, f"{stem}:{batch}", fmt)
                        table = su_vu_table(rows, style)
                        table.title = [
                            district.police_title,
                            f"TỔNG HỢP SỰ VỤ VỀ AN NINH, TRẬT TỰ THÁNG {month:02d}/{year}",
                        ]
                        self.add_table(
                            table,
                            style,
                            "su_vu",
                            district.unit,
                            period,
                            role,
                            batch=batch,
                            note="drops an incident reported by mistake"
                            if role == "correction"
                            else None,
                        )

    # yearly ----------------------------------------------------------------------------------
    def write_yearly(self) -> None:
        w = self.world
        for d_index, district in enumerate(w.province.districts):
            for year in w.years:
                fmt = "xlsx" if d_index % 2 == 0 else "csv"
                stem = f"{district.unit}_{year}_mo_hinh"
                style = pick_style(self.seed, stem, fmt)
                table = mo_hinh_table(w.registers.get((district.unit, year), []), style)
                table.title = [
                    district.police_title,
                    f"DANH SÁCH MÔ HÌNH PHÒNG, CHỐNG TỘI PHẠM, BẢO ĐẢM ANTT NĂM {year}",
                ]
                self.add_table(table, style, "mo_hinh", district.unit, str(year), "initial")
                fmt = "csv" if d_index % 2 == 0 else "xlsx"
                stem = f"{district.unit}_{year}_danh_gia_nam"
                corrected = (district.unit, year) in w.corrected_danh_gia
                versions = [(BATCH_INITIAL, True, "initial")]
                if corrected:
                    versions.append((BATCH_CORRECTIONS, False, "correction"))
                for batch, first, role in versions:
                    style = pick_style(self.seed, f"{stem}:{batch}", fmt)
                    table = danh_gia_table(w, district, year, style, first)
                    table.title = [
                        district.police_title,
                        f"KẾT QUẢ ĐÁNH GIÁ AN TOÀN VỀ AN NINH, TRẬT TỰ NĂM {year}",
                    ]
                    self.add_table(
                        table, style, "danh_gia_nam", district.unit, str(year), role, batch=batch
                    )
        for (unit, year), models in sorted(w.registers.items()):
            if unit != w.provincial_unit:
                continue
            stem = f"{unit}_{year}_mo_hinh"
            style = pick_style(self.seed, stem, "csv")
            table = mo_hinh_table(models, style)
            self.add_table(
                table,
                style,
                "mo_hinh",
                unit,
                str(year),
                "provincial",
                note="consolidated provincial register: replaces the district ones of the year",
            )
        for year in w.years:
            stem = f"{w.office_unit}_{year}_dang_ky_ntm"
            style = pick_style(self.seed, stem, "xlsx")
            table = dang_ky_table(w, year, style)
            table.title = [
                f"VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI {w.province.name}".upper(),
                f"DANH SÁCH XÃ ĐĂNG KÝ ĐẠT CHUẨN NÔNG THÔN MỚI NĂM {year}",
            ]
            self.add_table(table, style, "dang_ky_ntm", w.office_unit, str(year), "initial")

    # files that must be rejected, and one exact duplicate ------------------------------------
    def write_rejects(self) -> None:
        write_rejects(self)

    def flush(self) -> None:
        arrivals = {
            f.path: datetime.fromisoformat(f.received_at) for f in self.files if f.received_at
        }
        for rel, data in self.by_path.items():
            target = self.out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            if rel in arrivals:
                # the file's modification time is when it reaches landing (antt.ingest reads it)
                stamp = arrivals[rel].timestamp()
                os.utime(target, (stamp, stamp))


# --- expectations -----------------------------------------------------------------------------


def stringify_years(table: dict) -> dict:
    """{code: {year: status}} with the years as strings (JSON keys)."""
    return {code: {str(y): s for y, s in years.items()} for code, years in table.items()}


def hand_expectations(world: World) -> dict:
    if world.province.code != sc.PROVINCE:
        return {}
    holds = sc.expectations_apply(world.years)
    rel_year = {"last": world.last, "previous": world.previous}
    communes: dict = {}
    before: dict = {}
    for s in sc.SCENARIOS:
        if holds["last"]:
            communes.setdefault(s.ma_xa, {})[world.last] = s.expected_last
            if s.expected_last_before_corrections:
                before.setdefault(s.ma_xa, {})[world.last] = s.expected_last_before_corrections
        if holds["previous"]:
            communes.setdefault(s.ma_xa, {})[world.previous] = s.expected_previous
    districts: dict = {}
    for code, rel in sc.DISTRICT_EXPECTED.items():
        for r, statuses in rel.items():
            if holds[r]:
                districts.setdefault(code, {})[rel_year[r]] = statuses
    return {
        "source": "hand-computed from docs/criteria.md (antt.sample.scenarios)",
        "communes": stringify_years(communes),
        "districts": stringify_years(districts),
        "communes_before_corrections": stringify_years(before),
    }


def computed_expectations(world: World) -> dict:
    after: Expected = evaluate(facts_of(world))
    before: Expected = evaluate(facts_of(world, after_corrections=False))
    return {
        "source": "antt.sample.evaluate: an independent Python reading of docs/criteria.md",
        "communes": stringify_years(after.communes),
        "districts": stringify_years(after.districts),
        "communes_before_corrections": stringify_years(before.communes),
        "districts_before_corrections": stringify_years(before.districts),
    }


# --- entry point --------------------------------------------------------------------------------


def _prepare(out_dir: Path) -> None:
    """Refuse to write into a folder that holds something else; replace an earlier sample."""
    if out_dir.exists():
        if not out_dir.is_dir():
            raise AnttError(f"{out_dir} không phải thư mục / is not a folder")
        entries = list(out_dir.iterdir())
        if entries and not (out_dir / MANIFEST).is_file():
            raise AnttError(
                f"thư mục {out_dir} có dữ liệu khác / {out_dir} is not empty and holds no sample "
                "manifest: choose an empty folder"
            )
        from antt.sample.sample2025 import BATCHES_2025

        for batch in (BATCH_INITIAL, BATCH_CORRECTIONS, *BATCHES_2025):
            shutil.rmtree(out_dir / batch, ignore_errors=True)
    out_dir.mkdir(parents=True, exist_ok=True)


REORGANISED_SET = ("86", (2024, 2025))  # the province as it exists today, across the change


def _crosses_reorganisation(province: str, years: Sequence[int]) -> bool:
    """The set that spans 1 July 2025 (new units, new reporting chain); any other request for a
    year from 2025 is refused, since its old-unit reports would not follow contract v2."""
    if (province, tuple(years)) == REORGANISED_SET:
        return True
    if years and max(years) >= 2025 and min(years) >= 2021:
        raise AnttError(
            "từ 2025 chỉ có bộ mẫu --province 86 --years 2024 2025 / from 2025 on, the sample "
            "exists for the new Vĩnh Long only: --province 86 --years 2024 2025"
        )
    return False


def generate(
    out_dir: Path | str, province: str = "84", years: Sequence[int] = (2022, 2023)
) -> SampleManifest:
    """Write the sample submission set of `province` for `years` into `out_dir`."""
    out_dir = Path(out_dir)
    if _crosses_reorganisation(province, years):
        from antt.sample.sample2025 import generate_2025

        writer, manifest = generate_2025(out_dir, province, tuple(years), SEED)
    else:
        writer, manifest = _generate_single_era(out_dir, province, years)
    _prepare(out_dir)
    writer.flush()
    text = json.dumps(manifest.to_json(), ensure_ascii=False, indent=1)
    (out_dir / MANIFEST).write_text(text + "\n", encoding="utf-8")
    return manifest


def _generate_single_era(
    out_dir: Path, province: str, years: Sequence[int]
) -> tuple[SampleWriter, SampleManifest]:
    world = build_world(province, years)
    writer = SampleWriter(world, out_dir, SEED)
    writer.write()
    manifest = SampleManifest(
        out_dir=out_dir,
        province=province,
        years=list(world.years),
        seed=SEED,
        version=GENERATOR_VERSION,
        files=writer.files,
        scenarios=[s.to_json() for s in sc.SCENARIOS] if province == sc.PROVINCE else [],
        expectations=hand_expectations(world),
        computed=computed_expectations(world),
        reporting_cycle=cycle.expectations(world),
    )
    return writer, manifest
