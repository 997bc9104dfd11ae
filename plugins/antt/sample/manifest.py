"""The sample's manifest: every file with its expected outcome, the scenarios, the expectations."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from antt.errors import AnttError
from antt.records import record

BATCH_INITIAL = "01_initial"
BATCH_CORRECTIONS = "02_corrections"
MANIFEST = "manifest.json"


@dataclass
class SampleFile:
    path: str  # relative to the sample folder, "/"-separated
    batch: str
    unit: str | None
    dataset: str | None
    period: str | None
    format: str
    layout: str | None
    role: str  # initial / provincial / correction / rejected / duplicate
    expected_status: str  # accepted / rejected / duplicate
    rows: int
    sha256: str
    size_bytes: int
    reason: str | None = None  # why a file must be rejected (see REJECT_REASONS)
    expected_error_code: str | None = None  # the code antt.ingest gives that reason
    replaces: str | None = None  # the earlier file of the same scope this one replaces
    duplicate_of: str | None = None
    note: str | None = None
    received_at: str | None = None  # ISO time the file reaches landing (its modification time)


# The error code antt.ingest reports for each reason (its first error for the file).
EXPECTED_ERROR_CODES = {
    "bad_file_name": "FILE_NAME_INVALID",
    "commune_outside_area": "COMMUNE_NOT_AUTHORIZED",
    "ten_xa_mismatch": "TEN_XA_MISMATCH",
    "negative_value": "INTEGER_OUT_OF_RANGE",
    "fractional_value": "INTEGER_FRACTION",
    "not_utf8": "ENCODING_NOT_UTF8",
    "unknown_column": "COLUMN_UNKNOWN",
    "duplicate_pair": "DUPLICATE_KEY",
}
REJECT_REASONS = {
    "bad_file_name": "the file name does not follow <unit>_<period>_<dataset>.<csv|xlsx>",
    "commune_outside_area": "a row for a commune outside the unit's district (authorization)",
    "ten_xa_mismatch": "ten_xa names another commune than ma_xa",
    "negative_value": "gia_tri is negative",
    "fractional_value": "a numeric Excel cell with a fractional part",
    "not_utf8": "the CSV is TCVN3-encoded, not UTF-8",
    "unknown_column": "a column the dataset's template does not have (an added notes column)",
    "duplicate_pair": "the same (commune, indicator) pair twice in one file",
}


@dataclass
class SampleManifest:
    out_dir: Path
    province: str
    years: list[int]
    seed: int
    version: str
    files: list[SampleFile]
    scenarios: list[dict]
    # Hand-computed (antt.sample.scenarios): {"communes": {ma_xa: {year: {code: status}}},
    # "districts": {...}, "communes_before_corrections": {...}}; years are strings.
    expectations: dict
    # antt.sample.evaluate over every commune and district, after and before corrections.
    computed: dict = field(default_factory=dict)
    # Reasons and error codes of the files to reject, when not the single-era ones above.
    reject_reasons: dict[str, str] | None = None
    expected_error_codes: dict[str, str] | None = None
    # Batch folders in ingest order, when not the single-era two.
    batches: list[str] | None = None
    # antt.sample.cycle: designed late, missing (withheld) reports and unusual values
    reporting_cycle: dict = field(default_factory=dict)

    def by_status(self, status: str) -> list[SampleFile]:
        return [f for f in self.files if f.expected_status == status]

    def to_json(self) -> dict:
        return {
            "generator": {"name": "antt.sample", "version": self.version, "seed": self.seed},
            "province": self.province,
            "years": self.years,
            "batches": self.batches or [BATCH_INITIAL, BATCH_CORRECTIONS],
            "ingest_order": "batch folders in name order, files in sorted relative-path order",
            "reject_reasons": self.reject_reasons or REJECT_REASONS,
            "expected_error_codes": self.expected_error_codes or EXPECTED_ERROR_CODES,
            "files": [asdict(f) for f in self.files],
            "scenarios": self.scenarios,
            "expectations": self.expectations,
            "computed": self.computed,
            "reporting_cycle": self.reporting_cycle,
        }


def load_manifest(out_dir: Path | str) -> SampleManifest:
    path = Path(out_dir) / MANIFEST
    if not path.is_file():
        raise AnttError(f"không thấy {path} / no sample manifest at {path}")
    data = json.loads(path.read_text(encoding="utf-8"))
    return record(
        SampleManifest,
        data,
        out_dir=Path(out_dir),
        seed=data["generator"]["seed"],
        version=data["generator"]["version"],
        files=[SampleFile(**f) for f in data["files"]],
    )
