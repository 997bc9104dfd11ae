"""The work behind `antt_transform` and `antt_publish` that is not rendered by Cosmos."""

from __future__ import annotations

import logging
from pathlib import Path

from antt.errors import AnttError

log = logging.getLogger("antt.orchestration")


def check_freshness(url: str) -> dict:
    """`dbt source freshness`: late sources are a finding, logged and returned, not a failure.

    A report that is weeks late is what reviewers must see (its communes are
    KHONG_DU_DU_LIEU in the marts), not a broken pipeline: failing the DAG for it would raise
    an alert every run until the district sends the file. Only dbt itself failing (warehouse
    unreachable, bad project) raises.
    """
    import json
    import tempfile

    from antt.transform import run_dbt

    with tempfile.TemporaryDirectory(prefix="antt-freshness-") as tmp:
        run = run_dbt(["source", "freshness"], url, target_dir=Path(tmp))
        sources_file = Path(tmp) / "sources.json"
        results = (
            json.loads(sources_file.read_text(encoding="utf-8")).get("results", [])
            if sources_file.exists()
            else []
        )
    statuses: dict[str, str] = {}
    for result in results:
        name = str(result.get("unique_id", "?")).removeprefix("source.antt_warehouse.")
        statuses[name] = str(result.get("status") or "").lower()
    broken = [n for n, st in statuses.items() if st == "runtime error"]
    if broken or (run.returncode != 0 and not statuses):
        raise AnttError(
            "dbt source freshness failed / không kiểm tra được độ mới của dữ liệu: "
            + ("; ".join(broken) or "; ".join(run.failures[:3]) or "see the dbt output")
        )
    late = sorted(n for n, st in statuses.items() if st in ("warn", "error"))
    for name in late:
        log.warning(
            "nguồn dữ liệu chậm / source late (%s): %s — missing reports show as KHONG_DU_DU_LIEU",
            statuses[name],
            name,
        )
    log.info("source freshness: %d source(s) checked, %d late", len(statuses), len(late))
    return {"checked": len(statuses), "late": {n: statuses[n] for n in late}}


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
    from antt.transform import generate_docs

    page = generate_docs(out_dir, url)
    log.info("dbt docs: %s", page)
    return str(page)
