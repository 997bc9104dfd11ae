"""Administrative units across the 2025 reorganisation: the two lists and the crosswalk.

from antt import units
units.old_communes("84")          # communes valid until 2025-06-30 of an old province
units.new_units("86")             # units valid from 2025-07-01 of a new province
units.crosswalk_rows("86")        # reviewed rows old -> new whose new unit lies in 86
units.successors("29392"), units.predecessors("29386")
units.absorbing_province("84")    # "86": the new province that took over an old one
"""

from antt.units.crosswalk import (
    CrosswalkRow,
    crosswalk_rows,
    predecessors,
    successors,
)
from antt.units.lists import (
    NewUnit,
    OldCommune,
    new_province_names,
    new_unit,
    new_units,
    old_commune,
    old_communes,
    old_province_names,
)
from antt.units.periods import (
    BOUNDARY_MONTH,
    COMMUNE_POLICE_FROM,
    absorbing_province,
    old_provinces_of,
    uses_new_codes,
)

__all__ = [
    "BOUNDARY_MONTH",
    "COMMUNE_POLICE_FROM",
    "CrosswalkRow",
    "NewUnit",
    "OldCommune",
    "absorbing_province",
    "crosswalk_rows",
    "new_province_names",
    "new_unit",
    "new_units",
    "old_commune",
    "old_communes",
    "old_province_names",
    "old_provinces_of",
    "predecessors",
    "successors",
    "uses_new_codes",
]
