"""Reviewer outputs: the HTML scorecard, the XLSX workbook, rejected files and the index."""

from __future__ import annotations

from pathlib import Path


def build_reports(
    year: int, province: str | None = None, out_dir: Path | None = None, *, docs: bool = True
) -> list[Path]:
    """Write every reviewer output of `year` (see `antt.report.publish`); returns the files."""
    from antt.report.publish import build_reports as _build

    return _build(year, province, out_dir, docs=docs)


__all__ = ["build_reports"]
