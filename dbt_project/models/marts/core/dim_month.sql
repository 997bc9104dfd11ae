-- Report months 2015-01 … 2035-12, with the reporting deadline: a month's reports are due by
-- the 20th of the following month.
with months as (
    select cast(m as date) as month_start
    from generate_series(date '2015-01-01', date '2035-12-01', interval '1 month') as g (m)
)

select
    m.month_start,
    cast(extract(year from m.month_start) as integer) as year,
    cast(extract(month from m.month_start) as integer) as month,
    to_char(m.month_start, 'YYYY-MM') as period,
    cast(m.month_start + interval '1 month' + interval '19 days' as date) as report_due_on
from months as m
