"""Row errors for a commune code that exists only in the other list: where it went, or came from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from antt.ingest.issues import CellError

if TYPE_CHECKING:
    from antt.ingest.reference import Reference


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
