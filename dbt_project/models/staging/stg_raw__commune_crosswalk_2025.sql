-- Old commune -> new unit(s) at 2025-07-01 (WHOLE: all of it went into that unit; SPLIT: it was
-- divided over several units, one row each).
select
    x.old_commune_code,
    x.new_commune_code,
    upper(trim(x.relation)) as relation
from {{ source('raw', 'commune_crosswalk_2025') }} as x
