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


def test_timed_records_the_share_of_cpu_time_the_hypervisor_took(monkeypatch):
    readings = iter([(100, 1_000), (130, 1_200)])  # (steal, all) ticks before and after
    monkeypatch.setattr(benchlib, "_machine_ticks", lambda: next(readings))
    with benchlib.timed() as box:
        pass
    assert box["steal_share"] == 0.15  # 30 of the 200 ticks that passed


def test_timed_without_proc_stat_records_no_steal_share(monkeypatch):
    monkeypatch.setattr(benchlib, "_machine_ticks", lambda: None)
    with benchlib.timed() as box:
        pass
    assert "steal_share" not in box and box["seconds"] >= 0


def test_machine_ticks_reads_steal_and_the_sum_of_the_cpu_line():
    steal, total = benchlib._machine_ticks()
    assert 0 <= steal <= total


def test_processes_started_by_a_benchmark_may_cache_their_bytecode():
    import os
    import sys

    env = os.environ | {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(benchlib.BENCH_DIR)}
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, benchlib; print('PYTHONDONTWRITEBYTECODE' in os.environ)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.strip() == "False"


def test_steal_pct_in_per_cent_or_a_dash():
    assert benchlib.steal_pct({"steal_share": 0.254}) == "25"
    assert benchlib.steal_pct({}) == "-"


def test_machine_load_keeps_the_load_averages_and_the_steal_share_of_a_phase():
    box = {"seconds": 2.0, "loadavg_before": 1.5, "loadavg_after": 1.7, "steal_share": 0.12}
    assert benchlib.machine_load(box) == {
        "loadavg_before": 1.5,
        "loadavg_after": 1.7,
        "steal_share": 0.12,
    }
    assert benchlib.machine_load({"loadavg_before": 1, "loadavg_after": 1})["steal_share"] is None


def test_cpu_by_component_counts_what_each_part_used_between_two_snapshots():
    before = {1: ("postgres: main: checkpointer", 2.0, 10.0), 2: ("airflow scheduler", 5.0, 0.0)}
    after = {
        1: ("postgres: main: checkpointer", 2.5, 11.0),  # its own and its reaped children's
        2: ("airflow scheduler", 5.25, 0.0),
        3: ("postgres: main: antt_loader", 0.75, 0.0),  # started in between: all of its time
        4: ("bash", 9.0, 9.0),  # not one of the parts
    }
    part = {"postgres": "postgres", "airflow": "scheduler"}

    def component_of(command: str) -> str | None:
        return part.get(command.split(":")[0].split(" ")[0])

    assert benchlib.cpu_by_component(before, after, component_of) == {
        "postgres": 2.25,
        "scheduler": 0.25,
    }
    assert benchlib.cpu_by_component(None, after, component_of) is None


def test_process_cpu_counts_a_reaped_child_in_its_parent():
    import os
    import sys

    before = benchlib.process_cpu()
    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    subprocess.run([sys.executable, "-c", burn], check=True)
    after = benchlib.process_cpu()
    command, own, children = after[os.getpid()]
    assert command and own >= before[os.getpid()][1]
    assert children - before[os.getpid()][2] >= 0.25


def test_is_postgres_knows_the_postmaster_and_its_children_by_their_command_lines():
    assert benchlib.is_postgres("/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15")
    assert benchlib.is_postgres("postgres: 15/main: antt_loader antt 127.0.0.1(4242) COPY")
    assert benchlib.is_postgres("/x/pgserver/pginstall/bin/postgres -D /x/pgdata")
    assert not benchlib.is_postgres("psql -U postgres")
    assert not benchlib.is_postgres("/venv/bin/python bench/postgres_things.py")


def test_timed_with_parts_records_the_cpu_each_part_used_in_the_block():
    import sys

    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    with benchlib.timed(lambda command: "all") as t:
        subprocess.run([sys.executable, "-c", burn], check=True)
    assert t["cpu_seconds"]["all"] >= 0.25  # the child, reaped by this process in the block
    with benchlib.timed() as t:
        pass
    assert "cpu_seconds" not in t
