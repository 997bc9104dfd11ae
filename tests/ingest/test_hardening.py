"""What a hostile landing folder, a careless operator and two runs at once can do (issue 15)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tracemalloc

import psycopg
import pytest

from antt.cli import main
from antt.ingest import ingest_paths
from antt.ingest.issues import MAX_ISSUES

from .builders import (
    HOA_MINH,
    HOA_THUAN,
    LONG_HEADER,
    MO_HINH_HEADER,
    SU_VU_HEADER,
    write_csv,
)

GOOD = "CAH847_2023-06_chi_tieu.csv"
GOOD_ROWS = [LONG_HEADER, [HOA_MINH, "TP_MA_TUY", "1"]]
OTHER_ROWS = [LONG_HEADER, [HOA_MINH, "TP_MA_TUY", "2"]]


def register(db) -> list[tuple]:
    return db("SELECT submission_id, file_name, status FROM raw.submissions ORDER BY 1")


def load_landing(areas):
    return ingest_paths([areas.landing], areas, move_only_from_landing=True)


def landing_entries(areas) -> list[str]:
    return sorted(os.listdir(areas.landing))


# ----- 1. a long file name never stops the run


def test_a_long_file_name_is_rejected_filed_and_never_stops_the_run(warehouse_url, areas, db):
    long_name = "0" + "a" * 245 + ".csv"  # 250 bytes: the file system takes it, a report's name not
    write_csv(areas.landing, long_name, GOOD_ROWS)
    write_csv(areas.landing, GOOD, GOOD_ROWS)
    outcomes = {o.file_name: o for o in load_landing(areas)}
    assert outcomes[GOOD].status == "accepted"
    rejected = outcomes[long_name]
    assert rejected.status == "rejected" and rejected.moved_to.exists()
    assert rejected.report_path.exists() and len(rejected.report_path.name.encode()) <= 255
    report = json.loads(rejected.report_path.read_text(encoding="utf-8"))
    assert report["file"] == long_name  # the full name in the report and the register
    assert landing_entries(areas) == []
    before = register(db)
    assert [row[1:] for row in before] == [(long_name, "rejected"), (GOOD, "accepted")] or [
        row[1:] for row in before
    ] == [(GOOD, "accepted"), (long_name, "rejected")]
    assert load_landing(areas) == [] and register(db) == before  # a rerun adds nothing


def test_a_file_that_cannot_be_filed_fails_alone(warehouse_url, areas, db, monkeypatch):
    from antt.ingest import pipeline

    real = pipeline.move_file

    def full_disk(source, folder, submission_id, file_name):
        if source.name.startswith("CAH847_2023-06"):
            raise OSError(28, "No space left on device")
        return real(source, folder, submission_id, file_name)

    monkeypatch.setattr(pipeline, "move_file", full_disk)
    write_csv(areas.landing, GOOD, GOOD_ROWS)
    write_csv(areas.landing, "CAH847_2023-07_chi_tieu.csv", OTHER_ROWS)
    outcomes = {o.file_name: o for o in load_landing(areas)}
    assert outcomes[GOOD].status == "failed"
    assert "No space left" in outcomes[GOOD].failure
    assert outcomes["CAH847_2023-07_chi_tieu.csv"].status == "accepted"
    monkeypatch.setattr(pipeline, "move_file", real)
    (again,) = load_landing(areas)  # the next run files it under the submission it has
    assert (again.status, again.resumed) == ("accepted", True)
    assert [row[2] for row in register(db)] == ["accepted", "accepted"]


# ----- 3. symlinks and special files are refused, set aside, never read


def test_symlinks_and_special_files_in_landing_are_refused_and_set_aside(
    warehouse_url, areas, db, tmp_path
):
    secret = tmp_path / "secret.csv"
    secret.write_text("ma_xa,ma_chi_tieu,gia_tri\n29410,TP_MA_TUY,1\n", encoding="utf-8")
    (areas.landing / "CAH847_2023-06_chi_tieu.csv").symlink_to(secret)
    (areas.landing / "CAH847_2023-07_chi_tieu.csv").symlink_to("/etc/passwd")
    (areas.landing / "folder_link").symlink_to(tmp_path)
    os.mkfifo(areas.landing / "CAH847_2023-08_chi_tieu.csv")
    write_csv(areas.landing, "CAH847_2023-09_chi_tieu.csv", GOOD_ROWS)
    outcomes = {o.file_name: o for o in load_landing(areas)}
    assert outcomes["CAH847_2023-09_chi_tieu.csv"].status == "accepted"
    refused = {name: o for name, o in outcomes.items() if o.status == "refused"}
    assert set(refused) == {
        "CAH847_2023-06_chi_tieu.csv",
        "CAH847_2023-07_chi_tieu.csv",
        "CAH847_2023-08_chi_tieu.csv",
        "folder_link",
    }
    assert "symbolic link" in refused["folder_link"].failure
    assert "FIFO" in refused["CAH847_2023-08_chi_tieu.csv"].failure
    for outcome in refused.values():
        assert outcome.moved_to.parent == areas.quarantine / "not-regular-files"
        assert os.path.lexists(outcome.moved_to)
        report = json.loads(outcome.report_path.read_text(encoding="utf-8"))
        assert report["status"] == "refused"
    assert [row[1] for row in register(db)] == ["CAH847_2023-09_chi_tieu.csv"]  # none registered
    assert secret.exists() and landing_entries(areas) == []
    assert load_landing(areas) == [] and len(register(db)) == 1


def test_a_fifo_on_the_command_line_says_what_it_is(warehouse_url, areas, tmp_path, capsys):
    fifo = tmp_path / "CAH847_2023-06_chi_tieu.csv"
    os.mkfifo(fifo)
    assert main(["ingest", str(fifo)]) == 1
    captured = capsys.readouterr()
    assert "FIFO" in captured.out and "no such file" not in captured.out + captured.err
    assert fifo.exists()  # outside landing: left where it is


# ----- 4. runs that share a landing folder


def test_a_file_claimed_by_another_run_is_left_to_it(warehouse_url, areas, db):
    from antt.ingest.loader import LOCK_CLASS_FILE, lock_key

    write_csv(areas.landing, GOOD, GOOD_ROWS)
    write_csv(areas.landing, "CAH847_2023-07_chi_tieu.csv", OTHER_ROWS)
    with psycopg.connect(warehouse_url, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", (LOCK_CLASS_FILE, lock_key(GOOD)))
        outcomes = {o.file_name: o.status for o in load_landing(areas)}
        assert outcomes == {GOOD: "skipped", "CAH847_2023-07_chi_tieu.csv": "accepted"}
        assert landing_entries(areas) == [GOOD]
    (later,) = load_landing(areas)  # the claim ended with the other session
    assert (later.file_name, later.status) == (GOOD, "accepted")


KILLED_AFTER_COMMIT = """
import os, signal, sys
from pathlib import Path
from antt.config import file_areas
from antt.ingest import ingest_paths, pipeline

