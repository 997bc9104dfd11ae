"""Reference data the validator needs, loaded once per process and warehouse database."""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass, field

import psycopg

from antt.config import SEEDS_DIR
from antt.ingest.filename import COORDINATION_DATASETS, POLICE_DATASETS, FileName
from antt.ingest.issues import CellError
from antt.ingest.normalize import commune_name_keys, normalize_header

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
EVENT_TYPES = _seed_codes("event_types.csv", "loai")


@dataclass(frozen=True)
class Commune:
    code: str
    district_code: str
    province_code: str
    name: str
    name_short: str


@dataclass
class Reference:
    communes: dict[str, Commune]
    district_province: dict[str, str]
    provinces: frozenset[str]
    _areas: dict[str, frozenset[str]] = field(default_factory=dict)
    _name_keys: dict[str, frozenset[str]] = field(default_factory=dict)
    # (ma_xa, ten_xa cell) -> the checked name or its error; filled by the validator.
    ten_xa_checked: dict[tuple[str, object], object] = field(default_factory=dict)

    def check_unit(self, name: FileName) -> None:
        """Raise `CellError` when the unit does not exist or may not send this dataset."""
        known = (
            name.area_code in self.district_province
            if name.unit_kind == "CAH"
            else name.area_code in self.provinces
        )
        if not known:
            what_vi = "huyện" if name.unit_kind == "CAH" else "tỉnh"
            what_en = "district" if name.unit_kind == "CAH" else "province"
            raise CellError(
                "UNIT_UNKNOWN",
                f"Đơn vị '{name.unit_code}' không tồn tại: không có {what_vi} mã "
                f"{name.area_code} trong danh mục hành chính.",
                f"Unit '{name.unit_code}' does not exist: no {what_en} with code "
                f"{name.area_code} in the administrative list.",
            )
        allowed = COORDINATION_DATASETS if name.unit_kind == "VPDP" else POLICE_DATASETS
        if name.dataset not in allowed:
            raise CellError(
                "DATASET_NOT_ALLOWED",
                f"Đơn vị {name.unit_code} không được gửi dữ liệu {name.dataset}; "
                f"đơn vị này chỉ gửi: {', '.join(allowed)}.",
                f"Unit {name.unit_code} may not submit {name.dataset}; "
                f"it may submit: {', '.join(allowed)}.",
            )

    def province_of(self, name: FileName) -> str:
        """The province of a known unit (a district's for CAH)."""
        if name.unit_kind == "CAH":
            return self.district_province[name.area_code]
        return name.area_code

    def area(self, name: FileName) -> frozenset[str]:
        """The commune codes the unit may report on."""
        unit = name.unit_code
        if unit not in self._areas:
            if name.unit_kind == "CAH":
                codes = (
                    c.code for c in self.communes.values() if c.district_code == name.area_code
                )
            else:
                codes = (
                    c.code for c in self.communes.values() if c.province_code == name.area_code
                )
            self._areas[unit] = frozenset(codes)
        return self._areas[unit]

    def name_keys(self, commune_code: str) -> frozenset[str]:
        keys = self._name_keys.get(commune_code)
        if keys is None:
            commune = self.communes[commune_code]
            keys = commune_name_keys(commune.name, commune.name_short)
            self._name_keys[commune_code] = keys
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
    conn.rollback()  # end the read-only transaction the queries opened
    reference = Reference(communes, districts, provinces)
    with _cache_lock:
        _cache[key] = reference
    return reference


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
