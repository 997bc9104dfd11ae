"""A submission set for the scale-out test, written to the report contract (chi_tieu, long CSV).

Batch `01_thang` holds monthly files (January onwards) per district police unit, plus files
that must be rejected for different reasons; batch `02_bo_sung` holds a correction (same scope,
new values) and an exact resubmission (same bytes: a duplicate). Deterministic: same seed, same
bytes.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from pathlib import Path

import psycopg

from antt.config import SEEDS_DIR

YEAR = 2023
INDICATORS_PER_FILE = 4


@dataclass(frozen=True)
class District:
    code: str
    communes: tuple[str, ...]


def districts_of(conn: psycopg.Connection, province: str, count: int) -> list[District]:
    rows = conn.execute(
        "SELECT district_code, array_agg(commune_code ORDER BY commune_code)"
        " FROM raw.admin_commune WHERE province_code = %s"
        " GROUP BY district_code ORDER BY district_code LIMIT %s",
        (province, count),
    ).fetchall()
    return [District(code, tuple(communes)) for code, communes in rows]


def indicator_codes() -> list[str]:
    with (SEEDS_DIR / "indicators.csv").open(encoding="utf-8") as f:
        return [row["ma_chi_tieu"] for row in csv.DictReader(f)]


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _chi_tieu(rng: random.Random, communes: tuple[str, ...], codes: list[str]) -> bytes:
    rows = [[commune, code, rng.randint(0, 6)] for commune in communes for code in codes]
    return _csv(["ma_xa", "ma_chi_tieu", "gia_tri"], rows)


def write_submissions(
    out: Path, districts: list[District], months: int = 12, seed: int = 84
) -> list[Path]:
    """Write the set under `out`; returns every file written, in load order."""
    rng = random.Random(seed)
    codes = indicator_codes()[:INDICATORS_PER_FILE]
    first, second = out / "01_thang", out / "02_bo_sung"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    files: dict[Path, bytes] = {}
    for district in districts:
        for month in range(1, months + 1):
            name = f"CAH{district.code}_{YEAR}-{month:02d}_chi_tieu.csv"
            files[first / name] = _chi_tieu(rng, district.communes, codes)

    a, b = districts[0], districts[1]
    # rejected: a name that does not parse (month 13) ...
    files[first / f"CAH{a.code}_{YEAR}-13_chi_tieu.csv"] = _chi_tieu(rng, a.communes, codes)
    # ... an unknown column ...
    files[first / f"CAH{a.code}_{YEAR - 1}-12_chi_tieu.csv"] = _csv(
        ["ma_xa", "ma_chi_tieu", "gia_tri", "cot_la"], [[a.communes[0], codes[0], 1, "x"]]
    )
    # ... a commune of another district (authorization) ...
    files[first / f"CAH{a.code}_{YEAR - 1}-11_chi_tieu.csv"] = _csv(
        ["ma_xa", "ma_chi_tieu", "gia_tri"], [[b.communes[0], codes[0], 1]]
    )
    # ... and a negative value.
    files[first / f"CAH{b.code}_{YEAR - 1}-12_chi_tieu.csv"] = _csv(
        ["ma_xa", "ma_chi_tieu", "gia_tri"], [[b.communes[0], codes[0], -3]]
    )
    # a correction of March (new values) and a resubmission of May (the same bytes)
    files[second / f"CAH{a.code}_{YEAR}-03_chi_tieu.csv"] = _chi_tieu(rng, a.communes, codes)
    may = f"CAH{b.code}_{YEAR}-05_chi_tieu.csv"
    files[second / may] = files[first / may]

    for path, data in files.items():
        path.write_bytes(data)
    return sorted(files, key=lambda p: p.relative_to(out).as_posix())
