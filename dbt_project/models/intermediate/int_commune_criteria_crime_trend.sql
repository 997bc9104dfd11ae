-- Commune criteria on the yearly indicator sums: ANTT_04 (TTXH and TNXH not above the baseline),
-- ANTT_06 (TTXH cut by at least the threshold % on the baseline), ANTT_09 (managed persons do
-- not reoffend). Each needs complete data in the years it reads. The sums are intervals on the
-- new units (exact elsewhere): a rule is DAT when it holds at its worst corner, KHONG_DAT when it
-- fails at its best, otherwise KHONG_SO_SANH_DUOC (macro interval_status); measured_value is the
-- value at the worst corner, measured_low/measured_high the bounds.
with params as (
    {{ criteria_params(ref('bo_tieu_chi'), 'XA', ['ANTT_04', 'ANTT_06', 'ANTT_09']) }}
),

evaluated as (
    select
        e.year,
        e.era,
        {{ baseline_year('p', 'e.year') }} as base_year,
        e.commune_code,
        {{ criterion_rule('p') }}
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
        y.ttxh_low as ttxh_y_low,
        y.ttxh_high as ttxh_y_high,
        b.ttxh_low as ttxh_b_low,
        b.ttxh_high as ttxh_b_high,
        y.tnxh_low as tnxh_y_low,
        y.tnxh_high as tnxh_y_high,
        b.tnxh_low as tnxh_b_low,
        b.tnxh_high as tnxh_b_high,
        y.dt_tai_pham_low as dt_tai_pham_y_low,
        y.dt_tai_pham_high as dt_tai_pham_y_high
    from evaluated as e
    left join {{ ref('int_commune_year_indicators') }} as y
        on e.era = y.era and e.commune_code = y.commune_code and e.year = y.year
    left join {{ ref('int_commune_year_indicators') }} as b
        on e.era = b.era and e.commune_code = b.commune_code and e.base_year = b.year
),

-- The two corners: worst (the rule is hardest to meet) and best.
cornered as (
    select
        j.*,
        case
            when j.criterion_code = 'ANTT_09' then j.months_dt_tai_pham = 12
            else j.complete_both
        end as has_data,
        case j.criterion_code
            when 'ANTT_04'
                then
                    j.ttxh_y_low = j.ttxh_y_high and j.ttxh_b_low = j.ttxh_b_high
                    and j.tnxh_y_low = j.tnxh_y_high and j.tnxh_b_low = j.tnxh_b_high
            when 'ANTT_06' then j.ttxh_y_low = j.ttxh_y_high and j.ttxh_b_low = j.ttxh_b_high
            else j.dt_tai_pham_y_low = j.dt_tai_pham_y_high
        end as is_exact,
        {{ crime_trend_value('j', 'high', 'low') }} as worst_value,
        {{ crime_trend_value('j', 'low', 'high') }} as best_value,
        -- v1 names for the exact case (the detail macros read them).
        j.ttxh_y_low as ttxh_y,
        j.ttxh_b_low as ttxh_b,
        j.tnxh_y_low as tnxh_y,
        j.tnxh_b_low as tnxh_b,
        j.dt_tai_pham_y_low as dt_tai_pham_y
    from joined as j
),

measured as (
    select
        c.*,
        c.worst_value as raw_value,
        -- A baseline of exactly 0 compares TTXH(Y) with 0 ('='), as the rule says.
        case
            when c.criterion_code = 'ANTT_06' and c.complete_both and c.ttxh_b_high = 0 then '='
            else c.comparison
        end as used_comparison,
        case
            when c.criterion_code = 'ANTT_06' and c.complete_both and c.ttxh_b_high = 0 then 0
            else c.threshold
        end as used_threshold,
        {{ crime_trend_met('c', 'high', 'low', 'c.worst_value') }} as met_at_worst,
        {{ crime_trend_met('c', 'low', 'high', 'c.best_value') }} as met_at_best
    from cornered as c
),

