-- Which unit-years are evaluated, for the years the criteria set in var('criteria_set') covers
-- (the catalogue states them; no row for a year no set covers, although its data loads):
--   years before var('new_units_from_year'): every OLD commune of every old province with at
--     least one accepted submission for the year covering one of its communes (any dataset, any
--     unit), reported or not;
--   from that year: every NEW unit of every new province with at least one accepted submission
--     for a period of the year covering a commune whose successor lies in that province.
-- A unit's area in a period: CAH its district, CAX its commune, CAT/VPDP its province and, for an
-- earlier period, every old commune whose successor lies in the new province of that code.
with covered_years as (
    select
        min(b.year_from) as year_from,
        max(b.year_to) as year_to
    from {{ ref('bo_tieu_chi') }} as b
    where b.criteria_set = '{{ var("criteria_set") }}'
),

submissions as (
    select distinct
        s.unit_level,
        s.unit_area_code,
        s.district_code,
        s.commune_code,
        s.province_code,
        s.era,
        s.period_year as year
    from {{ ref('stg_raw__submissions') }} as s
    inner join covered_years as y
        on s.period_year between y.year_from and y.year_to
    where s.province_code is not null
),

-- Old provinces covered by a submission of an earlier period (the years evaluated on old units).
old_provinces as (
    select
        s.year,
        s.province_code
    from submissions as s
    where s.era = 'OLD' and s.unit_level in ('CAH', 'CAT', 'VPDP')
    union
    select
        s.year,
        l.old_province_code as province_code
    from submissions as s
    inner join {{ ref('int_commune_successors') }} as l
        on s.unit_area_code = l.new_province_code
    where s.era = 'OLD' and s.unit_level in ('CAT', 'VPDP')
),

-- New provinces with a submission for a period of the year covering one of their communes or a
-- commune whose successor lies in them.
new_provinces as (
    select
        s.year,
        s.province_code
    from submissions as s
    where s.era = 'NEW'
    union
    select
        s.year,
        l.new_province_code as province_code
    from submissions as s
    inner join {{ ref('int_commune_successors') }} as l
        on
            (s.unit_level = 'CAH' and s.district_code = l.old_district_code)
            or (s.unit_level = 'CAX' and s.commune_code = l.old_commune_code)
            or (
                s.unit_level in ('CAT', 'VPDP')
                and s.unit_area_code in (l.old_province_code, l.new_province_code)
            )
    where s.era = 'OLD'
)

select
    p.year,
    'OLD' as era,
    c.commune_code,
    c.commune_type,
    c.district_code,
    c.province_code
from old_provinces as p
inner join {{ ref('stg_raw__admin_commune') }} as c
    on p.province_code = c.province_code
where p.year < {{ var("new_units_from_year") }}
union all
select
    p.year,
    'NEW' as era,
    n.commune_code,
    n.commune_type,
    cast(null as text) as district_code,
    n.province_code
from new_provinces as p
inner join {{ ref('stg_raw__admin_commune_2025') }} as n
    on p.province_code = n.province_code
where p.year >= {{ var("new_units_from_year") }}
