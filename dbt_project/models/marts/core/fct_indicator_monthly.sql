{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['commune_code', 'period_month'],
        on_schema_change='fail',
        indexes=[
            {'columns': ['commune_code', 'period_month', 'indicator_code'], 'unique': true},
            {'columns': ['submission_id']},
        ],
        pre_hook="{{ prefer_hash_joins() }}",
        post_hook="{{ drop_superseded_indicator_rows() }}",
    )
}}
-- depends_on: {{ ref('stg_raw__chi_tieu') }}, {{ ref('stg_raw__submissions') }}, {{ ref('indicators') }}
-- depends_on: {{ source('raw', 'chi_tieu') }}
-- Monthly indicator values per commune, after versioning and provincial over district or commune
-- police, on the codes the months were reported with (old communes until 2025-06, new units from
-- 2025-07).
-- Incremental: only the commune-months touched by a submission that changed since the last run
-- are resolved again: a current submission the table does not hold yet (new file, correction, or
-- a district file still overridden by the province) and a superseded one the table still holds.
-- delete+insert replaces those commune-months whole; the post-hook drops rows of superseded
-- submissions that nothing replaced. A full refresh gives the same rows (tested).
{% if is_incremental() %}
    with changed_submissions as (
        select s.submission_id
        from {{ ref('stg_raw__submissions') }} as s
        where
            s.dataset = 'chi_tieu'
            and s.unit_level in ('CAT', 'CAH', 'CAX')
            and (
                (
                    s.is_current
                    and not exists (
                        select 1
                        from {{ this }} as t
                        where t.submission_id = s.submission_id
                    )
                )
                or (
                    not s.is_current
                    and exists (
                        select 1
                        from {{ this }} as t
                        where t.submission_id = s.submission_id
                    )
                )
            )
    ),

    affected as (
        select distinct
            c.ma_xa as commune_code,
            s.period_month
        from {{ source('raw', 'chi_tieu') }} as c
        inner join {{ ref('stg_raw__submissions') }} as s
            on c.submission_id = s.submission_id
        where c.submission_id in (select x.submission_id from changed_submissions as x)
    ),

    reported as (
        select c.*
        from {{ ref('stg_raw__chi_tieu') }} as c
        inner join affected as a
            on c.commune_code = a.commune_code and c.period_month = a.period_month
    ),

    resolved as (
        {{ resolve_indicator_monthly('reported') }}
    )

    select
        r.commune_code,
        r.period_month,
        r.indicator_code,
        r.indicator_group,
        r.value,
        r.source_unit,
        r.submission_id
    from resolved as r
{% else %}
    select
        i.commune_code,
        i.period_month,
        i.indicator_code,
        i.indicator_group,
        i.value,
        i.source_unit,
        i.submission_id
    from {{ ref('int_indicator_monthly') }} as i
{% endif %}
