"""`antt db init`: schemas, least-privilege roles and the official administrative units."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
import psycopg.errors
from psycopg import sql

from antt.config import INCLUDE_DIR
from antt.units.crosswalk import read_crosswalk
from antt.warehouse import ROLE_NAMES, connect

BOOTSTRAP_SQL = INCLUDE_DIR / "sql" / "bootstrap.sql"
ROLE_ATTRIBUTES = sql.SQL("LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")


@dataclass
class InitReport:
    roles_created: list[str]
    provinces_added: int
    districts_added: int
    communes_added: int
    provinces_2025_added: int = 0
    communes_2025_added: int = 0
    crosswalk_added: int = 0
    crosswalk_removed: int = 0
    crosswalk_rows: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.roles_created
            or self.provinces_added
            or self.districts_added
            or self.communes_added
            or self.provinces_2025_added
            or self.communes_2025_added
            or self.crosswalk_added
            or self.crosswalk_removed
        )


def read_admin_units() -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Provinces, districts and communes of the pre-2025 three-level list."""
    from antt.units.sources import admin_units

    with admin_units() as lite:
        provinces = lite.execute(
            "SELECT DISTINCT provinceCode, province, provinceShort FROM admin_units_legacy"
        ).fetchall()
        districts = lite.execute(
            "SELECT DISTINCT districtCode, provinceCode, district, districtShort, districtType"
            " FROM admin_units_legacy"
        ).fetchall()
        communes = lite.execute(
            "SELECT wardCode, districtCode, provinceCode, ward, wardShort, wardType"
            " FROM admin_units_legacy WHERE wardCode IS NOT NULL"
        ).fetchall()
    return provinces, districts, communes


_PROVINCE_TYPES_2025 = {"TINH": "Tỉnh", "THANH_PHO_TRUNG_UONG": "Thành phố"}
_COMMUNE_TYPES_2025 = {"XA": "Xã", "PHUONG": "Phường", "DAC_KHU": "Đặc khu"}


def read_units_2025() -> tuple[list[tuple], list[tuple]]:
    """Provinces and commune-level units valid from 2025-07-01 (official codes)."""
    from vietnam_provinces import Province, Ward

    provinces = [
        (f"{int(p.code):02d}", p.name, _PROVINCE_TYPES_2025[p.division_type.name])
        for p in Province.iter_all()
    ]
    communes = []
    for ward in Ward.iter_all():
        kind = _COMMUNE_TYPES_2025[ward.division_type.name]
        short = ward.name.removeprefix(kind).strip()
        communes.append(
            (f"{int(ward.code):05d}", f"{int(ward.province_code):02d}", ward.name, short, kind)
        )
    return provinces, communes


def _ensure_roles(conn: psycopg.Connection) -> list[str]:
    created = []
    for role in ROLE_NAMES.values():
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if exists:
            continue
        try:
            with conn.transaction():  # a savepoint: another database may create it concurrently
                conn.execute(
                    sql.SQL("CREATE ROLE {} ").format(sql.Identifier(role)) + ROLE_ATTRIBUTES
                )
            created.append(role)
        except (psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
            pass
    is_super = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    if not is_super[0]:
        # A non-superuser owner needs membership to SET ROLE at run time.
        for role in ROLE_NAMES.values():
            conn.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(sql.Identifier(role)))
    return created


def _insert_new(conn: psycopg.Connection, table: str, columns: list[str], rows: list[tuple]) -> int:
    stmt = sql.SQL("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING").format(
        sql.Identifier("raw", table),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(", ").join(sql.Placeholder() * len(columns)),
    )
    before = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("raw", table)))
    count_before = before.fetchone()[0]
    if count_before == len(rows):
        return 0
    with conn.cursor() as cur:
        cur.executemany(stmt, rows)
    after = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("raw", table)))
    return after.fetchone()[0] - count_before


def _sync_crosswalk(conn: psycopg.Connection, rows: list) -> tuple[int, int]:
    """Make raw.commune_crosswalk_2025 equal the reviewed CSV: (rows added, rows removed)."""
    wanted = {(r.old_commune_code, r.new_commune_code, r.relation) for r in rows}
    present = set(
        conn.execute(
            "SELECT old_commune_code, new_commune_code, relation FROM raw.commune_crosswalk_2025"
        ).fetchall()
    )
    removed, added = sorted(present - wanted), sorted(wanted - present)
    with conn.cursor() as cur:
        cur.executemany(
            "DELETE FROM raw.commune_crosswalk_2025"
            " WHERE old_commune_code = %s AND new_commune_code = %s AND relation = %s",
            removed,
        )
        cur.executemany(
            "INSERT INTO raw.commune_crosswalk_2025 (old_commune_code, new_commune_code, relation)"
            " VALUES (%s, %s, %s)",
            added,
        )
    return len(added), len(removed)


def init_database(url: str) -> InitReport:
    """Bootstrap the database at `url`; safe to run again (a second run changes nothing)."""
    provinces, districts, communes = read_admin_units()
    provinces_2025, communes_2025 = read_units_2025()
    crosswalk = read_crosswalk()
    with connect(url=url) as conn:
        # One bootstrap at a time per server: roles are cluster-wide.
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('antt_bootstrap'))")
        roles_created = _ensure_roles(conn)
        conn.execute(BOOTSTRAP_SQL.read_text(encoding="utf-8"))
        report = InitReport(
            roles_created=roles_created,
            provinces_added=_insert_new(
                conn,
                "admin_province",
                ["province_code", "province_name", "province_name_short"],
                provinces,
            ),
            districts_added=_insert_new(
                conn,
                "admin_district",
                [
                    "district_code",
                    "province_code",
                    "district_name",
                    "district_name_short",
                    "district_type",
                ],
                districts,
            ),
            communes_added=_insert_new(
                conn,
                "admin_commune",
                [
                    "commune_code",
                    "district_code",
                    "province_code",
                    "commune_name",
                    "commune_name_short",
                    "commune_type",
                ],
                communes,
            ),
            provinces_2025_added=_insert_new(
                conn,
                "admin_province_2025",
                ["province_code", "province_name", "province_type"],
                provinces_2025,
            ),
            communes_2025_added=_insert_new(
                conn,
                "admin_commune_2025",
                [
                    "commune_code",
                    "province_code",
                    "commune_name",
                    "commune_name_short",
                    "commune_type",
                ],
                communes_2025,
            ),
        )
        report.crosswalk_added, report.crosswalk_removed = _sync_crosswalk(conn, crosswalk)
        report.crosswalk_rows = len(crosswalk)
        conn.commit()
    return report
