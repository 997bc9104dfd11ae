{{ config(materialized='view') }}
-- Reporting rates as DHIS2 shows them, over the reports already due (deadline passed):
-- reporting rate = reports accepted / reports expected × 100, on-time rate = reports accepted by
-- the deadline / reports expected × 100. One row per unit and year (`by_unit`: every dataset)
-- and one per province and month (`by_month`: the monthly chi_tieu of every unit).
with due as (
    select r.*
    from {{ ref('reporting_completeness') }} as r
    where r.as_of_date > r.deadline
),

by_unit as (
    select
        d.province_code,
        d.year,
        'DON_VI' as breakdown,
        d.unit_code,
        cast(null as date) as period_month,
        {{ report_counts('d') }}
    from due as d
    group by d.province_code, d.year, d.unit_code
),

by_month as (
    select
        d.province_code,
        d.year,
        'THANG' as breakdown,
        cast(null as text) as unit_code,
        d.period_month,
        {{ report_counts('d') }}
    from due as d
    where d.period_month is not null
    group by d.province_code, d.year, d.period_month
),

counted as (
    select * from by_unit
    union all
    select * from by_month
)

select
    c.*,
    round(100.0 * c.actual_reports / c.expected_reports, 1) as reporting_rate,
    round(100.0 * c.on_time_reports / c.expected_reports, 1) as on_time_rate
from counted as c
