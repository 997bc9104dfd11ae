-- District criteria over the communes' levels: ANTT_H1 (every commune of type Xã is DAT at NTM;
-- KHONG_DAT if any is KHONG_DAT, else KHONG_DU_DU_LIEU if any is) and ANTT_H6 (at least the
-- threshold % of the Xã are DAT at NTM_NANG_CAO; only DAT counts, so never KHONG_DU_DU_LIEU).
with params as (
    {{ criteria_params(ref('bo_tieu_chi'), 'HUYEN', ['ANTT_H1', 'ANTT_H6']) }}
),

counted as (
    select
        e.year,
        e.district_code,
        {{ criterion_rule('p') }},
        p.ref_level,
        count(*) filter (where e.commune_type = any(p.commune_types)) as n_target,
        count(*) filter (
            where e.commune_type = any(p.commune_types) and l.status = 'DAT'
        ) as n_dat,
        count(*) filter (
            where e.commune_type = any(p.commune_types) and l.status = 'KHONG_DAT'
        ) as n_khong_dat,
        count(*) filter (
            where e.commune_type = any(p.commune_types) and coalesce(l.status, 'KHONG_DU_DU_LIEU') = 'KHONG_DU_DU_LIEU'
        ) as n_thieu
    from {{ ref('int_evaluated_commune_years') }} as e
    cross join params as p
    left join {{ ref('int_commune_level_status') }} as l
        on
            p.criteria_set = l.criteria_set
            and e.year = l.year
            and e.commune_code = l.commune_code
            and p.ref_level = l.level
    where e.district_code is not null
    group by
        e.year, e.district_code, p.criteria_set, p.criterion_code, p.first_level,
        p.comparison, p.threshold, p.ref_level
),

measured as (
    select
        c.*,
        -- With no commune of the target type the rule holds vacuously (100 %).
        case
            when c.n_target = 0 then cast(100 as numeric)
            else cast(c.n_dat as numeric) * 100 / c.n_target
        end as pct_dat
    from counted as c
)

select
    {{ criterion_keys('m', 'district_code') }},
    case
        when coalesce({{ criterion_met('m.pct_dat', 'm.comparison', 'm.threshold') }}, false)
            then 'DAT'
        when m.criterion_code = 'ANTT_H1' and m.n_khong_dat = 0 then 'KHONG_DU_DU_LIEU'
        else 'KHONG_DAT'
    end as status,
    round(m.pct_dat, 2) as measured_value,
    m.threshold,
    m.comparison,
    'Xã đạt ' || m.ref_level || ' / Xã DAT at ' || m.ref_level || ': ' || m.n_dat || '/'
    || m.n_target || ' = ' || cast(round(m.pct_dat, 2) as text) || '% (cần / needs '
    || m.comparison || ' ' || {{ num_text('m.threshold') }} || '%); không đạt / KHONG_DAT: '
    || m.n_khong_dat || ', thiếu dữ liệu / KHONG_DU_DU_LIEU: ' || m.n_thieu as detail
from measured as m
