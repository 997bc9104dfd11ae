"""Concurrent loads (locks) and a load killed with SIGKILL in the middle of its COPY."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

from antt.bootstrap import read_admin_units
from antt.ingest import ingest_file
from antt.ingest.filename import parse_file_name
from antt.ingest.loader import LOCK_CLASS_SCOPE, lock_key, scope_lock_text
from antt.ingest.reference import INDICATORS

from .builders import HOA_MINH, write_csv

HEADER = ["ma_xa", "ma_chi_tieu", "gia_tri"]


def big_province_file(folder: Path, province: str = "01", period: str = "2023-06") -> Path:
    communes = [c[0] for c in read_admin_units()[2] if c[2] == province]
    rows = [HEADER] + [[c, ind, str(i % 7)] for i, c in enumerate(communes) for ind in INDICATORS]
    return write_csv(folder, f"CAT{province}_{period}_chi_tieu.csv", rows)


def run_together(*jobs):
    """Start the jobs in threads at the same moment; return their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def worker(i, job):
        barrier.wait()
        try:
            results[i] = job()
        except BaseException as exc:  # surfaced in the assertion below
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_same_file_loaded_twice_at_once_gives_one_accepted_one_duplicate(warehouse_url, areas, db):
    path = big_province_file(areas.landing, "84")
    copy = areas.landing / "copy"
    copy.mkdir()
    twin = copy / path.name
    twin.write_bytes(path.read_bytes())
    outcomes = run_together(
        lambda: ingest_file(path, areas, move=False), lambda: ingest_file(twin, areas, move=False)
    )
    assert sorted(o.status for o in outcomes) == ["accepted", "duplicate"], outcomes
    accepted = next(o for o in outcomes if o.status == "accepted")
    duplicate = next(o for o in outcomes if o.status == "duplicate")
    assert duplicate.duplicate_of_submission_id == accepted.submission_id
    assert db("SELECT count(DISTINCT submission_id) FROM raw.chi_tieu") == [(1,)]


def test_two_versions_of_a_scope_at_once_are_serialized(warehouse_url, areas, db):
    a = write_csv(
        areas.landing, "CAH847_2023-06_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]]
    )
    sub = areas.landing / "b"
    sub.mkdir()
    b = write_csv(sub, "CAH847_2023-06_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "2"]])
    outcomes = run_together(
        lambda: ingest_file(a, areas, move=False), lambda: ingest_file(b, areas, move=False)
    )
    assert [o.status for o in outcomes] == ["accepted", "accepted"], outcomes
    first, second = sorted(outcomes, key=lambda o: o.submission_id)
    # the one accepted later replaces the one accepted first, never both "first"
    assert {o.replaces_submission_id for o in outcomes} == {None, first.submission_id}
    order = db("SELECT submission_id FROM raw.submissions ORDER BY accepted_at")
    assert [r[0] for r in order][0] == next(
        o.submission_id for o in outcomes if o.replaces_submission_id is None
    )


def test_different_files_never_wait_for_a_busy_scope(warehouse_url, areas):
    busy = write_csv(
        areas.landing, "CAH847_2023-06_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]]
    )
    other = write_csv(
        areas.landing, "CAH847_2023-07_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "2"]]
    )
    key = lock_key(scope_lock_text(parse_file_name(busy.name)))
    with psycopg.connect(warehouse_url) as holder:
        # Another load of the June scope is "in progress": it holds the scope lock.
        holder.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_CLASS_SCOPE, key))
        results: dict[str, object] = {}
        waiting = threading.Thread(
            target=lambda: results.update(busy=ingest_file(busy, areas, move=False))
        )
        waiting.start()
        started = time.monotonic()
        results["other"] = ingest_file(other, areas, move=False)
        assert time.monotonic() - started < 10
        assert results["other"].status == "accepted"
        # The June load waits on the scope lock: the server shows its advisory lock not granted.
        dbname = warehouse_url.rsplit("/", 1)[1]
        waits = 0
        deadline = time.monotonic() + 30
        while waits == 0 and time.monotonic() < deadline and waiting.is_alive():
            waits = holder.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
                " WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = %s",
                (dbname,),
            ).fetchone()[0]
            time.sleep(0.02)
        assert waits == 1, "the same scope must wait on its lock for the running load"
        assert waiting.is_alive() and "busy" not in results
        holder.rollback()
    waiting.join(timeout=30)
    assert results["busy"].status == "accepted"


KILLABLE = """
import sys, time
from pathlib import Path
import psycopg

write = psycopg.Copy.write

def slow_write(self, buffer):  # slow the load down so the test can kill it mid-COPY
    write(self, buffer)
    self._pgconn.flush()
    time.sleep(0.3)

psycopg.Copy.write = slow_write
from antt.ingest import ingest_file
ingest_file(Path(sys.argv[1]))
print("finished")
"""


def test_sigkill_during_copy_leaves_no_partial_data(warehouse_url, areas, db, tmp_path):
    path = big_province_file(areas.landing)  # Hà Nội: 526 communes × 22 indicators
    script = tmp_path / "killable.py"
    script.write_text(KILLABLE)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    dbname = warehouse_url.rsplit("/", 1)[1]
    copied = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        rows = db(
            "SELECT tuples_processed FROM pg_stat_progress_copy p"
            " JOIN pg_database d ON d.oid = p.datid WHERE d.datname = %s",
            (dbname,),
        )
        if rows and rows[0][0] > 0:
            copied = rows[0][0]
            break
        time.sleep(0.02)
    assert copied > 0, proc.communicate()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # the server notices the dead client and rolls its transaction back
    deadline = time.monotonic() + 30
    while (
        db(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND query LIKE 'COPY%%'",
            (dbname,),
        )[0][0]
        and time.monotonic() < deadline
    ):
        time.sleep(0.05)
    assert db("SELECT count(*) FROM raw.submissions") == [(0,)]
    assert db("SELECT count(*) FROM raw.chi_tieu") == [(0,)]
    assert path.exists(), "the file must stay in landing until its load commits"
    expected = len(path.read_text().splitlines()) - 1
    again = ingest_file(path, areas)
    assert again.status == "accepted" and again.row_count == expected
    assert db("SELECT count(*) FROM raw.chi_tieu") == [(again.row_count,)]
