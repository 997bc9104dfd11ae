"""The work behind `antt_transform` and `antt_publish` that is not rendered by Cosmos."""

from __future__ import annotations

import logging
from pathlib import Path

from antt.errors import AnttError

log = logging.getLogger("antt.orchestration")


def check_freshness(url: str) -> dict:
    """`dbt source freshness`: warnings are logged, an error (a late source) raises."""
    from antt.transform import source_freshness

    run = source_freshness(url)
    for line in run.warnings:
        log.warning("nguồn dữ liệu chậm / source late (warn): %s", line)
    if not run.success:
        raise AnttError(
            "dữ liệu nguồn quá hạn / source freshness failed: "
            + "; ".join(run.failures[:5] or ["see the dbt output"])
        )
    log.info(run.summary())
    return {"passed": run.passed, "warned": run.warned}


def report_scopes(url: str | None = None) -> list[dict]:
    """(province, year) pairs the marts hold, newest year first, read as antt_reader."""
    from antt import warehouse

    with warehouse.connect(role="reader", url=url) as conn:
        rows = conn.execute(
            "SELECT DISTINCT province_code, year FROM marts.commune_scorecard"
            " ORDER BY year DESC, province_code"
        ).fetchall()
    return [{"province": str(p), "year": int(y)} for p, y in rows]


def publish_scope(province: str, year: int, out_dir: Path) -> list[str]:
    from antt.report import build_reports

    paths = build_reports(year, province, out_dir)
    for path in paths:
        log.info("published %s", path)
    return [str(p) for p in paths]


def publish_docs(out_dir: Path, url: str | None = None) -> str:
    from antt.transform import generate_docs

    page = generate_docs(out_dir, url)
    log.info("dbt docs: %s", page)
    return str(page)
