"""`<unit>_<period>_<dataset>.<csv|xlsx>`: parsed case-insensitively, never guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from antt.errors import AnttError
from antt.ingest.issues import CodedError
from antt.ingest.messages import phrase

# chi_tieu_quy_doi (contract v2): a month before 2025-07 re-counted on the new units.
MONTHLY_DATASETS = ("chi_tieu", "su_vu", "chi_tieu_quy_doi")
YEARLY_DATASETS = ("mo_hinh", "danh_gia_nam", "dang_ky_ntm")
DATASETS = MONTHLY_DATASETS + YEARLY_DATASETS
POLICE_DATASETS = ("chi_tieu", "su_vu", "mo_hinh", "danh_gia_nam")
COORDINATION_DATASETS = ("dang_ky_ntm",)
RESTATEMENT_DATASETS = ("chi_tieu_quy_doi",)
# Datasets with the chi_tieu layouts and cell rules.
COUNT_DATASETS = ("chi_tieu", "chi_tieu_quy_doi")

_NAME = re.compile(
    r"(?P<unit>(?P<kind>CAH|CAX|CAT|VPDP)(?P<area>[0-9]+))"
    r"_(?P<period>[0-9]{4}(?:-[0-9]{2})?)"
    r"_(?P<dataset>[a-z_]+?)"
    r"\.(?P<ext>csv|xlsx)",
    re.IGNORECASE | re.ASCII,
)
_AREA_DIGITS = {"CAH": 3, "CAX": 5, "CAT": 2, "VPDP": 2}
# The kind of area a unit's code names (a phrase of the message catalogue).
UNIT_AREA = {"CAH": "district", "CAX": "commune", "CAT": "province", "VPDP": "province"}
EXAMPLE = "CAH847_2023-06_chi_tieu.xlsx, VPDP84_2023_dang_ky_ntm.csv"


class FileNameError(CodedError, AnttError):
    """A file name that does not follow the contract; carries both languages and a code."""


@dataclass(frozen=True)
class FileName:
    unit_code: str  # CAH847, CAX29386, CAT84, VPDP84 (upper case)
    unit_kind: str  # CAH, CAX, CAT or VPDP
    area_code: str  # district code for CAH, commune code for CAX, province code otherwise
    period: str  # YYYY-MM or YYYY
    dataset: str
    fmt: str  # csv or xlsx

    @property
    def year(self) -> int:
        return int(self.period[:4])

    @property
    def month(self) -> int | None:
        return int(self.period[5:7]) if len(self.period) == 7 else None


_UNIT = re.compile(r"(CAH|CAX|CAT|VPDP)([0-9]+)", re.IGNORECASE | re.ASCII)


def parse_unit_code(text: str) -> tuple[str, str] | None:
    """`cah847` → ("CAH", "847"); None when it is not a unit code of the contract's form."""
    match = _UNIT.fullmatch(text.strip())
    if not match or len(match[2]) != _AREA_DIGITS[match[1].upper()]:
        return None
    return match[1].upper(), match[2]


def parse_file_name(name: str) -> FileName:
    match = _NAME.fullmatch(name)
    if not match:
        raise FileNameError("FILE_NAME_INVALID", "pattern", name=name, example=EXAMPLE)
    kind = match["kind"].upper()
    area = match["area"]
    dataset = match["dataset"].lower()
    period = match["period"]
    if len(area) != _AREA_DIGITS[kind]:
        raise FileNameError(
            "FILE_NAME_INVALID",
            "unit_digits",
            unit=match["unit"],
            kind=kind,
            digits=_AREA_DIGITS[kind],
            area=phrase(UNIT_AREA[kind]),
        )
    if dataset not in DATASETS:
        raise FileNameError(
            "FILE_NAME_INVALID", "dataset", dataset=match["dataset"], datasets=", ".join(DATASETS)
        )
    monthly = dataset in MONTHLY_DATASETS
    if len(period) != (7 if monthly else 4):
        raise FileNameError(
            "FILE_NAME_PERIOD", "monthly" if monthly else "yearly", dataset=dataset, period=period
        )
    year = int(period[:4])
    month = int(period[5:7]) if monthly else 1
    if not (1900 <= year <= 9999 and 1 <= month <= 12):
        raise FileNameError("FILE_NAME_PERIOD", "no_such_period", period=period)
    return FileName(
        unit_code=f"{kind}{area}",
        unit_kind=kind,
        area_code=area,
        period=period,
        dataset=dataset,
        fmt=match["ext"].lower(),
    )
