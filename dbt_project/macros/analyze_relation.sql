{#- Post-hook of every table model: fresh planner statistics for the models that read it (a
    table created by CREATE TABLE AS has none until autovacuum, which may be off). -#}
{% macro analyze_relation() -%}
    {% if config.get('materialized') in ('table', 'incremental') %}
        analyze {{ this }}
    {% else %}
        select 1
    {% endif %}
{%- endmacro %}
