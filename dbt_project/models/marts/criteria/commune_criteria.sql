-- One row per evaluated unit-year × criterion (old communes up to 2024, new units from 2025), with
-- the measured value, its bounds (equal when exact), the threshold and the comparison used, and
-- the reason in words.
{{ union_columns(
    [
        ref('int_commune_criteria_incidents'),
        ref('int_commune_criteria_crime_trend'),
        ref('int_commune_criteria_annual')
    ],
    criterion_result_columns('commune_code', with_bounds=true)
) }}
