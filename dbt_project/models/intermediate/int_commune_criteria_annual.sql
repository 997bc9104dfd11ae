-- Commune criteria on the yearly assessment and the mo_hinh register: ANTT_05 ("an toàn về
-- ANTT": safe-hamlet ratio, effective models, movement rating), ANTT_07 (an effective operating
-- model using security cameras), ANTT_10 (commune police rated advanced or better). The annual
-- datasets of a year use the codes of the units evaluated that year: these values are exact.
with params as (
    {{ criteria_params(ref('bo_tieu_chi'), 'XA', ['ANTT_05', 'ANTT_07', 'ANTT_10']) }}
),

models as (
    select
        s.year,
        s.commune_code,
        count(*) filter (where s.is_effective) as effective_models,
        count(*) filter (where s.is_effective and s.uses_cameras) as effective_camera_models
    from {{ ref('fct_security_model') }} as s
    group by s.year, s.commune_code
),

joined as (
    select
        e.year,
        e.commune_code,
        {{ criterion_rule('p') }},
        p.min_count,
        p.allowed_values,
        a.commune_code is not null as has_assessment,
        r.commune_code is not null as has_register,
        a.hamlets,
        a.safe_hamlets,
        a.movement_rating,
        a.is_police_advanced,
        coalesce(m.effective_models, 0) as effective_models,
        coalesce(m.effective_camera_models, 0) as effective_camera_models
    from {{ ref('int_evaluated_commune_years') }} as e
    cross join params as p
    left join {{ ref('fct_annual_assessment') }} as a
        on e.year = a.year and e.commune_code = a.commune_code
    left join {{ ref('int_mo_hinh_registers') }} as r
        on e.year = r.year and e.commune_code = r.commune_code
    left join models as m
        on e.year = m.year and e.commune_code = m.commune_code
),

measured as (
    select
        j.*,
        case j.criterion_code
            when 'ANTT_05' then j.has_assessment and j.has_register
            when 'ANTT_07' then j.has_register
            when 'ANTT_10' then j.has_assessment
        end as has_data,
        case j.criterion_code
            when 'ANTT_05' then cast(j.safe_hamlets as numeric) / j.hamlets
            when 'ANTT_07' then j.effective_camera_models
            when 'ANTT_10' then case when j.is_police_advanced then 1 else 0 end
        end as raw_value,
        -- The three parts of ANTT_05, kept apart for the detail text.
        {{ criterion_met('cast(j.safe_hamlets as numeric)', 'j.comparison', 'j.threshold * j.hamlets') }}
            as ratio_met,
        j.effective_models >= coalesce(j.min_count, 1) as models_met,
        j.movement_rating = any(j.allowed_values) as rating_met
    from joined as j
),

decided as (
    select
        m.*,
        case m.criterion_code
            when 'ANTT_05' then m.ratio_met and m.models_met and m.rating_met
            else {{ criterion_met('m.raw_value', 'm.comparison', 'm.threshold') }}
        end as met
    from measured as m
)

select
    {{ criterion_keys('d', 'commune_code') }},
    {{ criterion_status('d.has_data', 'd.met') }} as status,
    case when d.has_data then round(d.raw_value, 4) end as measured_value,
    case when d.has_data then round(d.raw_value, 4) end as measured_low,
    case when d.has_data then round(d.raw_value, 4) end as measured_high,
    d.threshold,
    d.comparison,
    case
        when not d.has_data
            then
                'Thiếu dữ liệu / insufficient data: '
                || concat_ws(
                    '; ',
                    case
                        when not d.has_assessment and d.criterion_code in ('ANTT_05', 'ANTT_10')
                            then 'không có đánh giá năm / no danh_gia_nam row ' || d.year
                    end,
                    case
                        when not d.has_register and d.criterion_code in ('ANTT_05', 'ANTT_07')
                            then 'không có sổ mô hình / no mo_hinh register ' || d.year
                    end
                )
        when d.criterion_code = 'ANTT_05'
            then
                'Ấp an toàn / safe hamlets ' || d.safe_hamlets || '/' || d.hamlets || ' = '
                || cast(round(100 * d.raw_value, 2) as text) || '% '
                || case when d.ratio_met then d.comparison else '<' end || ' '
                || {{ num_text('100 * d.threshold') }} || '%; mô hình hiệu quả / effective models '
                || d.effective_models || case when d.models_met then ' >= ' else ' < ' end
                || coalesce(d.min_count, 1) || '; phong trào / movement ' || d.movement_rating
                || case when d.rating_met then ' ∈ ' else ' ∉ ' end
                || '(' || array_to_string(d.allowed_values, ', ') || ')'
        when d.criterion_code = 'ANTT_07'
            then
                'Mô hình camera an ninh hiệu quả / effective security-camera models = '
                || d.effective_camera_models || ' '
                || case when d.met then d.comparison else '<' end || ' '
                || {{ num_text('d.threshold') }}
        else
            'Công an xã tiên tiến / commune police advanced: '
            || case when d.is_police_advanced then 'có / yes' else 'không / no' end
    end as detail
from decided as d
