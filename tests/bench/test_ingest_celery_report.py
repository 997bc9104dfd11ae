"""(b)'s report (bench/ingest_celery.py): which part of the system a process is, and the table
of where each round's CPU went."""

from __future__ import annotations

import ingest_celery
import pytest


@pytest.mark.parametrize(
    ("command", "part"),
    [
        ("postgres: 15/main: antt_loader antt_bench_1 127.0.0.1(40000) COPY", "postgres"),
        ("airflow supervisor: 01a23287-2f9c-77b3-b696-659c50d22a54", "tasks"),
        ("[celeryd: celery@worker-a:ForkPoolWorker-1]", "tasks"),
        ("[celeryd: celery@worker-a:MainProcess] -active- (celery worker -c 2)", "celery_workers"),
        ("/venv/bin/python /venv/bin/airflow scheduler", "scheduler"),
        ("airflow api_server -- host:127.0.0.1 port:40173", "api_server"),
        ("/venv/bin/python /venv/bin/airflow dag-processor", "dag_processor"),
        # this script, and the CLI loading from its temporary folder, are not Celery workers
        ("/venv/bin/python bench/ingest_celery.py --sets year", None),
        ("/venv/bin/antt ingest --processes 1 /tmp/antt-bench-celery-year-x/landing", None),
    ],
)
def test_each_process_is_counted_in_its_part(command, part):
    assert ingest_celery.cpu_part(command) == part


def _round(seconds: float, cpu: dict | None, polled: float | None = None) -> dict:
    measured = {"seconds": seconds, "cpu_seconds": cpu}
    return measured | ({"polled_seconds": polled} if polled else {})


def test_the_cpu_table_gives_each_parts_median_and_the_cores_kept_busy():
    celery = [
        {"postgres": 3.0, "tasks": 3.0, "scheduler": 0.5},
        {"postgres": 4.0, "tasks": 2.0, "scheduler": 0.4},
        {"postgres": 5.0, "tasks": 2.5, "scheduler": 0.6},
    ]
    single = [{"postgres": 3.5, "client": 3.0, "scheduler": 0.2}] * 3
    rounds = [
        {"celery": _round(4.9, c, polled=5.0), "single_cli_p1": _round(4.0, s)}
        for c, s in zip(celery, single, strict=True)
    ]
    lines = ingest_celery.cpu_lines({"sets": {"year": {"rounds": rounds}}})
    header = next(line for line in lines if line.startswith("| set |"))
    assert header == (
        "| set | run | PostgreSQL | `antt ingest` | tasks | scheduler | sum | wall s | cores busy |"
    )
    assert "| year | Celery | 4.00 | 0.00 | 2.50 | 0.50 | 7.00 | 5.0 | 1.40 |" in lines
    assert "| year | `--processes 1` | 3.50 | 3.00 | 0.00 | 0.20 | 6.70 | 4.0 | 1.68 |" in lines


def test_rounds_measured_without_proc_leave_the_cpu_table_out():
    rounds = [{"celery": _round(5.0, None), "single_cli_p1": _round(4.0, None)}]
    assert ingest_celery.cpu_lines({"sets": {"year": {"rounds": rounds}}}) == []


def test_the_single_load_beside_the_idle_cluster_has_its_column():
    r = {
        "celery_median_s": 4.5,
        "single_cli_p1_cluster_idle_median_s": 5.0,
        "ratios_cluster_idle": [0.9, 0.88, 0.95],
    }
    assert ingest_celery._beside_idle(r) == "5.0, 0.90 (0.90, 0.88, 0.95)"
    assert ingest_celery._beside_idle({"celery_median_s": 4.5}) == "-"  # measured before it was


def test_a_paused_cluster_is_stopped_for_the_block_and_resumed_after_it_even_on_error():
    import signal

    class Process:
        def __init__(self):
            self.signals: list[tuple[int, bool]] = []

        def signal(self, sig: int, group: bool) -> None:
            self.signals.append((sig, group))

    class Cluster:
        processes = [Process(), Process()]

    cluster = Cluster()
    with pytest.raises(RuntimeError), ingest_celery.paused(cluster):
        assert all(p.signals == [(signal.SIGSTOP, True)] for p in cluster.processes)
        raise RuntimeError("the load failed")
    for process in cluster.processes:
        assert process.signals == [(signal.SIGSTOP, True), (signal.SIGCONT, True)]
