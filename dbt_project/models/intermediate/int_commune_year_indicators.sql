-- Yearly sums and complete-data flags per commune-year, from the resolved monthly values.
-- A month is complete when every TTXH and TE_NAN_XA_HOI indicator has a non-NULL value.
with required as (
    select count(*) as n_required
    from {{ ref('indicators') }} as i
    where i.nhom in ('TTXH', 'TE_NAN_XA_HOI')
),

monthly as (
    select
        f.commune_code,
        cast(extract(year from f.period_month) as integer) as year,
        f.period_month,
        count(*) filter (
            where f.indicator_group in ('TTXH', 'TE_NAN_XA_HOI') and f.value is not null
        ) as n_required_reported,
        sum(f.value) filter (where f.indicator_group = 'TTXH') as ttxh,
        sum(f.value) filter (where f.indicator_group = 'TE_NAN_XA_HOI') as tnxh,
        sum(f.value) filter (where f.indicator_code = 'DT_TAI_PHAM') as dt_tai_pham,
        bool_or(f.indicator_code = 'DT_TAI_PHAM' and f.value is not null) as has_dt_tai_pham
    from {{ ref('fct_indicator_monthly') }} as f
    group by f.commune_code, f.period_month
)

select
    m.commune_code,
    m.year,
    count(*) as months_reported,
    count(*) filter (where m.n_required_reported = r.n_required) as months_complete,
    count(*) filter (where m.has_dt_tai_pham) as months_dt_tai_pham,
    count(*) filter (where m.n_required_reported = r.n_required) = 12 as is_complete,
    coalesce(sum(m.ttxh), 0) as ttxh,
    coalesce(sum(m.tnxh), 0) as tnxh,
    coalesce(sum(m.dt_tai_pham), 0) as dt_tai_pham
from monthly as m
cross join required as r
group by m.commune_code, m.year
