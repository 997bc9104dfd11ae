"""`antt ingest PATH...`: one line per file, a progress bar for many files, a total line."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from antt.config import file_areas
from antt.ingest.pipeline import IngestOutcome, default_processes, expand_paths, ingest_paths

PROGRESS_FROM_FILES = 10


def outcome_line(outcome: IngestOutcome) -> str:
    name = escape(outcome.file_name)  # control characters already escaped (shown_name)
    sid = outcome.submission_id
    resumed = " (filed after an interrupted run)" if outcome.resumed else ""
    if outcome.status == "refused":
        where = (
            f" → moved to {escape(str(outcome.moved_to))}"
            if outcome.moved_to
            else " (left in place)"
        )
        return f"[red]refused[/]   {name}: {escape(outcome.failure or '')}{where}"
    if outcome.status == "skipped":
        return f"[dim]skipped[/]   {name}: {escape(outcome.failure or '')}"
    if outcome.status == "failed":
        return f"[red]failed[/]    {escape(outcome.failure or name)}"
    if outcome.status == "accepted":
        replaces = (
            f", replaces #{outcome.replaces_submission_id}"
            if outcome.replaces_submission_id
            else ""
        )
        return (
            f"[green]accepted[/]  {name}  #{sid}: {outcome.row_count or 0:,} rows{replaces}"
            f"{resumed}"
        )
    if outcome.status == "duplicate":
        return (
            f"[yellow]duplicate[/] {name}  #{sid}: same bytes as accepted "
            f"#{outcome.duplicate_of_submission_id}, nothing changed{resumed}"
        )
    first = outcome.first_error
    where = f" ({escape(first.where())})" if first and first.where() else ""
    message = escape(first.message_en) if first else "rejected"
    count = outcome.error_count or len(outcome.errors)
    label = "1 error" if count == 1 else f"{count:,} errors, first"
    return (
        f"[red]rejected[/]  {name}  #{sid}: {label}: {message}{where}"
        f" → report {escape(str(outcome.report_path))}{resumed}"
    )


class _InOrder:
    """Prints outcome lines in the order the files were given, whatever order they finish in."""

    def __init__(self, files: list[Path], show: Callable[[IngestOutcome], None]):
        self.position = {path: i for i, path in enumerate(files)}
        self.finished: dict[int, IngestOutcome] = {}
        self.next = 0
        self.show = show

    def __call__(self, outcome: IngestOutcome) -> None:
        self.finished[self.position[outcome.path]] = outcome
        while self.next in self.finished:
            self.show(self.finished.pop(self.next))
            self.next += 1


ATTENTION = ("rejected", "refused", "failed")


def run_ingest(console: Console, paths: list[str], processes: int | None = None) -> dict[str, int]:
    """Ingest; files outside the landing area stay where they are. Returns the count of files
    per status that need the operator's attention (`ATTENTION`). `processes`: loader processes
    (default `default_processes()`: the cores this process may use)."""
    areas = file_areas()
    files = expand_paths([Path(p) for p in paths])
    processes = default_processes() if processes is None else processes
    started = time.perf_counter()

    def load(show: Callable[[IngestOutcome], None]) -> list[IngestOutcome]:
        return ingest_paths(
            files,
            areas,
            on_result=_InOrder(files, show),
            move_only_from_landing=True,
            processes=processes,
        )

    if len(files) >= PROGRESS_FROM_FILES:
        with Progress(
            TextColumn("ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("ingest", total=len(files))

            def advance(outcome: IngestOutcome) -> None:
                progress.console.print(outcome_line(outcome), highlight=False, soft_wrap=True)
                progress.advance(task)

            outcomes = load(advance)
    else:
        outcomes = load(
            lambda outcome: console.print(outcome_line(outcome), highlight=False, soft_wrap=True)
        )
    elapsed = time.perf_counter() - started
    statuses = ("accepted", "duplicate", "rejected", "refused", "skipped", "failed")
    counts = {s: sum(o.status == s for o in outcomes) for s in statuses}
    rows = sum(o.row_count or 0 for o in outcomes if o.status == "accepted")
    rate = f", {rows / elapsed:,.0f} rows/s" if elapsed > 0 and rows else ""
    others = "".join(f", {counts[s]} {s}" for s in ("refused", "skipped", "failed") if counts[s])
    console.print(
        f"total: {len(outcomes)} file(s): {counts['accepted']} accepted, "
        f"{counts['duplicate']} duplicate, {counts['rejected']} rejected{others}; "
        f"{rows:,} rows loaded in {elapsed:.1f} s{rate}",
        highlight=False,
        soft_wrap=True,
    )
    return {s: counts[s] for s in ATTENTION if counts[s]}
