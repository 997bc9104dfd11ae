select
    p.province_code,
    p.province_name,
    p.province_name_short
from {{ source('raw', 'admin_province') }} as p
