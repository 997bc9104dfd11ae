-- Each old commune with its successor unit(s) at 2025-07-01 and the provinces on both sides:
-- the lineage the evaluation, the unit areas and marts.commune_lineage read.
select
    x.old_commune_code,
    o.district_code as old_district_code,
    o.province_code as old_province_code,
    x.new_commune_code,
    n.province_code as new_province_code,
    x.relation
from {{ ref('stg_raw__commune_crosswalk_2025') }} as x
inner join {{ ref('stg_raw__admin_commune') }} as o
    on x.old_commune_code = o.commune_code
inner join {{ ref('stg_raw__admin_commune_2025') }} as n
    on x.new_commune_code = n.commune_code
