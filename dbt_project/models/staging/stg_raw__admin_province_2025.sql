select
    p.province_code,
    p.province_name,
    p.province_type
from {{ source('raw', 'admin_province_2025') }} as p
