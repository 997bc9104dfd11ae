"""`antt ingest PATH...`: one line per file, a total, exit 1 when anything was rejected."""

from __future__ import annotations

import pytest

from antt.cli import main

from .builders import HOA_MINH, write_csv

HEADER = ["ma_xa", "ma_chi_tieu", "gia_tri"]


def test_ingest_command_lines_total_and_exit_codes(warehouse_url, areas, capsys):
    good = write_csv(
        areas.landing, "CAH847_2023-06_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]]
    )
    assert main(["ingest", str(good)]) == 0
    out = capsys.readouterr().out
    assert "accepted" in out and "CAH847_2023-06_chi_tieu.csv" in out and "1 rows" in out
    assert "total: 1 file(s): 1 accepted, 0 duplicate, 0 rejected" in out
    assert not good.exists()  # landing files move to the archive

    again = write_csv(
        areas.landing, "CAH847_2023-06_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]]
    )
    bad = write_csv(areas.landing, "CAH847_2023-07_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_X", "1"]])
    assert main(["ingest", str(again), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "duplicate" in out and "nothing changed" in out
    assert "rejected" in out and "is not in the list" in out and "row 2" in out
    assert ".errors.json" in out
    assert "1 duplicate, 1 rejected" in out


def test_ingest_command_leaves_files_outside_landing(warehouse_url, areas, tmp_path, capsys):
    outside = write_csv(
        tmp_path, "CAH847_2023-06_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]]
    )
    assert main(["ingest", str(outside)]) == 0
    assert outside.exists()


@pytest.mark.parametrize("processes", [[], ["--processes", "1"], ["--processes", "2"]])
def test_ingest_command_many_files_with_progress(warehouse_url, areas, capsys, processes):
    for month in range(1, 13):
        write_csv(
            areas.landing,
            f"CAH847_2023-{month:02d}_chi_tieu.csv",
            [HEADER, [HOA_MINH, "TP_MA_TUY", str(month)]],
        )
    assert main(["ingest", *processes, str(areas.landing)]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("accepted")]
    assert len(lines) == 12
    # folder order (sorted names), whichever connection or process loaded each file
    assert [line.split()[1] for line in lines] == [
        f"CAH847_2023-{month:02d}_chi_tieu.csv" for month in range(1, 13)
    ]
    assert "12 accepted" in out


def test_ingest_command_refuses_fewer_than_one_process(warehouse_url, areas, capsys):
    path = write_csv(
        areas.landing, "CAH847_2023-06_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]]
    )
    assert main(["ingest", "--processes", "0", str(path)]) == 2
    assert "--processes" in capsys.readouterr().err
    assert path.exists()


def test_ingest_command_missing_path_is_one_line_error(warehouse_url, areas, capsys):
    assert main(["ingest", "/nonexistent/CAH847_2023-06_chi_tieu.csv"]) == 1
    err = capsys.readouterr().err
    assert "no such file or folder" in err and "Traceback" not in err


def test_ingest_command_uninitialised_warehouse(make_database, monkeypatch, areas, capsys):
    monkeypatch.setenv("ANTT_WAREHOUSE_URL", make_database())
    path = write_csv(
        areas.landing, "CAH847_2023-06_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]]
    )
    assert main(["ingest", str(path)]) == 1
    assert "antt db init" in capsys.readouterr().err
    assert path.exists()
    # several files, loaded by processes: the same one-line error before any process starts
    other = write_csv(
        areas.landing, "CAH847_2023-07_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]]
    )
    assert main(["ingest", "--processes", "2", str(areas.landing)]) == 1
    err = capsys.readouterr().err
    assert "antt db init" in err and "Traceback" not in err
    assert path.exists() and other.exists()
