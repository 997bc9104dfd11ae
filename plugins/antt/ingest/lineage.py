"""Row errors for a commune outside the unit's area, and for a code that exists only in the other
list of units (where the commune went, or what the new unit came from)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from antt.ingest.issues import CellError
from antt.ingest.messages import Bilingual, joined, phrase

if TYPE_CHECKING:
    from antt.ingest.filename import FileName
    from antt.ingest.reference import Commune, Reference


def _district(ref: Reference, district_code: str | None) -> Bilingual | str:
    """`Huyện Châu Thành` → `huyện Châu Thành`, as it reads inside a sentence."""
    name = ref.district_names.get(district_code or "", "")
    return name[:1].lower() + name[1:] if name else phrase("district_code", code=district_code)


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
    district = _district(ref, old.district_code)
    successors = [
        f"{ref.communes_2025[new].name} ({new})" for new, _relation in ref.successors.get(code, ())
    ]
    if not successors:
        return CellError(
            "COMMUNE_CODE_ENDED",
            "ended",
            code=code,
            name=old.name,
            district=district,
            period=period,
        )
    return CellError(
        "COMMUNE_CODE_ENDED",
        "merged" if len(successors) == 1 else "split",
        code=code,
        name=old.name,
        district=district,
        successors=", ".join(successors),
        period=period,
    )


def _new_code_in_old_period(code: str, period: str, ref: Reference) -> CellError | None:
    new = ref.communes_2025.get(code)
    if new is None:
        return None
    olds = [ref.communes[old] for old in ref.predecessors.get(code, ())]
    if not olds:
        return CellError(
            "COMMUNE_CODE_NOT_YET_VALID", "no_origin", code=code, name=new.name, period=period
        )
    origins = joined(
        ", ",
        (
            phrase("origin", name=c.name, code=c.code, district=_district(ref, c.district_code))
            for c in olds
        ),
    )
    return CellError(
        "COMMUNE_CODE_NOT_YET_VALID",
        "formed",
        code=code,
        name=new.name,
        origins=origins,
        period=period,
    )


def outside_area_error(commune: Commune, name: FileName, new_list: bool) -> CellError:
    """A commune of the period's list outside the unit's area: the whole file is rejected."""
    if not new_list:
        return CellError(
            "COMMUNE_NOT_AUTHORIZED",
            "old_codes",
            code=commune.code,
            name=commune.name,
            district=commune.district_code,
            province=commune.province_code,
            unit=name.unit_code,
        )
    return CellError(
        "COMMUNE_NOT_AUTHORIZED",
        "new_codes",
        code=commune.code,
        name=commune.name,
        province=commune.province_code,
        unit=name.unit_code,
        period=name.period,
    )
