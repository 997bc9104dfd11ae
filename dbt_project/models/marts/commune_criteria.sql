-- One row per evaluated commune-year × criterion, with the measured value, the threshold and
-- the comparison used, and the reason in words.
with criteria as (
    select * from {{ ref('int_criteria_incidents') }}
    union all
    select * from {{ ref('int_criteria_crime_trend') }}
    union all
    select * from {{ ref('int_criteria_annual') }}
)

select
    c.criteria_set,
    c.year,
    c.commune_code,
    c.criterion_code,
    c.level,
    c.status,
    c.measured_value,
    c.threshold,
    c.comparison,
    c.detail
from criteria as c
