"""Who may submit which dataset, for which periods, on which communes (contracts v1 and v2).

- CAH<district>: months up to 2025-02 and years up to 2024; the district's communes.
- CAX<commune>: with an old code months 2025-03…2025-06, with a new code months from 2025-07 and
  years from 2025; that commune only.
- CAT/VPDP<province>: an old province every period that uses old codes; a province valid from
  2025-07-01 every period. Its communes; for periods with old codes, a new province also every
  old commune whose successor lies in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from antt.ingest.filename import (
    COORDINATION_DATASETS,
    POLICE_DATASETS,
    RESTATEMENT_DATASETS,
    FileName,
)
from antt.ingest.issues import CellError
from antt.units import periods

if TYPE_CHECKING:
    from antt.ingest.reference import Reference

LAST_DISTRICT_MONTH = "2025-02"
LAST_OLD_MONTH = "2025-06"


def uses_new_codes(name: FileName) -> bool:
    """Whether the file's rows carry codes of the list valid from 2025-07-01."""
    return name.dataset in RESTATEMENT_DATASETS or periods.uses_new_codes(name.period)


def check_submitter(name: FileName, ref: Reference) -> None:
    """Raise `CellError` (a file error) when the unit is unknown, may not send the dataset, or
    may not send the period."""
    _check_known(name, ref)
    _check_dataset(name, ref)
    if name.dataset in RESTATEMENT_DATASETS:
        _check_restatement(name, ref)
    elif not _period_allowed(name, ref):
        vi, en = _allowed_periods(name, ref)
        raise CellError(
            "UNIT_PERIOD_NOT_ALLOWED",
            f"Đơn vị {name.unit_code} không được gửi báo cáo kỳ {name.period}; đơn vị này chỉ "
            f"được gửi {vi}.",
            f"Unit {name.unit_code} may not submit period {name.period}; it may submit {en}.",
        )


def submitter_area(name: FileName, ref: Reference) -> frozenset[str]:
    """The codes (of the list the file's period uses) the unit may report on."""
    code, kind = name.area_code, name.unit_kind
    if uses_new_codes(name):
        if kind == "CAX":
            return frozenset({code} & ref.communes_2025.keys())
        if kind in ("CAT", "VPDP"):
            return frozenset(c.code for c in ref.communes_2025.values() if c.province_code == code)
        return frozenset()
    if kind == "CAH":
        return frozenset(c.code for c in ref.communes.values() if c.district_code == code)
    if kind == "CAX":
        return frozenset({code} & ref.communes.keys())
    own = {c.code for c in ref.communes.values() if c.province_code == code}
    if code in ref.provinces_2025:
        new_province = {c.code for c in ref.communes_2025.values() if c.province_code == code}
        own |= {
            old
            for old, successors in ref.successors.items()
            if any(new in new_province for new, _relation in successors)
        }
    return frozenset(own)


def _unit_words(kind: str) -> tuple[str, str]:
    return {
        "CAH": ("huyện", "district"),
        "CAX": ("xã", "commune"),
    }.get(kind, ("tỉnh", "province"))


def _check_known(name: FileName, ref: Reference) -> None:
    code, kind = name.area_code, name.unit_kind
    if kind == "CAH":
        known = code in ref.district_province
    elif kind == "CAX":
        known = code in ref.communes or code in ref.communes_2025
    else:
        known = code in ref.provinces or code in ref.provinces_2025
    if not known:
        what_vi, what_en = _unit_words(kind)
        raise CellError(
            "UNIT_UNKNOWN",
            f"Đơn vị '{name.unit_code}' không tồn tại: không có {what_vi} mã "
            f"{code} trong danh mục hành chính.",
            f"Unit '{name.unit_code}' does not exist: no {what_en} with code "
            f"{code} in the administrative list.",
        )


def _check_dataset(name: FileName, ref: Reference) -> None:
    if name.unit_kind == "VPDP":
        allowed = COORDINATION_DATASETS
    elif name.unit_kind == "CAT":
        allowed = POLICE_DATASETS + RESTATEMENT_DATASETS
    else:
        allowed = POLICE_DATASETS
    if name.dataset not in allowed:
        # Only the police of a province valid from 2025-07-01 may restate (see below).
        restates = name.unit_kind == "CAT" and name.area_code in ref.provinces_2025
        shown = [d for d in allowed if restates or d not in RESTATEMENT_DATASETS]
        raise CellError(
            "DATASET_NOT_ALLOWED",
            f"Đơn vị {name.unit_code} không được gửi dữ liệu {name.dataset}; "
            f"đơn vị này chỉ gửi: {', '.join(shown)}.",
            f"Unit {name.unit_code} may not submit {name.dataset}; "
            f"it may submit: {', '.join(shown)}.",
        )


