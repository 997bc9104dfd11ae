-- District incident criteria (ANTT_H2 no OAN_SAI starting in Y, ANTT_H3 no DIEM_NONG active in
-- Y), counted over every commune, ward and town of the district (years evaluated on the old
-- units only: an incident lies where it was last located with old codes).
with params as (
    {{ criteria_params(ref('bo_tieu_chi'), 'HUYEN') }}
        and (p.active_event_types is not null or p.start_event_types is not null)
),

evaluated as (
    select
        e.year,
        'OLD' as era,
        e.commune_code,
        e.district_code
    from {{ ref('int_evaluated_commune_years') }} as e
    where e.district_code is not null
),

districts as (
    select distinct
        e.year,
        e.district_code
    from evaluated as e
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
    from {{ ref('int_incident_current') }} as i
    where i.old_commune_code is not null
),

matches as (
    {{ incident_matches('evaluated', 'incidents', 'params') }}
),

counted as (
    select
        m.year,
        m.district_code,
        m.criterion_code,
        count(*) as n_incidents,
        string_agg(
            {{ incident_text('m') }} || ' xã / commune ' || m.commune_code, '; '
            order by m.started_on, m.unit_code, m.incident_code
        ) as incident_list
    from matches as m
    group by m.year, m.district_code, m.criterion_code
),

measured as (
    select
        p.criteria_set,
        d.year,
        d.district_code,
        p.criterion_code,
        p.first_level as level,
        p.comparison,
        p.threshold,
        p.active_types,
        p.start_types,
        coalesce(c.n_incidents, 0) as n_incidents,
        coalesce(c.n_incidents, 0) as n_certain,
        c.incident_list
    from districts as d
    cross join params as p
    left join counted as c
        on
            d.year = c.year
            and d.district_code = c.district_code
            and p.criterion_code = c.criterion_code
)

select
    m.criteria_set,
    m.year,
    m.district_code,
    m.criterion_code,
    m.level,
    {{ incident_outcome('m', "'trên địa bàn huyện trong năm / in the district in ' || m.year") }}
from measured as m
