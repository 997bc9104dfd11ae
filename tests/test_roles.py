"""Each role can do its job and nothing more."""

from __future__ import annotations

import psycopg
import pytest

from antt.warehouse import ROLE_NAMES, connect

SUBMISSION = (
    "INSERT INTO raw.submissions (unit_code, dataset, period, file_name, sha256, size_bytes,"
    " status) VALUES ('CAH847', 'chi_tieu', '2023-06',"
    " 'CAH847_2023-06_chi_tieu.csv', repeat(%s, 64), 10, 'pending')"
    " RETURNING submission_id"
)
SETTLE = "UPDATE raw.submissions SET status = %s, row_count = %s WHERE submission_id = %s"


def copy_one_row(conn, submission_id: int) -> None:
    """One raw.chi_tieu row of `submission_id`, copied as the loader copies."""
    with conn.cursor().copy(
        "COPY raw.chi_tieu (submission_id, source_row, ma_xa, ma_chi_tieu, gia_tri) FROM STDIN"
    ) as copy:
        copy.write_row((submission_id, 2, "29410", "TP_GIET_NGUOI", 0))


def loaded_submission(conn, status: str = "accepted", sha: str = "a") -> int:
    """A submission registered and settled as the loader does it, committed."""
    submission_id = conn.execute(SUBMISSION, (sha,)).fetchone()[0]
    if status == "accepted":
        copy_one_row(conn, submission_id)
    conn.execute(SETTLE, (status, 1 if status == "accepted" else None, submission_id))
    conn.commit()
    return submission_id


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
        submission_id = conn.execute(SUBMISSION, ("a",)).fetchone()[0]
        copy_one_row(conn, submission_id)
        conn.execute(
            "INSERT INTO audit.submission_errors (submission_id, error_no, code, message_vi,"
            " message_en) VALUES (%s, 1, 'X', 'lỗi', 'error')",
            (submission_id,),
        )
        assert conn.execute("SELECT count(*) FROM raw.admin_commune").fetchone()[0] == 10035
        conn.execute(SETTLE, ("accepted", 1, submission_id))
        conn.commit()
        accepted_at = conn.execute(
            "SELECT accepted_at FROM raw.submissions WHERE submission_id = %s", (submission_id,)
        ).fetchone()[0]
        assert accepted_at is not None  # set by the warehouse when the row settles as accepted


# what each role must not do (more for the reader in the two tests of its marts below)
DENIED = [
    ("loader", "CREATE TABLE raw.extra (x int)"),
    ("loader", "DELETE FROM raw.chi_tieu"),
    ("loader", "DELETE FROM raw.admin_commune"),
    ("loader", "CREATE TABLE marts.extra (x int)"),
    ("loader", "CREATE TABLE staging.extra (x int)"),
    ("loader", "CREATE TABLE public.extra (x int)"),
    (
        "transformer",
        "INSERT INTO raw.chi_tieu (submission_id, source_row, ma_xa, ma_chi_tieu)"
        " VALUES (1, 1, '29410', 'TP_GIET_NGUOI')",
    ),
    ("transformer", "UPDATE raw.submissions SET status = 'rejected'"),
    ("transformer", "DELETE FROM raw.submissions"),
    ("transformer", "SELECT * FROM audit.submission_errors FOR UPDATE"),
    ("transformer", "CREATE TABLE raw.extra (x int)"),
    ("reader", "SELECT * FROM raw.submissions"),
    ("reader", "SELECT * FROM raw.admin_commune"),
    ("reader", "SELECT * FROM audit.submission_errors"),
    ("reader", "CREATE TABLE marts.extra (x int)"),
]


@pytest.mark.parametrize(("role", "statement"), DENIED)
def test_role_cannot_do_the_rest(warehouse_url, role, statement):
    _denied(role, statement)


def test_transformer_reads_raw_and_owns_the_models(warehouse_url):
    with connect(role="transformer") as conn:
        conn.execute("SELECT count(*) FROM raw.submissions").fetchone()
        for schema in ("staging", "intermediate", "marts"):
            conn.execute(f"CREATE TABLE {schema}.probe AS SELECT 1 AS x")
            conn.execute(f"DROP TABLE {schema}.probe")
        conn.execute("CREATE TABLE audit.test_failures_probe AS SELECT 1 AS x")
        conn.rollback()


