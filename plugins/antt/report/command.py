"""`antt report`: build the reviewer outputs and list what was written."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from antt.report.publish import DOCS_HTML, build_reports, human_size


def run_report(
    console: Console, year: int, province: str | None, out: str | None, docs: bool
) -> list[Path]:
    written = build_reports(year, province, Path(out) if out else None, docs=docs)
    for path in written:
        size = human_size(path.stat().st_size)
        console.print(f"  {path}  [dim]{size}[/]", highlight=False, soft_wrap=True)
    if docs and not any(p.name == DOCS_HTML for p in written):
        console.print(
            "[yellow]warning:[/] tài liệu dbt chưa được xuất / dbt docs not published "
            "(run `antt docs`)"
        )
    console.print(f"{len(written)} files written", highlight=False)
    return written
