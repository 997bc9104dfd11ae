"""National-scale `chi_tieu` submissions for the ingestion benchmark (issue 3).

Every commune of the country (10,035, from the `admin_units_legacy` table shipped by
`vietnamadminunits`) x every indicator of `dbt_project/seeds/indicators.csv` x every month, as one
`CAT<province>_<YYYY-MM>_chi_tieu.csv` file per province and month (63 x 12 = 756 files).

Layouts, by design a mix: two thirds of the files are *wide* (one row per commune, `Mã xã`,
`Tên xã`, then one column per indicator — the template officers fill in), one third *long*
(`ma_xa,ma_chi_tieu,gia_tri`, one row per commune x indicator — what exports from other systems
produce). The long path parses 22 CSV rows per commune, so a mix keeps the benchmark honest about
both code paths of the loader. Either way a file holds exactly communes x indicators *value rows*
(a blank cell is a value row whose value is NULL: "not reported", never 0).

Values are small non-negative integers drawn from a Poisson law whose mean depends on the
indicator (theft is common, murder rare); about 0.5 % of cells are blank. Everything is
deterministic: the random stream of a file is seeded from its province and period, so a rerun
writes identical bytes. The set is cached in `bench/out/` (gitignored): when `manifest.json`
matches the parameters and every file is present with its recorded size, nothing is rewritten.

`--layout wide|long|long_names` writes the same value rows with every file in one layout
(`long_names`: `ky_bao_cao,ma_xa,ten_xa,ma_chi_tieu,gia_tri`, the period and the commune name on
every row, as most system exports do) into `national_<layout>/`, for issue 14 (d).

Beside the submission files, `rows_long.csv` holds the same value rows in the long form of
`raw.chi_tieu` (submission_id, source_row, ma_xa, ma_chi_tieu, gia_tri, ten_xa, ghi_chu), the
submission id being the 1-based position of the file in the manifest: the input of the raw `COPY`
and pandas `to_sql` baselines.

    python bench/generate_national.py                      # the national set, 2023-01 .. 2023-12
    python bench/generate_national.py --layout long_names  # every file long, with names (14 d)
    python bench/generate_national.py --provinces 84 --months 1 --out /tmp/x
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import random
import sqlite3
import sys
import time
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
INDICATORS_CSV = REPO_ROOT / "dbt_project" / "seeds" / "indicators.csv"
DEFAULT_OUT = BENCH_DIR / "out"
GENERATOR_VERSION = 1
DEFAULT_YEAR = 2023
BLANK_RATE = 0.005
ROWS_FILE = "rows_long.csv"
MANIFEST_FILE = "manifest.json"
ROWS_HEADER = [
    "submission_id",
    "source_row",
    "ma_xa",
    "ma_chi_tieu",
    "gia_tri",
    "ten_xa",
    "ghi_chu",
]

# Mean count per commune and month, by indicator code (rough orders of magnitude of rural
# Vietnam: a theft most months in a busy commune, a murder once in decades).
INDICATOR_MEANS = {
    "TP_GIET_NGUOI": 0.004,
    "TP_CO_Y_GAY_THUONG_TICH": 0.12,
    "TP_HIEP_DAM": 0.01,
    "TP_CUOP_TAI_SAN": 0.02,
    "TP_CUONG_DOAT_TAI_SAN": 0.01,
    "TP_CUOP_GIAT_TAI_SAN": 0.03,
    "TP_TROM_CAP_TAI_SAN": 0.6,
    "TP_LUA_DAO": 0.15,
    "TP_LAM_DUNG_TIN_NHIEM": 0.05,
    "TP_DANH_BAC": 0.08,
    "TP_TTXH_KHAC": 0.1,
    "TP_MA_TUY": 0.2,
    "TP_KINH_TE": 0.03,
    "TP_MOI_TRUONG": 0.01,
    "TP_CONG_NGHE_CAO": 0.04,
    "TNXH_NGHIEN_MA_TUY_MOI": 0.15,
    "TNXH_DANH_BAC": 0.25,
    "TNXH_MAI_DAM": 0.02,
    "TNGT_SO_VU": 0.12,
    "TNGT_SO_NGUOI_CHET": 0.05,
    "CHAY_NO_SO_VU": 0.04,
    "DT_TAI_PHAM": 0.03,
}
DEFAULT_MEAN = 0.1
# The layouts a set can have. `mixed` is the issue-3 set (two thirds wide, one third long);
# the others give every file one layout, for the per-layout comparison of issue 14 (d).
# `long_names` is what most system exports look like: the long form with the report period
# and the commune name on every row.
LAYOUTS = ("mixed", "wide", "long", "long_names")
LONG_HEADERS = {
    "long": ["ma_xa", "ma_chi_tieu", "gia_tri"],
    "long_names": ["ky_bao_cao", "ma_xa", "ten_xa", "ma_chi_tieu", "gia_tri"],
}


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    province_code: str


@dataclass
class GeneratedFile:
    submission_id: int
    path: str  # relative to the output folder
    province_code: str
    period: str
    layout: str
    rows: int  # value rows (commune x indicator), blanks included
    blanks: int
    size_bytes: int


@dataclass
class GeneratedSet:
    out_dir: Path
    files: list[GeneratedFile]
    reused: bool
    seconds: float

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)

    @property
    def paths(self) -> list[Path]:
        return [self.out_dir / f.path for f in self.files]

    @property
    def rows_csv(self) -> Path:
        return self.out_dir / ROWS_FILE


def indicator_codes() -> list[str]:
    with INDICATORS_CSV.open(encoding="utf-8", newline="") as fh:
        return [row["ma_chi_tieu"] for row in csv.DictReader(fh)]


def communes_by_province() -> dict[str, list[Commune]]:
    """Every commune of the pre-2025 list, grouped by province, in code order."""
    db = Path(str(resources.files("vietnamadminunits") / "data" / "dataset.db"))
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as lite:
        rows = lite.execute(
            "SELECT wardCode, ward, provinceCode FROM admin_units_legacy"
            " WHERE wardCode IS NOT NULL ORDER BY provinceCode, wardCode"
        ).fetchall()
    grouped: dict[str, list[Commune]] = {}
    for code, name, province in rows:
        grouped.setdefault(province, []).append(Commune(code, name, province))
    return grouped


def periods_of(year: int, months: int) -> list[str]:
    if not 1 <= months <= 12:
        raise ValueError(f"months must be 1..12, got {months}")
    return [f"{year:04d}-{m:02d}" for m in range(1, months + 1)]


def layout_of(province_code: str, period: str, layout: str = "mixed") -> str:
    """In the mixed set one file in three is long; which one rotates with the month so every
    province has both. Any other set has one layout."""
    if layout != "mixed":
        return layout
    month = int(period[5:7])
    return "long" if (int(province_code) + month) % 3 == 0 else "wide"


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: exact and fast for the small means used here.
    limit = math.exp(-mean)
    k, p = 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _file_rng(province_code: str, period: str) -> random.Random:
    seed = hashlib.sha256(f"antt-bench-v{GENERATOR_VERSION}:{province_code}:{period}".encode())
    return random.Random(int.from_bytes(seed.digest()[:8], "big"))


def commune_values(rng: random.Random, commune: Commune, codes: list[str]) -> list[int | None]:
    # A per-commune scale makes busy towns and quiet villages (same for every indicator).
    scale = 0.3 + 2.4 * rng.random()
    values: list[int | None] = []
    for code in codes:
        if rng.random() < BLANK_RATE:
            values.append(None)
        else:
            values.append(_poisson(rng, INDICATOR_MEANS.get(code, DEFAULT_MEAN) * scale))
    return values


def write_file(
    path: Path,
    submission_id: int,
    communes: list[Commune],
    codes: list[str],
    layout: str,
    rng: random.Random,
    rows_writer,
    period: str = "",
) -> tuple[int, int]:
    """Write one submission file and its value rows (long form); return (rows, blanks)."""
    rows = blanks = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\r\n")
        if layout == "wide":
            out.writerow(["Mã xã", "Tên xã", *codes])
        else:
            out.writerow(LONG_HEADERS[layout])
        line = 1
        for commune in communes:
            values = commune_values(rng, commune, codes)
            if layout == "wide":
                line += 1
                out.writerow(
                    [commune.code, commune.name, *("" if v is None else v for v in values)]
                )
            for code, value in zip(codes, values, strict=True):
                cell = "" if value is None else value
                if layout == "long":
                    line += 1
                    out.writerow([commune.code, code, cell])
                elif layout == "long_names":
                    line += 1
                    out.writerow([period, commune.code, commune.name, code, cell])
                ten_xa = "" if layout == "long" else commune.name
                rows_writer.writerow([submission_id, line, commune.code, code, cell, ten_xa, ""])
                rows += 1
                blanks += value is None
    return rows, blanks


def _params(provinces: list[str], periods: list[str], codes: list[str], layout: str) -> dict:
    params = {
        "generator_version": GENERATOR_VERSION,
        "provinces": provinces,
        "periods": periods,
        "indicators": codes,
        "blank_rate": BLANK_RATE,
    }
    if layout != "mixed":  # the mixed set's cache key stays what it was
        params["layout"] = layout
    return params


def _cached(out_dir: Path, params: dict) -> list[GeneratedFile] | None:
    manifest = out_dir / MANIFEST_FILE
    if not manifest.exists():
        return None
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("params") != params:
        return None
    files = [GeneratedFile(**f) for f in data["files"]]
    expected = [*((out_dir / f.path, f.size_bytes) for f in files)]
    expected.append((out_dir / ROWS_FILE, data.get("rows_csv_size")))
    for path, size in expected:
        if not path.exists() or path.stat().st_size != size:
            return None
    return files


def generate(
    out_dir: Path,
    provinces: list[str] | None = None,
    periods: list[str] | None = None,
    *,
    force: bool = False,
    layout: str = "mixed",
) -> GeneratedSet:
    """Write (or reuse) one `CAT<province>` chi_tieu file per province and period."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    started = time.perf_counter()
    by_province = communes_by_province()
    if provinces is None:
        provinces = sorted(by_province)
    unknown = [p for p in provinces if p not in by_province]
    if unknown:
        raise ValueError(
            f"unknown province codes {unknown}; known: {', '.join(sorted(by_province))}"
        )
    periods = periods or periods_of(DEFAULT_YEAR, 12)
    codes = indicator_codes()
    params = _params(provinces, periods, codes, layout)
    out_dir.mkdir(parents=True, exist_ok=True)
    if not force:
        cached = _cached(out_dir, params)
        if cached is not None:
            return GeneratedSet(out_dir, cached, True, time.perf_counter() - started)

    for stale in [*out_dir.glob("CAT*_chi_tieu.csv"), out_dir / MANIFEST_FILE]:
        stale.unlink(missing_ok=True)
    files: list[GeneratedFile] = []
    rows_path = out_dir / ROWS_FILE
    with rows_path.open("w", encoding="utf-8", newline="") as rows_fh:
        rows_writer = csv.writer(rows_fh, lineterminator="\n")
        # Month by month, as the files would arrive.
        for period in periods:
            for province in provinces:
                name = f"CAT{province}_{period}_chi_tieu.csv"
                file_layout = layout_of(province, period, layout)
                submission_id = len(files) + 1
                rows, blanks = write_file(
                    out_dir / name,
                    submission_id,
                    by_province[province],
                    codes,
                    file_layout,
                    _file_rng(province, period),
                    rows_writer,
                    period,
                )
                size = (out_dir / name).stat().st_size
                files.append(
                    GeneratedFile(
                        submission_id, name, province, period, file_layout, rows, blanks, size
                    )
                )
    manifest = {
        "params": params,
        "files": [asdict(f) for f in files],
        "rows": sum(f.rows for f in files),
        "rows_csv_size": rows_path.stat().st_size,
    }
    (out_dir / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return GeneratedSet(out_dir, files, False, time.perf_counter() - started)


def default_out_dir(provinces: list[str] | None, periods: list[str], layout: str = "mixed") -> Path:
    suffix = "" if layout == "mixed" else f"_{layout}"
    if provinces is None and periods == periods_of(DEFAULT_YEAR, 12):
        return DEFAULT_OUT / f"national{suffix}"
    label = "all" if provinces is None else "-".join(provinces)
    return DEFAULT_OUT / f"subset_{label}_{periods[0]}_{len(periods)}{suffix}"


def add_scope_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--provinces", nargs="+", metavar="CODE", help="province codes (default: all 63)"
    )
    parser.add_argument("--months", type=int, default=12, help="months from January (default 12)")
    parser.add_argument("--year", type=int, default=DEFAULT_YEAR, help="year of the periods")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_scope_arguments(parser)
    parser.add_argument("--out", type=Path, help="output folder (default under bench/out/)")
    parser.add_argument("--force", action="store_true", help="rewrite even when cached")
    parser.add_argument("--layout", choices=LAYOUTS, default="mixed", help="file layout(s)")
    args = parser.parse_args(argv)
    provinces = [p.zfill(2) for p in args.provinces] if args.provinces else None
    periods = periods_of(args.year, args.months)
    out = args.out or default_out_dir(provinces, periods, args.layout)
    try:
        result = generate(out, provinces, periods, force=args.force, layout=args.layout)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    state = "reused" if result.reused else "generated"
    print(
        f"{state} {len(result.files)} files, {result.rows:,} value rows in {result.out_dir} "
        f"({result.seconds:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
