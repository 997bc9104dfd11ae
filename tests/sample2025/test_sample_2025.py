"""The Vĩnh Long 2024–2025 sample: its files follow the reporting chain of each period, say what
the ground truth says, and its hand-computed expectations agree with the independent evaluator."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from antt.errors import AnttError
from antt.sample import generate, load_manifest
from antt.sample import scenarios2025 as sc
from antt.sample.evaluate2025 import DAT, KD, KSS, decide, level_status
from antt.sample.sample2025 import BATCH_RESENT, BATCHES_2025
from antt.sample.units import load_indicators
from antt.sample.world2025 import is_old_period
from sample.reading import chi_tieu_values, code, read_rows

INDICATORS = [i.code for i in load_indicators()]
NAME = re.compile(
    r"^(?P<unit>[A-Z]+\d+)_(?P<period>\d{4}(-\d{2})?)_(?P<dataset>[a-z_]+)\.(csv|xlsx)$"
)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def accepted(sample, dataset: str | None = None):
    return [
        f
        for f in sample.files
        if f.expected_status == "accepted" and (dataset is None or f.dataset == dataset)
    ]


def test_hand_computed_statuses_agree_with_the_independent_evaluation(sample86):
    hand, computed = sample86.expectations, sample86.computed
    assert len(hand["units"]) >= 10
    for table in ("units", "communes"):
        for unit, years in hand[table].items():
            for year, statuses in years.items():
                assert computed[table][unit][year] == statuses, (table, unit, year)
    # Every status of the reorganisation appears among the designed units.
    seen = {s for years in hand["units"].values() for st in years.values() for s in st.values()}
    assert seen == {"DAT", "KHONG_DAT", "KHONG_DU_DU_LIEU", "KHONG_SO_SANH_DUOC"}


def test_every_unit_and_old_commune_is_evaluated(sample86, world86):
    assert set(sample86.computed["units"]) == {u.code for u in world86.province.units}
    assert len(sample86.computed["units"]) == 124
    assert len(sample86.computed["communes"]) == 148 + 104 + 102
    assert {p.code for p in world86.province.old_provinces} == {"83", "84", "86"}


def test_units_submit_only_in_their_periods(sample86):
    for f in accepted(sample86):
        unit, period = f.unit, f.period
        month = (int(period[:4]), int(period[5:])) if "-" in period else None
        if unit.startswith("CAH"):
            assert (month or (int(period), 12)) <= (2025, 2), f.path
            assert f.dataset != "chi_tieu_quy_doi"
        elif unit.startswith("CAX"):
            assert (month or (int(period), 12)) >= (2025, 3), f.path
        elif f.dataset == "chi_tieu_quy_doi":
            assert unit == "CAT86" and month <= (2025, 6), f.path
        elif unit in ("CAT83", "CAT84", "VPDP83", "VPDP84"):
            assert (month or (int(period), 6)) <= (2025, 6), f.path
    units = Counter(f.unit[:3] for f in accepted(sample86, "chi_tieu"))
    assert units["CAH"] == 26 * 14  # every district, 2024-01 … 2025-02


def test_codes_are_those_valid_for_the_period(sample86, world86):
    p = world86.province
    new_codes, old_codes = set(p.by_code), set(p.old_communes)
    for f in accepted(sample86):
        header, rows, _ = read_rows(sample86.out_dir / f.path, f.dataset)
        codes = {code(r[header.index("ma_xa")]) for r in rows}
        year = int(f.period[:4])
        month = int(f.period[5:]) if "-" in f.period else None
        new_era = (
            f.dataset == "chi_tieu_quy_doi"
            or year >= 2025
            and (month is None or not is_old_period(year, month))
        )
        assert codes <= (new_codes if new_era else old_codes), f.path
        if f.unit.startswith("CAX"):
            assert codes == {f.unit[3:]}, f.path


def test_chi_tieu_files_hold_the_values_that_win(sample86, world86):
    """Per unit-month the provincial file wins over the district or commune file; the values that
    win are the ground truth, and the restatements are what the world re-counted."""
    by_priority: dict = {}
    restated: dict = {}
    for f in accepted(sample86):
        if f.dataset not in ("chi_tieu", "chi_tieu_quy_doi"):
            continue
        year, month = int(f.period[:4]), int(f.period[5:])
        for (ma_xa, indicator), value in chi_tieu_values(
            sample86.out_dir / f.path, INDICATORS
        ).items():
            if f.dataset == "chi_tieu_quy_doi":
                restated.setdefault((ma_xa, year, month), {})[indicator] = value
                continue
            rank = 1 if f.unit.startswith("CAT") else 0
            slot = by_priority.setdefault((ma_xa, year, month), {})
            slot.setdefault(rank, {})[indicator] = value
    effective = {k: v[max(v)] for k, v in by_priority.items()}
    assert effective == world86.values
    assert restated == world86.restated
    assert sum(len(v) > 1 for v in by_priority.values()) == len(world86.losing) == 2


def test_successor_updates_carry_the_original_unit(sample86, world86):
    rows_with_origin = []
    for f in accepted(sample86, "su_vu"):
        header, rows, _ = read_rows(sample86.out_dir / f.path, "su_vu")
        if "don_vi_goc" in header:
            for r in rows:
                origin = r[header.index("don_vi_goc")]
                if origin:
                    rows_with_origin.append(
                        (f.unit, f.period, origin, code(r[header.index("ma_xa")]))
                    )
    assert sorted(rows_with_origin) == [
        ("CAT86", "2025-09", "CAX29719", "29836"),  # relocated to Trà Côn, new code
        ("CAX29413", "2025-03", "CAH847", "29413"),  # closed by the commune police, old code
    ]


def test_rejected_files_carry_one_reorganisation_reason_each(sample86):
    rejected = sample86.by_status("rejected")
    reasons = Counter(f.reason for f in rejected)
    assert set(reasons) == set(sample86.reject_reasons) and set(reasons.values()) == {1}
    for f in rejected:
        assert f.expected_error_code == sample86.expected_error_codes[f.reason]
        name = f.path.split("/", 1)[1]
        m = NAME.match(name)
        assert m and (m["unit"], m["period"], m["dataset"]) == (f.unit, f.period, f.dataset)
    # A re-send that is rejected never leaves its scope without the accepted version.
    scopes = {(f.unit, f.dataset, f.period) for f in accepted(sample86)}
    for f in rejected:
        if f.batch == BATCH_RESENT:
            assert (f.unit, f.dataset, f.period) in scopes, f.path
    [dup] = sample86.by_status("duplicate")
    assert sha(sample86.out_dir / dup.path) == sha(sample86.out_dir / dup.duplicate_of)


def test_the_set_stays_modest(sample86):
    files = len(sample86.files)
    rows = sum(f.rows for f in sample86.files)
    assert 400 < files < 650 and rows < 120_000, (files, rows)
    assert sorted({f.batch for f in sample86.files}) == BATCHES_2025 == sample86.batches


def test_batches_follow_the_order_files_reach_the_warehouse(sample86):
    """Every su_vu row that updates an incident another unit opened comes in a later batch than
    the file that opened it, or later in the same batch's name order."""
    order = {f.path: (BATCHES_2025.index(f.batch), f.path) for f in sample86.files}
    opened: dict = {}
    for f in sorted(accepted(sample86, "su_vu"), key=lambda f: order[f.path]):
        header, rows, _ = read_rows(sample86.out_dir / f.path, "su_vu")
        for r in rows:
            origin = r[header.index("don_vi_goc")] if "don_vi_goc" in header else None
            key = (origin or f.unit, r[header.index("ma_su_vu")])
            if origin:
                assert key in opened, (f.path, key)
            opened.setdefault(key, f.path)


