"""The work of the antt_publish DAG: which (province, year) scopes to publish, their reports,
and the dbt docs."""

from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger("antt.orchestration")


def report_scopes(url: str | None = None) -> list[dict]:
    """(province, year) pairs to publish, newest year first, read as antt_reader: those with a
    scorecard, and those with files received (any status) but no scorecard, so a province whose
    every file was rejected still gets its rejected-files page."""
    from antt import warehouse
    from antt.report.rejected import submission_scopes

    with warehouse.connect(role="reader", url=url) as conn:
        scopes = set(
            conn.execute("SELECT DISTINCT province_code, year FROM marts.commune_scorecard")
        )
        scopes |= submission_scopes(conn)
    ordered = sorted(((str(p), int(y)) for p, y in scopes), key=lambda s: (-s[1], s[0]))
    return [{"province": p, "year": y} for p, y in ordered]


def publish_scope(province: str, year: int, out_dir: Path) -> list[str]:
    from antt.report import build_reports

    paths = build_reports(year, province, out_dir, docs=False)  # docs: publish_docs
    for path in paths:
        log.info("published %s", path)
    return [str(p) for p in paths]


def publish_docs(out_dir: Path, url: str | None = None) -> str:
    from antt.transform.runner import generate_docs

    page = generate_docs(out_dir, url)
    log.info("dbt docs: %s", page)
    return str(page)
