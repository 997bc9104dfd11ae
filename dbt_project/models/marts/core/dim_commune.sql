-- The communes over time, one row per unit and unit list (era): the OLD communes, wards and towns
-- (valid until the day before var('new_units_from'), with their districts) and the NEW xã,
-- phường and đặc khu (valid from var('new_units_from'); no district level). A code may appear in
-- both with different territories (a merged unit keeps the code of one old commune): join on
-- (commune_code, era), or pick the row valid on a date.
select
    c.commune_code,
    c.commune_name,
    c.commune_name_short,
    c.commune_type,
    c.district_code,
    d.district_name,
    c.province_code,
    p.province_name,
    {{ era_validity('OLD') }}
from {{ ref('stg_raw__admin_commune') }} as c
inner join {{ ref('stg_raw__admin_district') }} as d
    on c.district_code = d.district_code
inner join {{ ref('stg_raw__admin_province') }} as p
    on c.province_code = p.province_code
union all
select
    n.commune_code,
    n.commune_name,
    n.commune_name_short,
    n.commune_type,
    cast(null as text) as district_code,
    cast(null as text) as district_name,
    n.province_code,
    p.province_name,
    {{ era_validity('NEW') }}
from {{ ref('stg_raw__admin_commune_2025') }} as n
inner join {{ ref('stg_raw__admin_province_2025') }} as p
    on n.province_code = p.province_code
