-- Monthly values far outside the commune's own history: for each reported value, the same
-- commune's reported values of the same indicator over the previous `outlier_window_months`
-- months are its history; with at least `outlier_min_history` of them, the robust score is
-- (value - median) / scale, scale = max(1.4826 x MAD, sqrt(median), 1). The floor keeps the many
-- zeros of small communes from making every 1 or 2 look extreme (an all-zero history has MAD 0),
-- and sqrt(median) is the spread a count of that size has anyway. A value is listed when
-- |score| > `outlier_threshold`. Never blocks a load or a build: it is a finding for a reviewer.
with monthly as (
    select
        f.commune_code,
        f.indicator_code,
        f.indicator_group,
        f.period_month,
        f.value,
        f.source_unit,
        f.submission_id
    from {{ ref('fct_indicator_monthly') }} as f
    where f.value is not null
),

history as (
    select
        m.commune_code,
        m.indicator_code,
        m.period_month,
        h.period_month as history_month,
        h.value as history_value
    from monthly as m
    inner join monthly as h
        on
            m.commune_code = h.commune_code
            and m.indicator_code = h.indicator_code
            and m.period_month > h.period_month
            and h.period_month
            >= m.period_month - interval '{{ var("outlier_window_months") }} months'
            -- a kept code names another territory from 2025-07: history only within one list
            and (h.period_month < date '{{ var("new_units_from") }}')
            = (m.period_month < date '{{ var("new_units_from") }}')
),

centre as (
    select
        h.commune_code,
        h.indicator_code,
        h.period_month,
        count(*) as history_months,
        percentile_cont(0.5) within group (order by h.history_value) as history_median,
        array_agg(h.history_value order by h.history_month) as history_values,
        min(h.history_month) as history_from,
        max(h.history_month) as history_to
    from history as h
    group by h.commune_code, h.indicator_code, h.period_month
    having count(*) >= {{ var("outlier_min_history") }}
),

spread as (
    select
        h.commune_code,
        h.indicator_code,
        h.period_month,
        percentile_cont(0.5) within group (
            order by abs(h.history_value - c.history_median)
        ) as history_mad
    from history as h
    inner join centre as c
        on
            h.commune_code = c.commune_code
            and h.indicator_code = c.indicator_code
            and h.period_month = c.period_month
    group by h.commune_code, h.indicator_code, h.period_month
),

scored as (
    select
        m.*,
        c.history_months,
        c.history_median,
        s.history_mad,
        c.history_values,
        c.history_from,
        c.history_to,
        greatest(1.4826 * s.history_mad, sqrt(c.history_median), 1.0) as history_scale
    from monthly as m
    inner join centre as c
        on
            m.commune_code = c.commune_code
            and m.indicator_code = c.indicator_code
            and m.period_month = c.period_month
    inner join spread as s
        on
            m.commune_code = s.commune_code
            and m.indicator_code = s.indicator_code
            and m.period_month = s.period_month
)

select
    d.province_code,
    d.district_code,
    s.commune_code,
    d.commune_name,
    s.indicator_code,
    s.indicator_group,
    s.period_month,
    cast(extract(year from s.period_month) as integer) as year,
    s.value,
    cast(s.history_months as integer) as history_months,
    s.history_from,
    s.history_to,
    s.history_values,
    cast(s.history_median as numeric(12, 2)) as history_median,
    cast(s.history_mad as numeric(12, 2)) as history_mad,
    cast((s.value - s.history_median) / s.history_scale as numeric(8, 2)) as robust_score,
    case when s.value > s.history_median then 'TANG' else 'GIAM' end as direction,
    s.source_unit,
    s.submission_id
from scored as s
inner join {{ ref('dim_commune') }} as d
    on
        s.commune_code = d.commune_code
        and d.era
        = case when s.period_month < date '{{ var("new_units_from") }}' then 'OLD' else 'NEW' end
where abs(s.value - s.history_median) / s.history_scale > {{ var("outlier_threshold") }}
