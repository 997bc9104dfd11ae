-- NTM level held and registered, current version of each (unit, dang_ky_ntm, year) scope.
select
    r.submission_id,
    r.source_row,
    s.unit_code,
    s.unit_level,
    s.province_code as unit_province_code,
    s.district_code as unit_district_code,
    s.commune_code as unit_commune_code,
    s.period_year as year,
    s.era,
    r.ma_xa as commune_code,
    upper(trim(r.muc_da_dat)) as held_level,
    r.nam_dat as held_since_year,
    upper(trim(r.muc_dang_ky)) as registered_level
from {{ source('raw', 'dang_ky_ntm') }} as r
inner join {{ ref('stg_raw__submissions') }} as s
    on r.submission_id = s.submission_id
where s.is_current and s.dataset = 'dang_ky_ntm'
