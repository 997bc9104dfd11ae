{#- Pre-hook of fct_indicator_monthly: delete the commune-months whose source submission is no
    longer the one int_indicator_monthly selects. Runs in the model's transaction. -#}
{% macro drop_superseded_indicator_rows() -%}
    {% if is_incremental() %}
        delete from {{ this }} as t
        where not exists (
            select 1
            from {{ ref('int_indicator_monthly') }} as i
            where
                i.commune_code = t.commune_code
                and i.period_month = t.period_month
                and i.submission_id = t.submission_id
        )
    {% else %}
        select 1
    {% endif %}
{%- endmacro %}
