"""Small raw data for the dbt tests, written the way the loader writes it: one register row per
accepted file in raw.submissions, then the file's rows keyed by its submission_id."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence

import psycopg
from psycopg import sql

from antt.warehouse import connect
from contract_columns import (
    DANG_KY_COLUMNS,
    DANH_GIA_COLUMNS,
    LONG_COLUMNS,
    MO_HINH_COLUMNS,
    SU_VU_COLUMNS,
)

COLUMNS: dict[str, Sequence[str]] = {
    "chi_tieu": LONG_COLUMNS,
    "chi_tieu_quy_doi": LONG_COLUMNS,
    "su_vu": SU_VU_COLUMNS,
    "mo_hinh": MO_HINH_COLUMNS,
    "danh_gia_nam": DANH_GIA_COLUMNS,
    "dang_ky_ntm": DANG_KY_COLUMNS,
}
# Indicators a complete month needs (groups TTXH and TE_NAN_XA_HOI), plus DT_TAI_PHAM.
TTXH = (
    "TP_GIET_NGUOI",
    "TP_CO_Y_GAY_THUONG_TICH",
    "TP_HIEP_DAM",
    "TP_CUOP_TAI_SAN",
    "TP_CUONG_DOAT_TAI_SAN",
    "TP_CUOP_GIAT_TAI_SAN",
    "TP_TROM_CAP_TAI_SAN",
    "TP_LUA_DAO",
    "TP_LAM_DUNG_TIN_NHIEM",
    "TP_DANH_BAC",
    "TP_TTXH_KHAC",
)
TNXH = ("TNXH_NGHIEN_MA_TUY_MOI", "TNXH_DANH_BAC", "TNXH_MAI_DAM")
_counter = itertools.count(1)


def submit(
    url: str,
    unit: str,
    dataset: str,
    period: str,
    rows: Iterable[Sequence],
    columns: Sequence[str] | None = None,
) -> int:
    """Record an accepted file of `unit` for (dataset, period) with `rows` (in the dataset's
    usual columns, or `columns`); its submission_id."""
    rows = list(rows)
    n = next(_counter)
    digest = hashlib.sha256(f"{unit}|{dataset}|{period}|{n}|{rows!r}".encode()).hexdigest()
    with connect(role="loader", url=url) as conn:
        sid = conn.execute(
            """
            INSERT INTO raw.submissions (unit_code, dataset, period, file_name, sha256,
                size_bytes, status)
            VALUES (%s, %s, %s, %s, %s, %s, 'pending')
            RETURNING submission_id
            """,
            (unit, dataset, period, f"{unit}_{period}_{dataset}.csv", digest, 100),
        ).fetchone()[0]
        columns = ("submission_id", "source_row", *(columns or COLUMNS[dataset]))
        copy = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier("raw", dataset), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        with conn.cursor().copy(copy) as cp:
            for i, row in enumerate(rows, start=2):
                cp.write_row((sid, i, *row))
        # settled once, as the loader does (the register is append-only for it)
        conn.execute(
            "UPDATE raw.submissions SET status = 'accepted', row_count = %s"
            " WHERE submission_id = %s",
            (len(rows), sid),
        )
        conn.commit()
    return sid


def month_rows(commune: str, ttxh: int = 0, tnxh: int = 0, dt_tai_pham: int | None = 0):
    """A complete month for one commune: `ttxh` theft cases, `tnxh` gambling violations."""
    rows = [(commune, code, ttxh if code == "TP_TROM_CAP_TAI_SAN" else 0) for code in TTXH]
    rows += [(commune, code, tnxh if code == "TNXH_DANH_BAC" else 0) for code in TNXH]
    rows.append((commune, "DT_TAI_PHAM", dt_tai_pham))
    return rows


def spread(total: int) -> list[int]:
    """`total` spread over 12 months (the remainder in the first months)."""
    return [total // 12 + (1 if m < total % 12 else 0) for m in range(12)]


def query(url: str, statement: str, params: Sequence | None = None, role: str = "reader"):
    with connect(role=role, url=url) as conn:
        return conn.execute(statement, params).fetchall()


def one_row(url: str, statement: str, params: Sequence | None = None):
    """The single row `statement` returns (as antt_reader); fails unless there is exactly one."""
    rows = query(url, statement, params)
    assert len(rows) == 1, rows
    return rows[0]


def admin_query(url: str, statement: str, params: Sequence | None = None):
    with psycopg.connect(url) as conn:
        return conn.execute(statement, params).fetchall()
