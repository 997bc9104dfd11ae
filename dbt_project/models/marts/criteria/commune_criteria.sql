-- One row per evaluated commune-year × criterion, with the measured value, the threshold and
-- the comparison used, and the reason in words.
with criteria as (
    select
        criteria_set,
        year,
        commune_code,
        criterion_code,
        level,
        status,
        measured_value,
        threshold,
        comparison,
        detail
    from {{ ref('int_commune_criteria_incidents') }}
    union all
    select
        criteria_set,
        year,
        commune_code,
        criterion_code,
        level,
        status,
        measured_value,
        threshold,
        comparison,
        detail
    from {{ ref('int_commune_criteria_crime_trend') }}
    union all
    select
        criteria_set,
        year,
        commune_code,
        criterion_code,
        level,
        status,
        measured_value,
        threshold,
        comparison,
        detail
    from {{ ref('int_commune_criteria_annual') }}
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
