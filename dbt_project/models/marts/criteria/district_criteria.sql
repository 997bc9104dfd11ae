-- One row per evaluated district-year × district criterion (ANTT_H1 … ANTT_H6).
with criteria as (
    {{ union_columns(
        [
            ref('int_district_criteria_communes'),
            ref('int_district_criteria_incidents'),
            ref('int_district_criteria_crime')
        ],
        [
            'criteria_set',
            'year',
            'district_code',
            'criterion_code',
            'level',
            'status',
            'measured_value',
            'threshold',
            'comparison',
            'detail'
        ]
    ) }}
)

select
    c.criteria_set,
    c.year,
    c.district_code,
    c.criterion_code,
    c.level,
    c.status,
    c.measured_value,
    c.threshold,
    c.comparison,
    c.detail
from criteria as c
