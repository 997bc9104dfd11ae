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
        f.submission_id,
        -- a kept code names another territory from 2025-07: history only within one list
        f.period_month < date '{{ var("new_units_from") }}' as is_old_list
    from {{ ref('fct_indicator_monthly') }} as f
    where f.value is not null
),

-- The history of each value in one pass over the ordered months (a window, not a self-join,
-- whose row estimates misled the planner into a nested loop over every pair of values).
with_history as (
    select
        m.*,
        array_agg(m.value) over history_window as history_values,
        min(m.period_month) over history_window as history_from,
        max(m.period_month) over history_window as history_to
    from monthly as m
    window history_window as (
        partition by m.commune_code, m.indicator_code, m.is_old_list
        order by m.period_month
        range between interval '{{ var("outlier_window_months") }} months' preceding
        and interval '1 day' preceding
    )
),

centre as (
    select
        h.*,
        cardinality(h.history_values) as history_months,
        (
            select percentile_cont(0.5) within group (order by v.value)
            from unnest(h.history_values) as v (value)
        ) as history_median
    from with_history as h
    where cardinality(h.history_values) >= {{ var("outlier_min_history") }}
),

scored as (
    select
        c.*,
        s.history_mad,
        greatest(1.4826 * s.history_mad, sqrt(c.history_median), 1.0) as history_scale
    from centre as c
    cross join lateral (
        select
            percentile_cont(0.5) within group (
                order by abs(v.value - c.history_median)
            ) as history_mad
        from unnest(c.history_values) as v (value)
    ) as s
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