decided as (
    select
        m.*,
        {{ interval_status('m.has_data', 'm.met_at_worst', 'm.met_at_best') }} as status,
        round(least(m.worst_value, m.best_value), 2) as value_low,
        round(greatest(m.worst_value, m.best_value), 2) as value_high
    from measured as m
)

select
    {{ criterion_keys('m', 'commune_code') }},
    m.status,
    case when m.has_data then round(m.raw_value, 2) end as measured_value,
    case when m.has_data then m.value_low end as measured_low,
    case when m.has_data then m.value_high end as measured_high,
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
        when m.criterion_code = 'ANTT_04' and not m.is_exact
            then
                'TTXH ' || m.base_year || ' = ' || {{ range_text('m.ttxh_b_low', 'm.ttxh_b_high') }}
                || ', ' || m.year || ' = ' || {{ range_text('m.ttxh_y_low', 'm.ttxh_y_high') }}
                || '; TNXH ' || m.base_year || ' = ' || {{ range_text('m.tnxh_b_low', 'm.tnxh_b_high') }}
                || ', ' || m.year || ' = ' || {{ range_text('m.tnxh_y_low', 'm.tnxh_y_high') }}
                || '; mức tăng / increase ' || {{ range_text('m.value_low', 'm.value_high') }}
                || ' (cần / needs ' || m.used_comparison || ' ' || {{ num_text('m.used_threshold') }} || ')'
                || {{ interval_verdict('m.status') }}
        when m.criterion_code = 'ANTT_04'
            then
                'TTXH ' || m.base_year || ' = ' || m.ttxh_b || ', ' || m.year || ' = ' || m.ttxh_y
                || '; TNXH ' || m.base_year || ' = ' || m.tnxh_b || ', ' || m.year || ' = '
                || m.tnxh_y || case
                    when coalesce(m.met_at_worst, false)
                        then ' → không tăng / no increase'
                    else ' → tăng / increase'
                end
        when m.criterion_code = 'ANTT_06' and not m.is_exact and m.ttxh_b_high = 0
            then
                'TTXH ' || m.base_year || ' = 0, ' || m.year || ' = '
                || {{ range_text('m.ttxh_y_low', 'm.ttxh_y_high') }}
                || ' (năm gốc bằng 0: chỉ đạt khi ' || m.year || ' = 0 / zero baseline: met only at 0)'
                || {{ interval_verdict('m.status') }}
        when m.criterion_code = 'ANTT_06' and not m.is_exact
            then
                'TTXH ' || m.base_year || ' = ' || {{ range_text('m.ttxh_b_low', 'm.ttxh_b_high') }}
                || ', ' || m.year || ' = ' || {{ range_text('m.ttxh_y_low', 'm.ttxh_y_high') }}
                || case
                    when m.ttxh_b_low = 0
                        then
                            '; năm gốc có thể bằng 0: khi đó chỉ đạt khi ' || m.year
                            || ' = 0 / the baseline may be 0: then met only at 0'
                    else ''
                end
                || '; giảm / cut ' || {{ range_text('m.value_low', 'm.value_high') }}
                || '% (cần / needs ' || m.comparison || ' ' || {{ num_text('m.threshold') }} || '%)'
                || {{ interval_verdict('m.status') }}
        when m.criterion_code = 'ANTT_06' then {{ crime_cut_detail('m', "'TTXH '") }}
        when not m.is_exact
            then
                'DT_TAI_PHAM ' || m.year || ' = '
                || {{ range_text('m.dt_tai_pham_y_low', 'm.dt_tai_pham_y_high') }}
                || ' (cần / needs ' || m.used_comparison || ' ' || {{ num_text('m.used_threshold') }} || ')'
                || {{ interval_verdict('m.status') }}
        else
            'DT_TAI_PHAM ' || m.year || ' = ' || m.dt_tai_pham_y || ' '
            || {{ comparison_text('m.met_at_worst', 'm.used_comparison') }}
            || ' ' || {{ num_text('m.used_threshold') }}
    end as detail
from decided as m
