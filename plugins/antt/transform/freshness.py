"""Source freshness as antt_transform runs it: late sources are findings, not failures."""

from __future__ import annotations

import json
import logging

import psycopg

from antt.errors import AnttError
from antt.transform.runner import private_target, run_dbt

log = logging.getLogger("antt.transform")

_FAILED = "dbt source freshness failed / không kiểm tra được độ mới của dữ liệu: "


def check_freshness(url: str | None = None) -> dict:
    """Each source with a freshness rule checked: late sources are a finding, logged and
    returned, not a failure.

    A report that is weeks late is what reviewers must see (its communes are
    KHONG_DU_DU_LIEU in the marts), not a broken pipeline: failing the DAG for it would raise
    an alert every run until the district sends the file. Only the check itself failing
    (warehouse unreachable, a source's query failing, bad project) raises.

    The statuses are dbt's (`freshness_sql`: the manifest's rules, one query per source, no dbt
    start); `dbt source freshness` runs instead when the manifest is older than the project or
    holds a rule only dbt can evaluate.
    """
    statuses = _statuses_from_manifest(url)
    if statuses is None:
        statuses = _statuses_from_dbt(url)
    broken = sorted(f"{n}: {st}" for n, st in statuses.items() if st.startswith("runtime error"))
    if broken:
        raise AnttError(_FAILED + "; ".join(broken))
    late = sorted(n for n, st in statuses.items() if st in ("warn", "error"))
    for name in late:
        log.warning(
            "nguồn dữ liệu chậm / source late (%s): %s — missing reports show as KHONG_DU_DU_LIEU",
            statuses[name],
            name,
        )
    log.info("source freshness: %d source(s) checked, %d late", len(statuses), len(late))
    return {"checked": len(statuses), "late": {n: statuses[n] for n in late}}


def _statuses_from_manifest(url: str | None) -> dict[str, str] | None:
    """The statuses from the manifest's rules, or None when only dbt can tell."""
    from antt import warehouse
    from antt.transform.cosmos import manifest_is_current, manifest_path
    from antt.transform.freshness_sql import UnsupportedFreshness, freshness_rules, source_statuses

    if not manifest_is_current():
        log.info("source freshness: the manifest is older than the project, asking dbt")
        return None
    try:
        rules = freshness_rules(manifest_path())
    except UnsupportedFreshness as exc:
        log.info("source freshness: %s, asking dbt", exc)
        return None
    # dbt's login: the transformer's own URL when given, else `url` with SET ROLE (the profile's).
    login = None if warehouse.role_url("transformer") else url
    try:
        with warehouse.connect("transformer", url=login, autocommit=True) as conn:
            return source_statuses(conn, rules)
    except (AnttError, psycopg.Error) as exc:
        raise AnttError(_FAILED + str(exc)) from exc


def _statuses_from_dbt(url: str | None) -> dict[str, str]:
    """`dbt source freshness`; a run that produced no result at all raises."""
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
    if run.returncode != 0 and not statuses:
        raise AnttError(_FAILED + ("; ".join(run.failures[:3]) or "see the dbt output"))
    return statuses
