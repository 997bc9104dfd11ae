"""Reference data the validator needs, loaded once per process and warehouse database."""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass, field

import psycopg

from antt.config import SEEDS_DIR
from antt.ingest.filename import FileName
from antt.ingest.normalize import commune_name_keys, normalize_header
from antt.ingest.submitters import check_submitter, submitter_area, uses_new_codes

LOAI_MO_HINH = ("TU_QUAN", "CAMERA_AN_NINH", "PHONG_CHONG_TOI_PHAM", "KHAC")
DANH_GIA = ("HIEU_QUA", "CHUA_HIEU_QUA")
XEP_LOAI_PHONG_TRAO = ("TOT", "KHA", "TRUNG_BINH", "YEU")
MUC_DA_DAT = ("CHUA", "NTM", "NTM_NANG_CAO", "NTM_KIEU_MAU")
MUC_DANG_KY = ("KHONG", "NTM", "NTM_NANG_CAO", "NTM_KIEU_MAU")
# Incident types whose `trai_phap_luat` (lawful or not) must be given.
COMPLAINT_TYPES = frozenset({"KHIEU_KIEN_DONG_NGUOI", "KHIEU_KIEN_VUOT_CAP"})


def code_map(codes) -> dict[str, str]:
    """Normalized key → canonical code, for matching codes "after header normalization"."""
    return {normalize_header(code): code for code in codes}


def _seed_codes(file_name: str, column: str) -> tuple[str, ...]:
    with (SEEDS_DIR / file_name).open(encoding="utf-8-sig", newline="") as handle:
        return tuple(row[column].strip() for row in csv.DictReader(handle))


INDICATORS = _seed_codes("indicators.csv", "ma_chi_tieu")
EVENT_TYPES = _seed_codes("loai_su_vu.csv", "loai")


@dataclass(frozen=True)
class Commune:
    code: str
    district_code: str | None  # None for a unit valid from 2025-07-01 (no districts)
    province_code: str
    name: str
    name_short: str


# The most (commune, name) checks a process keeps in each of `Reference`'s two name caches.
NAMES_KEPT = 100_000


@dataclass
class Reference:
    communes: dict[str, Commune]  # valid until 2025-06-30
    district_province: dict[str, str]
    provinces: frozenset[str]
    _areas: dict[tuple, frozenset[str]] = field(default_factory=dict)
    _name_keys: dict[tuple[str, bool], frozenset[str]] = field(default_factory=dict)
    # (ma_xa, ten_xa cell, new list) -> the checked name or its error; filled by the validator.
    ten_xa_checked: dict[tuple, object] = field(default_factory=dict)
    # The same for the column-wise path, on the file's bytes: -> the name's COPY text, encoded.
    ten_xa_copy: dict[tuple[bytes, bytes, bool], bytes] = field(default_factory=dict)
    # Contract v2: the units valid from 2025-07-01 and the crosswalk between the two lists.
    communes_2025: dict[str, Commune] = field(default_factory=dict)
    provinces_2025: frozenset[str] = frozenset()
    district_names: dict[str, str] = field(default_factory=dict)
    successors: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    predecessors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    absorbing: dict[str, str] = field(default_factory=dict)  # old province -> new province

    def communes_of(self, new_list: bool) -> dict[str, Commune]:
        return self.communes_2025 if new_list else self.communes

    def check_unit(self, name: FileName) -> None:
        """Raise `CellError` when the unit does not exist, may not send this dataset, or may
        not send this period."""
        check_submitter(name, self)

    def province_of(self, name: FileName) -> str:
        """The province of a known unit in the file's period: a district's for CAH, a commune's
        (in the list the period uses) for CAX, the code itself for CAT and VPDP."""
        if name.unit_kind == "CAH":
            return self.district_province[name.area_code]
        if name.unit_kind == "CAX":
            return self.communes_of(uses_new_codes(name))[name.area_code].province_code
        return name.area_code

    def area(self, name: FileName) -> frozenset[str]:
        """The commune codes the unit may report on in the file's period."""
        key = (name.unit_code, uses_new_codes(name))
        if key not in self._areas:
            self._areas[key] = submitter_area(name, self)
        return self._areas[key]

    def name_keys(self, commune_code: str, new_list: bool = False) -> frozenset[str]:
        keys = self._name_keys.get((commune_code, new_list))
        if keys is None:
            commune = self.communes_of(new_list)[commune_code]
            keys = commune_name_keys(commune.name, commune.name_short)
            self._name_keys[(commune_code, new_list)] = keys
        return keys


_cache: dict[tuple, Reference] = {}
_cache_lock = threading.Lock()


def reference_for(conn: psycopg.Connection) -> Reference:
    """The reference data of the connection's database (cached per server and database)."""
    key = (conn.info.host, conn.info.port, conn.info.dbname)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    with conn.cursor() as cur:
        cur.execute(
            "SELECT commune_code, district_code, province_code, commune_name, commune_name_short"
            " FROM raw.admin_commune"
        )
        communes = {row[0]: Commune(*row) for row in cur}
        cur.execute("SELECT district_code, province_code FROM raw.admin_district")
        districts = dict(cur.fetchall())
        cur.execute("SELECT province_code FROM raw.admin_province")
        provinces = frozenset(row[0] for row in cur)
        v2 = _read_units_2025(cur)
    conn.rollback()  # end the read-only transaction the queries opened
    reference = Reference(communes, districts, provinces, **v2)
    with _cache_lock:
        _cache[key] = reference
    return reference


def _read_units_2025(cur: psycopg.Cursor) -> dict:
    cur.execute("SELECT district_code, district_name FROM raw.admin_district")
    district_names = dict(cur.fetchall())
    cur.execute(
        "SELECT commune_code, NULL, province_code, commune_name, commune_name_short"
        " FROM raw.admin_commune_2025"
    )
    communes_2025 = {row[0]: Commune(*row) for row in cur}
    cur.execute("SELECT province_code FROM raw.admin_province_2025")
    provinces_2025 = frozenset(row[0] for row in cur)
    cur.execute(
        "SELECT old_commune_code, new_commune_code, relation FROM raw.commune_crosswalk_2025"
        " ORDER BY old_commune_code, new_commune_code"
    )
    successors: dict[str, list[tuple[str, str]]] = {}
    predecessors: dict[str, list[str]] = {}
    for old, new, relation in cur:
        successors.setdefault(old, []).append((new, relation))
        predecessors.setdefault(new, []).append(old)
    province_of_new = {code: c.province_code for code, c in communes_2025.items()}
    cur.execute("SELECT commune_code, province_code FROM raw.admin_commune")
    absorbing = {
        province: province_of_new[successors[old][0][0]]
        for old, province in cur
        if old in successors
    }
    return {
        "absorbing": absorbing,
        "communes_2025": communes_2025,
        "provinces_2025": provinces_2025,
        "district_names": district_names,
        "successors": {k: tuple(v) for k, v in successors.items()},
        "predecessors": {k: tuple(v) for k, v in predecessors.items()},
    }


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
