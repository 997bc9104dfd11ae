"""Reliability: a hostile landing folder loaded by two concurrent `antt ingest` runs while a third
is killed with SIGKILL at a random moment, round after round (fixed seed, bounded rounds).

Afterwards every file is in exactly one place, every register row points at its file, and what
the marts are built from (the current accepted version of every scope, row by row) equals a
clean single load of the valid files. The valid files have distinct scopes, so the order in
which concurrent runs accept them cannot matter; versions of one scope loaded at once are
ordered by the scope lock, which `test_concurrency.py` covers.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from antt.config import FileAreas
from antt.ingest import ingest_paths
from antt.ingest.areas import shown_name, stored_name
from warehouse_copies import copied_warehouse

from .builders import HOA_MINH, HOA_THUAN, HUNG_MY, LONG_HEADER, write_file

SEED = 15
ROUNDS = 3
VALID_PER_ROUND = 6
ANTT = Path(sys.executable).parent / "antt"
INDICATORS = ("TP_MA_TUY", "TP_GIET_NGUOI", "TP_CUOP_TAI_SAN")
RUN_TIMEOUT_S = 120


def valid_files(round_no: int, rng: random.Random) -> dict[str, list]:
    """Files of distinct scopes (unit CAH847, one month each), CSV and XLSX."""
    files = {}
    for j in range(VALID_PER_ROUND):
        month = round_no * VALID_PER_ROUND + j
        period = f"{2020 + month // 12}-{month % 12 + 1:02d}"
        ext = "xlsx" if j == 0 else "csv"
        rows = [LONG_HEADER] + [
            [xa, code, str(rng.randint(0, 9))]
            for xa in (HOA_MINH, HOA_THUAN, HUNG_MY)
            for code in INDICATORS
        ]
        files[f"r{round_no}/CAH847_{period}_chi_tieu.{ext}"] = rows
    return files


def hostile_files(round_no: int, valid: dict[str, list]) -> dict[str, list]:
    """Regular files that must be rejected (or be duplicates): names and content."""
    first_valid = next(name for name in valid if name.endswith(".csv"))
    return {
        f"r{round_no}/{round_no}" + "x" * 240 + ".csv": valid[first_valid],
        f"r{round_no}/CAH847_2019-0{round_no + 1}_chi_tieu\x1b[31m\x07.csv": valid[first_valid],
        f"r{round_no}/report\u202evsc.{round_no}.exe": [["a"], ["b"]],
        f"r{round_no}/copy of {Path(first_valid).name}": valid[first_valid],
        f"r{round_no}/CAH847_2019-0{round_no + 1}_chi_tieu.csv": [
            LONG_HEADER,
            [HOA_MINH, "TP_X", "1"],
            [HOA_MINH, "TP_MA_TUY", "ghi\x00chú"],
        ],
    }


def special_files(round_no: int, landing: Path, outside: Path) -> list[Path]:
    folder = landing / f"r{round_no}"
    folder.mkdir(parents=True, exist_ok=True)
    secret = outside / f"secret{round_no}.csv"
    secret.write_text("ma_xa,ma_chi_tieu,gia_tri\n29410,TP_MA_TUY,7\n", encoding="utf-8")
    made = [
        folder / f"CAH847_2018-0{round_no + 1}_chi_tieu.csv",  # a symlink to valid content
        folder / f"CAH847_2017-0{round_no + 1}_chi_tieu.csv",
        folder / f"dir_link{round_no}",
        folder / f"CAH847_2016-0{round_no + 1}_chi_tieu.csv",
    ]
    made[0].symlink_to(secret)
    made[1].symlink_to("/etc/passwd")
    made[2].symlink_to(outside)
    os.mkfifo(made[3])
    return made


def run_env(home: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTT_")}
    env.update(ANTT_HOME=str(home), ANTT_WAREHOUSE_URL=url)
    return env


def current_versions(url: str) -> list[tuple]:
    """The rows of the newest accepted version of every scope: what dbt builds the marts from."""
    with psycopg.connect(url) as conn:
        return conn.execute(
            "WITH current AS ("
            "  SELECT DISTINCT ON (unit_code, dataset, period) submission_id, unit_code, period"
            "  FROM raw.submissions WHERE status = 'accepted'"
            "  ORDER BY unit_code, dataset, period, accepted_at DESC, submission_id DESC)"
            " SELECT c.unit_code, c.period, t.source_row, t.ma_xa, t.ma_chi_tieu, t.gia_tri"
            " FROM raw.chi_tieu t JOIN current c USING (submission_id) ORDER BY 1, 2, 3, 4, 5"
        ).fetchall()


def test_concurrent_and_killed_runs_leave_every_file_in_one_place(
    warehouse_url, initialised_template, pg_admin_url, antt_home, tmp_path
):
    rng = random.Random(SEED)
    home = antt_home
    landing = home / "landing"
    outside = tmp_path / "outside"
    outside.mkdir()
    env = run_env(home, warehouse_url)
    regular: dict[str, list] = {}  # relative path -> rows, every regular file given
    valid: dict[str, list] = {}
    specials: list[Path] = []
    kills = []
    for round_no in range(ROUNDS):
        batch = valid_files(round_no, rng)
        valid.update(batch)
        regular.update(batch)
        regular.update(hostile_files(round_no, batch))
        for rel, rows in {**batch, **hostile_files(round_no, batch)}.items():
            (landing / rel).parent.mkdir(parents=True, exist_ok=True)
            write_file((landing / rel).parent, Path(rel).name, rows)
        specials += special_files(round_no, landing, outside)
        runs = [
            subprocess.Popen(
                [str(ANTT), "ingest", str(landing)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        delay = rng.uniform(0.2, 4.0)
        time.sleep(delay)
        runs[2].send_signal(signal.SIGKILL)
        kills.append(round(delay, 2))
        for run in runs:
            _, err = run.communicate(timeout=RUN_TIMEOUT_S)
            assert "Traceback" not in (err or ""), err
    # the next run finishes whatever a killed run committed
    final = subprocess.run(
        [str(ANTT), "ingest", str(landing)], env=env, capture_output=True, text=True, check=False
    )
    assert "Traceback" not in final.stderr, final.stderr

    # every file left landing: nothing is read twice, nothing is stuck
    left = [p for p in landing.rglob("*") if not p.is_dir() or p.is_symlink()]
    assert left == [], (kills, left)

    # every register row points at its file, and every regular file has exactly one row
    archive, quarantine = home / "archive", home / "quarantine"
    with psycopg.connect(warehouse_url) as conn:
        register = conn.execute(
            "SELECT submission_id, file_name, status FROM raw.submissions ORDER BY 1"
        ).fetchall()
    folder = {"accepted": archive, "duplicate": archive / "duplicates", "rejected": quarantine}
    for sid, file_name, status in register:
        stored = folder[status] / stored_name(sid, file_name)
        assert stored.exists(), (sid, file_name, status, kills)
        if status == "rejected":
            assert stored.with_name(stored.name + ".errors.json").exists()
    names = sorted(shown_name(Path(rel).name) for rel in regular)
    assert sorted(row[1] for row in register) == names, kills

    # every file is in exactly one place: the filed regular files, the refused specials
    filed = [p for p in archive.rglob("*") if p.is_file()]
    filed += [p for p in quarantine.glob("*") if p.is_file() and ".errors." not in p.name]
    assert len(filed) == len(register)
    refused = [
        p for p in (quarantine / "not-regular-files").iterdir() if not p.name.endswith(".json")
    ]
    assert len(refused) == len(specials)
    assert all((outside / f"secret{r}.csv").exists() for r in range(ROUNDS))

    # what the marts are built from equals a clean single load of the valid files
    clean_landing = tmp_path / "clean"
    for rel, rows in valid.items():
        (clean_landing / rel).parent.mkdir(parents=True, exist_ok=True)
        write_file((clean_landing / rel).parent, Path(rel).name, rows)
    clean_areas = FileAreas(
        *(tmp_path / "clean_areas" / k for k in ("landing", "archive", "quarantine", "published"))
    ).ensure()
    with copied_warehouse(pg_admin_url, initialised_template) as clean_url:
        outcomes = ingest_paths([clean_landing], clean_areas, move=False, workers=1)
        assert {o.status for o in outcomes} == {"accepted"}, [o.errors[:1] for o in outcomes]
        expected = current_versions(clean_url)
    assert len(expected) == ROUNDS * VALID_PER_ROUND * 9
    assert current_versions(warehouse_url) == expected, kills
