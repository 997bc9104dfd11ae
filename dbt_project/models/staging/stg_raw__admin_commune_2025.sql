select
    c.commune_code,
    c.province_code,
    c.commune_name,
    c.commune_name_short,
    c.commune_type
from {{ source('raw', 'admin_commune_2025') }} as c
