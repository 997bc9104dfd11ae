"""Each role can do its job and nothing more."""

from __future__ import annotations

import psycopg
import pytest

from antt.warehouse import ROLE_NAMES, connect

SUBMISSION = (
    "INSERT INTO raw.submissions (unit_code, dataset, period, file_name, sha256, size_bytes,"
    " status, accepted_at, row_count) VALUES ('CAH847', 'chi_tieu', '2023-06',"
    " 'CAH847_2023-06_chi_tieu.csv', repeat('a', 64), 10, 'accepted', now(), 1)"
    " RETURNING submission_id"
)


def _denied(role: str, statement: str) -> None:
    with connect(role=role) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)


def test_no_role_has_dangerous_attributes(warehouse_url):
    with psycopg.connect(warehouse_url) as conn:
        rows = conn.execute(
            "SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication"
            " FROM pg_roles WHERE rolname = ANY(%s)",
            (list(ROLE_NAMES.values()),),
        ).fetchall()
    assert len(rows) == 3
    for name, *attributes in rows:
        assert not any(attributes), name


def test_loader_writes_raw_and_audit(warehouse_url):
    with connect(role="loader") as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == "antt_loader"
        submission_id = conn.execute(SUBMISSION).fetchone()[0]
        with conn.cursor().copy(
            "COPY raw.chi_tieu (submission_id, source_row, ma_xa, ma_chi_tieu, gia_tri) FROM STDIN"
        ) as copy:
            copy.write_row((submission_id, 2, "29410", "TP_GIET_NGUOI", 0))
        conn.execute(
            "INSERT INTO audit.submission_errors (submission_id, error_no, code, message_vi,"
            " message_en) VALUES (%s, 1, 'X', 'lỗi', 'error')",
            (submission_id,),
        )
        assert conn.execute("SELECT count(*) FROM raw.admin_commune").fetchone()[0] == 10035
        conn.commit()


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE raw.extra (x int)",
        "DELETE FROM raw.chi_tieu",
        "DELETE FROM raw.admin_commune",
        "CREATE TABLE marts.extra (x int)",
        "CREATE TABLE staging.extra (x int)",
        "CREATE TABLE public.extra (x int)",
    ],
)
def test_loader_cannot_do_the_rest(warehouse_url, statement):
    _denied("loader", statement)


def test_transformer_reads_raw_and_owns_the_models(warehouse_url):
    with connect(role="transformer") as conn:
        conn.execute("SELECT count(*) FROM raw.submissions").fetchone()
        for schema in ("staging", "intermediate", "marts"):
            conn.execute(f"CREATE TABLE {schema}.probe AS SELECT 1 AS x")
            conn.execute(f"DROP TABLE {schema}.probe")
        conn.execute("CREATE TABLE audit.test_failures_probe AS SELECT 1 AS x")
        conn.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO raw.chi_tieu (submission_id, source_row, ma_xa, ma_chi_tieu)"
        " VALUES (1, 1, '29410', 'TP_GIET_NGUOI')",
        "UPDATE raw.submissions SET status = 'rejected'",
        "DELETE FROM raw.submissions",
        "SELECT * FROM audit.submission_errors FOR UPDATE",
        "CREATE TABLE raw.extra (x int)",
    ],
)
def test_transformer_cannot_write_raw(warehouse_url, statement):
    _denied("transformer", statement)


def test_reader_reads_marts_only(warehouse_url):
    with connect(role="transformer") as conn:
        conn.execute("CREATE TABLE marts.scorecard_probe AS SELECT 1 AS x")
        conn.execute("CREATE TABLE staging.staging_probe AS SELECT 1 AS x")
        conn.commit()
    with connect(role="reader") as conn:
        assert conn.execute("SELECT x FROM marts.scorecard_probe").fetchone() == (1,)
    for statement in (
        "SELECT * FROM raw.submissions",
        "SELECT * FROM raw.admin_commune",
        "SELECT * FROM audit.submission_errors",
        "SELECT * FROM staging.staging_probe",
        "CREATE TABLE marts.extra (x int)",
        "DELETE FROM marts.scorecard_probe",
    ):
        _denied("reader", statement)


def test_reader_reads_the_register_only_through_the_transformers_views(warehouse_url):
    """marts.submission_register/submission_errors are views owned by antt_transformer: the
    reader reads raw and audit through them (with the owner's rights), never directly, and
    nobody can write through them."""
    with connect(role="loader") as conn:
        sid = conn.execute(SUBMISSION).fetchone()[0]
        conn.commit()
    with connect(role="transformer") as conn:
        conn.execute(
            "CREATE VIEW marts.register_probe AS SELECT submission_id, status FROM raw.submissions"
        )
        conn.execute(
            "CREATE VIEW marts.errors_probe AS SELECT submission_id FROM audit.submission_errors"
        )
        conn.commit()
    with connect(role="reader") as conn:
        assert conn.execute("SELECT * FROM marts.register_probe").fetchall() == [(sid, "accepted")]
        assert conn.execute("SELECT count(*) FROM marts.errors_probe").fetchone() == (0,)
    for statement in (
        "SELECT * FROM raw.submissions",
        "SELECT * FROM audit.submission_errors",
        "DELETE FROM marts.register_probe",
        "UPDATE marts.register_probe SET status = 'rejected'",
    ):
        _denied("reader", statement)
    _denied("transformer", "DELETE FROM marts.errors_probe")


def test_role_url_logs_in_directly(warehouse_url, monkeypatch):
    reader_url = warehouse_url.replace("postgres@", "antt_reader@", 1)
    if "postgres@" not in warehouse_url:
        pytest.skip("server URL does not use the postgres user")
    monkeypatch.setenv("ANTT_READER_URL", reader_url)
    with connect(role="reader") as conn:
        row = conn.execute("SELECT session_user, current_user").fetchone()
    assert row == ("antt_reader", "antt_reader")
