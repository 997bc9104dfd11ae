{#- Helpers shared by the criteria models. The rules are code; every number they compare with
    comes from the catalogue (seed bo_tieu_chi) of the criteria set in var('criteria_set'). -#}

{% macro criteria_params(catalogue, scope, codes=none) -%}
    select
        p.criteria_set,
        p.criterion_code,
        p.first_level,
        p.comparison,
        p.threshold,
        p.baseline_rule,
        p.baseline_year,
        p.day_limit,
        p.min_count,
        p.unlawful_only,
        p.ref_level,
        string_to_array(p.active_event_types, '|') as active_types,
        string_to_array(p.start_event_types, '|') as start_types,
        string_to_array(p.allowed_values, '|') as allowed_values,
        string_to_array(p.commune_types, '|') as commune_types
    from {{ catalogue }} as p
    where
        p.criteria_set = '{{ var("criteria_set") }}'
        and p.scope = '{{ scope }}'
        {%- if codes %}
            and p.criterion_code in ('{{ codes | join("', '") }}')
        {%- endif %}
{%- endmacro %}

{#- true when `measured <comparison> threshold` holds; NULL when the measure is NULL. -#}
{% macro criterion_met(measured, comparison, threshold) -%}
    case {{ comparison }}
        when '>=' then {{ measured }} >= {{ threshold }}
        when '<=' then {{ measured }} <= {{ threshold }}
        when '=' then {{ measured }} = {{ threshold }}
    end
{%- endmacro %}

{#- The status of a criterion: insufficient data first, then met / not met. -#}
{% macro criterion_status(has_data, met) -%}
    case
        when not coalesce({{ has_data }}, false) then 'KHONG_DU_DU_LIEU'
        when coalesce({{ met }}, false) then 'DAT'
        else 'KHONG_DAT'
    end
{%- endmacro %}

{#- The baseline year B of a criterion for evaluation year `year`. -#}
{% macro baseline_year(params, year) -%}
    case {{ params }}.baseline_rule
        when 'FIXED_YEAR' then {{ params }}.baseline_year
        else {{ year }} - 1
    end
{%- endmacro %}

{#- A number as text for the detail column: integers plain, others with 2 decimals. -#}
{% macro num_text(value) -%}
    case
        when {{ value }} = trunc({{ value }}) then cast(trunc({{ value }}) as text)
        else cast(round({{ value }}, 2) as text)
    end
{%- endmacro %}

{#- The change of TTXH on the baseline in words: "giảm 4.76%" for a cut; for a rise, "tăng 100%"
    first, so a reviewer never has to read a negative cut. -#}
{% macro cut_text(cut) -%}
    case
        when {{ cut }} >= 0 then 'giảm ' || cast(round({{ cut }}, 2) as text) || '%'
        else 'tăng / rise ' || cast(round(-{{ cut }}, 2) as text) || '%, giảm / cut '
            || cast(round({{ cut }}, 2) as text) || '%'
    end
{%- endmacro %}

{#- The crime-cut rule of ANTT_06 (commune) and ANTT_H5 (district) on a row `r` with ttxh_b (TTXH of
    the baseline year), ttxh_y, base_year, year and the catalogue's comparison and threshold. The
    cut (B - Y) * 100 / B is compared exactly in numeric. With TTXH(B) = 0 there is no cut: the
    value is TTXH(Y) against threshold 0 with '=', so the criterion is met only at 0.
    crime_cut_value: the measured value (no division by a zero baseline, whatever the data). -#}
{% macro crime_cut_value(r) -%}
    case
        when {{ r }}.ttxh_b = 0 then {{ r }}.ttxh_y
        else cast({{ r }}.ttxh_b - {{ r }}.ttxh_y as numeric) * 100 / {{ r }}.ttxh_b
    end
{%- endmacro %}

{#- The columns used_comparison and used_threshold: the zero baseline's '=' and 0 where `applies`
    (SQL: the row is the cut criterion with complete data) and TTXH(B) = 0, else the catalogue's. -#}
{% macro crime_cut_bounds(r, applies) -%}
    case when {{ applies }} and {{ r }}.ttxh_b = 0 then '=' else {{ r }}.comparison end
        as used_comparison,
    case when {{ applies }} and {{ r }}.ttxh_b = 0 then 0 else {{ r }}.threshold end
        as used_threshold
{%- endmacro %}

{#- The reason of a crime-cut row with complete data, on a row `m` that also has raw_value
    (crime_cut_value), used_comparison and used_threshold; `label` is the SQL text naming the
    figure ('TTXH ' for a commune, 'TTXH huyện / district ' for a district). -#}
{% macro crime_cut_detail(m, label) -%}
    case
        when {{ m }}.ttxh_b = 0
            then
                {{ label }} || {{ m }}.base_year || ' = 0, ' || {{ m }}.year || ' = ' || {{ m }}.ttxh_y
                || ' (năm gốc bằng 0: chỉ đạt khi ' || {{ m }}.year || ' = 0 / zero baseline: met only at 0)'
        else
            {{ label }} || {{ m }}.base_year || ' = ' || {{ m }}.ttxh_b || ', ' || {{ m }}.year || ' = '
            || {{ m }}.ttxh_y || ', ' || {{ cut_text(m ~ '.raw_value') }} || ' '
            || case
                when coalesce({{ criterion_met(m ~ '.raw_value', m ~ '.used_comparison', m ~ '.used_threshold') }}, false)
                    then {{ m }}.used_comparison
                else '<'
            end
            || ' ' || {{ num_text(m ~ '.used_threshold') }} || '%'
    end
{%- endmacro %}

{#- Incidents that count against an incident criterion, one row per (commune-year, criterion,
    incident). `evaluated` has year, commune_code, district_code; `params` comes from
    criteria_params(). Active in Y: started on or before 31/12/Y and not ended before 01/01/Y.
    Duration: ended - started in days, an open incident counted until 31/12/Y. -#}
{% macro incident_matches(evaluated, incidents, params) -%}
    select
        e.year,
        e.commune_code,
        e.district_code,
        p.criterion_code,
        i.unit_code,
        i.incident_code,
        i.event_type,
        i.started_on,
        i.ended_on,
        coalesce(i.ended_on, make_date(e.year, 12, 31)) - i.started_on as duration_days
    from {{ evaluated }} as e
    inner join {{ incidents }} as i
        on e.commune_code = i.commune_code
    inner join {{ params }} as p
        on
            (
                (
                    i.event_type = any(p.active_types)
                    and i.started_on <= make_date(e.year, 12, 31)
                    and (i.ended_on is null or i.ended_on >= make_date(e.year, 1, 1))
                    and (
                        p.day_limit is null
                        or coalesce(i.ended_on, make_date(e.year, 12, 31)) - i.started_on
                        > p.day_limit
                    )
                )
                or (
                    i.event_type = any(p.start_types)
                    and i.started_on >= make_date(e.year, 1, 1)
                    and i.started_on <= make_date(e.year, 12, 31)
                )
            )
            and (coalesce(p.unlawful_only, 0) = 0 or coalesce(i.is_unlawful, false))
{%- endmacro %}

{#- One incident in words, for the detail column. -#}
{% macro incident_text(m) -%}
    {{ m }}.event_type || ' ' || {{ m }}.unit_code || '/' || {{ m }}.incident_code
    || ' (' || to_char({{ m }}.started_on, 'DD/MM/YYYY') || ' → '
    || coalesce(to_char({{ m }}.ended_on, 'DD/MM/YYYY'), 'chưa kết thúc / open')
    || ', ' || {{ m }}.duration_days || ' ngày / days)'
{%- endmacro %}

{#- The comparison as written in a detail: as is when met, negated when not. -#}
{% macro comparison_text(met, comparison) -%}
    case
        when coalesce({{ met }}, false) then {{ comparison }}
        else
            case {{ comparison }}
                when '>=' then '<'
                when '<=' then '>'
                else '≠'
            end
    end
{%- endmacro %}

{#- The outcome columns of an incident criterion (commune or district): status, the count as the
    measured value, threshold, comparison, and the reason in words. `no_incident_text` is the SQL
    text that ends the reason when nothing counted (where, and any day limit). -#}
{% macro incident_outcome(m, no_incident_text) -%}
    {{ criterion_status('true', criterion_met(m ~ '.n_incidents', m ~ '.comparison', m ~ '.threshold')) }}
        as status,
    cast({{ m }}.n_incidents as numeric) as measured_value,
    {{ m }}.threshold,
    {{ m }}.comparison,
    case
        when {{ m }}.n_incidents = 0
            then
                'Không có vụ việc / no incident ('
                || array_to_string({{ m }}.active_types || {{ m }}.start_types, ', ')
                || ') ' || {{ no_incident_text }}
        else
            {{ m }}.n_incidents || ' vụ / incidents '
            || {{ comparison_text(criterion_met(m ~ '.n_incidents', m ~ '.comparison', m ~ '.threshold'), m ~ '.comparison') }}
            || ' ' || {{ num_text(m ~ '.threshold') }}
            || ': ' || {{ m }}.incident_list
    end as detail
{%- endmacro %}
