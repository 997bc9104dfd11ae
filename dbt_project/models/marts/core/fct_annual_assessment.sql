select
    a.year,
    a.commune_code,
    a.hamlets,
    a.safe_hamlets,
    round(cast(a.safe_hamlets as numeric) / a.hamlets, 4) as safe_hamlet_ratio,
    a.movement_rating,
    a.is_police_advanced,
    a.source_unit,
    a.submission_id
from {{ ref('int_annual_assessment') }} as a