def test_reader_reads_marts_only(warehouse_url):
    with connect(role="transformer") as conn:
        conn.execute("CREATE TABLE marts.scorecard_probe AS SELECT 1 AS x")
        conn.execute("CREATE TABLE staging.staging_probe AS SELECT 1 AS x")
        conn.commit()
    with connect(role="reader") as conn:
        assert conn.execute("SELECT x FROM marts.scorecard_probe").fetchone() == (1,)
    _denied("reader", "SELECT * FROM staging.staging_probe")
    _denied("reader", "DELETE FROM marts.scorecard_probe")


def test_reader_reads_the_register_only_through_the_transformers_views(warehouse_url):
    """marts.submission_register/submission_errors are views owned by antt_transformer: the
    reader reads raw and audit through them (with the owner's rights), never directly, and
    nobody can write through them."""
    with connect(role="loader") as conn:
        sid = loaded_submission(conn)
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
        pytest.skip(
            "the test server's URL (ANTT_TEST_DATABASE_URL) does not log in as postgres: "
            "the reader's login URL cannot be derived from it"
        )
    monkeypatch.setenv("ANTT_READER_URL", reader_url)
    with connect(role="reader") as conn:
        row = conn.execute("SELECT session_user, current_user").fetchone()
    assert row == ("antt_reader", "antt_reader")


# ----- the register and raw are append-only for the loader (issue 15)

HISTORY_REWRITES = {
    "rejected becomes accepted": "UPDATE raw.submissions SET status = 'accepted'"
    " WHERE submission_id = {rejected}",
    "accepted becomes rejected": "UPDATE raw.submissions SET status = 'rejected'"
    " WHERE submission_id = {accepted}",
    "row count of a settled submission": "UPDATE raw.submissions SET row_count = 99"
    " WHERE submission_id = {accepted}",
    "report of a settled submission": "UPDATE raw.submissions SET report_path = 'x'"
    " WHERE submission_id = {rejected}",
    "another unit": "UPDATE raw.submissions SET unit_code = 'CAH842'"
    " WHERE submission_id = {accepted}",
    "another period": "UPDATE raw.submissions SET period = '2023-07'"
    " WHERE submission_id = {accepted}",
    "another dataset": "UPDATE raw.submissions SET dataset = 'su_vu'"
    " WHERE submission_id = {accepted}",
    "another SHA-256": "UPDATE raw.submissions SET sha256 = repeat('c', 64)"
    " WHERE submission_id = {accepted}",
    "another acceptance time": "UPDATE raw.submissions SET accepted_at = now() - interval '1 year'"
    " WHERE submission_id = {accepted}",
    "another version chain": "UPDATE raw.submissions SET replaces_submission_id = {rejected}"
    " WHERE submission_id = {accepted}",
    "a row into an old accepted submission": "INSERT INTO raw.chi_tieu (submission_id,"
    " source_row, ma_xa, ma_chi_tieu, gia_tri) VALUES ({accepted}, 3, '29410', 'TP_CUOP', 1)",
    "a row into a rejected submission": "INSERT INTO raw.su_vu (submission_id, source_row,"
    " ma_su_vu, loai, ma_xa, ngay_bat_dau) VALUES ({rejected}, 2, 'X', 'TRONG_AN', '29410',"
    " '2023-06-01')",
    "an error into an old submission": "INSERT INTO audit.submission_errors (submission_id,"
    " error_no, code, message_vi, message_en) VALUES ({accepted}, 1, 'X', 'lỗi', 'error')",
    "a register row born accepted": "INSERT INTO raw.submissions (unit_code, dataset, period,"
    " file_name, sha256, size_bytes, status) VALUES ('CAH847', 'chi_tieu', '2023-08', 'x.csv',"
    " repeat('d', 64), 1, 'accepted')",
    "a register row received in the future": "INSERT INTO raw.submissions (file_name, sha256,"
    " size_bytes, status, received_at) VALUES ('x.csv', repeat('e', 64), 1, 'pending',"
    " now() + interval '1 day')",
    "a register row that changes its received_at": "UPDATE raw.submissions"
    " SET received_at = now() WHERE submission_id = {rejected}",
    "deleting the register": "DELETE FROM raw.submissions WHERE submission_id = {rejected}",
    "deleting rows": "DELETE FROM raw.chi_tieu",
    "truncating the register": "TRUNCATE raw.submissions CASCADE",
    "disabling the guard": "ALTER TABLE raw.submissions DISABLE TRIGGER submissions_guard",
}


