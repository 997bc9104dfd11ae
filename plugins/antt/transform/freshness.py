"""`dbt source freshness` as antt_transform runs it: late sources are findings, not failures."""

from __future__ import annotations

import json
import logging

from antt.errors import AnttError
from antt.transform.runner import private_target, run_dbt

log = logging.getLogger("antt.transform")


def check_freshness(url: str | None = None) -> dict:
    """`dbt source freshness`: late sources are a finding, logged and returned, not a failure.

    A report that is weeks late is what reviewers must see (its communes are
    KHONG_DU_DU_LIEU in the marts), not a broken pipeline: failing the DAG for it would raise
    an alert every run until the district sends the file. Only dbt itself failing (warehouse
    unreachable, bad project) raises.
    """
    # A private target folder starts from the last build's parse (a full parse is most of
    # this task's time) and never publishes this run's artifacts.
    with private_target() as tmp:
        run = run_dbt(["source", "freshness"], url, target_dir=tmp)
        sources_file = tmp / "sources.json"
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
