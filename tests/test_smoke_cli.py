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