@pytest.fixture
def settled(warehouse_url) -> dict[str, int]:
    with connect(role="loader") as conn:
        return {
            "accepted": loaded_submission(conn, "accepted", "a"),
            "rejected": loaded_submission(conn, "rejected", "b"),
        }


@pytest.mark.parametrize("change", list(HISTORY_REWRITES), ids=list(HISTORY_REWRITES))
def test_loader_cannot_rewrite_history(settled, warehouse_url, change):
    with connect(role="loader") as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(HISTORY_REWRITES[change].format(**settled))
        conn.rollback()
    with psycopg.connect(warehouse_url) as conn:
        register = conn.execute(
            "SELECT submission_id, unit_code, dataset, period, sha256, status, row_count"
            " FROM raw.submissions ORDER BY 1"
        ).fetchall()
        rows = conn.execute("SELECT count(*) FROM raw.chi_tieu").fetchone()[0]
    assert [r[5] for r in register] == ["accepted", "rejected"]
    assert register[0][1:5] == ("CAH847", "chi_tieu", "2023-06", "a" * 64)
    assert register[0][6] == 1 and rows == 1


def test_loader_settles_a_submission_once_and_never_commits_it_pending(settled):
    with connect(role="loader") as conn:
        submission_id = conn.execute(SUBMISSION, ("f",)).fetchone()[0]
        with pytest.raises(psycopg.errors.CheckViolation, match="duplicate"):
            conn.execute(SETTLE, ("duplicate", None, submission_id))  # of nothing
        conn.rollback()
        submission_id = conn.execute(SUBMISSION, ("f",)).fetchone()[0]
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="pending"):
            conn.commit()
        submission_id = conn.execute(SUBMISSION, ("f",)).fetchone()[0]
        conn.execute(SETTLE, ("rejected", None, submission_id))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="never changes"):
            conn.execute(SETTLE, ("accepted", 1, submission_id))
        conn.rollback()


@pytest.mark.parametrize("role", ["loader", "reader"])
def test_only_the_transformer_makes_temporary_tables(warehouse_url, role):
    from antt.bootstrap import init_database

    init_database(warehouse_url)  # database privileges are not copied from the template
    _denied(role, "CREATE TEMPORARY TABLE probe (x int)")
    with psycopg.connect(warehouse_url) as conn:
        public_temp = conn.execute(
            "SELECT has_database_privilege('public', current_database(), 'TEMPORARY')"
        ).fetchone()[0]
    assert public_temp is False
    with connect(role="transformer") as conn:
        conn.execute("CREATE TEMPORARY TABLE probe (x int)")


def test_a_load_runs_on_a_loader_connection_in_autocommit_mode(warehouse_url):
    from antt.warehouse import loader_connection

    with loader_connection() as conn:
        assert conn.autocommit
        assert conn.execute("SELECT current_user").fetchone()[0] == "antt_loader"
        # a statement outside a file's transaction leaves none open behind it
        conn.execute("SELECT pg_try_advisory_lock(1, 2)").fetchone()
        assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        conn.execute("SELECT pg_advisory_unlock(1, 2)")


def test_ingest_file_refuses_a_connection_not_in_autocommit_mode(tmp_path):
    from antt.config import file_areas
    from antt.ingest import ingest_file

    class Connection:
        autocommit = False

    source = tmp_path / "CAH847_2023-06_chi_tieu.csv"
    source.write_text("ma_xa,ma_chi_tieu,gia_tri\n", encoding="utf-8")
    with pytest.raises(ValueError, match="autocommit"):
        ingest_file(source, file_areas(), conn=Connection())
    assert source.exists()  # nothing read, nothing moved
