{#- Helpers of the staging models of the raw datasets: each reads the rows of the current version
    of every (unit, dataset, period) scope, with the submitting unit beside each row. -#}

{#- The leading columns of a raw dataset's staging row `r`: its submission and source row, and the
    unit that submitted it (from stg_raw__submissions `s`, joined by current_rows_of). -#}
{% macro submission_columns(r) -%}
    {{ r }}.submission_id,
    {{ r }}.source_row,
    s.unit_code,
    s.unit_level,
    s.province_code as unit_province_code,
    s.district_code as unit_district_code,
    s.commune_code as unit_commune_code
{%- endmacro %}

{#- The rows of raw `dataset` (alias `r`) in the current version of their scope, joined to their
    submission as `s`: the FROM and WHERE of a raw dataset's staging model. -#}
{% macro current_rows_of(dataset, r) -%}
    from {{ source('raw', dataset) }} as {{ r }}
    inner join {{ ref('stg_raw__submissions') }} as s
        on {{ r }}.submission_id = s.submission_id
    where s.is_current and s.dataset = '{{ dataset }}'
{%- endmacro %}
