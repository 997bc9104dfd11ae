-- The mo_hinh register that applies to each commune-year: the provincial unit's register of the
-- year when it has one, otherwise the district unit's (years up to 2024) or the commune police's
-- (from 2025). A register that lists no model for the commune still applies (the commune then has
-- none); no register at all means no row here. The year decides the unit list: old communes up
-- to var('new_units_from_year') - 1, new units from then on. A new province's police register for
-- an earlier year covers every old commune whose successor lies in that province.
with registers as (
    select
        s.submission_id,
        s.unit_code,
        s.unit_level,
        s.unit_area_code,
        s.province_code,
        s.district_code,
        s.commune_code,
        s.period_year as year
    from {{ ref('stg_raw__submissions') }} as s
    where s.is_current and s.dataset = 'mo_hinh' and s.unit_level in ('CAT', 'CAH', 'CAX')
),

covered as (
    select
        r.year,
        c.commune_code,
        r.submission_id,
        r.unit_level
    from registers as r
    inner join {{ ref('stg_raw__admin_commune') }} as c
        on
            (r.unit_level = 'CAT' and r.province_code = c.province_code)
            or (r.unit_level = 'CAH' and r.district_code = c.district_code)
    where r.year < {{ var("new_units_from_year") }}
    union
    select
        r.year,
        l.old_commune_code as commune_code,
        r.submission_id,
        r.unit_level
    from registers as r
    inner join {{ ref('int_commune_successors') }} as l
        on r.unit_area_code = l.new_province_code
    where r.year < {{ var("new_units_from_year") }} and r.unit_level = 'CAT'
    union
    select
        r.year,
        n.commune_code,
        r.submission_id,
        r.unit_level
    from registers as r
    inner join {{ ref('stg_raw__admin_commune_2025') }} as n
        on
            (r.unit_level = 'CAT' and r.province_code = n.province_code)
            or (r.unit_level = 'CAX' and r.commune_code = n.commune_code)
    where r.year >= {{ var("new_units_from_year") }}
),

candidates as (
    select
        c.year,
        c.commune_code,
        c.submission_id,
        r.unit_code,
        row_number() over (
            partition by c.year, c.commune_code
            order by case c.unit_level when 'CAT' then 1 else 2 end, c.submission_id desc
        ) as register_rank
    from covered as c
    inner join registers as r
        on c.submission_id = r.submission_id
)

select
    c.year,
    c.commune_code,
    c.submission_id as register_submission_id,
    c.unit_code as register_unit
from candidates as c
where c.register_rank = 1
