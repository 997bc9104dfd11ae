{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        indexes=[
            {'columns': ['commune_code', 'period_month', 'indicator_code'], 'unique': true},
            {'columns': ['submission_id']},
        ],
        pre_hook="{{ drop_superseded_indicator_rows() }}",
    )
}}
-- Monthly indicator values per commune, after versioning and provincial-over-district.
-- Incremental: the pre-hook deletes every commune-month whose source submission is no longer the
-- one that counts (a correction replaced its scope, or a provincial file now covers it, or the
-- scope is gone); this run then inserts every commune-month the table lacks. A full refresh
-- gives the same rows.
select
    i.commune_code,
    i.period_month,
    i.indicator_code,
    i.indicator_group,
    i.value,
    i.source_unit,
    i.submission_id
from {{ ref('int_indicator_monthly') }} as i
{% if is_incremental() %}
    -- commune-months the table lacks (after the pre-hook removed the superseded ones)
    left join {{ this }} as t
        on i.commune_code = t.commune_code and i.period_month = t.period_month
    where t.commune_code is null
{% endif %}
