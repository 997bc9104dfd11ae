-- The current state of each incident, identified by (origin unit, ma_su_vu): the origin unit is
-- don_vi_goc, or the submitting unit when blank, so a successor unit updates an incident that a
-- dissolved unit opened. The state is the row from the newest accepted submission, of any unit,
-- that contains it: newest by report period, then by acceptance.
-- location_era: the unit list of commune_code (the period of that row). old_commune_code: where
-- the incident lies among the OLD communes (the years evaluated on them): commune_code when the
-- current row uses old codes, else the location of its newest row with old codes (NULL when it
-- was only ever reported with new codes).
with ranked as (
    select
        v.*,
        row_number() over (
            partition by v.origin_unit, v.incident_code
            order by v.period_month desc, v.submission_id desc
        ) as version_rank,
        row_number() over (
            partition by v.origin_unit, v.incident_code, v.era
            order by v.period_month desc, v.submission_id desc
        ) as era_rank
    from {{ ref('stg_raw__su_vu') }} as v
),

old_locations as (
    select
        r.origin_unit,
        r.incident_code,
        r.commune_code
    from ranked as r
    where r.era = 'OLD' and r.era_rank = 1
)

select
    r.origin_unit as unit_code,
    r.incident_code,
    r.unit_code as reported_by_unit,
    r.event_type,
    r.commune_code,
    coalesce(r.era, 'OLD') as location_era,
    case when r.era = 'NEW' then o.commune_code else r.commune_code end as old_commune_code,
    r.started_on,
    r.ended_on,
    r.people_count,
    r.is_unlawful,
    r.description,
    r.period_month as reported_in_month,
    r.submission_id
from ranked as r
left join old_locations as o
    on r.origin_unit = o.origin_unit and r.incident_code = o.incident_code
where r.version_rank = 1
