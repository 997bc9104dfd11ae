-- Yearly assessment rows of the current version of each (unit, danh_gia_nam, year) scope.
select
    d.submission_id,
    d.source_row,
    s.unit_code,
    s.unit_level,
    s.province_code as unit_province_code,
    s.district_code as unit_district_code,
    s.commune_code as unit_commune_code,
    s.period_year as year,
    s.era,
    d.ma_xa as commune_code,
    d.so_ap as hamlets,
    d.so_ap_an_toan as safe_hamlets,
    upper(trim(d.xep_loai_phong_trao)) as movement_rating,
    d.cong_an_xa_tien_tien = 1 as is_police_advanced
from {{ source('raw', 'danh_gia_nam') }} as d
inner join {{ ref('stg_raw__submissions') }} as s
    on d.submission_id = s.submission_id
where s.is_current and s.dataset = 'danh_gia_nam'
