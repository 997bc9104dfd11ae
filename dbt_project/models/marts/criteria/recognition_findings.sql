-- What reviewers must look at before proposing recognition, one row per finding:
--   DANG_KY_KHONG_DAT      a commune registered for a level in Y is KHONG_DAT at it
--                          (one row per criterion that is KHONG_DAT);
--   NGUY_CO_MAT_DANH_HIEU  a commune that holds a level is KHONG_DAT at it in Y: risk of losing
--                          the recognition (one row per criterion that is KHONG_DAT);
--   THIEU_BAO_CAO          a registered commune has no complete chi_tieu data for a month whose
--                          reporting deadline (the 20th of the next month) has passed.
-- The threshold tests in tests/ read this model and store their failures in audit.
with registrations as (
    select
        r.year,
        e.era,
        r.commune_code,
        r.registered_level,
        r.held_level
    from {{ ref('fct_ntm_registration') }} as r
    inner join {{ ref('int_evaluated_commune_years') }} as e
        on r.year = e.year and r.commune_code = e.commune_code
),

targets as (
    select
        'DANG_KY_KHONG_DAT' as finding_type,
        r.year,
        r.era,
        r.commune_code,
        r.registered_level as level
    from registrations as r
    where r.registered_level in ('NTM', 'NTM_NANG_CAO', 'NTM_KIEU_MAU')
    union all
    select
        'NGUY_CO_MAT_DANH_HIEU' as finding_type,
        r.year,
        r.era,
        r.commune_code,
        r.held_level as level
    from registrations as r
    where r.held_level in ('NTM', 'NTM_NANG_CAO', 'NTM_KIEU_MAU')
),

criteria_findings as (
    select
        t.finding_type,
        c.criteria_set,
        t.year,
        t.era,
        t.commune_code,
        t.level,
        c.criterion_code,
        cast(null as date) as period_month,
        c.status,
        c.detail
    from targets as t
    inner join {{ ref('int_commune_level_status') }} as l
        on t.year = l.year and t.commune_code = l.commune_code and t.level = l.level
    inner join {{ ref('bo_tieu_chi_muc') }} as m
        on l.criteria_set = m.criteria_set and l.level = m.level
    inner join {{ ref('commune_criteria') }} as c
        on
            m.criteria_set = c.criteria_set
            and m.criterion_code = c.criterion_code
            and t.year = c.year
            and t.commune_code = c.commune_code
    where l.status = 'KHONG_DAT' and c.status = 'KHONG_DAT'
),

required as (
    select count(*) as n_required
    from {{ ref('dim_indicator') }} as i
    where i.required_for_complete_data
),

complete_months as (
    select
        f.era,
        f.commune_code,
        f.period_month
    from {{ ref('int_unit_indicator_monthly') }} as f
    where f.indicator_group in ('TTXH', 'TE_NAN_XA_HOI') and f.value_low is not null
    group by f.era, f.commune_code, f.period_month
    having count(*) = (select r.n_required from required as r)
),

missing_reports as (
    select
        'THIEU_BAO_CAO' as finding_type,
        '{{ var("criteria_set") }}' as criteria_set,
        r.year,
        r.era,
        r.commune_code,
        r.registered_level as level,
        cast(null as text) as criterion_code,
        d.month_start as period_month,
        'KHONG_DU_DU_LIEU' as status,
        'Thiếu số liệu chỉ tiêu tháng ' || d.period || ' (hạn / due '
        || to_char(d.report_due_on, 'DD/MM/YYYY')
        || ') / monthly indicators missing or incomplete' as detail
    from registrations as r
    inner join {{ ref('dim_month') }} as d
        on r.year = d.year
    left join complete_months as c
        on r.era = c.era and r.commune_code = c.commune_code and d.month_start = c.period_month
    where
        r.registered_level in ('NTM', 'NTM_NANG_CAO', 'NTM_KIEU_MAU')
        and d.report_due_on < current_date
        and c.commune_code is null
),

findings as (
    {{ union_columns(
        ['criteria_findings', 'missing_reports'],
        [
            'finding_type',
            'criteria_set',
            'year',
            'era',
            'commune_code',
            'level',
            'criterion_code',
            'period_month',
            'status',
            'detail'
        ]
    ) }}
)

select
    f.finding_type,
    f.criteria_set,
    f.year,
    f.commune_code,
    c.commune_name,
    c.district_code,
    c.district_name,
    f.level,
    f.criterion_code,
    f.period_month,
    f.status,
    f.detail
from findings as f
inner join {{ ref('dim_commune') }} as c
    on f.commune_code = c.commune_code and f.era = c.era
