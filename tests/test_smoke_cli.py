from antt.cli import main


def test_help_exits_zero(capsys):
    assert main(["--help"]) == 0
    assert "db" in capsys.readouterr().out


def test_db_init_twice_changes_nothing_the_second_time(make_database, monkeypatch, capsys):
    monkeypatch.setenv("ANTT_WAREHOUSE_URL", make_database())
    assert main(["db", "init"]) == 0
    assert "initialised" in capsys.readouterr().out
    assert main(["db", "init"]) == 0
    assert "nothing changed" in capsys.readouterr().out


def test_db_init_replaces_the_old_btree_on_raw_chi_tieu(make_database, monkeypatch, capsys):
    import psycopg

    url = make_database()
    monkeypatch.setenv("ANTT_WAREHOUSE_URL", url)
    assert main(["db", "init"]) == 0
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP INDEX raw.chi_tieu_submission_brin")
        conn.execute("CREATE INDEX chi_tieu_submission ON raw.chi_tieu (submission_id)")
    assert main(["db", "init"]) == 0
    with psycopg.connect(url) as conn:
        indexes = conn.execute(
            "SELECT i.relname, am.amname FROM pg_index x"
            " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam"
            " WHERE x.indrelid = 'raw.chi_tieu'::regclass"
        ).fetchall()
    assert indexes == [("chi_tieu_submission_brin", "brin")]


def test_init_loads_the_units_valid_from_july_2025(warehouse_url: str) -> None:
    import psycopg

    with psycopg.connect(warehouse_url) as conn:
        provinces = conn.execute("SELECT count(*) FROM raw.admin_province_2025").fetchone()[0]
        by_type = dict(
            conn.execute(
                "SELECT commune_type, count(*) FROM raw.admin_commune_2025"
                " WHERE province_code = '86' GROUP BY 1"
            ).fetchall()
        )
        total = conn.execute("SELECT count(*) FROM raw.admin_commune_2025").fetchone()[0]
        song_loc = conn.execute(
            "SELECT commune_name, commune_name_short, commune_type FROM raw.admin_commune_2025"
            " WHERE commune_code = '29386'"
        ).fetchone()
    assert provinces == 34
    assert total == 3321
    assert by_type == {"Xã": 105, "Phường": 19}
    assert song_loc == ("Xã Song Lộc", "Song Lộc", "Xã")
