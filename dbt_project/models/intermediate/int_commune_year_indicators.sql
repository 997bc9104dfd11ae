-- Yearly sums and complete-data flags per unit-year and era, from the monthly values on the
-- units (int_unit_indicator_monthly). Sums add the bounds of the monthly intervals (low = high
-- for values reported on the unit itself). A month is complete when every TTXH and TE_NAN_XA_HOI
-- indicator has a value (a NULL interval is a missing value).
with required as (
    select count(*) as n_required
    from {{ ref('indicators') }} as i
    where i.nhom in ('TTXH', 'TE_NAN_XA_HOI')
),

monthly as (
    select
        f.era,
        f.commune_code,
        cast(extract(year from f.period_month) as integer) as year,
        f.period_month,
        count(*) filter (
            where f.indicator_group in ('TTXH', 'TE_NAN_XA_HOI') and f.value_low is not null
        ) as n_required_reported,
        sum(f.value_low) filter (where f.indicator_group = 'TTXH') as ttxh_low,
        sum(f.value_high) filter (where f.indicator_group = 'TTXH') as ttxh_high,
        sum(f.value_low) filter (where f.indicator_group = 'TE_NAN_XA_HOI') as tnxh_low,
        sum(f.value_high) filter (where f.indicator_group = 'TE_NAN_XA_HOI') as tnxh_high,
        sum(f.value_low) filter (where f.indicator_code = 'DT_TAI_PHAM') as dt_tai_pham_low,
        sum(f.value_high) filter (where f.indicator_code = 'DT_TAI_PHAM') as dt_tai_pham_high,
        bool_or(f.indicator_code = 'DT_TAI_PHAM' and f.value_low is not null) as has_dt_tai_pham
    from {{ ref('int_unit_indicator_monthly') }} as f
    group by f.era, f.commune_code, f.period_month
)

select
    m.era,
    m.commune_code,
    m.year,
    count(*) as months_reported,
    count(*) filter (where m.n_required_reported = r.n_required) as months_complete,
    count(*) filter (where m.has_dt_tai_pham) as months_dt_tai_pham,
    count(*) filter (where m.n_required_reported = r.n_required) = 12 as is_complete,
    coalesce(sum(m.ttxh_low), 0) as ttxh_low,
    coalesce(sum(m.ttxh_high), 0) as ttxh_high,
    coalesce(sum(m.tnxh_low), 0) as tnxh_low,
    coalesce(sum(m.tnxh_high), 0) as tnxh_high,
    coalesce(sum(m.dt_tai_pham_low), 0) as dt_tai_pham_low,
    coalesce(sum(m.dt_tai_pham_high), 0) as dt_tai_pham_high
from monthly as m
cross join required as r
group by m.era, m.commune_code, m.year
