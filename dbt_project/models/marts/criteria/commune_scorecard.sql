-- One row per evaluated unit-year (old communes up to 2024, new units from 2025, district columns
-- NULL then): where it stands at each NTM level.
with levels as (
    select
        l.criteria_set,
        l.year,
        l.commune_code,
        max(l.status) filter (where l.level = 'NTM') as ntm_status,
        max(l.status) filter (where l.level = 'NTM_NANG_CAO') as ntm_nang_cao_status,
        max(l.status) filter (where l.level = 'NTM_KIEU_MAU') as ntm_kieu_mau_status
    from {{ ref('int_commune_level_status') }} as l
    group by l.criteria_set, l.year, l.commune_code
)

select
    l.criteria_set,
    e.year,
    e.commune_code,
    c.commune_name,
    c.commune_type,
    c.district_code,
    c.district_name,
    c.province_code,
    r.held_level,
    r.registered_level,
    l.ntm_status,
    l.ntm_nang_cao_status,
    l.ntm_kieu_mau_status,
    cast(coalesce(i.months_reported, 0) as integer) as months_reported
from {{ ref('int_evaluated_commune_years') }} as e
inner join levels as l
    on e.year = l.year and e.commune_code = l.commune_code
inner join {{ ref('dim_commune') }} as c
    on e.commune_code = c.commune_code and e.era = c.era
left join {{ ref('fct_ntm_registration') }} as r
    on e.year = r.year and e.commune_code = r.commune_code
left join {{ ref('int_commune_year_indicators') }} as i
    on e.era = i.era and e.year = i.year and e.commune_code = i.commune_code
