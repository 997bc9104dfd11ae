select
    c.commune_code,
    c.district_code,
    c.province_code,
    c.commune_name,
    c.commune_name_short,
    c.commune_type
from {{ source('raw', 'admin_commune') }} as c