def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)  # after the commit, before the file is filed

pipeline.{target} = killed
areas = file_areas()
ingest_paths([areas.landing], areas, move_only_from_landing=True, workers=1)
"""


def _killed_run(target: str) -> int:
    script = textwrap.dedent(KILLED_AFTER_COMMIT.format(target=target))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, check=False)
    return proc.returncode


@pytest.mark.parametrize(
    ("name", "rows", "status", "killed_in"),
    [
        (GOOD, GOOD_ROWS, "accepted", "move_file"),
        (
            "CAH847_2023-06_chi_tieu.csv",
            [LONG_HEADER, [HOA_MINH, "TP_X", "1"]],
            "rejected",
            "write_rejection_report",
        ),
    ],
)
def test_after_kill_9_the_next_run_files_what_was_committed(
    warehouse_url, areas, db, name, rows, status, killed_in
):
    write_csv(areas.landing, name, rows)
    assert _killed_run(killed_in) == -9
    ((submission_id, _, registered),) = register(db)
    assert registered == status and landing_entries(areas) == [name]
    (outcome,) = load_landing(areas)
    assert (outcome.status, outcome.submission_id, outcome.resumed) == (status, submission_id, True)
    folder = areas.archive if status == "accepted" else areas.quarantine
    assert outcome.moved_to == folder / f"{submission_id}_{name}"
    assert len(register(db)) == 1 and landing_entries(areas) == []
    if status == "rejected":
        report = json.loads(outcome.report_path.read_text(encoding="utf-8"))
        assert [e["code"] for e in report["errors"]] == ["CODE_UNKNOWN"]
    # the same bytes sent again later are a duplicate (or a new rejection), as before
    write_csv(areas.landing, name, rows)
    (again,) = load_landing(areas)
    assert again.status == ("duplicate" if status == "accepted" else "rejected")
    assert not again.resumed


# ----- 5. NUL and control characters


@pytest.mark.parametrize(
    ("name", "rows", "column"),
    [
        (
            "CAH847_2023-06_su_vu.csv",
            [SU_VU_HEADER, ["SV1", "TRONG_AN", HOA_MINH, "2023-06-01", "", "", "", "a\x00b"]],
            "mo_ta",
        ),
        (
            "CAH847_2023-06_chi_tieu.csv",
            [[*LONG_HEADER, "ghi_chu"], [HOA_MINH, "TP_GIET_NGUOI", "0", "ghi\x00chú"]],
            "ghi_chu",
        ),
        (
            "CAH847_2023_mo_hinh.csv",
            [
                MO_HINH_HEADER,
                [
                    "M\x001",
                    HOA_MINH,
                    "Camera",
                    "CAMERA_AN_NINH",
                    "3",
                    "2023-01-01",
                    "HIEU_QUA",
                    "1",
                ],
            ],
            "ma_mo_hinh",
        ),
    ],
)
def test_nul_in_text_is_a_control_character_with_row_and_column(check, name, rows, column):
    out = check(name, rows)
    assert out.status == "rejected"
    assert [(e.code, e.row, e.column) for e in out.errors] == [("CONTROL_CHARACTER", 2, column)]
    assert "\x00" not in out.errors[0].value and "\\x00" in out.errors[0].value


def test_control_characters_in_a_file_name_are_shown_escaped(warehouse_url, areas, db, capsys):
    name = "CAH847_2023-06_chi_tieu\x1b[2J\x07.csv"
    write_csv(areas.landing, name, GOOD_ROWS)
    assert main(["ingest", str(areas.landing)]) == 1
    out = capsys.readouterr().out
    shown = "CAH847_2023-06_chi_tieu\\x1b[2J\\x07.csv"
    assert "\x1b" not in out and "\x07" not in out and "x1b" in out
    (row,) = register(db)
    assert row[1:] == (shown, "rejected")
    (report,) = areas.quarantine.glob("*.errors.json")
    (csv_report,) = areas.quarantine.glob("*.errors.csv")
    for text in (report.read_text(encoding="utf-8"), csv_report.read_text(encoding="utf-8-sig")):
        assert "\x1b" not in text and "\x07" not in text and "\\u001b" not in text
    assert json.loads(report.read_text(encoding="utf-8"))["file"] == shown


# ----- 6. bounded error lists, sheets read row by row


def test_errors_past_the_limit_are_counted_not_listed(warehouse_url, areas, db):
    total = MAX_ISSUES + 500
    rows = [LONG_HEADER] + [[HOA_MINH, f"TP_X{i}", "1"] for i in range(total)]
    write_csv(areas.landing, GOOD, rows)
    (out,) = load_landing(areas)
    assert out.status == "rejected" and out.error_count == total
    assert len(out.errors) == MAX_ISSUES + 1 and out.errors[-1].code == "TOO_MANY_ERRORS"
    assert f"{total:,}" in out.errors[-1].message_en
    report = json.loads(out.report_path.read_text(encoding="utf-8"))
    assert (report["error_count"], report["errors_listed"]) == (total, MAX_ISSUES)
    assert db("SELECT error_count FROM raw.submissions") == [(total,)]
    assert db("SELECT count(*) FROM audit.submission_errors") == [(MAX_ISSUES + 1,)]


def test_a_large_sheet_is_read_row_by_row(tmp_path):
    import openpyxl

    from antt.ingest.reading import file_facts, open_table

    communes = [HOA_MINH, HOA_THUAN] * 30_000
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("chi_tieu")
    sheet.append(LONG_HEADER)
    for i, xa in enumerate(communes):
        sheet.append([xa, "TP_MA_TUY", i])
    path = tmp_path / "CAH847_2023-06_chi_tieu.xlsx"
    workbook.save(path)
    facts = file_facts(path)
    tracemalloc.start()
    try:
        table = open_table(facts, "xlsx", "chi_tieu")
        count = sum(1 for _ in table.rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == len(communes)
    # 60,000 rows x 3 cells held at once are ~13 MB of Python objects; read a row at a time,
    # what remains is the zip check's bounded buffers (~5 MB, whatever the sheet's size).
    assert peak < 9_000_000, peak
