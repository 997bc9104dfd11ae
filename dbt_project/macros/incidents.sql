{#- The incidents of int_incident_current placed on units, one row per (incident, unit): era,
    commune_code, is_certain and the incident's columns. On the OLD communes an incident lies
    where it was last located with old codes. With `successors` (int_commune_successors) also on
    the NEW units: a new code places it in that unit, an old code of a WHOLE commune in its
    successor, an old code of a SPLIT commune possibly (is_certain false) in each successor. -#}
{% macro placed_incidents(incidents, successors=none) -%}
    select
        'OLD' as era,
        i.old_commune_code as commune_code,
        true as is_certain,
        {{ incident_columns('i') }}
    from {{ incidents }} as i
    where i.old_commune_code is not null
    {%- if successors %}
    union all
    select
        'NEW' as era,
        case when i.location_era = 'NEW' then i.commune_code else s.new_commune_code end
            as commune_code,
        i.location_era = 'NEW' or s.relation = 'WHOLE' as is_certain,
        {{ incident_columns('i') }}
    from {{ incidents }} as i
    left join {{ successors }} as s
        on i.location_era = 'OLD' and i.commune_code = s.old_commune_code
    where i.location_era = 'NEW' or s.old_commune_code is not null
    {%- endif %}
{%- endmacro %}

{#- The columns of an incident that the criteria read, from int_incident_current `i`. -#}
{% macro incident_columns(i) -%}
    {{ i }}.unit_code,
    {{ i }}.incident_code,
    {{ i }}.event_type,
    {{ i }}.started_on,
    {{ i }}.ended_on,
    {{ i }}.is_unlawful
{%- endmacro %}

{#- Each unit-year × incident criterion with its count of matching incidents: n_incidents (every
    incident that may lie in the unit), n_certain (those that surely do) and incident_list, the
    incidents in words (`item_text`, SQL on a match row `m`), in the order they started. `units`
    has year and `unit_column`; `matches` comes from incident_matches(); `params` from
    criteria_params(). -#}
{% macro incident_counts(units, unit_column, params, matches, item_text) -%}
    select
        u.year,
        u.{{ unit_column }},
        {{ criterion_rule('p') }},
        p.day_limit,
        p.active_types,
        p.start_types,
        coalesce(c.n_incidents, 0) as n_incidents,
        coalesce(c.n_certain, 0) as n_certain,
        c.incident_list
    from {{ units }} as u
    cross join {{ params }} as p
    left join (
        select
            m.year,
            m.{{ unit_column }},
            m.criterion_code,
            count(*) as n_incidents,
            count(*) filter (where m.is_certain) as n_certain,
            string_agg(
                {{ item_text }}, '; '
                order by m.started_on, m.unit_code, m.incident_code
            ) as incident_list
        from {{ matches }} as m
        group by m.year, m.{{ unit_column }}, m.criterion_code
    ) as c
        on
            u.year = c.year
            and u.{{ unit_column }} = c.{{ unit_column }}
            and p.criterion_code = c.criterion_code
{%- endmacro %}
