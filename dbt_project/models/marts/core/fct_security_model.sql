-- Security models per commune-year, from the register that applies to the commune
-- (provincial over district, int_mo_hinh_registers).
select
    r.year,
    r.commune_code,
    m.model_code,
    m.model_name,
    m.model_type,
    m.camera_count,
    m.established_on,
    m.rating,
    m.is_operating,
    m.rating = 'HIEU_QUA' and m.is_operating as is_effective,
    m.model_type = 'CAMERA_AN_NINH' or m.camera_count > 0 as uses_cameras,
    r.register_unit,
    r.register_submission_id as submission_id
from {{ ref('int_mo_hinh_registers') }} as r
inner join {{ ref('stg_raw__mo_hinh') }} as m
    on r.register_submission_id = m.submission_id and r.commune_code = m.commune_code
