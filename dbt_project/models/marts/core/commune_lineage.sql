-- Old commune -> new unit(s) on var('new_units_from'): one row per (old commune, new unit), WHOLE
-- when all of the old commune went into that unit, SPLIT when it was divided over several.
select
    s.old_commune_code as old_code,
    o.commune_name as old_name,
    s.old_district_code,
    s.old_province_code,
    s.new_commune_code as new_code,
    n.commune_name as new_name,
    n.commune_type as new_type,
    s.new_province_code,
    s.relation,
    date '{{ var("new_units_from") }}' as valid_from
from {{ ref('int_commune_successors') }} as s
inner join {{ ref('stg_raw__admin_commune') }} as o
    on s.old_commune_code = o.commune_code
inner join {{ ref('stg_raw__admin_commune_2025') }} as n
    on s.new_commune_code = n.commune_code
