-- Security models listed in the current version of each unit's register of a year.
select
    m.submission_id,
    m.source_row,
    s.unit_code,
    s.unit_level,
    s.province_code as unit_province_code,
    s.district_code as unit_district_code,
    s.commune_code as unit_commune_code,
    s.period_year as year,
    s.era,
    trim(m.ma_mo_hinh) as model_code,
    m.ma_xa as commune_code,
    m.ten_mo_hinh as model_name,
    upper(trim(m.loai_mo_hinh)) as model_type,
    m.so_camera as camera_count,
    m.ngay_thanh_lap as established_on,
    upper(trim(m.danh_gia)) as rating,
    m.hoat_dong = 1 as is_operating
from {{ source('raw', 'mo_hinh') }} as m
inner join {{ ref('stg_raw__submissions') }} as s
    on m.submission_id = s.submission_id
where s.is_current and s.dataset = 'mo_hinh'