def test_two_runs_give_identical_bytes(sample86, tmp_path):
    again = generate(tmp_path / "again", "86", (2024, 2025))
    assert [(f.path, f.sha256) for f in again.files] == [(f.path, f.sha256) for f in sample86.files]
    assert sha(again.out_dir / "manifest.json") == sha(sample86.out_dir / "manifest.json")
    loaded = load_manifest(sample86.out_dir)
    assert loaded.files == sample86.files and loaded.reject_reasons == sample86.reject_reasons


@pytest.mark.parametrize(
    ("province", "years"), [("84", (2024, 2025)), ("86", (2025,)), ("86", (2023, 2024, 2025))]
)
def test_other_sets_from_2025_are_refused(province, years, tmp_path):
    with pytest.raises(AnttError, match="--province 86 --years 2024 2025"):
        generate(tmp_path / "x", province, years)


def test_a_crosswalk_other_than_designed_is_refused(world86):
    from antt.sample.units2025 import Lineage

    p = world86.province
    changed = tuple(
        Lineage(r.old_code, r.new_code, "WHOLE") if r.old_code == sc.TT_TAM_BINH else r
        for r in p.lineage
    )
    world86.province = type(p)(p.code, p.name, p.units, p.old_provinces, changed)
    try:
        with pytest.raises(AnttError, match="SPLIT_STILL_DECIDES"):
            sc.check_lineage(world86)
    finally:
        world86.province = p


def test_monotone_decision_and_level_order():
    assert decide(worst=True, best=True) == DAT
    assert decide(worst=False, best=True) == KSS
    assert decide(worst=False, best=False) == KD
    assert level_status([DAT, KSS, "KHONG_DU_DU_LIEU"]) == "KHONG_DU_DU_LIEU"
    assert level_status([KSS, KD]) == KD
    assert level_status([DAT, KSS]) == KSS


