-- NTM level held at the start of the year and level registered for the year, per commune.
select
    r.year,
    r.commune_code,
    r.held_level,
    r.held_since_year,
    r.registered_level,
    r.unit_code as source_unit,
    r.submission_id
from {{ ref('stg_raw__dang_ky_ntm') }} as r
