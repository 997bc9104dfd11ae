"""The overrides file: its form, and how its lines change the generated rows."""

from __future__ import annotations

import pytest

from antt.errors import AnttError
from antt.units.generate import build_crosswalk
from antt.units.overrides import OVERRIDES_CSV, read_overrides

HEADER = "action,old_commune_code,new_commune_code,reason\n"


def _write(tmp_path, body: str):
    path = tmp_path / "overrides.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("REMOVE,28924,29734,\n", "the reason is mandatory"),
        ("DELETE,28924,29734,why\n", "unknown action 'DELETE'"),
        ("REMOVE,2892,29734,why\n", "must be 5 digits"),
        ("ADD,28924,,why\n", "both codes are required"),
        ("ACCEPT,,,why\n", "a code is required"),
        ("REMOVE,28924,29734\n", "4 columns expected"),
        ("REMOVE,28924,29734,a\nREMOVE,28924,29734,b\n", "line 3 repeats line 2"),
    ],
)
def test_malformed_lines_are_errors(tmp_path, body, message):
    with pytest.raises(AnttError, match=message):
        read_overrides(_write(tmp_path, body))


def test_wrong_header_is_an_error(tmp_path):
    path = tmp_path / "overrides.csv"
    path.write_text("action,old,new\n", encoding="utf-8")
    with pytest.raises(AnttError, match="the header must be"):
        read_overrides(path)


def test_a_missing_file_means_no_overrides(tmp_path):
    assert read_overrides(tmp_path / "absent.csv") == []


def _committed_plus(tmp_path, extra: str):
    body = OVERRIDES_CSV.read_text(encoding="utf-8").split("\n", 1)[1]
    return read_overrides(_write(tmp_path, body + extra))


def test_add_and_remove_change_rows_and_relations(tmp_path):
    # 29392 went whole into 29386; a person says part of it went into 29389's neighbour 29398.
    build = build_crosswalk(_committed_plus(tmp_path, "ADD,29392,29398,test: split found\n"))
    rows = {(r.old_commune_code, r.new_commune_code): r.relation for r in build.rows}
    assert rows[("29392", "29386")] == "SPLIT"
    assert rows[("29392", "29398")] == "SPLIT"


def test_removing_the_only_successor_is_an_open_finding(tmp_path):
    build = build_crosswalk(_committed_plus(tmp_path, "REMOVE,29392,29386,test\n"))
    assert [(f.kind, f.old_code) for f in build.open_findings] == [("NO_SUCCESSOR", "29392")]


def test_a_successor_in_another_province_is_an_open_finding(tmp_path):
    build = build_crosswalk(_committed_plus(tmp_path, "ADD,29392,00004,test\n"))
    assert {(f.kind, f.old_code, f.new_code) for f in build.open_findings} == {
        ("OUTSIDE_PROVINCE", "29392", "00004"),
        ("OTHER_FORMER_PROVINCE", "29392", "00004"),
    }
    # Only an ACCEPT line naming the row decides a finding that still holds.
    accepted = build_crosswalk(
        _committed_plus(tmp_path, "ADD,29392,00004,test\nACCEPT,29392,00004,test: checked\n")
    )
    assert accepted.open_findings == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("REMOVE,29392,29398,test\n", "is not generated"),
        ("ADD,29392,29386,test\n", "is already generated"),
        ("ADD,99999,29386,test\n", "99999 is not an old commune"),
        ("ADD,29392,99999,test\n", "99999 is not a new unit"),
        ("ACCEPT,29392,29386,test\n", "ACCEPT lines that decide no finding"),
    ],
)
def test_overrides_that_do_not_apply_are_errors(tmp_path, extra, message):
    with pytest.raises(AnttError, match=message):
        build_crosswalk(_committed_plus(tmp_path, extra))


def test_an_unresolved_name_stays_open_until_a_line_adds_the_rows(tmp_path, monkeypatch):
    import dataclasses

    from antt.units import generate
    from antt.units.sources import converter_data

    real = converter_data()
    names = dict(real.new_unit_names)
    names[("tinhvinhlong", "xasongloc")] = "Xã Sông Lộc"  # a misspelt name: no official unit
    monkeypatch.setattr(
        generate, "converter_data", lambda: dataclasses.replace(real, new_unit_names=names)
    )
    build = build_crosswalk(read_overrides())
    opened = {(f.kind, f.old_code, f.new_code) for f in build.open_findings}
    assert {
        ("UNRESOLVED_NAME", "29386", ""),
        ("UNRESOLVED_NAME", "29389", ""),
        ("UNRESOLVED_NAME", "29392", ""),
        ("NO_SUCCESSOR", "29392", ""),
        ("NO_PREDECESSOR", "", "29386"),
    } <= opened
    fixed = build_crosswalk(
        _committed_plus(
            tmp_path,
            "".join(f"ADD,{old},29386,test: by name\n" for old in ("29386", "29389", "29392")),
        )
    )
    assert fixed.open_findings == []
    assert [r.old_commune_code for r in fixed.rows if r.new_commune_code == "29386"] == [
        "29386",
        "29389",
        "29392",
    ]
