select
    c.commune_code,
    c.commune_name,
    c.commune_name_short,
    c.commune_type,
    c.district_code,
    d.district_name,
    c.province_code,
    p.province_name
from {{ ref('stg_raw__admin_commune') }} as c
inner join {{ ref('stg_raw__admin_district') }} as d
    on c.district_code = d.district_code
inner join {{ ref('stg_raw__admin_province') }} as p
    on c.province_code = p.province_code
