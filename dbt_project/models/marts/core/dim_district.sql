select
    d.district_code,
    d.district_name,
    d.district_name_short,
    d.district_type,
    d.province_code,
    p.province_name
from {{ ref('stg_raw__admin_district') }} as d
inner join {{ ref('stg_raw__admin_province') }} as p
    on d.province_code = p.province_code