def test_the_single_era_trà_vinh_set_is_unchanged(tmp_path):
    """Every file's bytes, its expected outcome and the expected statuses of the 2022–2023 set,
    pinned by one digest (the manifest's prose may change, these must not). Re-pinned once when
    the reporting cycle withheld two 2023 registers (CAH842, CAH850 mo_hinh: "missing" on the
    tracker); every expected and computed status stayed the same."""
    manifest = generate(tmp_path / "tra_vinh")
    pinned = json.dumps(
        {
            "files": [
                (f.path, f.sha256, f.expected_status, f.expected_error_code) for f in manifest.files
            ],
            "expected": {
                k: manifest.expectations[k]
                for k in ("communes", "districts", "communes_before_corrections")
            },
            "computed": {k: v for k, v in manifest.computed.items() if k != "source"},
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    assert hashlib.sha256(pinned.encode()).hexdigest() == (
        "5b8c46c0d7a07ec7d1a400679cae5b4e13c31a1c9fa680b41453db8679b957fd"
    )


# --- the reporting cycle of the 86 set (antt.sample.cycle) --------------------------------------


def deadline(dataset: str, period: str) -> date:
    if "-" in period:
        year, month = int(period[:4]), int(period[5:])
        return date(year + (month == 12), month % 12 + 1, 20)
    return date(int(period) + 1, 1, 31)


def test_designed_arrivals_of_86_fall_where_designed(sample86):
    designed = sample86.reporting_cycle
    initial = {(f.unit, f.dataset, f.period): f for f in sample86.files if f.role == "initial"}
    for key in ("late", "on_time_at_the_deadline", "covered_by_the_province"):
        for x in designed[key]:
            f = initial[(x["unit"], x["dataset"], x["period"])]
            arrived = datetime.fromisoformat(f.received_at)
            assert arrived.utcoffset() == timedelta(hours=7), f.path
            due = deadline(f.dataset, f.period)
            assert (arrived.date() > due) == (key != "on_time_at_the_deadline"), f.path
            if key == "on_time_at_the_deadline":
                assert arrived.date() == due, f.path  # the deadline day itself
    assert {x["unit"][:3] for x in designed["late"]} == {"CAH", "CAX"}
    assert {x["dataset"] for x in designed["late"]} == {"chi_tieu", "danh_gia_nam"}
    # every other file arrived before its deadline
    named = {(x["unit"], x["dataset"], x["period"]) for x in designed["late"]}
    named |= {(x["unit"], x["dataset"], x["period"]) for x in designed["covered_by_the_province"]}
    for f in accepted(sample86):
        if f.role == "initial" and (f.unit, f.dataset, f.period) not in named:
            assert datetime.fromisoformat(f.received_at).date() <= deadline(f.dataset, f.period)


def test_the_covering_provincial_file_has_the_commune_and_arrived_on_time(sample86):
    [x] = sample86.reporting_cycle["covered_by_the_province"]
    cat = next(
        f for f in accepted(sample86, x["dataset"]) if (f.unit, f.period) == (x["via"], x["period"])
    )
    values = chi_tieu_values(sample86.out_dir / cat.path, INDICATORS)
    assert any(xa == x["unit"][3:] for xa, _i in values)
    assert datetime.fromisoformat(cat.received_at).date() <= deadline(cat.dataset, cat.period)


def test_commune_police_that_send_their_own_assessment_are_left_out_of_cat86(sample86):
    files = {f.unit: f for f in accepted(sample86, "danh_gia_nam") if f.period == "2025"}
    header, rows, _ = read_rows(sample86.out_dir / files["CAT86"].path, "danh_gia_nam")
    by_cat = {code(r[header.index("ma_xa")]) for r in rows}
    assert len(by_cat) == 122 and not by_cat & {"29386", "29410"}
    for unit in ("CAX29386", "CAX29410"):
        header, rows, _ = read_rows(sample86.out_dir / files[unit].path, "danh_gia_nam")
        assert [code(r[header.index("ma_xa")]) for r in rows] == [unit[3:]]


def test_the_missing_report_of_86_has_no_row_in_any_file(sample86):
    [x] = sample86.reporting_cycle["missing"]
    commune, period = x["unit"][3:], x["period"]
    for f in accepted(sample86, "chi_tieu"):
        if f.period == period:
            assert not any(
                xa == commune for xa, _i in chi_tieu_values(sample86.out_dir / f.path, INDICATORS)
            )
    # the scenario that leaves it out already expects missing data for that unit
    assert sample86.expectations["units"][commune]["2025"]["ANTT_04"] == "KHONG_DU_DU_LIEU"


def test_designed_outliers_of_86_are_in_the_files(sample86):
    for o in sample86.reporting_cycle["outliers"]:
        period = o["period_month"][:7]
        found = [
            chi_tieu_values(sample86.out_dir / f.path, INDICATORS).get(
                (o["commune"], o["indicator"])
            )
            for f in accepted(sample86, "chi_tieu")
            if f.period == period
        ]
        assert o["value"] in found, o


def test_the_reporting_cycle_of_86_changes_no_status(sample86, monkeypatch):
    """Without the designed outliers (the only part of the cycle the criteria could read) the
    independent evaluation gives exactly the statuses of the sample."""
    from antt.sample import cycle
    from antt.sample.sample2025 import build_world_2025, computed_expectations_2025
    from antt.sample.sample_set import SEED

    monkeypatch.setattr(cycle, "DESIGN_86", cycle.Design((), (), (), ()))
    plain = computed_expectations_2025(build_world_2025("86", SEED))
    assert json.dumps(plain, sort_keys=True) == json.dumps(sample86.computed, sort_keys=True)
    assert len(sample86.reporting_cycle["outliers"]) == 3
