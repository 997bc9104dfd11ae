{{ config(materialized='view') }}
-- Monthly indicator values per unit and era, as intervals [value_low, value_high]: the OLD
-- communes' resolved values before var('new_units_from') (exact), and the NEW units' values
-- (int_new_unit_indicator_monthly). The unit-year sums and the missing-report findings read this.
select
    'OLD' as era,
    f.commune_code,
    f.period_month,
    f.indicator_code,
    f.indicator_group,
    f.value as value_low,
    f.value as value_high,
    'REPORTED' as basis
from {{ ref('fct_indicator_monthly') }} as f
where f.period_month < date '{{ var("new_units_from") }}'
union all
select
    'NEW' as era,
    n.commune_code,
    n.period_month,
    n.indicator_code,
    n.indicator_group,
    n.value_low,
    n.value_high,
    n.basis
from {{ ref('int_new_unit_indicator_monthly') }} as n
