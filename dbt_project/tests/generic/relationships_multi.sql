{#- Every combination of `columns` in the model exists in `to` (same column names). -#}
{% test relationships_multi(model, to, columns) %}
select child.*
from {{ model }} as child
where not exists (
    select 1
    from {{ to }} as parent
    where
        {% for column in columns -%}
            parent.{{ column }} = child.{{ column }}{% if not loop.last %} and {% endif %}
        {%- endfor %}
)
{% endtest %}
