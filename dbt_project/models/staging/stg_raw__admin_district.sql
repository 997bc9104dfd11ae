select
    d.district_code,
    d.province_code,
    d.district_name,
    d.district_name_short,
    d.district_type
from {{ source('raw', 'admin_district') }} as d
