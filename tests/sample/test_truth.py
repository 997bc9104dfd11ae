"""The files say what the ground truth says, the scenarios sit exactly on their boundaries, and
the hand-computed expectations agree with the independent evaluator."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import pytest

from antt.sample import scenarios as sc
from antt.sample.evaluate import Evaluator, cut_status, evaluate, facts_of
from antt.sample.manifest import BATCH_CORRECTIONS, BATCH_INITIAL
from antt.sample.sample_set import build_world, computed_expectations, hand_expectations
from antt.sample.units import load_indicators
from antt.sample.writers import encode_tcvn3, other_tone_placement

from .reading import chi_tieu_values, code, normalize, read_rows

INDICATORS = [i.code for i in load_indicators()]
TTXH = [i.code for i in load_indicators() if i.group == "TTXH"]
BY_KEY = {s.key: s for s in sc.SCENARIOS}


def newest_versions(sample, dataset: str, batches=(BATCH_INITIAL, BATCH_CORRECTIONS)):
    """scope -> file, the newest accepted version in ingest order."""
    newest = {}
    for f in sorted(sample.files, key=lambda f: f.path):
        if f.dataset == dataset and f.expected_status == "accepted" and f.batch in batches:
            newest[(f.unit, f.period)] = f
    return newest


@pytest.mark.parametrize("after_corrections", [True, False])
def test_chi_tieu_files_hold_exactly_the_truth(sample, world, after_corrections):
    batches = (BATCH_INITIAL, BATCH_CORRECTIONS) if after_corrections else (BATCH_INITIAL,)
    district: dict = {}
    provincial: dict = {}
    for (unit, period), f in newest_versions(sample, "chi_tieu", batches).items():
        year, month = int(period[:4]), int(period[5:])
        target = provincial if unit.startswith("CAT") else district
        for (ma_xa, indicator), value in chi_tieu_values(
            sample.out_dir / f.path, INDICATORS
        ).items():
            target.setdefault((ma_xa, year, month), {})[indicator] = value
    effective = {**district, **provincial}  # the provincial values win for their commune-months
    truth = facts_of(world, after_corrections).values
    assert effective == truth
    assert any(k in district and district[k] != provincial[k] for k in provincial)


def parse_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if "/" in value:
        d, m, y = value.split("/")
        return date(int(y), int(m), int(d))
    return date.fromisoformat(value)


@pytest.mark.parametrize("after_corrections", [True, False])
def test_su_vu_files_give_the_incidents_current_state(sample, world, after_corrections):
    batches = (BATCH_INITIAL, BATCH_CORRECTIONS) if after_corrections else (BATCH_INITIAL,)
    current: dict = {}
    for (unit, _period), f in sorted(newest_versions(sample, "su_vu", batches).items()):
        header, rows, _ = read_rows(sample.out_dir / f.path, "su_vu")
        for row in rows:
            r = dict(zip(header, row, strict=False))
            blank = (None, "")
            current[(unit, r["ma_su_vu"])] = (
                normalize(r["loai"]).upper(),
                code(r["ma_xa"]),
                parse_date(r["ngay_bat_dau"]),
                parse_date(r["ngay_ket_thuc"]),
                None if r["so_nguoi"] in blank else int(r["so_nguoi"]),
                None if r["trai_phap_luat"] in blank else int(r["trai_phap_luat"]),
            )
    expected = {
        (i.unit, i.ma_su_vu): (i.loai, i.ma_xa, i.start, i.end, i.so_nguoi, i.trai_phap_luat)
        for i in facts_of(world, after_corrections).incidents
    }
    assert current == expected


def test_yearly_files_hold_the_truth(sample, world):
    for (_unit, period), f in newest_versions(sample, "danh_gia_nam").items():
        header, rows, _ = read_rows(sample.out_dir / f.path, "danh_gia_nam")
        for row in rows:
            r = dict(zip(header, row, strict=False))
            a = world.assessments[(code(r["ma_xa"]), int(period))]
            assert (int(r["so_ap"]), int(r["so_ap_an_toan"]), int(r["cong_an_xa_tien_tien"])) == (
                a.so_ap,
                a.so_ap_an_toan,
                a.tien_tien,
            )
            assert normalize(r["xep_loai_phong_trao"]).upper() == a.xep_loai
    for (unit, period), f in newest_versions(sample, "mo_hinh").items():
        header, rows, _ = read_rows(sample.out_dir / f.path, "mo_hinh")
        got = sorted(
            (
                r[header.index("ma_mo_hinh")],
                code(r[header.index("ma_xa")]),
                normalize(r[header.index("danh_gia")]).upper(),
                int(r[header.index("so_camera")]),
            )
            for r in rows
        )
        want = sorted(
            (m.ma_mo_hinh, m.ma_xa, m.danh_gia, m.so_camera)
            for m in world.registers[(unit, int(period))]
        )
        assert got == want, f.path


def scenario_total(world, key: str, year: int, codes=TTXH, values=None) -> int:
    values = values or world.values
    ma_xa = BY_KEY[key].ma_xa
    return sum(values[(ma_xa, year, m)][c] or 0 for m in range(1, 13) for c in codes)


def test_scenario_totals_are_the_declared_ones(world):
    for s in sc.SCENARIOS:
        if s.key == "BLANK_VALUE":
            continue
        for year, want in zip((2022, 2023), s.ttxh, strict=True):
            if s.key == "MISSING_MONTH" and year == 2023:
                continue
            assert scenario_total(world, s.key, year) == want, s.key


def test_scenario_arithmetic_sits_on_the_boundaries(world):
    def cut(key: str) -> float:
        before, now = (scenario_total(world, key, y) for y in (2022, 2023))
        return round((before - now) / before * 100, 2)

    assert cut("TTXH_CUT_EXACTLY_5") == 5.00
    assert cut_status(20, 19) == "DAT"
    assert cut("TTXH_CUT_4_76") == 4.76
    assert cut_status(21, 20) == "KHONG_DAT"
    assert (
        scenario_total(world, "TTXH_ZERO_TO_ZERO", 2022),
        scenario_total(world, "TTXH_ZERO_TO_ZERO", 2023),
    ) == (0, 0)
    assert (
        scenario_total(world, "TTXH_ZERO_TO_ONE", 2022),
        scenario_total(world, "TTXH_ZERO_TO_ONE", 2023),
    ) == (0, 1)
    safe = world.assessments[(BY_KEY["SAFE_HAMLETS_EXACTLY_70"].ma_xa, 2023)]
    assert safe.so_ap_an_toan / safe.so_ap == 0.70
    below = world.assessments[(BY_KEY["SAFE_HAMLETS_BELOW_70"].ma_xa, 2023)]
    assert round(below.so_ap_an_toan / below.so_ap, 4) == 0.6923

    def days(key: str, loai: str) -> int:
        inc = next(i for i in world.incidents if i.ma_xa == BY_KEY[key].ma_xa and i.loai == loai)
        return Evaluator.days(inc, 2023)

    assert days("COMPLAINT_30_DAYS", "KHIEU_KIEN_DONG_NGUOI") == 30
    assert days("COMPLAINT_31_DAYS", "KHIEU_KIEN_DONG_NGUOI") == 31
    assert days("OPEN_COMPLAINT_30_DAYS", "KHIEU_KIEN_DONG_NGUOI") == 30
    assert days("OPEN_COMPLAINT_41_DAYS", "KHIEU_KIEN_DONG_NGUOI") == 41
    ended = next(i for i in world.incidents if i.ma_xa == BY_KEY["HOTSPOT_ENDED_10_JANUARY"].ma_xa)
    assert ended.end == date(2023, 1, 10) and ended.active_in(2023) and ended.active_in(2022)

    province = BY_KEY["PROVINCIAL_VALUES_WIN"].ma_xa
    district_view = {**world.values, **world.district_reported}
    assert scenario_total(world, "PROVINCIAL_VALUES_WIN", 2023, values=district_view) == 20
    assert scenario_total(world, "PROVINCIAL_VALUES_WIN", 2023) == 18
    assert (province, 2023, 5) in world.district_reported
    first = {**world.values, **world.superseded_values}
    assert scenario_total(world, "CHI_TIEU_CORRECTED", 2023, values=first) == 13
    blank = world.values[(BY_KEY["BLANK_VALUE"].ma_xa, 2023, 4)]
    assert blank["TP_TROM_CAP_TAI_SAN"] is None
    assert (BY_KEY["MISSING_MONTH"].ma_xa, 2023, 7) not in world.values


def test_scenarios_are_spread_over_districts_and_name_real_communes(world):
    assert len(sc.SCENARIOS) >= 12
    assert len({s.ma_xa for s in sc.SCENARIOS}) == len(sc.SCENARIOS)
    for s in sc.SCENARIOS:
        commune = world.province.commune(s.ma_xa)
        assert commune.short == s.commune and commune.district_code == s.district
    assert {s.district for s in sc.SCENARIOS} == {d.code for d in world.province.districts}


def test_hand_expectations_equal_the_evaluator(world):
    after = evaluate(facts_of(world))
    before = evaluate(facts_of(world, after_corrections=False))
    for s in sc.SCENARIOS:
        assert after.communes[s.ma_xa][2023] == s.expected_last, s.key
        assert after.communes[s.ma_xa][2022] == s.expected_previous, s.key
        if s.expected_last_before_corrections:
            assert before.communes[s.ma_xa][2023] == s.expected_last_before_corrections, s.key
            assert s.expected_last_before_corrections != s.expected_last
    for code_, rel in sc.DISTRICT_EXPECTED.items():
        assert after.districts[code_][2023] == rel["last"], code_
        assert after.districts[code_][2022] == rel["previous"], code_


def test_every_rule_is_hit_both_ways_in_the_last_year(world):
    after = evaluate(facts_of(world))
    statuses = {c: {s[2023][c] for s in after.communes.values()} for c in sc.COMMUNE_CRITERIA}
    for criterion, seen in statuses.items():
        assert {"DAT", "KHONG_DAT"} <= seen, criterion
    for criterion in sc.DISTRICT_CRITERIA:
        seen = {d[2023][criterion] for d in after.districts.values()}
        assert {"DAT", "KHONG_DAT"} <= seen, criterion


def test_manifest_carries_both_expectation_tables(sample):
    hand = sample.expectations
    assert set(hand["communes"]) == {s.ma_xa for s in sc.SCENARIOS}
    assert hand["communes"]["29410"]["2023"]["ANTT_06"] == "KHONG_DAT"
    assert hand["districts"]["844"]["2023"]["HUYEN_NTM_NANG_CAO"] == "DAT"
    for ma_xa, years in hand["communes"].items():
        assert sample.computed["communes"][ma_xa] == years
    assert len(sample.computed["communes"]) == 104
    assert set(hand["communes_before_corrections"]) == {"29263", "29443", "29515"}


def test_text_helpers():
    assert other_tone_placement("Xã Hòa Minh") == "Xã Hoà Minh"
    assert other_tone_placement("Hoà Minh") == "Hòa Minh"
    assert other_tone_placement("Thủy") == "Thuỷ"
    assert other_tone_placement("Quý Hoàng") == "Quý Hoàng"
    assert encode_tcvn3("Mã xã") == b"M\xb7 x\xb7"


def test_both_readings_of_the_provincial_register_give_the_same_statuses(world, monkeypatch):
    """The rule "the provincial register is used for that commune" can be read as "for every
    commune" (the evaluator's reading) or "for the communes it lists": the sample is built so both
    readings agree (docs/decisions.md)."""
    literal = evaluate(facts_of(world))

    def per_listed_commune(self, ma_xa, year):
        unit = f"CAH{self.f.province.commune(ma_xa).district_code}"
        provincial = self.f.registers.get((self.cat, year), [])
        listed = [m for m in provincial if m.ma_xa == ma_xa]
        if listed:
            return listed
        district = self.f.registers.get((unit, year))
        return (
            None
            if district is None and not provincial
            else [m for m in (district or []) if m.ma_xa == ma_xa]
        )

    monkeypatch.setattr(Evaluator, "models", per_listed_commune)
    assert evaluate(facts_of(world)) == literal
    cat = world.registers[("CAT84", 2023)]
    thanh_phu = {
        m.loai: m.danh_gia for m in cat if m.ma_xa == BY_KEY["PROVINCIAL_REGISTER_WINS"].ma_xa
    }
    assert thanh_phu["CAMERA_AN_NINH"] == "CHUA_HIEU_QUA"
    district = world.registers[("CAH845", 2023)]
    assert any(
        m.ma_xa == BY_KEY["PROVINCIAL_REGISTER_WINS"].ma_xa
        and m.loai == "CAMERA_AN_NINH"
        and m.danh_gia == "HIEU_QUA"
        for m in district
    )


def test_every_xa_is_registered_every_year_and_only_xa(world, sample):
    xa = {c.code for c in world.province.communes if c.kind == "Xã"}
    for year in world.years:
        assert {c for (c, y) in world.registrations if y == year} == xa
    regs = [r for (c, y), r in world.registrations.items() if y == 2023]
    registered = Counter(r.muc_dang_ky for r in regs)
    held = Counter(r.muc_da_dat for r in regs)
    assert (
        registered["NTM_KIEU_MAU"] > 0 and registered["NTM_NANG_CAO"] > registered["NTM_KIEU_MAU"]
    )
    assert held["NTM"] > held["CHUA"] > 0
    assert all((r.nam_dat is None) == (r.muc_da_dat == "CHUA") for r in regs)
    f = next(f for f in sample.files if f.dataset == "dang_ky_ntm" and f.period == "2023")
    assert f.rows == len(xa) == 85


@pytest.mark.parametrize("years", [(2024, 2025), (2021, 2022, 2023), (2023,)])
def test_hand_tables_hold_for_other_year_ranges(years):
    world = build_world("84", years)
    hand, computed = hand_expectations(world), computed_expectations(world)
    assert set(hand["communes"]) == ({s.ma_xa for s in sc.SCENARIOS} if len(years) > 1 else set())
    for table in ("communes", "districts"):
        for code_, per_year in hand[table].items():
            for year, statuses in per_year.items():
                assert computed[table][code_][year] == statuses, (code_, year)
