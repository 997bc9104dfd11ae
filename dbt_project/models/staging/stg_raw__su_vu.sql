-- Incident rows of the current version of each (unit, su_vu, month) scope. An incident's
-- identity is (don_vi_goc, or the submitting unit when blank; ma_su_vu): a successor unit updates
-- an incident that a dissolved unit opened. It may appear in several months' files, of several
-- units; int_incident_current picks its state. era: the unit list of ma_xa (the file's period).
select
    {{ submission_columns('v') }},
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
{{ current_rows_of('su_vu', 'v') }}
