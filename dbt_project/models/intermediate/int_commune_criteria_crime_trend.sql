-- Commune criteria on the yearly indicator sums: ANTT_04 (TTXH and TNXH not above the baseline),
-- ANTT_06 (TTXH cut by at least the threshold % on the baseline), ANTT_09 (managed persons do
-- not reoffend). Each needs complete data in the years it reads.
with params as (
    {{ criteria_params(ref('bo_tieu_chi'), 'XA', ['ANTT_04', 'ANTT_06', 'ANTT_09']) }}
),

evaluated as (
    select
        p.criteria_set,
        e.year,
        {{ baseline_year('p', 'e.year') }} as base_year,
        e.commune_code,
        p.criterion_code,
        p.first_level as level,
        p.comparison,
        p.threshold
    from {{ ref('int_evaluated_commune_years') }} as e
    cross join params as p
),

joined as (
    select
        e.*,
        coalesce(y.is_complete, false) and coalesce(b.is_complete, false) as complete_both,
        coalesce(y.months_complete, 0) as months_complete_y,
        coalesce(b.months_complete, 0) as months_complete_b,
        coalesce(y.months_dt_tai_pham, 0) as months_dt_tai_pham,
        y.ttxh as ttxh_y,
        b.ttxh as ttxh_b,
        y.tnxh as tnxh_y,
        b.tnxh as tnxh_b,
        y.dt_tai_pham as dt_tai_pham_y
    from evaluated as e
    left join {{ ref('int_commune_year_indicators') }} as y
        on e.commune_code = y.commune_code and e.year = y.year
    left join {{ ref('int_commune_year_indicators') }} as b
        on e.commune_code = b.commune_code and e.base_year = b.year
),

measured as (
    select
        j.*,
        case
            when j.criterion_code = 'ANTT_09' then j.months_dt_tai_pham = 12
            else j.complete_both
        end as has_data,
        case
            when j.criterion_code = 'ANTT_04'
                then greatest(j.ttxh_y - j.ttxh_b, j.tnxh_y - j.tnxh_b)
            when j.criterion_code = 'ANTT_06' then {{ crime_cut_value('j') }}
            when j.criterion_code = 'ANTT_09' then j.dt_tai_pham_y
        end as raw_value,
        {{ crime_cut_bounds('j', "j.criterion_code = 'ANTT_06' and j.complete_both") }}
    from joined as j
)

select
    m.criteria_set,
    m.year,
    m.commune_code,
    m.criterion_code,
    m.level,
    {{ criterion_status('m.has_data', criterion_met('m.raw_value', 'm.used_comparison', 'm.used_threshold')) }}
        as status,
    case when m.has_data then round(m.raw_value, 2) end as measured_value,
    m.used_threshold as threshold,
    m.used_comparison as comparison,
    case
        when not m.has_data and m.criterion_code = 'ANTT_09'
            then
                'Thiếu dữ liệu / insufficient data: DT_TAI_PHAM có số liệu '
                || m.months_dt_tai_pham || '/12 tháng / months of ' || m.year
        when not m.has_data
            then
                'Thiếu dữ liệu / insufficient data: tháng đủ số liệu / complete months '
                || m.base_year || ' = ' || m.months_complete_b || '/12, '
                || m.year || ' = ' || m.months_complete_y || '/12'
        when m.criterion_code = 'ANTT_04'
            then
                'TTXH ' || m.base_year || ' = ' || m.ttxh_b || ', ' || m.year || ' = ' || m.ttxh_y
                || '; TNXH ' || m.base_year || ' = ' || m.tnxh_b || ', ' || m.year || ' = '
                || m.tnxh_y || case
                    when coalesce({{ criterion_met('m.raw_value', 'm.used_comparison', 'm.used_threshold') }}, false)
                        then ' → không tăng / no increase'
                    else ' → tăng / increase'
                end
        when m.criterion_code = 'ANTT_06' then {{ crime_cut_detail('m', "'TTXH '") }}
        else
            'DT_TAI_PHAM ' || m.year || ' = ' || m.dt_tai_pham_y || ' '
            || {{ comparison_text(
                criterion_met('m.raw_value', 'm.used_comparison', 'm.used_threshold'),
                'm.used_comparison'
            ) }}
            || ' ' || {{ num_text('m.used_threshold') }}
    end as detail
from measured as m
