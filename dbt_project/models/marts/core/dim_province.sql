-- The provinces over time, one row per province and unit list (era): the 63 OLD provinces (valid
-- until the day before var('new_units_from')) and the 34 NEW ones (from then on). Code 86 is both
-- the old and the new Vĩnh Long, with different territories: join on (province_code, era).
select
    p.province_code,
    p.province_name,
    p.province_name_short,
    {{ era_validity('OLD') }}
from {{ ref('stg_raw__admin_province') }} as p
union all
select
    n.province_code,
    n.province_name,
    regexp_replace(n.province_name, '^(Tỉnh|Thành phố) ', '') as province_name_short,
    {{ era_validity('NEW') }}
from {{ ref('stg_raw__admin_province_2025') }} as n
