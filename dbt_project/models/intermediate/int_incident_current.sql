-- The current state of each incident (unit, ma_su_vu): the row from the newest accepted
-- submission that contains it, newest by report period, then by acceptance.
with ranked as (
    select
        v.*,
        row_number() over (
            partition by v.unit_code, v.incident_code
            order by v.period_month desc, v.submission_id desc
        ) as version_rank
    from {{ ref('stg_raw__su_vu') }} as v
)

select
    r.unit_code,
    r.incident_code,
    r.event_type,
    r.commune_code,
    r.started_on,
    r.ended_on,
    r.people_count,
    r.is_unlawful,
    r.description,
    r.period_month as reported_in_month,
    r.submission_id
from ranked as r
where r.version_rank = 1
