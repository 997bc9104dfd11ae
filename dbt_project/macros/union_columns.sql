{#- `select <columns> from <relation>` for each relation, joined by union all: a union that names
    its columns (a model added to it must provide each of them, in this order). -#}
{% macro union_columns(relations, columns) -%}
    {% for relation in relations %}
        select {{ columns | join(', ') }}
        from {{ relation }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
{%- endmacro %}
