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
    UNIT_AREA,
    FileName,
)
from antt.ingest.issues import CellError
from antt.ingest.messages import Bilingual, joined, phrase
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
        raise CellError(
            "UNIT_PERIOD_NOT_ALLOWED",
            "periods",
            unit=name.unit_code,
            period=name.period,
            periods=_allowed_periods(name, ref),
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
        # the old communes with a successor in the new province (by the crosswalk's other side:
        # a scan of every old commune's successors cost 30 ms a province, per loader process)
        own |= {old for new in new_province for old in ref.predecessors.get(new, ())}
    return frozenset(own)


def _check_known(name: FileName, ref: Reference) -> None:
    code, kind = name.area_code, name.unit_kind
    if kind == "CAH":
        known = code in ref.district_province
    elif kind == "CAX":
        known = code in ref.communes or code in ref.communes_2025
    else:
        known = code in ref.provinces or code in ref.provinces_2025
    if not known:
        raise CellError(
            "UNIT_UNKNOWN", unit=name.unit_code, kind=phrase(UNIT_AREA[kind]), code=code
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
            "unit_kind",
            unit=name.unit_code,
            dataset=name.dataset,
            allowed=", ".join(shown),
        )


def _check_restatement(name: FileName, ref: Reference) -> None:
    if name.area_code not in ref.provinces_2025:
        into = ref.absorbing.get(name.area_code, "?")
        raise CellError(
            "DATASET_NOT_ALLOWED",
            "restatement",
            dataset=name.dataset,
            province=name.area_code,
            into=into,
        )
    if name.period > LAST_OLD_MONTH:
        raise CellError(
            "UNIT_PERIOD_NOT_ALLOWED",
            "restated_month",
            dataset=name.dataset,
            last_old_month=LAST_OLD_MONTH,
            period=name.period,
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


def _allowed_periods(name: FileName, ref: Reference) -> Bilingual:
    """The periods the unit may submit, in words."""
    code, kind = name.area_code, name.unit_kind
    if kind == "CAH":
        return phrase("periods_district_police", last_month=LAST_DISTRICT_MONTH)
    if kind == "CAX":
        parts = []
        old, new = ref.communes.get(code), ref.communes_2025.get(code)
        if old is not None:
            parts.append(
                phrase(
                    "periods_old_commune",
                    first=periods.COMMUNE_POLICE_FROM,
                    last=LAST_OLD_MONTH,
                    name=old.name,
                )
            )
        if new is not None:
            parts.append(phrase("periods_new_commune", name=new.name))
        elif periods.uses_new_codes(name.period):
            # Who reports the commune's territory now: the police of its successor(s).
            units = ", ".join(
                f"CAX{code} ({ref.communes_2025[code].name})"
                for code, _relation in ref.successors.get(name.area_code, ())
            )
            parts.append(phrase("periods_reported_by_successors", units=units))
        return joined("; ", parts)
    return phrase(
        "periods_old_province",
        last_month=LAST_OLD_MONTH,
        province=code,
        into=ref.absorbing.get(code, "?"),
    )
