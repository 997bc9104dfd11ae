-- Security incidents in their current state, one row per incident (origin unit, ma_su_vu): the
-- origin unit is don_vi_goc, or the unit that reported it when blank. commune_code is in the unit
-- list of location_era (the period of the row that holds the current state).
select
    i.unit_code || '/' || i.incident_code as incident_key,
    i.unit_code,
    i.incident_code,
    i.reported_by_unit,
    i.event_type,
    i.commune_code,
    i.location_era,
    c.district_code,
    coalesce(c.province_code, n.province_code) as province_code,
    i.started_on,
    i.ended_on,
    i.ended_on - i.started_on as duration_days,
    i.people_count,
    i.is_unlawful,
    i.description,
    i.reported_in_month,
    i.submission_id
from {{ ref('int_incident_current') }} as i
left join {{ ref('stg_raw__admin_commune') }} as c
    on i.location_era = 'OLD' and i.commune_code = c.commune_code
left join {{ ref('stg_raw__admin_commune_2025') }} as n
    on i.location_era = 'NEW' and i.commune_code = n.commune_code
