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
