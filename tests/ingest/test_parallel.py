"""`ingest_paths` with several workers gives the outcome of a one-by-one load."""

from __future__ import annotations

import psycopg
import pytest

from antt.ingest import ingest_paths
from antt.ingest.plan import lanes

from .builders import HOA_MINH, HOA_THUAN, SU_VU_HEADER, write_csv

HEADER = ["ma_xa", "ma_chi_tieu", "gia_tri"]
# threads in this process, and the same workers spread over forked processes
SIDE_BY_SIDE = pytest.mark.parametrize(
    "spread", [{"workers": 2}, {"workers": 4, "processes": 2}], ids=["threads", "processes"]
)


def batch(folder):
    """Files whose outcome depends on order: versions, equal bytes, a su_vu chain, rejects."""
    files = []
    for month in range(1, 9):
        files.append(
            write_csv(
                folder,
                f"CAH847_2023-{month:02d}_chi_tieu.csv",
                [HEADER, [HOA_MINH, "TP_MA_TUY", str(month)]],
            )
        )
    v2 = folder / "v2"
    v2.mkdir()
    files.append(
        write_csv(v2, "CAH847_2023-03_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "30"]])
    )
    files.append(write_csv(v2, "CAH847_2023-03_chi_tieu.xlsx.csv", [HEADER]))  # bad name
    # same bytes as the 2023-05 file under another scope's name: a duplicate of it
    files.append(
        write_csv(v2, "CAT84_2023-05_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "5"]])
    )
    files.append(
        write_csv(
            v2,
            "CAH847_2023-06_su_vu.csv",
            [SU_VU_HEADER, ["X", "DIEM_NONG", HOA_MINH, "2023-06-03", "", "", "", ""]],
        )
    )
    files.append(
        write_csv(
            v2,
            "CAH847_2023-07_su_vu.csv",
            [
                SU_VU_HEADER,
                ["X", "DIEM_NONG", HOA_MINH, "2023-06-03", "2023-07-01", "", "", ""],
                ["Y", "TRONG_AN", HOA_THUAN, "2023-07-09", "", "", "", ""],
            ],
        )
    )
    files.append(write_csv(v2, "CAH847_2023-03_chi_tieu.csv.x", [HEADER]))
    return files


def summary(outcomes):
    by_id = {o.submission_id: o.path.relative_to(o.path.parents[1]).as_posix() for o in outcomes}
    return [
        (
            o.path.name,
            o.status,
            by_id.get(o.replaces_submission_id),
            by_id.get(o.duplicate_of_submission_id),
            o.row_count,
        )
        for o in outcomes
    ]


def test_lanes_join_scopes_and_equal_bytes(tmp_path):
    files = batch(tmp_path)
    groups = lanes(files)
    index = {f.relative_to(tmp_path).as_posix(): i for i, f in enumerate(files)}
    group_of = {i: g for g in groups for i in g}
    assert (
        group_of[index["CAH847_2023-03_chi_tieu.csv"]]
        == group_of[index["v2/CAH847_2023-03_chi_tieu.csv"]]
    )
    assert (
        group_of[index["CAH847_2023-05_chi_tieu.csv"]]
        == group_of[index["v2/CAT84_2023-05_chi_tieu.csv"]]
    )
    assert (
        group_of[index["v2/CAH847_2023-06_su_vu.csv"]]
        == group_of[index["v2/CAH847_2023-07_su_vu.csv"]]
    )
    assert (
        group_of[index["CAH847_2023-01_chi_tieu.csv"]]
        != group_of[index["CAH847_2023-02_chi_tieu.csv"]]
    )
    assert all(g == sorted(g) for g in groups)
    assert sorted(i for g in groups for i in g) == list(range(len(files)))


@SIDE_BY_SIDE
def test_parallel_load_equals_one_by_one_load(
    warehouse_url, make_database, areas, tmp_path, monkeypatch, spread
):
    from antt.bootstrap import init_database

    files = batch(tmp_path)
    seen = []
    parallel = ingest_paths(files, areas, move=False, on_result=seen.append, **spread)
    assert [o.path for o in parallel] == files  # outcomes come back in the order given
    assert sorted(o.submission_id for o in seen) == sorted(o.submission_id for o in parallel)
    other = make_database()
    init_database(other)
    monkeypatch.setenv("ANTT_WAREHOUSE_URL", other)
    sequential = ingest_paths(files, areas, move=False, workers=1)
    assert summary(parallel) == summary(sequential)
    statuses = {o.path.relative_to(tmp_path).as_posix(): o.status for o in parallel}
    assert statuses["v2/CAT84_2023-05_chi_tieu.csv"] == "duplicate"
    assert statuses["v2/CAH847_2023-07_su_vu.csv"] == "accepted"
    assert statuses["v2/CAH847_2023-03_chi_tieu.xlsx.csv"] == "rejected"
    with psycopg.connect(warehouse_url) as conn:
        assert conn.execute("SELECT count(*) FROM raw.submissions").fetchone()[0] == len(files)


@SIDE_BY_SIDE
def test_a_worker_failure_is_raised(warehouse_url, areas, tmp_path, monkeypatch, spread):
    """A lost warehouse stops the run (raised in the caller's thread)."""
    from antt.errors import WarehouseUnavailable
    from antt.ingest import pipeline

    files = batch(tmp_path)
    real = pipeline.file_facts

    def failing(path):
        if path == files[3]:
            raise WarehouseUnavailable("cannot connect to the warehouse: gone")
        return real(path)

    monkeypatch.setattr(pipeline, "file_facts", failing)
    with pytest.raises(WarehouseUnavailable, match="gone"):
        ingest_paths(files, areas, move=False, **spread)


@SIDE_BY_SIDE
def test_an_unreadable_file_fails_alone(warehouse_url, areas, tmp_path, monkeypatch, spread):
    """A file that cannot be read is reported and the other files still load (issue 15)."""
    from antt.ingest import pipeline

    files = batch(tmp_path)
    real = pipeline.file_facts

    def failing(path):
        if path == files[3]:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(pipeline, "file_facts", failing)
    outcomes = ingest_paths(files, areas, move=False, **spread)
    assert [o.status for o in outcomes].count("failed") == 1
    failed = next(o for o in outcomes if o.status == "failed")
    assert failed.path == files[3] and "cannot read" in failed.failure
    assert all(o.status != "failed" for o in outcomes if o.path != files[3])
