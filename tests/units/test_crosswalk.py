"""The whole-country crosswalk: generated from the installed packages, reviewed, committed."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from antt import units
from antt.errors import AnttError
from antt.units.command import run_crosswalk
from antt.units.crosswalk import CROSSWALK_CSV, read_crosswalk
from antt.units.generate import build_crosswalk
from antt.units.overrides import OVERRIDES_CSV, read_overrides


@pytest.fixture(scope="module")
def reviewed():
    return build_crosswalk(read_overrides())


@pytest.fixture(scope="module")
def unreviewed():
    return build_crosswalk([])


def test_the_two_lists_have_the_official_sizes():
    assert len(units.old_communes()) == 10_035
    assert len(units.new_units()) == 3_321
    assert len(units.old_province_names()) == 63
    assert len(units.new_province_names()) == 34
    vinh_long = units.new_units("86")
    assert len(vinh_long) == 124
    assert Counter(u.kind for u in vinh_long) == {"Xã": 105, "Phường": 19}


def test_committed_csv_is_what_the_command_generates(reviewed):
    assert read_crosswalk(CROSSWALK_CSV) == reviewed.rows


def test_every_check_passes_after_review(reviewed):
    assert reviewed.open_findings == []


def test_every_old_commune_has_a_successor_in_the_absorbing_province(reviewed):
    successors = defaultdict(set)
    for r in reviewed.rows:
        successors[r.old_commune_code].add(r.new_commune_code)
    assert set(successors) == {c.code for c in units.old_communes()}
    for commune in units.old_communes():
        absorbing = units.absorbing_province(commune.province_code)
        assert {units.new_unit(n).province_code for n in successors[commune.code]} == {absorbing}


def test_every_new_unit_has_a_predecessor_but_the_island_districts(reviewed):
    without = {u.code for u in units.new_units()} - {r.new_commune_code for r in reviewed.rows}
    # Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo: old districts without a commune level.
    assert without == {"11948", "19742", "20333", "21548", "26732"}
    assert all(units.new_unit(code).kind == "Đặc khu" for code in without)


def test_relations_follow_the_number_of_successors(reviewed):
    count = Counter(r.old_commune_code for r in reviewed.rows)
    for r in reviewed.rows:
        assert r.relation == ("WHOLE" if count[r.old_commune_code] == 1 else "SPLIT")


def test_generator_reports_the_known_defects_without_guessing(unreviewed):
    kinds = Counter(f.kind for f in unreviewed.open_findings)
    assert kinds["NO_PREDECESSOR"] == 5
    assert kinds["OTHER_FORMER_PROVINCE"] == 20
    hoa_loc = {(f.kind, f.old_code, f.new_code) for f in unreviewed.open_findings}
    # Xã Hòa Lộc of Mỏ Cày Bắc (83) listed into Xã Hòa Hiệp, a unit of old Vĩnh Long's Tam Bình.
    assert ("OTHER_FORMER_PROVINCE", "28924", "29734") in hoa_loc
    assert ("NAMESAKE", "28924", "29734") in hoa_loc
    # Without review nothing is guessed: the rows stay as the converter lists them.
    assert {r.new_commune_code for r in unreviewed.rows if r.old_commune_code == "28924"} == {
        "29734",
        "28921",
    }


def test_new_codes_are_official_not_the_converter_package_codes(reviewed, unreviewed):
    assert ("Xã Song Phú", "29740", "29752") in unreviewed.code_differences
    assert [r.old_commune_code for r in units.predecessors("29752")] == [
        "29725",
        "29740",
        "29749",
        "29752",
    ]


def test_vinh_long_examples():
    assert [(r.old_commune_code, r.relation) for r in units.predecessors("29386")] == [
        ("29386", "WHOLE"),
        ("29389", "WHOLE"),
        ("29392", "WHOLE"),
    ]
    assert units.new_unit("29386").name == "Xã Song Lộc"
    assert units.old_commune("29386").name == "Xã Lương Hòa A"
    assert units.new_unit("29767").name == "Xã Ngãi Tứ"
    assert units.old_commune("29767").name == "Xã Bình Ninh"
    assert {r.old_commune_code for r in units.predecessors("29767")} >= {"29767"}
    assert [r.new_commune_code for r in units.successors("28924")] == ["28921"]
    assert units.old_provinces_of("86") == ["83", "84", "86"]


def test_split_old_communes_of_vinh_long():
    rows = units.crosswalk_rows("86")
    split = sorted({r.old_commune_code for r in rows if r.relation == "SPLIT"})
    # The converter lists 8; three of them (both Xã Hòa Lộc, Xã Mỹ An 29623) are name collisions.
    assert split == ["29719", "29764", "29770", "29771", "29821"]
    trà_vinh = {c.code for c in units.old_communes("84")}
    assert not [r for r in rows if r.old_commune_code in trà_vinh and r.relation == "SPLIT"]
    assert len({r.new_commune_code for r in rows}) == 124
    old_codes = {c.code for p in ("83", "84", "86") for c in units.old_communes(p)}
    assert {r.old_commune_code for r in rows} == old_codes


def test_command_writes_and_checks(tmp_path, capsys):
    from rich.console import Console

    out = tmp_path / "crosswalk.csv"
    report = tmp_path / "findings.csv"
    console = Console(width=200)
    run_crosswalk(console, out, OVERRIDES_CSV, report)
    assert out.read_bytes() == CROSSWALK_CSV.read_bytes()
    assert "REMOVE (line 2)" in report.read_text(encoding="utf-8")
    run_crosswalk(console, out, OVERRIDES_CSV, None, check=True)
    out.write_text("old_commune_code,new_commune_code,relation\n", encoding="utf-8")
    with pytest.raises(AnttError, match="differs from the generated crosswalk"):
        run_crosswalk(console, out, OVERRIDES_CSV, None, check=True)


def test_open_findings_stop_the_command_and_write_nothing(tmp_path):
    from rich.console import Console

    overrides = tmp_path / "overrides.csv"
    overrides.write_text("action,old_commune_code,new_commune_code,reason\n", encoding="utf-8")
    out = tmp_path / "crosswalk.csv"
    with pytest.raises(AnttError, match="findings need a person"):
        run_crosswalk(Console(width=200), out, overrides)
    assert not out.exists()
