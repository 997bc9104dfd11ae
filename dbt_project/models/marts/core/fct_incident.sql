-- Security incidents in their current state, one row per (unit, ma_su_vu).
select
    i.unit_code || '/' || i.incident_code as incident_key,
    i.unit_code,
    i.incident_code,
    i.event_type,
    i.commune_code,
    c.district_code,
    c.province_code,
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
    on i.commune_code = c.commune_code
