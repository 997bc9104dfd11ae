-- One row per evaluated district-year: its district levels and how many of its communes (all
-- types: xã, phường, thị trấn) are DAT at NTM and at NTM_NANG_CAO.
with levels as (
    select
        c.criteria_set,
        c.year,
        c.district_code,
        m.level,
        {{ level_status('c.status') }} as status
    from {{ ref('district_criteria') }} as c
    inner join {{ ref('bo_tieu_chi_muc') }} as m
        on c.criteria_set = m.criteria_set and c.criterion_code = m.criterion_code
    group by c.criteria_set, c.year, c.district_code, m.level
),

communes as (
    select
        s.criteria_set,
        s.year,
        s.district_code,
        count(*) as communes_total,
        count(*) filter (where s.ntm_status = 'DAT') as communes_ntm_dat,
        count(*) filter (where s.ntm_nang_cao_status = 'DAT') as communes_ntm_nang_cao_dat
    from {{ ref('commune_scorecard') }} as s
    where s.district_code is not null
    group by s.criteria_set, s.year, s.district_code
)

select
    c.criteria_set,
    c.year,
    c.district_code,
    d.district_name,
    d.province_code,
    max(l.status) filter (where l.level = 'HUYEN_NTM') as huyen_ntm_status,
    max(l.status) filter (where l.level = 'HUYEN_NTM_NANG_CAO') as huyen_ntm_nang_cao_status,
    cast(c.communes_total as integer) as communes_total,
    cast(c.communes_ntm_dat as integer) as communes_ntm_dat,
    cast(c.communes_ntm_nang_cao_dat as integer) as communes_ntm_nang_cao_dat
from communes as c
inner join {{ ref('dim_district') }} as d
    on c.district_code = d.district_code
left join levels as l
    on c.criteria_set = l.criteria_set and c.year = l.year and c.district_code = l.district_code
group by
    c.criteria_set, c.year, c.district_code, d.district_name, d.province_code,
    c.communes_total, c.communes_ntm_dat, c.communes_ntm_nang_cao_dat
