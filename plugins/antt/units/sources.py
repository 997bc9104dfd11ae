"""What the two PyPI packages ship: the old list, and vietnamadminunits' view of the 2025 change.

vietnamadminunits keys everything by names without diacritics (`tinhvinhlong`, `xasongloc`);
its `dataset.db` ties those keys to the old official codes and to the new units' names. Its own
new codes are never used: some differ from the official ones (vietnam-provinces).
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from antt.errors import AnttError


def package_data_file(package: str, name: str) -> Path:
    """A file of `package`/data, found without importing the package (an import takes seconds)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise AnttError(
            f"thiếu gói {package} (chạy `make setup`) / the {package} package is missing"
            " (run `make setup`)"
        )
    return Path(spec.submodule_search_locations[0]) / "data" / name


def admin_units_db() -> Path:
    return package_data_file("vietnamadminunits", "dataset.db")


@contextmanager
def admin_units() -> Iterator[sqlite3.Connection]:
    """vietnamadminunits' dataset, read-only, closed on leaving (sqlite3's own `with` only ends
    a transaction: the file stayed open until the garbage collector came by)."""
    with closing(sqlite3.connect(f"file:{admin_units_db()}?mode=ro", uri=True)) as lite:
        yield lite


@dataclass(frozen=True)
class ConverterData:
    """`converter_2025.json`, with the old keys and the new unit names resolved from dataset.db."""

    # new province key -> old province keys it absorbed
    provinces: dict[str, list[str]]
    # new province key -> new ward key -> old keys that went whole into it
    whole: dict[str, dict[str, list[str]]]
    # new province key -> old key -> new ward keys it was split over
    split: dict[str, dict[str, list[str]]]
    # "<provinceKey>_<districtKey>_<wardKey>" -> old commune code
    old_commune_codes: dict[str, str]
    # "<provinceKey>_<districtKey>_" of a district without communes -> its name
    district_without_communes: dict[str, str]
    # old province key -> old province code
    old_province_codes: dict[str, str]
    # new province key -> new province name (with diacritics)
    new_province_names: dict[str, str]
    # (new province key, new ward key) -> new unit name (with diacritics)
    new_unit_names: dict[tuple[str, str], str]
    # (new province key, new ward key) -> vietnamadminunits' own code (not always official)
    new_unit_package_codes: dict[tuple[str, str], str]


@lru_cache(maxsize=1)
def converter_data() -> ConverterData:
    raw = json.loads(
        package_data_file("vietnamadminunits", "converter_2025.json").read_text("utf-8")
    )
    with admin_units() as lite:
        old_rows = lite.execute(
            "SELECT provinceKey, districtKey, wardKey, wardCode, provinceCode, district"
            " FROM admin_units_legacy"
        ).fetchall()
        new_rows = lite.execute(
            "SELECT provinceKey, province, wardKey, ward, wardCode FROM admin_units"
        ).fetchall()
    old_commune_codes, without_communes, old_provinces = {}, {}, {}
    for province_key, district_key, ward_key, ward_code, province_code, district in old_rows:
        old_provinces[province_key] = province_code
        if ward_code is None:
            without_communes[f"{province_key}_{district_key}_"] = district
        else:
            old_commune_codes[f"{province_key}_{district_key}_{ward_key}"] = ward_code
    return ConverterData(
        provinces=raw["DICT_PROVINCE"],
        whole=raw["DICT_PROVINCE_WARD_NO_DIVIDED"],
        split={
            province: {old: [e["newWardKey"] for e in entries] for old, entries in olds.items()}
            for province, olds in raw["DICT_PROVINCE_WARD_DIVIDED"].items()
        },
        old_commune_codes=old_commune_codes,
        district_without_communes=without_communes,
        old_province_codes=old_provinces,
        new_province_names={row[0]: row[1] for row in new_rows},
        new_unit_names={(row[0], row[2]): row[3] for row in new_rows},
        new_unit_package_codes={(row[0], row[2]): row[4] for row in new_rows},
    )
