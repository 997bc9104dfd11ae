-- One row per evaluated unit-year × criterion (old communes up to 2024, new units from 2025), with
-- the measured value, its bounds (equal when exact), the threshold and the comparison used, and
-- the reason in words.
with criteria as (
    {{ union_columns(
        [
            ref('int_commune_criteria_incidents'),
            ref('int_commune_criteria_crime_trend'),
            ref('int_commune_criteria_annual')
        ],
        [
            'criteria_set',
            'year',
            'commune_code',
            'criterion_code',
            'level',
            'status',
            'measured_value',
            'measured_low',
            'measured_high',
            'threshold',
            'comparison',
            'detail'
        ]
    ) }}
)

select
    c.criteria_set,
    c.year,
    c.commune_code,
    c.criterion_code,
    c.level,
    c.status,
    c.measured_value,
    c.measured_low,
    c.measured_high,
    c.threshold,
    c.comparison,
    c.detail
from criteria as c
