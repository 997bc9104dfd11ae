select
    p.province_code,
    p.province_name,
    p.province_name_short
from {{ ref('stg_raw__admin_province') }} as p
