-- Which commune-years are evaluated: every commune of every province with at least one
-- accepted submission for the year (any dataset, any unit of the province), reported or not.
with province_years as (
    select distinct
        s.province_code,
        s.period_year as year
    from {{ ref('stg_raw__submissions') }} as s
    where s.province_code is not null
)

select
    py.year,
    c.commune_code,
    c.commune_type,
    c.district_code,
    c.province_code
from province_years as py
inner join {{ ref('stg_raw__admin_commune') }} as c
    on py.province_code = c.province_code
