-- Commune incident criteria (ANTT_01, 02, 03, 08 in 2021-2025): the count of incidents that
-- count against the criterion must not exceed the catalogue threshold (0). Incident reports are
-- exception reports, so these criteria never lack data.
-- Placement: on the OLD communes an incident lies where it was last located with old codes; on
-- the NEW units, a new code places it in that unit, an old code of a WHOLE commune in its
-- successor, an old code of a SPLIT commune possibly in each successor (counted in the upper end
-- of the count, not the lower).
with params as (
    {{ criteria_params(ref('bo_tieu_chi'), 'XA') }}
        and (p.active_event_types is not null or p.start_event_types is not null)
),

evaluated as (
    select
        e.year,
        e.era,
        e.commune_code,
        e.district_code
    from {{ ref('int_evaluated_commune_years') }} as e
),

current_incidents as (
    select
        i.unit_code,
        i.incident_code,
        i.event_type,
        i.commune_code,
        i.location_era,
        i.old_commune_code,
        i.started_on,
        i.ended_on,
        i.is_unlawful
    from {{ ref('int_incident_current') }} as i
),

incidents as (
    select
        'OLD' as era,
        i.old_commune_code as commune_code,
        true as is_certain,
        i.unit_code,
        i.incident_code,
        i.event_type,
        i.started_on,
        i.ended_on,
        i.is_unlawful
    from current_incidents as i
    where i.old_commune_code is not null
    union all
    select
        'NEW' as era,
        i.commune_code,
        true as is_certain,
        i.unit_code,
        i.incident_code,
        i.event_type,
        i.started_on,
        i.ended_on,
        i.is_unlawful
    from current_incidents as i
    where i.location_era = 'NEW'
    union all
    select
        'NEW' as era,
        s.new_commune_code as commune_code,
        s.relation = 'WHOLE' as is_certain,
        i.unit_code,
        i.incident_code,
        i.event_type,
        i.started_on,
        i.ended_on,
        i.is_unlawful
    from current_incidents as i
    inner join {{ ref('int_commune_successors') }} as s
        on i.commune_code = s.old_commune_code
    where i.location_era = 'OLD'
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
        count(*) filter (where m.is_certain) as n_certain,
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
        coalesce(c.n_certain, 0) as n_certain,
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
    ) }},
    cast(m.n_certain as numeric) as measured_low,
    cast(m.n_incidents as numeric) as measured_high
from measured as m
