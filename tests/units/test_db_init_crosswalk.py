"""`antt db init` loads the reviewed crosswalk into raw.commune_crosswalk_2025, idempotently."""

from __future__ import annotations

import psycopg

from antt.bootstrap import init_database
from antt.units.crosswalk import read_crosswalk


def _rows(url: str) -> set[tuple[str, str, str]]:
    with psycopg.connect(url) as conn:
        return set(
            conn.execute(
                "SELECT old_commune_code, new_commune_code, relation"
                " FROM raw.commune_crosswalk_2025"
            ).fetchall()
        )


def test_init_loads_the_committed_crosswalk_and_a_rerun_changes_nothing(make_database):
    url = make_database()
    first = init_database(url)
    committed = {(r.old_commune_code, r.new_commune_code, r.relation) for r in read_crosswalk()}
    assert first.crosswalk_added == len(committed) == first.crosswalk_rows == 10_566
    assert _rows(url) == committed
    second = init_database(url)
    assert (second.crosswalk_added, second.crosswalk_removed, second.changed) == (0, 0, False)


def test_init_brings_an_edited_table_back_to_the_reviewed_rows(make_database):
    url = make_database()
    init_database(url)
    with psycopg.connect(url) as conn:
        conn.execute(
            "DELETE FROM raw.commune_crosswalk_2025 WHERE old_commune_code = %s", ("29392",)
        )
        conn.execute(
            "UPDATE raw.commune_crosswalk_2025 SET relation = 'SPLIT' WHERE old_commune_code = %s",
            ("29389",),
        )
    again = init_database(url)
    assert (again.crosswalk_added, again.crosswalk_removed) == (2, 1)
    assert ("29392", "29386", "WHOLE") in _rows(url)
    assert ("29389", "29386", "WHOLE") in _rows(url)
