"""The body of `antt sample` (kept out of cli.py so the CLI module stays small)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from rich.console import Console

from antt.config import state_dir


def run_sample(province: str, years: list[int], out: str | None, console: Console) -> None:
    from antt.sample.sample_set import generate

    target = Path(out) if out else state_dir() / "sample"
    started = time.perf_counter()
    manifest = generate(target, province=province, years=years)
    seconds = time.perf_counter() - started
    statuses = Counter(f.expected_status for f in manifest.files)
    console.print(
        f"sample written to {target} in {seconds:.1f} s: {len(manifest.files)} files "
        f"({statuses['accepted']} to accept, {statuses['rejected']} to reject, "
        f"{statuses['duplicate']} duplicate), {len(manifest.scenarios)} designed scenarios; "
        f"ingest the batch folders in name order; expectations in {target / 'manifest.json'}"
    )
