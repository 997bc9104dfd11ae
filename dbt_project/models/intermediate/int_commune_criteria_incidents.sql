-- Commune incident criteria (ANTT_01, 02, 03, 08 in 2021-2025): the count of incidents that
-- count against the criterion must not exceed the catalogue threshold (0). Incident reports are
-- exception reports, so these criteria never lack data.
with params as (
    {{ criteria_params(ref('bo_tieu_chi'), 'XA') }}
        and (p.active_event_types is not null or p.start_event_types is not null)
),

evaluated as (
    select
        e.year,
        e.commune_code,
        e.district_code
    from {{ ref('int_evaluated_commune_years') }} as e
),

incidents as (
    select
        i.unit_code,
        i.incident_code,
        i.event_type,
        i.commune_code,
        i.started_on,
        i.ended_on,
        i.is_unlawful
    from {{ ref('int_incident_current') }} as i
),

matches as (
    {{ incident_matches('evaluated', 'incidents', 'params') }}
),

counted as (
    select
        m.year,
        m.commune_code,
        m.criterion_code,
        count(*) as n_incidents,
        string_agg(
            {{ incident_text('m') }}, '; '
            order by m.started_on, m.unit_code, m.incident_code
        ) as incident_list
    from matches as m
    group by m.year, m.commune_code, m.criterion_code
),

measured as (
    select
        p.criteria_set,
        e.year,
        e.commune_code,
        p.criterion_code,
        p.first_level as level,
        p.comparison,
        p.threshold,
        p.day_limit,
        p.active_types,
        p.start_types,
        coalesce(c.n_incidents, 0) as n_incidents,
        c.incident_list
    from evaluated as e
    cross join params as p
    left join counted as c
        on
            e.year = c.year
            and e.commune_code = c.commune_code
            and p.criterion_code = c.criterion_code
)

select
    m.criteria_set,
    m.year,
    m.commune_code,
    m.criterion_code,
    m.level,
    {{ incident_outcome(
        'm',
        "'trong năm / in ' || m.year
        || coalesce(' (khiếu kiện đông người > ' || m.day_limit || ' ngày / days)', '')"
    ) }}
from measured as m
