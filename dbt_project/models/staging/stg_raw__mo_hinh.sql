-- Security models listed in the current version of each unit's register of a year.
select
    {{ submission_columns('m') }},
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
{{ current_rows_of('mo_hinh', 'm') }}
