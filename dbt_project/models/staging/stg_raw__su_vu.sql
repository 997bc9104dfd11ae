-- Incident rows of the current version of each (unit, su_vu, month) scope. One incident
-- (unit, ma_su_vu) may appear in several months' files; int_incident_current picks its state.
select
    v.submission_id,
    v.source_row,
    s.unit_code,
    s.unit_level,
    s.province_code as unit_province_code,
    s.district_code as unit_district_code,
    s.period_month,
    s.accepted_at,
    trim(v.ma_su_vu) as incident_code,
    upper(trim(v.loai)) as event_type,
    v.ma_xa as commune_code,
    v.ngay_bat_dau as started_on,
    v.ngay_ket_thuc as ended_on,
    v.so_nguoi as people_count,
    v.trai_phap_luat = 1 as is_unlawful,
    v.mo_ta as description
from {{ source('raw', 'su_vu') }} as v
inner join {{ ref('stg_raw__submissions') }} as s
    on v.submission_id = s.submission_id
where s.is_current and s.dataset = 'su_vu'
