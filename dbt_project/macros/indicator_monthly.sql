{#- The resolution of monthly indicator values, shared by int_indicator_monthly (all rows) and the
    incremental path of fct_indicator_monthly (only the commune-months that changed): when the
    provincial unit (CAT) has data for a commune-month, the whole commune-month comes from it,
    otherwise from the district unit (CAH, until 2025-02) or the commune police (CAX, from
    2025-03; the two never report the same month). `reported` is a relation or CTE with the
    columns of stg_raw__chi_tieu. -#}
{% macro resolve_indicator_monthly(reported) -%}
    with ranked as (
        select
            r.commune_code,
            r.period_month,
            r.indicator_code,
            r.value,
            r.unit_code,
            r.submission_id,
            dense_rank() over (
                partition by r.commune_code, r.period_month
                order by case r.unit_level when 'CAT' then 1 else 2 end
            ) as source_rank
        from {{ reported }} as r
        where r.unit_level in ('CAT', 'CAH', 'CAX')
    )

    select
        r.commune_code,
        r.period_month,
        r.indicator_code,
        i.nhom as indicator_group,
        r.value,
        r.unit_code as source_unit,
        r.submission_id
    from ranked as r
    inner join {{ ref('indicators') }} as i
        on r.indicator_code = i.ma_chi_tieu
    where r.source_rank = 1
{%- endmacro %}

{#- Post-hook of fct_indicator_monthly: rows of a submission that is no longer the current
    version of its scope (a correction replaced it) go, also where nothing replaced them. -#}
{% macro drop_superseded_indicator_rows() -%}
    delete from {{ this }} as t
    using {{ ref('stg_raw__submissions') }} as s
    where t.submission_id = s.submission_id and not s.is_current
{%- endmacro %}

{#- Pre-hook of the incremental path: without table statistics (raw tables are analyzed by no
    role that runs dbt, and autovacuum may be off) the planner picks nested loops over millions of
    rows; this batch query wants hash joins. `set local` lasts until the model's commit. -#}
{% macro prefer_hash_joins() -%}
    {% if is_incremental() %}set local enable_nestloop = off{% else %}select 1{% endif %}
{%- endmacro %}
