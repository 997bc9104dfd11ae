{#- The findings of one type in recognition_findings, as a warn test stores them in audit: who,
    the level, `what` (the criterion or the month missing) and the reason. -#}
{% macro findings_of_type(finding_type, what) -%}
    select
        f.year,
        f.commune_code,
        f.commune_name,
        f.district_code,
        f.level,
        f.{{ what }},
        f.detail
    from {{ ref('recognition_findings') }} as f
    where f.finding_type = '{{ finding_type }}'
{%- endmacro %}
