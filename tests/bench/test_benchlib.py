"""What the benchmark scripts share (bench/benchlib.py): result files, report lines, commits."""

from __future__ import annotations

import json
import subprocess

import benchlib

MACHINE = {
    "timestamp_utc": "2026-11-30T15:00:00+00:00",
    "cpu_count": 2,
    "cpu": "Some CPU",
    "postgres": "15.8",
    "postgres_server": "url",
    "git_commit": "abc1234",
}


def test_write_results_writes_json_and_report_and_prints_it(tmp_path, capsys):
    benchlib.write_results(tmp_path / "out", "thing", {"seconds": 1.5}, "# report\n")
    assert json.loads((tmp_path / "out" / "thing.json").read_text()) == {"seconds": 1.5}
    assert (tmp_path / "out" / "thing.md").read_text() == "# report\n"
    assert "# report" in capsys.readouterr().out


def test_machine_line_names_where_and_what_was_measured():
    line = benchlib.machine_line(MACHINE)
    assert line.startswith("Measured 2026-11-30T15:00:00+00:00 on 2 x Some CPU")
    assert "PostgreSQL 15.8 (url)" in line and line.endswith("commit abc1234")


def test_git_commit_of_another_clone(tmp_path):
    repo = tmp_path / "clone"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert benchlib._git_commit(repo) is None  # no commit yet
    subprocess.run(
        [
            "git",
            "-C",
            str(repo),
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "one",
        ],
        check=True,
    )
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert benchlib._git_commit(repo) == head != benchlib._git_commit()
    (repo / "tracked.txt").write_text("1")
    assert benchlib._git_commit(repo) == head  # an untracked file is not a change of the code
    subprocess.run(["git", "-C", str(repo), "add", "tracked.txt"], check=True)
    assert benchlib._git_commit(repo) == f"{head}+changes"
