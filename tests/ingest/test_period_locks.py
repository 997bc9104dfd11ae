"""Closing a year (`antt lock`), the loader's refusal of a closed period, and the received time."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from antt.cli import main
from antt.errors import AnttError
from antt.ingest import ingest_file
from antt.periods import closing_state, record_lock

from .builders import HOA_MINH, write_csv

HEADER = ["ma_xa", "ma_chi_tieu", "gia_tri"]


def _lock(warehouse_url, province="84", year=2023, **kw):
    with psycopg.connect(warehouse_url) as conn:
        return record_lock(conn, province, year, **kw)


def test_lock_then_a_late_file_is_rejected_with_since_when_and_by_whom(
    warehouse_url, ingest, db, areas
):
    state = _lock(warehouse_url, actor="Thượng tá Nguyễn Văn A")
    out = ingest("CAH847_2023-11_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "3"]])
    assert out.status == "rejected"
    assert [e.code for e in out.errors] == ["PERIOD_CLOSED"]
    message = out.errors[0].message_vi + " / " + out.errors[0].message_en
    assert "Thượng tá Nguyễn Văn A" in message
    assert state.since_local in message
    assert "2023" in message and "84" in message
    # quarantined beside its report, like any rejection; nothing loaded
    assert out.moved_to.parent == areas.quarantine
    report = json.loads(out.report_path.read_text(encoding="utf-8"))
    assert report["errors"][0]["code"] == "PERIOD_CLOSED"
    assert db("SELECT count(*) FROM raw.chi_tieu") == [(0,)]
    assert db("SELECT code FROM audit.submission_errors") == [("PERIOD_CLOSED",)]


def test_the_lock_covers_its_province_and_year_only(warehouse_url, ingest):
    _lock(warehouse_url, actor="a")
    other_year = ingest("CAH847_2024-01_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "3"]])
    previous_year = ingest("CAH847_2022-12_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "4"]])
    assert (other_year.status, previous_year.status) == ("accepted", "accepted")
    # CAT84 and a district of another province
    provincial = ingest("CAT84_2023-05_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]])
    assert provincial.status == "rejected"
    assert provincial.errors[0].code == "PERIOD_CLOSED"


def test_a_duplicate_of_an_accepted_file_stays_a_duplicate_after_the_lock(
    warehouse_url, ingest, areas
):
    rows = [HEADER, [HOA_MINH, "TP_MA_TUY", "3"]]
    first = ingest("CAH847_2023-06_chi_tieu.csv", rows)
    _lock(warehouse_url, actor="a")
    again = ingest("CAH847_2023-06_chi_tieu.csv", rows)
    assert (first.status, again.status) == ("accepted", "duplicate")


def test_unlock_needs_a_reason_and_reopens_the_year(warehouse_url, ingest, db):
    _lock(warehouse_url, actor="a")
    with pytest.raises(AnttError, match="--reason"):
        _lock(warehouse_url, unlock=True, actor="b")
    _lock(warehouse_url, unlock=True, reason="Huyện Châu Thành nộp bổ sung", actor="b")
    out = ingest("CAH847_2023-11_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "3"]])
    assert out.status == "accepted"
    _lock(warehouse_url, actor="c", reason="chốt lại")
    history = db(
        "SELECT action, actor, reason FROM audit.period_locks"
        " WHERE province_code = '84' AND year = 2023 ORDER BY lock_event_id"
    )
    assert history == [
        ("lock", "a", None),
        ("unlock", "b", "Huyện Châu Thành nộp bổ sung"),
        ("lock", "c", "chốt lại"),
    ]


def test_closing_a_closed_year_or_opening_an_open_one_is_refused(warehouse_url):
    with pytest.raises(AnttError, match="chưa chốt / .* is not closed"):
        _lock(warehouse_url, unlock=True, reason="x", actor="a")
    _lock(warehouse_url, actor="a")
    with pytest.raises(AnttError, match="already closed since .* by a"):
        _lock(warehouse_url, actor="b")
    with pytest.raises(AnttError, match="no province with code 99"):
        _lock(warehouse_url, province="99", actor="b")
    with pytest.raises(AnttError, match="2 digits"):
        _lock(warehouse_url, province="8", actor="b")


def test_locks_are_never_updated_or_deleted(warehouse_url, db):
    _lock(warehouse_url, actor="a")
    for statement in (
        "UPDATE audit.period_locks SET actor = 'x'",
        "DELETE FROM audit.period_locks",
        "TRUNCATE audit.period_locks",
    ):
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            db(statement)
    assert db("SELECT count(*) FROM audit.period_locks") == [(1,)]


def test_the_loader_role_may_read_locks_but_not_write_them(warehouse_url):
    with psycopg.connect(warehouse_url) as conn:
        conn.execute("SET ROLE antt_loader")
        assert closing_state(conn, "84", 2023) is None
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO audit.period_locks (province_code, year, action, actor)"
                " VALUES ('84', 2023, 'lock', 'loader')"
            )


def test_a_lock_of_the_new_province_closes_2025_for_its_old_provinces(warehouse_url, db):
    # Xã Hòa Minh (Trà Vinh, 84) went into a unit of the new Vĩnh Long (86)
    db(
        "INSERT INTO raw.commune_crosswalk_2025 VALUES (%s, '29641', 'WHOLE')"
        " ON CONFLICT DO NOTHING RETURNING 1",
        (HOA_MINH,),
    )
    with psycopg.connect(warehouse_url) as conn:
        assert closing_state(conn, "84", 2025) is None
        record_lock(conn, "86", 2025, actor="a")
        assert closing_state(conn, "84", 2025).province_code == "86"
        assert closing_state(conn, "84", 2024) is None
        # before 2025 the new province owns no year of the old one
        record_lock(conn, "86", 2024, actor="a")
        assert closing_state(conn, "84", 2024) is None
        assert closing_state(conn, "86", 2024).province_code == "86"


def test_antt_lock_command(warehouse_url, capsys):
    assert main(["lock", "--province", "84", "--year", "2023", "--by", "Trưởng phòng"]) == 0
    assert "closed" in capsys.readouterr().out
    assert main(["lock", "--province", "84", "--year", "2023", "--unlock"]) == 1
    assert "--reason" in capsys.readouterr().err
    code = main(["lock", "--province", "84", "--year", "2023", "--unlock", "--reason", "sửa số"])
    assert code == 0 and "reopened" in capsys.readouterr().out


# --- the time a file was received --------------------------------------------------------


def test_received_at_is_the_time_the_file_reached_landing(warehouse_url, areas, db):
    path = write_csv(areas.landing, "CAH847_2023-06_chi_tieu.csv", [HEADER, [HOA_MINH, "X", "1"]])
    arrived = datetime(2023, 7, 20, 16, 59, 59, tzinfo=UTC)  # 23:59:59 on the 20th, Hà Nội time
    os.utime(path, (arrived.timestamp(), arrived.timestamp()))
    out = ingest_file(path, areas)
    assert out.status == "rejected"  # unknown indicator: the time is kept for rejections too
    assert db("SELECT received_at FROM raw.submissions") == [(arrived,)]


def test_a_retry_never_restamps_the_received_time(warehouse_url, areas, db, monkeypatch):
    from antt.ingest import loader

    path = write_csv(
        areas.landing, "CAH847_2023-06_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]]
    )
    arrived = datetime(2023, 7, 10, 3, 0, tzinfo=UTC)
    os.utime(path, (arrived.timestamp(), arrived.timestamp()))

    def warehouse_lost(*args, **kwargs):
        raise psycopg.OperationalError("server closed the connection")

    with monkeypatch.context() as patch:
        patch.setattr(loader, "closed_period_issues", warehouse_lost)
        with pytest.raises(AnttError, match="lost the warehouse connection"):
            ingest_file(path, areas)
    assert path.exists() and db("SELECT count(*) FROM raw.submissions") == [(0,)]
    out = ingest_file(path, areas)
    assert out.status == "accepted"
    assert db("SELECT received_at FROM raw.submissions") == [(arrived,)]


def test_a_future_modification_time_counts_as_now(warehouse_url, areas, db):
    path = write_csv(
        areas.landing, "CAH847_2023-06_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]]
    )
    future = datetime.now(tz=UTC) + timedelta(days=400)
    os.utime(path, (future.timestamp(), future.timestamp()))
    ingest_file(path, areas)
    (received,) = db("SELECT received_at FROM raw.submissions")[0]
    assert received < datetime.now(tz=UTC)
