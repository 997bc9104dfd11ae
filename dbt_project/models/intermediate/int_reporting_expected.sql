{{ config(materialized='view') }}
-- The reports each police unit owes, per province and year in scope (a province-year with at
-- least one accepted file): `chi_tieu` every month, `mo_hinh` and `danh_gia_nam` every year.
-- `su_vu` is sent only for a month with something to report, and `dang_ky_ntm` comes from the
-- coordination office, so neither is expected here (docs/decisions.md, "Reporting cycle").
-- Who owes them: the district police (CAH) for months up to 2025-02 and years up to 2024; the
-- commune police (CAX) from 2025-03, under the old commune code for 2025-03…06 and the new one
-- from 2025-07 (and for the years from 2025). From 2025 a year belongs to the new province that
-- absorbed the old one (the crosswalk; without it, to the old province itself).
with commune_new_province as (
    select
        c.commune_code,
        c.district_code,
        c.province_code as old_province_code,
        coalesce(
            (
                select min(n.province_code)
                from {{ ref('stg_raw__commune_crosswalk_2025') }} as x
                inner join {{ ref('stg_raw__admin_commune_2025') }} as n
                    on x.new_commune_code = n.commune_code
                where x.old_commune_code = c.commune_code
            ),
            c.province_code
        ) as new_province_code
    from {{ ref('stg_raw__admin_commune') }} as c
),

district_new_province as (
    select
        c.district_code,
        min(c.old_province_code) as old_province_code,
        min(c.new_province_code) as new_province_code
    from commune_new_province as c
    group by c.district_code
),

accepted as (
    select
        r.unit_code,
        r.period,
        cast(left(r.period, 4) as integer) as year,
        substring(upper(r.unit_code) from '^(CAH|CAT|CAX|VPDP)') as unit_level,
        substring(r.unit_code from '[0-9]+$') as area_code
    from {{ source('raw', 'submissions') }} as r
    where r.status = 'accepted' and r.period ~ '^[0-9]{4}'
),

accepted_province as (
    select
        a.year,
        case
            when a.unit_level = 'CAH'
                then
                    case
                        when a.year >= 2025 then d.new_province_code else d.old_province_code
                    end
            when a.unit_level = 'CAX' and a.period < '2025-07'
                then c.new_province_code
            when a.unit_level = 'CAX'
                then n.province_code
            when a.year >= 2025
                then
                    coalesce(
                        (
                            select min(p.new_province_code)
                            from commune_new_province as p
                            where p.old_province_code = a.area_code
                        ),
                        a.area_code
                    )
            else a.area_code
        end as province_code
    from accepted as a
    left join district_new_province as d
        on a.unit_level = 'CAH' and a.area_code = d.district_code
    left join commune_new_province as c
        on a.unit_level = 'CAX' and a.area_code = c.commune_code
    left join {{ ref('stg_raw__admin_commune_2025') }} as n
        on a.unit_level = 'CAX' and a.area_code = n.commune_code
),

scope as (
    select distinct
        a.province_code,
        a.year
    from accepted_province as a
    where a.province_code is not null
),

months as (
    select m.month_no
    from generate_series(1, 12) as m (month_no)
),

unit_periods as (
    -- district police: every month of a year up to 2024, January and February of 2025
    select
        s.province_code,
        s.year,
        'CAH' || d.district_code as unit_code,
        'CAH' as unit_level,
        m.month_no
    from scope as s
    inner join district_new_province as d
        on
            s.province_code
            = case when s.year >= 2025 then d.new_province_code else d.old_province_code end
    inner join months as m
        on s.year <= 2024 or (s.year = 2025 and m.month_no <= 2)
    union all
    -- commune police under the old code: 2025-03 to 2025-06
    select
        s.province_code,
        s.year,
        'CAX' || c.commune_code as unit_code,
        'CAX' as unit_level,
        m.month_no
    from scope as s
    inner join commune_new_province as c
        on s.province_code = c.new_province_code
    inner join months as m
        on s.year = 2025 and m.month_no between 3 and 6
    union all
    -- commune police under the new code: from 2025-07
    select
        s.province_code,
        s.year,
        'CAX' || n.commune_code as unit_code,
        'CAX' as unit_level,
        m.month_no
    from scope as s
    inner join {{ ref('stg_raw__admin_commune_2025') }} as n
        on s.province_code = n.province_code
    inner join months as m
        on s.year >= 2026 or (s.year = 2025 and m.month_no >= 7)
),

monthly as (
    select
        u.province_code,
        u.year,
        u.unit_code,
        u.unit_level,
        'chi_tieu' as dataset,
        u.year || '-' || lpad(cast(u.month_no as text), 2, '0') as period,
        make_date(u.year, u.month_no, 1) as period_month,
        cast(make_date(u.year, u.month_no, 1) + interval '1 month 19 days' as date) as deadline
    from unit_periods as u
),

annual_units as (
    -- the unit that owes a year's registers: the district police up to 2024, then the commune
    -- police under the new code (the unit that reports December)
    select distinct
        u.province_code,
        u.year,
        u.unit_code,
        u.unit_level
    from unit_periods as u
    where u.month_no = 12
),

annual as (
    select
        u.province_code,
        u.year,
        u.unit_code,
        u.unit_level,
        d.dataset,
        cast(u.year as text) as period,
        cast(null as date) as period_month,
        make_date(u.year + 1, 1, 31) as deadline
    from annual_units as u
    cross join (values ('mo_hinh'), ('danh_gia_nam')) as d (dataset)
)

select * from monthly
union all
select * from annual
