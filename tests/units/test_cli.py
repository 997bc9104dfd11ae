"""`antt units crosswalk` from the command line: exit codes and one-line errors."""

from __future__ import annotations

from antt.cli import main
from antt.units.crosswalk import CROSSWALK_CSV


def test_check_passes_on_the_committed_file(capsys):
    assert main(["units", "crosswalk", "--check"]) == 0
    out = capsys.readouterr().out
    assert "10566" in out and "up to date" in out


def test_writes_to_another_file(tmp_path):
    out = tmp_path / "cw.csv"
    assert main(["units", "crosswalk", "--out", str(out)]) == 0
    assert out.read_bytes() == CROSSWALK_CSV.read_bytes()


def test_a_broken_overrides_file_is_one_line_and_exit_1(tmp_path, capsys):
    overrides = tmp_path / "overrides.csv"
    overrides.write_text(
        "action,old_commune_code,new_commune_code,reason\nREMOVE,28924,29734,\n", encoding="utf-8"
    )
    code = main(["units", "crosswalk", "--overrides", str(overrides), "--out", str(tmp_path / "x")])
    assert code == 1
    err = capsys.readouterr().err
    assert "the reason is mandatory" in err and "thiếu lý do" in err
    assert not (tmp_path / "x").exists()
