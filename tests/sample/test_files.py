"""The generated files: deterministic, named and laid out as the contract says, counted right."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from antt.errors import AnttError
from antt.sample import cycle, generate, load_manifest
from antt.sample.manifest import BATCH_CORRECTIONS, BATCH_INITIAL, REJECT_REASONS
from antt.sample.sample_set import _prepare as prepare_folder
from antt.sample.units import load_indicators
from contract_columns import (
    DANG_KY_COLUMNS,
    DANH_GIA_COLUMNS,
    LONG_COLUMNS,
    MO_HINH_COLUMNS,
    SU_VU_COLUMNS,
)

from .reading import normalize, read_rows

NAME = re.compile(
    r"^(?P<unit>CAH\d{3}|CAT\d{2}|VPDP\d{2})_(?P<period>\d{4}(?:-(?:0[1-9]|1[0-2]))?)_"
    r"(?P<dataset>chi_tieu|su_vu|mo_hinh|danh_gia_nam|dang_ky_ntm)\.(?:csv|xlsx)$",
    re.IGNORECASE,
)
MONTHLY = {"chi_tieu", "su_vu"}
INDICATORS = {normalize(i.code) for i in load_indicators()}
COLUMNS = {  # dataset -> (required, optional), normalized
    "chi_tieu_long": (set(LONG_COLUMNS), {"ten_xa", "ky_bao_cao", "ghi_chu"}),
    "chi_tieu_wide": ({"ma_xa"}, {"ten_xa"} | INDICATORS),
    "su_vu": (set(SU_VU_COLUMNS[:4]), {*SU_VU_COLUMNS[4:], "mo_ta"}),
    "mo_hinh": (set(MO_HINH_COLUMNS), set()),
    "danh_gia_nam": (set(DANH_GIA_COLUMNS), set()),
    "dang_ky_ntm": (set(DANG_KY_COLUMNS) - {"nam_dat"}, {"nam_dat"}),
}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_runs_give_identical_bytes(sample, tmp_path):
    again = generate(tmp_path / "again")
    first = {f.path: sha(sample.out_dir / f.path) for f in sample.files}
    second = {f.path: sha(again.out_dir / f.path) for f in again.files}
    assert first == second
    assert len(first) == len(sample.files) > 300
    assert any(p.endswith(".xlsx") for p in first)  # openpyxl's timestamps are pinned
    assert sha(sample.out_dir / "manifest.json") == sha(again.out_dir / "manifest.json")
    on_disk = sorted(
        str(p.relative_to(sample.out_dir)) for p in sample.out_dir.rglob("*") if p.is_file()
    )
    assert on_disk == sorted([*first, "manifest.json"])


def test_manifest_records_the_bytes_written(sample):
    loaded = load_manifest(sample.out_dir)
    assert loaded.files == sample.files
    assert loaded.expectations == sample.expectations
    for f in sample.files:
        assert sha(sample.out_dir / f.path) == f.sha256, f.path


def test_regenerating_replaces_an_earlier_sample_but_never_foreign_files(tmp_path):
    earlier = tmp_path / "earlier"
    (earlier / BATCH_INITIAL).mkdir(parents=True)
    (earlier / "manifest.json").write_text("{}")
    stale = earlier / BATCH_INITIAL / "CAH999_2020-01_chi_tieu.csv"
    stale.write_text("old")
    prepare_folder(earlier)
    assert not stale.exists()
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(AnttError, match="not empty"):
        prepare_folder(foreign)
    assert (foreign / "notes.txt").read_text() == "keep me"


def test_every_name_parses_except_the_one_meant_not_to(sample):
    for f in sample.files:
        name = f.path.split("/", 1)[1]
        m = NAME.match(name)
        if f.reason == "bad_file_name":
            assert m is None, name
            continue
        assert m, name
        assert (m["unit"].upper(), m["dataset"].lower(), m["period"]) == (
            f.unit,
            f.dataset,
            f.period,
        )
        assert ("-" in f.period) == (f.dataset in MONTHLY), name
    assert any(f.path != f.path.lower() and NAME.match(f.path.split("/")[1]) for f in sample.files)
    assert any(f.path.split("/")[1] == f.path.split("/")[1].lower() for f in sample.files)


def test_xlsx_files_open_with_title_rows_above_the_header(sample):
    xlsx = [f for f in sample.files if f.format == "xlsx" and f.unit]
    assert len(xlsx) > 100
    with_guide_sheet = 0
    for f in xlsx:
        wb = openpyxl.load_workbook(sample.out_dir / f.path, read_only=True)
        names = wb.sheetnames
        wb.close()
        if len(names) > 1:
            with_guide_sheet += 1
        _header, rows, header_row = read_rows(sample.out_dir / f.path, f.dataset)
        assert header_row >= 2, f"{f.path}: no title row"
        assert len(rows) == f.rows, f.path
    assert with_guide_sheet > 0
    report = next(
        f for f in xlsx if (f.unit, f.dataset, f.period[:4]) == ("CAH847", "chi_tieu", "2023")
    )
    titled = openpyxl.load_workbook(sample.out_dir / report.path, read_only=True)
    first_cells = [r[0] for r in titled.worksheets[0].iter_rows(max_row=3, values_only=True)]
    titled.close()
    month = report.period[5:]
    assert f"BÁO CÁO SỐ LIỆU THÁNG {month}/2023" in first_cells


def test_headers_normalize_to_known_columns(sample):
    for f in sample.files:
        if f.expected_status != "accepted":
            continue
        header, _rows, _ = read_rows(sample.out_dir / f.path, f.dataset)
        header = [h for h in header if h]
        key = f"chi_tieu_{f.layout}" if f.dataset == "chi_tieu" else f.dataset
        required, optional = COLUMNS[key]
        assert required <= set(header), f.path
        assert set(header) <= required | optional, f"{f.path}: {set(header) - required - optional}"
        assert len(header) == len(set(header)), f.path
        if key == "chi_tieu_wide":
            assert set(header) >= INDICATORS, f.path
    unknown = next(f for f in sample.files if f.reason == "unknown_column")
    header, _, _ = read_rows(sample.out_dir / unknown.path, unknown.dataset)
    assert "ghi_chu" in header


def test_both_layouts_and_formats_and_vietnamese_headers_appear(sample):
    shapes = Counter((f.format, f.layout) for f in sample.files if f.dataset == "chi_tieu")
    assert {("csv", "long"), ("csv", "wide"), ("xlsx", "long"), ("xlsx", "wide")} <= set(shapes)
    raw_headers = set()
    for f in sample.files[:80]:
        if f.format == "csv" and f.expected_status == "accepted":
            raw_headers.add((sample.out_dir / f.path).read_text("utf-8-sig").split(",", 1)[0])
    assert "Mã xã" in raw_headers or "MÃ XÃ" in raw_headers


def test_counts_per_unit_dataset_and_year(sample):
    initial = Counter(
        (f.unit, f.dataset, f.period[:4])
        for f in sample.files
        if f.batch == BATCH_INITIAL and f.expected_status == "accepted"
    )
    districts = [f"CAH{c}" for c in ("842", "844", "845", "846", "847", "848", "849", "850", "851")]
    # the reporting cycle withholds two 2023 registers (antt.sample.cycle): missing reports
    withheld = {(u, d, p[:4]) for u, d, p in cycle.WITHHELD}
    for year in ("2022", "2023"):
        for unit in districts:
            assert initial[(unit, "chi_tieu", year)] == 12
            assert initial[(unit, "mo_hinh", year)] == (
                0 if (unit, "mo_hinh", year) in withheld else 1
            )
            assert initial[(unit, "danh_gia_nam", year)] == 1
            assert 1 <= initial[(unit, "su_vu", year)] <= 12
        assert initial[("VPDP84", "dang_ky_ntm", year)] == 1
    assert initial[("CAT84", "mo_hinh", "2023")] == 1
    assert initial[("CAT84", "chi_tieu", "2023")] + initial[("CAT84", "chi_tieu", "2022")] == 2
    units = {f.unit for f in sample.files if f.unit}
    assert units == {*districts, "CAT84", "VPDP84"}
    statuses = Counter(f.expected_status for f in sample.files)
    assert statuses["rejected"] == len(REJECT_REASONS) == 8
    assert statuses["duplicate"] == 1
    corrections = [f for f in sample.files if f.role == "correction"]
    assert {f.dataset for f in corrections} == {"chi_tieu", "su_vu", "danh_gia_nam"}


def test_rejected_files_carry_one_reason_each_and_no_needed_data(sample):
    rejected = [f for f in sample.files if f.expected_status == "rejected"]
    assert sorted(f.reason for f in rejected) == sorted(REJECT_REASONS)
    accepted_scopes = {
        (f.unit, f.dataset, f.period) for f in sample.files if f.batch == BATCH_INITIAL
    }
    for f in rejected:
        if f.reason == "bad_file_name":
            continue
        # Only re-sends of a scope already accepted in the first batch: nothing is lost.
        assert f.batch == BATCH_CORRECTIONS, f.path
        assert (f.unit, f.dataset, f.period) in accepted_scopes, f.path
    tcvn3 = next(f for f in rejected if f.reason == "not_utf8")
    with pytest.raises(UnicodeDecodeError):
        (sample.out_dir / tcvn3.path).read_bytes().decode("utf-8")
    duplicate = next(f for f in sample.files if f.expected_status == "duplicate")
    original = next(f for f in sample.files if f.path == duplicate.duplicate_of)
    assert duplicate.sha256 == original.sha256 and original.expected_status == "accepted"
    assert duplicate.batch == BATCH_CORRECTIONS and original.batch == BATCH_INITIAL


def test_corrections_come_after_their_originals(sample):
    for f in sample.files:
        if f.role == "correction":
            assert f.batch == BATCH_CORRECTIONS and f.replaces.startswith(BATCH_INITIAL)
            original = next(o for o in sample.files if o.path == f.replaces)
            assert (original.unit, original.dataset, original.period) == (
                f.unit,
                f.dataset,
                f.period,
            )
            assert original.sha256 != f.sha256
    assert sorted([BATCH_INITIAL, BATCH_CORRECTIONS]) == [BATCH_INITIAL, BATCH_CORRECTIONS]


def test_text_variants_officers_produce_are_present(sample):
    nfd = [f for f in sample.files if f.note and "NFD" in f.note]
    assert len(nfd) == 1
    text = (sample.out_dir / nfd[0].path).read_text("utf-8-sig")
    assert text == unicodedata.normalize("NFD", text) != unicodedata.normalize("NFC", text)
    names = set()
    for f in sample.files:
        if f.dataset == "chi_tieu" and f.layout == "long" and f.expected_status == "accepted":
            header, rows, _ = read_rows(sample.out_dir / f.path, "chi_tieu")
            if "ten_xa" in header:
                names |= {
                    unicodedata.normalize("NFC", str(r[header.index("ten_xa")])) for r in rows
                }
    assert {"Hòa Minh", "Hoà Minh"} <= names or {"Xã Hòa Minh", "Xã Hoà Minh"} <= names
    assert any(n.isupper() for n in names)
    numeric = [
        f
        for f in sample.files
        if f.format == "xlsx"
        and f.expected_status == "accepted"
        and any(isinstance(r[0], int) for r in read_rows(sample.out_dir / f.path, f.dataset)[1])
    ]
    assert numeric
