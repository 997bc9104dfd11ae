-- The mo_hinh register that applies to each commune-year: the provincial unit's register of the
-- year when it has one, otherwise the district unit's. A register that lists no model for the
-- commune still applies (the commune then has none); no register at all means no row here.
with registers as (
    select
        s.submission_id,
        s.unit_code,
        s.unit_level,
        s.province_code,
        s.district_code,
        s.period_year as year
    from {{ ref('stg_raw__submissions') }} as s
    where s.is_current and s.dataset = 'mo_hinh' and s.unit_level in ('CAT', 'CAH')
),

candidates as (
    select
        r.year,
        c.commune_code,
        r.submission_id,
        r.unit_code,
        r.unit_level,
        row_number() over (
            partition by r.year, c.commune_code
            order by case r.unit_level when 'CAT' then 1 else 2 end, r.submission_id desc
        ) as register_rank
    from registers as r
    inner join {{ ref('stg_raw__admin_commune') }} as c
        on
            (r.unit_level = 'CAT' and r.province_code = c.province_code)
            or (r.unit_level = 'CAH' and r.district_code = c.district_code)
)

select
    c.year,
    c.commune_code,
    c.submission_id as register_submission_id,
    c.unit_code as register_unit
from candidates as c
where c.register_rank = 1
