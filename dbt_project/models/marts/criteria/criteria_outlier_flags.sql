-- A mark for the scorecard: each evaluated commune-year (scope XA) or district-year (HUYEN) and
-- criterion whose inputs include a value listed in value_outliers, so a reviewer checks it before
-- recognising. A criterion's inputs are the indicators of the catalogue (indicator_groups /
-- indicator_codes) in the evaluated year and, for a criterion with a baseline, in the baseline
-- year; a district criterion reads every commune of the district. A new unit (from
-- var('new_units_from_year')) reads its own values from var('new_units_from') and, before that,
-- its predecessors' (int_commune_successors, WHOLE or SPLIT): an outlier of an old commune in a
-- month before the change marks the criteria of every successor that reads it.
with params as (
    select
        p.criterion_code,
        p.scope,
        p.baseline_rule,
        p.baseline_year,
        string_to_array(p.indicator_groups, '|') as indicator_groups,
        string_to_array(p.indicator_codes, '|') as indicator_codes
    from {{ ref('bo_tieu_chi') }} as p
    where
        p.criteria_set = '{{ var("criteria_set") }}'
        and (p.indicator_groups is not null or p.indicator_codes is not null)
),

evaluated as (
    select distinct
        e.year,
        e.era,
        p.scope,
        case when p.scope = 'XA' then e.commune_code else e.district_code end as area_code,
        e.commune_code,
        p.criterion_code,
        p.indicator_groups,
        p.indicator_codes,
        case
            when p.baseline_rule is null then null
            else {{ baseline_year('p', 'e.year') }}
        end as base_year
    from {{ ref('int_evaluated_commune_years') }} as e
    cross join params as p
    where p.scope = 'XA' or e.district_code is not null
),

-- The commune codes whose values an evaluated unit reads in a month: itself; for a new unit, in
-- the months before the change, its predecessors instead.
read_codes as (
    select distinct
        e.era,
        e.commune_code,
        e.commune_code as read_code,
        e.era = 'NEW' as from_change
    from evaluated as e
    union all
    select distinct
        e.era,
        e.commune_code,
        s.old_commune_code as read_code,
        false as from_change
    from evaluated as e
    inner join {{ ref('int_commune_successors') }} as s
        on e.commune_code = s.new_commune_code
    where e.era = 'NEW'
),

hits as (
    select
        e.year,
        e.scope,
        e.area_code,
        e.criterion_code,
        o.commune_code,
        e.era = 'NEW' and not r.from_change as is_predecessor,
        o.indicator_code,
        o.period_month,
        o.value,
        o.history_median
    from evaluated as e
    inner join read_codes as r
        on e.era = r.era and e.commune_code = r.commune_code
    inner join {{ ref('value_outliers') }} as o
        on
            r.read_code = o.commune_code
            and (
                e.era = 'OLD'
                or (o.period_month >= date '{{ var("new_units_from") }}') = r.from_change
            )
            and (e.year = o.year or e.base_year = o.year)
            and (
                o.indicator_group = any(e.indicator_groups)
                or o.indicator_code = any(e.indicator_codes)
            )
)

select
    h.year,
    h.scope,
    h.area_code,
    h.criterion_code,
    cast(count(*) as integer) as outlier_count,
    string_agg(
        h.indicator_code || ' ' || to_char(h.period_month, 'MM/YYYY') || ' = '
        || h.value || ' (trung vị / median ' || trim(to_char(h.history_median, 'FM999990.##'))
        || case
            when h.scope = 'HUYEN' then ', xã / commune ' || h.commune_code
            when h.is_predecessor then ', xã cũ / old commune ' || h.commune_code
            else ''
        end
        || ')',
        '; '
        order by h.period_month, h.indicator_code, h.commune_code
    ) as detail
from hits as h
group by h.year, h.scope, h.area_code, h.criterion_code
