{#- Custom schemas are used verbatim (staging, intermediate, marts, audit), never prefixed
    with the target schema: the roles and grants of the warehouse are set on these names. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
