-- District crime criteria over the sums of all its communes, wards and towns: ANTT_H4 (TTXH not
-- above the baseline) and ANTT_H5 (TTXH cut by at least the threshold %, the rule of ANTT_06).
-- Both need complete data for every commune of the district in Y and in the baseline year.
with params as (
    {{ criteria_params(ref('bo_tieu_chi'), 'HUYEN', ['ANTT_H4', 'ANTT_H5']) }}
),

commune_years as (
    select
        e.year,
        {{ baseline_year('p', 'e.year') }} as base_year,
        e.district_code,
        e.commune_code,
        {{ criterion_rule('p') }},
        coalesce(y.is_complete, false) as complete_y,
        coalesce(b.is_complete, false) as complete_b,
        coalesce(y.ttxh_low, 0) as ttxh_y,
        coalesce(b.ttxh_low, 0) as ttxh_b
    from {{ ref('int_evaluated_commune_years') }} as e
    cross join params as p
    left join {{ ref('int_commune_year_indicators') }} as y
        on y.era = 'OLD' and e.commune_code = y.commune_code and e.year = y.year
    left join {{ ref('int_commune_year_indicators') }} as b
        on
            b.era = 'OLD' and e.commune_code = b.commune_code
            and {{ baseline_year('p', 'e.year') }} = b.year
    -- Districts exist on the old units only (years before the reorganisation): values are exact.
    where e.district_code is not null
),

summed as (
    select
        c.criteria_set,
        c.year,
        c.base_year,
        c.district_code,
        c.criterion_code,
        c.level,
        c.comparison,
        c.threshold,
        count(*) as n_communes,
        count(*) filter (where c.complete_y) as n_complete_y,
        count(*) filter (where c.complete_b) as n_complete_b,
        sum(c.ttxh_y) as ttxh_y,
        sum(c.ttxh_b) as ttxh_b
    from commune_years as c
    group by
        c.criteria_set, c.year, c.base_year, c.district_code, c.criterion_code, c.level,
        c.comparison, c.threshold
),

measured as (
    select
        s.*,
        s.n_complete_y = s.n_communes and s.n_complete_b = s.n_communes as has_data
    from summed as s
),

decided as (
    select
        s.*,
        case
            when s.criterion_code = 'ANTT_H4' then s.ttxh_y - s.ttxh_b
            when s.criterion_code = 'ANTT_H5' then {{ crime_cut_value('s') }}
        end as raw_value,
        {{ crime_cut_bounds('s', "s.criterion_code = 'ANTT_H5' and s.has_data") }}
    from measured as s
)

select
    {{ criterion_keys('m', 'district_code') }},
    {{ criterion_status('m.has_data', criterion_met('m.raw_value', 'm.used_comparison', 'm.used_threshold')) }}
        as status,
    case when m.has_data then round(m.raw_value, 2) end as measured_value,
    m.used_threshold as threshold,
    m.used_comparison as comparison,
    case
        when not m.has_data
            then
                'Thiếu dữ liệu / insufficient data: xã đủ số liệu / communes with complete data '
                || m.base_year || ' = ' || m.n_complete_b || '/' || m.n_communes || ', '
                || m.year || ' = ' || m.n_complete_y || '/' || m.n_communes
        when m.criterion_code = 'ANTT_H4'
            then
                'TTXH huyện / district ' || m.base_year || ' = ' || m.ttxh_b || ', ' || m.year
                || ' = ' || m.ttxh_y || case
                    when coalesce({{ criterion_met('m.raw_value', 'm.used_comparison', 'm.used_threshold') }}, false)
                        then ' → không tăng / no increase'
                    else ' → tăng / increase'
                end
        when m.criterion_code = 'ANTT_H5' then {{ crime_cut_detail('m', "'TTXH huyện / district '") }}
    end as detail
from decided as m
