"""Row errors for a commune outside the unit's area, and for a code that exists only in the other
list of units (where the commune went, or what the new unit came from)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from antt.ingest.issues import CellError

if TYPE_CHECKING:
    from antt.ingest.filename import FileName
    from antt.ingest.reference import Commune, Reference


def _district(ref: Reference, district_code: str | None) -> str:
    """`Huyện Châu Thành` → `huyện Châu Thành`, as it reads inside a sentence."""
    name = ref.district_names.get(district_code or "", "")
    return name[:1].lower() + name[1:] if name else f"huyện {district_code}"


def other_list_error(code: str, new_list: bool, period: str, ref: Reference) -> CellError | None:
    """The error for `code` in a file whose period uses the new (`new_list`) or the old codes,
    when the code exists only in the other list; None when it is in neither."""
    if new_list:
        return _old_code_in_new_period(code, period, ref)
    return _new_code_in_old_period(code, period, ref)


def _old_code_in_new_period(code: str, period: str, ref: Reference) -> CellError | None:
    old = ref.communes.get(code)
    if old is None:
        return None
    where = f"xã {code} ({old.name}, {_district(ref, old.district_code)})"
    successors = [
        f"{ref.communes_2025[new].name} ({new})" for new, _relation in ref.successors.get(code, ())
    ]
    if len(successors) == 1:
        vi = f"{where} đã nhập vào {successors[0]} từ 01/07/2025"
        en = f"commune {code} merged into {successors[0]} on 1 July 2025"
    elif successors:
        vi = f"{where} đã được chia vào {', '.join(successors)} từ 01/07/2025"
        en = f"commune {code} was split into {', '.join(successors)} on 1 July 2025"
    else:
        vi = f"{where} không còn từ 01/07/2025"
        en = f"commune {code} ended on 30 June 2025"
    return CellError(
        "COMMUNE_CODE_ENDED",
        f"{vi}. Kỳ {period} dùng mã đơn vị hành chính có từ 01/07/2025.",
        f"{en}. Period {period} uses the codes valid from 1 July 2025.",
    )


def _new_code_in_old_period(code: str, period: str, ref: Reference) -> CellError | None:
    new = ref.communes_2025.get(code)
    if new is None:
        return None
    olds = [ref.communes[old] for old in ref.predecessors.get(code, ())]
    formed_vi = ", ".join(f"{c.name} ({c.code}, {_district(ref, c.district_code)})" for c in olds)
    formed_en = ", ".join(f"{c.name} ({c.code})" for c in olds)
    vi = f"mã {code} là {new.name}, đơn vị có từ 01/07/2025"
    en = f"code {code} is {new.name}, a unit valid from 1 July 2025"
    if olds:
        vi += f", lập từ {formed_vi}"
        en += f", formed from {formed_en}"
    return CellError(
        "COMMUNE_CODE_NOT_YET_VALID",
        f"{vi}. Kỳ {period} dùng mã đơn vị hành chính trước 01/07/2025.",
        f"{en}. Period {period} uses the codes valid before 1 July 2025.",
    )


def outside_area_error(commune: Commune, name: FileName, new_list: bool) -> CellError:
    """A commune of the period's list outside the unit's area: the whole file is rejected."""
    unit = name.unit_code
    if not new_list:
        return CellError(
            "COMMUNE_NOT_AUTHORIZED",
            f"Xã {commune.code} ({commune.name}, huyện {commune.district_code}, tỉnh "
            f"{commune.province_code}) không thuộc địa bàn của đơn vị {unit}; cả tệp bị từ chối.",
            f"Commune {commune.code} ({commune.name}, district {commune.district_code}, province "
            f"{commune.province_code}) is outside the area of unit {unit}; the whole file is "
            "rejected.",
        )
    return CellError(
        "COMMUNE_NOT_AUTHORIZED",
        f"Xã {commune.code} ({commune.name}, tỉnh {commune.province_code}) không thuộc địa bàn "
        f"của đơn vị {unit} trong kỳ {name.period}; cả tệp bị từ chối.",
        f"Commune {commune.code} ({commune.name}, province {commune.province_code}) is outside "
        f"the area of unit {unit} in period {name.period}; the whole file is rejected.",
    )
