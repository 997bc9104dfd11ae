{#- The era columns of a unit list (dim_province, dim_commune): 'OLD' units are valid until the day
    before var('new_units_from'), 'NEW' ones from that day on. -#}
{% macro era_validity(era) -%}
    '{{ era }}' as era,
    {%- if era == 'OLD' %}
    cast(null as date) as valid_from,
    cast(date '{{ var("new_units_from") }}' - 1 as date) as valid_to
    {%- else %}
    date '{{ var("new_units_from") }}' as valid_from,
    cast(null as date) as valid_to
    {%- endif %}
{%- endmacro %}

{#- The report counts of a group of due reports `d` (rows of reporting_completeness). -#}
{% macro report_counts(d) -%}
    count(*) as expected_reports,
    count(*) filter (where {{ d }}.accepted) as actual_reports,
    count(*) filter (where {{ d }}.on_time) as on_time_reports,
    count(*) filter (where {{ d }}.late) as late_reports,
    count(*) filter (where {{ d }}.missing) as missing_reports,
    count(*) filter (where {{ d }}.rejected_awaiting_correction) as awaiting_correction
{%- endmacro %}

{#- The columns of a criteria mart row (commune_criteria, district_criteria): `unit_column` names
    the unit; `with_bounds` adds measured_low and measured_high. -#}
{% macro criterion_result_columns(unit_column, with_bounds=false) -%}
    {%- set columns = ['criteria_set', 'year', unit_column, 'criterion_code', 'level', 'status', 'measured_value'] -%}
    {%- if with_bounds -%}
        {%- do columns.extend(['measured_low', 'measured_high']) -%}
    {%- endif -%}
    {%- do columns.extend(['threshold', 'comparison', 'detail']) -%}
    {{ return(columns) }}
{%- endmacro %}
