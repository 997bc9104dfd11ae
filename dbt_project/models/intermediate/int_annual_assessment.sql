-- The danh_gia_nam row of each commune-year; provincial over district (years up to 2024) or commune
-- police (from 2025) like chi_tieu and mo_hinh.
with ranked as (
    select
        d.*,
        row_number() over (
            partition by d.year, d.commune_code
            order by case d.unit_level when 'CAT' then 1 else 2 end, d.submission_id desc
        ) as source_rank
    from {{ ref('stg_raw__danh_gia_nam') }} as d
    where d.unit_level in ('CAT', 'CAH', 'CAX')
)

select
    r.year,
    r.commune_code,
    r.hamlets,
    r.safe_hamlets,
    r.movement_rating,
    r.is_police_advanced,
    r.unit_code as source_unit,
    r.submission_id
from ranked as r
where r.source_rank = 1
