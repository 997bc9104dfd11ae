-- Incident rows of the current version of each (unit, su_vu, month) scope. An incident's
-- identity is (don_vi_goc, or the submitting unit when blank; ma_su_vu): a successor unit updates
-- an incident that a dissolved unit opened. It may appear in several months' files, of several
-- units; int_incident_current picks its state. era: the unit list of ma_xa (the file's period).
select
    v.submission_id,
    v.source_row,
    s.unit_code,
    s.unit_level,
    s.province_code as unit_province_code,
    s.district_code as unit_district_code,
    s.commune_code as unit_commune_code,
    s.period_month,
    s.era,
    s.accepted_at,
    coalesce(nullif(upper(trim(v.don_vi_goc)), ''), s.unit_code) as origin_unit,
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
