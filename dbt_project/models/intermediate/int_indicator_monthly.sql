{{ config(materialized='view') }}
-- One value per (commune, month, indicator): when the provincial unit (CAT) has data for a
-- commune-month, that whole commune-month comes from it; otherwise from the district unit (CAH).
with reported as (
    select
        c.commune_code,
        c.period_month,
        c.indicator_code,
        c.value,
        c.unit_code,
        c.unit_level,
        c.submission_id
    from {{ ref('stg_chi_tieu') }} as c
    where c.unit_level in ('CAT', 'CAH')
),

ranked as (
    select
        r.*,
        dense_rank() over (
            partition by r.commune_code, r.period_month
            order by case r.unit_level when 'CAT' then 1 else 2 end
        ) as source_rank
    from reported as r
)

select
    r.commune_code,
    r.period_month,
    r.indicator_code,
    i.nhom as indicator_group,
    r.value,
    r.unit_code as source_unit,
    r.submission_id
from ranked as r
inner join {{ ref('indicators') }} as i
    on r.indicator_code = i.ma_chi_tieu
where r.source_rank = 1