def _check_restatement(name: FileName, ref: Reference) -> None:
    if name.area_code not in ref.provinces_2025:
        into = ref.absorbing.get(name.area_code, "?")
        raise CellError(
            "DATASET_NOT_ALLOWED",
            f"Chỉ công an của một tỉnh có từ 01/07/2025 được gửi {name.dataset}; tỉnh "
            f"{name.area_code} không còn từ 01/07/2025 (nay thuộc tỉnh {into}): CAT{into} gửi "
            "số liệu quy đổi.",
            f"Only the police of a province valid from 1 July 2025 may submit {name.dataset}; "
            f"province {name.area_code} ended on 30 June 2025 (it is part of province {into}): "
            f"CAT{into} submits the restatement.",
        )
    if name.period > LAST_OLD_MONTH:
        raise CellError(
            "UNIT_PERIOD_NOT_ALLOWED",
            f"{name.dataset} chỉ quy đổi các tháng đến {LAST_OLD_MONTH} sang đơn vị mới; tháng "
            f"{name.period} đã dùng mã mới: gửi chi_tieu.",
            f"{name.dataset} restates months up to {LAST_OLD_MONTH} on the new units; month "
            f"{name.period} already uses the new codes: submit chi_tieu.",
        )


def _period_allowed(name: FileName, ref: Reference) -> bool:
    period, code, kind = name.period, name.area_code, name.unit_kind
    monthly = periods.is_month(period)
    new = periods.uses_new_codes(period)
    if kind == "CAH":
        return period <= LAST_DISTRICT_MONTH if monthly else not new
    if kind == "CAX":
        old_months = monthly and periods.COMMUNE_POLICE_FROM <= period <= LAST_OLD_MONTH
        return (old_months and code in ref.communes) or (new and code in ref.communes_2025)
    return code in ref.provinces_2025 or (not new and code in ref.provinces)


def _allowed_periods(name: FileName, ref: Reference) -> tuple[str, str]:
    """The periods the unit may submit, in words (Vietnamese, English)."""
    code, kind = name.area_code, name.unit_kind
    if kind == "CAH":
        return (
            f"các tháng đến {LAST_DISTRICT_MONTH} và các năm đến 2024 (công an huyện kết thúc "
            "hoạt động từ 01/03/2025; từ tháng 2025-03 công an xã báo cáo)",
            f"months up to {LAST_DISTRICT_MONTH} and years up to 2024 (district police were "
            "dissolved on 1 March 2025; commune police report from 2025-03)",
        )
    if kind == "CAX":
        parts_vi, parts_en = [], []
        old, new = ref.communes.get(code), ref.communes_2025.get(code)
        if old is not None:
            parts_vi.append(
                f"các tháng {periods.COMMUNE_POLICE_FROM} đến {LAST_OLD_MONTH} (mã cũ: {old.name})"
            )
            parts_en.append(
                f"months {periods.COMMUNE_POLICE_FROM} to {LAST_OLD_MONTH} (old code: {old.name})"
            )
        if new is not None:
            parts_vi.append(f"các tháng từ 2025-07 và các năm từ 2025 (mã mới: {new.name})")
            parts_en.append(f"months from 2025-07 and years from 2025 (new code: {new.name})")
        elif periods.uses_new_codes(name.period):
            # Who reports the commune's territory now: the police of its successor(s).
            units = ", ".join(
                f"CAX{code} ({ref.communes_2025[code].name})"
                for code, _relation in ref.successors.get(name.area_code, ())
            )
            parts_vi.append(f"từ 2025-07 địa bàn này do {units} báo cáo")
            parts_en.append(f"from 2025-07 its territory is reported by {units}")
        return "; ".join(parts_vi), "; ".join(parts_en)
    into = ref.absorbing.get(code, "?")
    return (
        f"các tháng đến {LAST_OLD_MONTH} và các năm đến 2024 (từ 01/07/2025 tỉnh {code} thuộc "
        f"tỉnh {into}; kỳ sau do đơn vị của tỉnh {into} báo cáo)",
        f"months up to {LAST_OLD_MONTH} and years up to 2024 (from 1 July 2025 province {code} "
        f"is part of province {into}, whose units report the later periods)",
    )
