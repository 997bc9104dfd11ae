-- Monthly indicator values of the current version of each (unit, chi_tieu, month) scope.
-- gia_tri NULL means "not reported" and stays NULL.
select
    c.submission_id,
    c.source_row,
    s.unit_code,
    s.unit_level,
    s.province_code as unit_province_code,
    s.district_code as unit_district_code,
    s.commune_code as unit_commune_code,
    s.period_month,
    s.period_year as year,
    s.era,
    c.ma_xa as commune_code,
    upper(trim(c.ma_chi_tieu)) as indicator_code,
    c.gia_tri as value,
    c.ghi_chu as note
from {{ source('raw', 'chi_tieu') }} as c
inner join {{ ref('stg_raw__submissions') }} as s
    on c.submission_id = s.submission_id
where s.is_current and s.dataset = 'chi_tieu'
