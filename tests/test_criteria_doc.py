"""docs/criteria.md: the catalogue tables equal what the seeds render, and every criterion of the
catalogue has its rule described in words."""

from __future__ import annotations

import re

import pytest

from antt import criteria_doc


def test_the_committed_page_equals_what_the_seeds_render() -> None:
    page = criteria_doc.CRITERIA_DOC.read_text(encoding="utf-8")
    assert page == criteria_doc.with_generated_block(page), (
        "docs/criteria.md is stale: run `.venv/bin/python -m antt.criteria_doc`"
    )


def test_every_criterion_of_the_catalogue_has_its_rule_in_words() -> None:
    page = criteria_doc.CRITERIA_DOC.read_text(encoding="utf-8")
    prose = page.partition(criteria_doc.BEGIN)[0]
    described = set(re.findall(r"^### (ANTT_\w+)$", prose, flags=re.MULTILINE))
    assert set(criteria_doc.criterion_codes()) == described


def test_a_changed_threshold_changes_the_rendered_page(monkeypatch, tmp_path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("bo_tieu_chi.csv", "bo_tieu_chi_muc.csv"):
        text = (criteria_doc.SEEDS_DIR / name).read_text(encoding="utf-8")
        (seeds / name).write_text(text.replace(",>=,5,% giảm", ",>=,7,% giảm"), encoding="utf-8")
    before = criteria_doc.render_catalogue()
    monkeypatch.setattr(criteria_doc, "SEEDS_DIR", seeds)
    after = criteria_doc.render_catalogue()
    assert "measured >= 7 (% giảm" in after and after != before


def test_a_page_without_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="markers"):
        criteria_doc.with_generated_block("# no markers here\n")
