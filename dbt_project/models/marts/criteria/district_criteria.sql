-- One row per evaluated district-year × district criterion (ANTT_H1 … ANTT_H6).
{{ union_columns(
    [
        ref('int_district_criteria_communes'),
        ref('int_district_criteria_incidents'),
        ref('int_district_criteria_crime')
    ],
    criterion_result_columns('district_code')
) }}
