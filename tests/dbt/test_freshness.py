"""Source freshness without dbt (`antt.transform.freshness_sql`) gives the statuses
`dbt source freshness` gives, on one warehouse with late and fresh sources; a late source is
logged and returned, a broken warehouse fails, and a rule only dbt can evaluate falls back to
dbt."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta

import psycopg
import pytest
from dbt_helpers import fresh_warehouse
from dbt_rawdata import month_rows, submit

from antt.errors import AnttError
from antt.transform import freshness
from antt.transform.cosmos import manifest_path
from antt.transform.freshness_sql import (
    SourceFreshness,
    UnsupportedFreshness,
    freshness_rules,
)

COMMUNE = "29263"  # a commune of Trà Vinh (the template's admin lists)


def _period(months_ago: int) -> str:
    today = date.today()
    month = today.year * 12 + today.month - 1 - months_ago
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def _both(url: str) -> tuple[dict[str, str], dict[str, str]]:
    """(statuses without dbt, statuses from `dbt source freshness`) on the same warehouse."""
    return freshness._statuses_from_manifest(url), freshness._statuses_from_dbt(url)


def _age_submissions(url: str, days: int) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE raw.submissions SET accepted_at = now() - make_interval(days => %s)", (days,)
        )


@pytest.fixture(scope="module")
def warehouse(initialised_template, pg_admin_url):
    with fresh_warehouse(initialised_template, pg_admin_url) as url:
        yield url


@pytest.mark.slow
def test_statuses_match_dbt_as_sources_go_late_and_fresh(warehouse):
    seen: set[str] = set()

    # Nothing loaded yet: no accepted file at all (dbt: infinitely late).
    ours, dbts = _both(warehouse)
    assert ours == dbts == {"raw.submissions": "warn", "raw.chi_tieu": "error"}
    seen |= set(ours.values())

    # One unit whose last report is two years old, received today.
    submit(warehouse, "CAH842", "chi_tieu", _period(24), month_rows(COMMUNE))
    ours, dbts = _both(warehouse)
    assert ours == dbts
    assert ours == {"raw.submissions": "pass", "raw.chi_tieu": "error"}
    seen |= set(ours.values())

    # The same unit reports last month (the next report is not due yet) but every file was
    # received six weeks ago: the register is late, the reports are not.
    submit(warehouse, "CAH842", "chi_tieu", _period(1), month_rows(COMMUNE))
    _age_submissions(warehouse, 42)
    ours, dbts = _both(warehouse)
    assert ours == dbts
    assert ours == {"raw.submissions": "warn", "raw.chi_tieu": "pass"}
    seen |= set(ours.values())

    # The latest report is two months old: its successor's deadline passed this month, or the
    # next report is not due yet; whichever, both readings agree.
    submit(warehouse, "CAH843", "chi_tieu", _period(2), month_rows("29266"))
    ours, dbts = _both(warehouse)
    assert ours == dbts
    assert seen == {"pass", "warn", "error"}


@pytest.mark.slow
def test_a_late_source_is_logged_and_returned_not_raised(warehouse, caplog):
    _age_submissions(warehouse, 40)
    with caplog.at_level(logging.INFO, logger="antt.transform"):
        result = freshness.check_freshness(warehouse)
    assert result["checked"] == 2
    assert result["late"]["raw.submissions"] == "warn"
    assert "source late (warn): raw.submissions" in caplog.text
    assert "2 source(s) checked" in caplog.text


def test_an_unreachable_warehouse_fails_in_both_languages(monkeypatch):
    monkeypatch.delenv("ANTT_TRANSFORMER_URL", raising=False)
    with pytest.raises(AnttError) as failure:
        freshness.check_freshness("postgresql://postgres@127.0.0.1:1/antt")
    message = str(failure.value)
    assert "không kiểm tra được độ mới" in message and "freshness failed" in message
    assert "cannot connect" in message


@pytest.mark.slow
def test_a_failing_source_query_fails_the_check(warehouse):
    with psycopg.connect(warehouse, autocommit=True) as conn:
        conn.execute("ALTER TABLE raw.submissions RENAME COLUMN accepted_at TO accepted_at_x")
    try:
        with pytest.raises(AnttError, match=r"raw\.submissions: runtime error: .*accepted_at"):
            freshness.check_freshness(warehouse)
    finally:
        with psycopg.connect(warehouse, autocommit=True) as conn:
            conn.execute("ALTER TABLE raw.submissions RENAME COLUMN accepted_at_x TO accepted_at")


def _manifest_with(tmp_path, monkeypatch, loaded_at_query: str):
    manifest = json.loads(manifest_path().read_text(encoding="utf-8"))
    manifest["sources"]["source.antt_warehouse.raw.chi_tieu"]["loaded_at_query"] = loaded_at_query
    copy = tmp_path / "manifest.json"
    copy.write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setenv("ANTT_DBT_MANIFEST", str(copy))
    return copy


def test_a_rule_with_a_macro_is_left_to_dbt(tmp_path, monkeypatch):
    copy = _manifest_with(tmp_path, monkeypatch, "select {{ var('cutoff') }}")
    with pytest.raises(UnsupportedFreshness, match="needs dbt"):
        freshness_rules(copy)
    monkeypatch.setattr(freshness, "_statuses_from_dbt", lambda url: {"raw.chi_tieu": "pass"})
    assert freshness.check_freshness("postgresql://postgres@127.0.0.1:1/antt") == {
        "checked": 1,
        "late": {},
    }


def test_a_stale_manifest_is_left_to_dbt(monkeypatch):
    monkeypatch.setattr("antt.transform.cosmos.manifest_is_current", lambda: False)
    monkeypatch.setattr(freshness, "_statuses_from_dbt", lambda url: {"raw.chi_tieu": "error"})
    result = freshness.check_freshness("postgresql://postgres@127.0.0.1:1/antt")
    assert result == {"checked": 1, "late": {"raw.chi_tieu": "error"}}


def test_rules_come_from_the_manifest_with_sources_rendered():
    rules = {r.name: r for r in freshness_rules(manifest_path())}
    assert set(rules) == {"raw.submissions", "raw.chi_tieu"}
    assert rules["raw.submissions"].warn_after_s == 35 * 86400
    assert rules["raw.submissions"].error_after_s is None
    assert (rules["raw.chi_tieu"].warn_after_s, rules["raw.chi_tieu"].error_after_s) == (
        86400,
        32 * 86400,
    )
    text = rules["raw.chi_tieu"].query.as_string()
    assert 'from "raw"."submissions" as s' in text and "{{" not in text
    assert "where status = 'accepted'" in rules["raw.submissions"].query.as_string()


def test_status_is_strictly_after_each_threshold_and_null_is_never_fresh():
    rule = SourceFreshness("s.t", query=None, warn_after_s=60.0, error_after_s=120.0)  # type: ignore[arg-type]
    now = datetime(2026, 1, 1, 12, 0)
    assert rule.status(now - timedelta(seconds=60), now) == "pass"
    assert rule.status(now - timedelta(seconds=61), now) == "warn"
    assert rule.status(now - timedelta(seconds=121), now) == "error"
    assert rule.status(None, now) == "error"
    assert SourceFreshness("s.t", None, 60.0, None).status(None, now) == "warn"  # type: ignore[arg-type]
