"""Source freshness computed the way `dbt source freshness` computes it, without starting dbt.

dbt's manifest holds, per source, the thresholds (`warn_after`, `error_after`), the
`loaded_at_field` with its `filter`, or a `loaded_at_query`. dbt runs one query per source
(its `collect_freshness` / `collect_freshness_custom_sql` macros), takes the age as
`snapshotted_at - max_loaded_at` in UTC (a NULL max as "infinitely long ago") and compares it to
the thresholds. This module sends the same queries on one connection and applies the same rules,
in a fraction of a second instead of a dbt start and parse (tests/dbt/test_freshness.py runs both
on one warehouse and compares the statuses).

The SQL pieces (`loaded_at_field`, `filter`, `loaded_at_query`) are the project's own code from
`_sources.yml`, inserted as dbt inserts them; relation names go through `psycopg.sql.Identifier`.
A `loaded_at_query` may use `{{ source(...) }}` only; anything else it uses raises
`UnsupportedFreshness`, and the caller falls back to `dbt source freshness`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from psycopg import sql

# "Infinitely long ago": dbt's reading of a NULL max_loaded_at (no row at all).
_NEVER = datetime(1, 1, 1, tzinfo=UTC)


class UnsupportedFreshness(Exception):
    """The manifest asks for something only dbt can evaluate (a macro in a loaded_at_query)."""


@dataclass(frozen=True)
class SourceFreshness:
    """One source's freshness rule, as dbt's manifest holds it."""

    name: str  # "raw.chi_tieu": source name and table
    query: sql.Composable  # returns one row: (max_loaded_at, snapshotted_at)
    warn_after_s: float | None
    error_after_s: float | None

    def status(self, max_loaded_at: datetime | None, snapshotted_at: datetime) -> str:
        """dbt's FreshnessThreshold.status: error, else warn, else pass (strictly greater)."""
        age = (
            _utc(snapshotted_at) - (_utc(max_loaded_at) if max_loaded_at else _NEVER)
        ).total_seconds()
        if self.error_after_s is not None and age > self.error_after_s:
            return "error"
        if self.warn_after_s is not None and age > self.warn_after_s:
            return "warn"
        return "pass"


def _utc(moment: datetime) -> datetime:
    """dbt's `_utc`: an aware time converted to UTC, a naive one taken as UTC."""
    if not isinstance(moment, datetime):
        raise UnsupportedFreshness(f"loaded_at is not a timestamp: {moment!r}")
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _seconds(threshold: dict | None) -> float | None:
    """A `{count, period}` threshold in seconds (None when unset, as dbt's Time.__bool__)."""
    if not threshold or threshold.get("count") is None or not threshold.get("period"):
        return None
    return timedelta(**{f"{threshold['period']}s": threshold["count"]}).total_seconds()


def _relation(source: dict) -> sql.Composable:
    # Schema and table only: the connection is to the warehouse database, whose name at run
    # time may differ from the one the manifest was parsed with.
    return sql.Identifier(source["schema"], source["identifier"])


def _render_loaded_at_query(text: str, sources: dict[tuple[str, str], dict]) -> str:
    """The query with each `{{ source('s', 't') }}` rendered as its quoted relation."""

    def source(source_name: str, table_name: str) -> str:
        if (source_name, table_name) not in sources:
            raise UnsupportedFreshness(
                f"source('{source_name}', '{table_name}') is not in the manifest"
            )
        return _relation(sources[source_name, table_name]).as_string()

    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    try:
        return env.from_string(text).render(source=source)
    except TemplateError as exc:
        raise UnsupportedFreshness(f"loaded_at_query needs dbt to render: {exc}") from exc


def freshness_rules(manifest: Path) -> list[SourceFreshness]:
    """The sources dbt's `source freshness` would check (those with a threshold), in order."""
    sources = json.loads(manifest.read_text(encoding="utf-8"))["sources"]
    by_name = {(s["source_name"], s["name"]): s for s in sources.values()}
    rules: list[SourceFreshness] = []
    for uid in sorted(sources):
        source = sources[uid]
        freshness = source.get("freshness") or {}
        warn_s, error_s = (
            _seconds(freshness.get("warn_after")),
            _seconds(freshness.get("error_after")),
        )
        if warn_s is None and error_s is None:
            continue
        name = f"{source['source_name']}.{source['name']}"
        if source.get("loaded_at_query"):
            body = _render_loaded_at_query(source["loaded_at_query"], by_name)
            query = sql.SQL(
                "with source_query as ({}) "
                "select (select * from source_query) as max_loaded_at, now() as snapshotted_at"
            ).format(sql.SQL(body))
        elif source.get("loaded_at_field"):
            query = sql.SQL(
                "select max({}) as max_loaded_at, now() as snapshotted_at from {}"
            ).format(sql.SQL(source["loaded_at_field"]), _relation(source))
            if freshness.get("filter"):
                query = sql.Composed([query, sql.SQL(" where "), sql.SQL(freshness["filter"])])
        else:
            # Postgres has no metadata-based freshness: dbt reports a runtime error for it.
            raise UnsupportedFreshness(f"source {name} has a freshness rule but no loaded_at_field")
        rules.append(SourceFreshness(name, query, warn_s, error_s))
    return rules


def source_statuses(conn: psycopg.Connection, rules: list[SourceFreshness]) -> dict[str, str]:
    """Each source's status (pass, warn, error), or `runtime error: <reason>` when its query failed
    (dbt's status for it), one query per source on `conn` (in autocommit mode)."""
    statuses: dict[str, str] = {}
    for rule in rules:
        try:
            row = conn.execute(rule.query).fetchone()
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            statuses[rule.name] = f"runtime error: {reason}"
            continue
        if row is None or len(row) != 2:
            statuses[rule.name] = "runtime error: the freshness query returned no single row"
            continue
        statuses[rule.name] = rule.status(row[0], row[1])
    return statuses
