{#- Helpers shared by the criteria models. The rules are code; every number they compare with
    comes from the catalogue (seed bo_tieu_chi) of the criteria set in var('criteria_set'). -#}

{% macro criteria_params(catalogue, scope, codes=none, on_incidents=false) -%}
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
        {%- if on_incidents %}
            and (p.active_event_types is not null or p.start_event_types is not null)
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
    {{ crime_cut_at(r ~ '.ttxh_b', r ~ '.ttxh_y') }}
{%- endmacro %}

{#- The measured value of the crime-cut rule at one point (TTXH of the baseline `b`, of the year
    `y`): the cut in %, or TTXH(Y) itself when the baseline is 0. -#}
{% macro crime_cut_at(b, y) -%}
    case
        when {{ b }} = 0 then {{ y }}
        else cast({{ b }} - {{ y }} as numeric) * 100 / {{ b }}
    end
{%- endmacro %}

{#- Whether the crime-cut rule holds at one point: with a zero baseline only at TTXH(Y) = 0. -#}
{% macro crime_cut_met_at(b, y, comparison, threshold) -%}
    case
        when {{ b }} = 0 then {{ y }} = 0
        else {{ criterion_met(crime_cut_at(b, y), comparison, threshold) }}
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

{#- Incidents that count against an incident criterion, one row per (unit-year, criterion,
    incident). `evaluated` has year, era, commune_code, district_code; `incidents` has the columns
    of int_incident_current placed on units: era, commune_code, is_certain (false where an
    incident of a split old commune may lie in this unit); `params` comes from criteria_params().
    Active in Y: started on or before 31/12/Y and not ended before 01/01/Y. Duration: ended -
    started in days, an open incident counted until 31/12/Y. -#}
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
        i.is_certain,
        coalesce(i.ended_on, make_date(e.year, 12, 31)) - i.started_on as duration_days
    from {{ evaluated }} as e
    inner join {{ incidents }} as i
        on e.era = i.era and e.commune_code = i.commune_code
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

{#- One incident in words, for the detail column; one that only may lie in the unit says so. -#}
{% macro incident_text(m) -%}
    {{ m }}.event_type || ' ' || {{ m }}.unit_code || '/' || {{ m }}.incident_code
    || ' (' || to_char({{ m }}.started_on, 'DD/MM/YYYY') || ' → '
    || coalesce(to_char({{ m }}.ended_on, 'DD/MM/YYYY'), 'chưa kết thúc / open')
    || ', ' || {{ m }}.duration_days || ' ngày / days)'
    || case
        when {{ m }}.is_certain then ''
        else ' [có thể thuộc đơn vị này: xã cũ bị chia tách / possibly in this unit: a split old commune]'
    end
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
    measured value, threshold, comparison, and the reason in words. The count is an interval
    [n_certain, n_incidents] where incidents of a split old commune may lie in the unit; it is
    decided like every interval (macro interval_status), the measured value being the upper end.
    `no_incident_text` is the SQL text that ends the reason when nothing counted. -#}
{% macro incident_outcome(m, no_incident_text) -%}
    {{ interval_status(
        'true',
        criterion_met(m ~ '.n_incidents', m ~ '.comparison', m ~ '.threshold'),
        criterion_met(m ~ '.n_certain', m ~ '.comparison', m ~ '.threshold')
    ) }} as status,
    cast({{ m }}.n_incidents as numeric) as measured_value,
    {{ m }}.threshold,
    {{ m }}.comparison,
    case
        when {{ m }}.n_incidents = 0
            then
                'Không có vụ việc / no incident ('
                || array_to_string({{ m }}.active_types || {{ m }}.start_types, ', ')
                || ') ' || {{ no_incident_text }}
        when {{ m }}.n_certain < {{ m }}.n_incidents
            then
                {{ range_text(m ~ '.n_certain', m ~ '.n_incidents') }} || ' vụ / incidents (cần / needs '
                || {{ m }}.comparison || ' ' || {{ num_text(m ~ '.threshold') }} || '): '
                || {{ m }}.incident_list
                || {{ interval_verdict(interval_status(
                    'true',
                    criterion_met(m ~ '.n_incidents', m ~ '.comparison', m ~ '.threshold'),
                    criterion_met(m ~ '.n_certain', m ~ '.comparison', m ~ '.threshold')
                )) }}
        else
            {{ m }}.n_incidents || ' vụ / incidents '
            || {{ comparison_text(criterion_met(m ~ '.n_incidents', m ~ '.comparison', m ~ '.threshold'), m ~ '.comparison') }}
            || ' ' || {{ num_text(m ~ '.threshold') }}
            || ': ' || {{ m }}.incident_list
    end as detail
{%- endmacro %}

{#- The status of a criterion decided on intervals (values on the new units built from the old
    communes): insufficient data first (a missing value is a finding before comparability), then
    DAT when the rule holds at its worst corner, KHONG_DAT when it fails at its best corner, and
    otherwise KHONG_SO_SANH_DUOC (not comparable across the 2025 reorganisation). Every rule is
    monotone in its inputs, so the two corners decide; an exact value has one corner and this is
    criterion_status. -#}
{% macro interval_status(has_data, met_at_worst, met_at_best) -%}
    case
        when not coalesce({{ has_data }}, false) then 'KHONG_DU_DU_LIEU'
        when coalesce({{ met_at_worst }}, false) then 'DAT'
        when not coalesce({{ met_at_best }}, false) then 'KHONG_DAT'
        else 'KHONG_SO_SANH_DUOC'
    end
{%- endmacro %}

{#- A level's status from its criteria's statuses (an aggregate over `status`): KHONG_DAT if any
    is, else KHONG_DU_DU_LIEU if any is, else KHONG_SO_SANH_DUOC if any is, else DAT. -#}
{% macro level_status(status) -%}
    case
        when bool_or({{ status }} = 'KHONG_DAT') then 'KHONG_DAT'
        when bool_or({{ status }} = 'KHONG_DU_DU_LIEU') then 'KHONG_DU_DU_LIEU'
        when bool_or({{ status }} = 'KHONG_SO_SANH_DUOC') then 'KHONG_SO_SANH_DUOC'
        else 'DAT'
    end
{%- endmacro %}

{#- A figure in words: the number when exact, "từ a đến b / from a to b" when an interval. -#}
{% macro range_text(low, high) -%}
    case
        when {{ low }} = {{ high }} then {{ num_text(low) }}
        else
            'từ ' || {{ num_text(low) }} || ' đến ' || {{ num_text(high) }} || ' / from '
            || {{ num_text(low) }} || ' to ' || {{ num_text(high) }}
    end
{%- endmacro %}

{#- The closing words of a detail decided on an interval that is not exact. -#}
{% macro interval_verdict(status) -%}
    case {{ status }}
        when 'DAT' then ' → đạt ở mọi giá trị trong khoảng / met at every value of the interval'
        when 'KHONG_DAT'
            then ' → không đạt ở mọi giá trị trong khoảng / not met at any value of the interval'
        else
            ' → không so sánh được: đạt ở một đầu khoảng, không đạt ở đầu kia / not comparable:'
            || ' met at one end of the interval, not at the other'
    end
{%- endmacro %}

{#- The catalogue columns every criterion row carries, from a criteria_params() row `p`. -#}
{% macro criterion_rule(p) -%}
    {{ p }}.criteria_set,
    {{ p }}.criterion_code,
    {{ p }}.first_level as level,
    {{ p }}.comparison,
    {{ p }}.threshold
{%- endmacro %}

{#- The key of a criterion result row `r` (with its level): criteria set, year, the unit in
    `unit_column`, criterion. -#}
{% macro criterion_keys(r, unit_column) -%}
    {{ r }}.criteria_set,
    {{ r }}.year,
    {{ r }}.{{ unit_column }},
    {{ r }}.criterion_code,
    {{ r }}.level
{%- endmacro %}

{#- The value of a yearly-sum criterion (ANTT_04, ANTT_06, ANTT_09) on a row `r` of bounds at one
    corner: `y` and `b` ('low' or 'high') pick the end of the year's and of the baseline's sums. -#}
{% macro crime_trend_value(r, y, b) -%}
    case {{ r }}.criterion_code
        when 'ANTT_04'
            then
                greatest(
                    {{ r }}.ttxh_y_{{ y }} - {{ r }}.ttxh_b_{{ b }}, {{ r }}.tnxh_y_{{ y }} - {{ r }}.tnxh_b_{{ b }}
                )
        when 'ANTT_06' then {{ crime_cut_at(r ~ '.ttxh_b_' ~ b, r ~ '.ttxh_y_' ~ y) }}
        else {{ r }}.dt_tai_pham_y_{{ y }}
    end
{%- endmacro %}

{#- Whether that criterion holds at one corner (`value` is crime_trend_value() there): the cut
    rule with its zero baseline for ANTT_06, the catalogue's comparison otherwise. -#}
{% macro crime_trend_met(r, y, b, value) -%}
    case
        when {{ r }}.criterion_code = 'ANTT_06'
            then {{ crime_cut_met_at(r ~ '.ttxh_b_' ~ b, r ~ '.ttxh_y_' ~ y, r ~ '.comparison', r ~ '.threshold') }}
        else {{ criterion_met(value, r ~ '.comparison', r ~ '.threshold') }}
    end
{%- endmacro %}
