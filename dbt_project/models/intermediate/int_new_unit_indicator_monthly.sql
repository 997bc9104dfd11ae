-- Monthly indicator values on the NEW units as intervals [value_low, value_high] (equal when
-- exact), for the months of the years evaluated on new units and of their baselines:
--   DIRECT        months from var('new_units_from'): the value resolved as reported (provincial
--                 over commune police), exact;
--   RESTATED      an earlier month for which the current chi_tieu_quy_doi has rows for the unit:
--                 those values, exact, for the whole unit-month;
--   PREDECESSORS  otherwise, over the unit's predecessors P with their resolved values v(P):
--                 NULL if any v is NULL or missing; else low = sum over WHOLE predecessors,
--                 high = low + sum over SPLIT ones (a split commune's share lies between 0 and
--                 all of its count; a split count of 0 is exactly 0).
with params as (
    {{ criteria_params(ref('bo_tieu_chi'), 'XA') }}
),

new_years as (
    select distinct e.year
    from {{ ref('int_evaluated_commune_years') }} as e
    where e.era = 'NEW'
),

needed_years as (
    select y.year from new_years as y
    union
    select distinct {{ baseline_year('p', 'y.year') }} as year
    from new_years as y
    cross join params as p
    where p.baseline_rule is not null
),

predecessors as (
    select
        s.old_commune_code,
        s.new_commune_code,
        s.relation,
        count(*) over (partition by s.new_commune_code) as n_predecessors
    from {{ ref('int_commune_successors') }} as s
),

resolved as (
    select
        f.commune_code,
        f.period_month,
        f.indicator_code,
        f.indicator_group,
        f.value
    from {{ ref('fct_indicator_monthly') }} as f
    where cast(extract(year from f.period_month) as integer) in (select n.year from needed_years as n)
),

direct as (
    select
        r.commune_code,
        r.period_month,
        r.indicator_code,
        r.indicator_group,
        r.value as value_low,
        r.value as value_high,
        'DIRECT' as basis
    from resolved as r
    where r.period_month >= date '{{ var("new_units_from") }}'
),

restated as (
    select
        q.commune_code,
        q.period_month,
        q.indicator_code,
        i.nhom as indicator_group,
        q.value as value_low,
        q.value as value_high,
        'RESTATED' as basis
    from {{ ref('stg_raw__chi_tieu_quy_doi') }} as q
    inner join {{ ref('indicators') }} as i
        on q.indicator_code = i.ma_chi_tieu
    where
        q.period_month < date '{{ var("new_units_from") }}'
        and cast(extract(year from q.period_month) as integer) in (select n.year from needed_years as n)
),

restated_unit_months as (
    select distinct
        r.commune_code,
        r.period_month
    from restated as r
),

from_predecessors as (
    select
        p.new_commune_code as commune_code,
        r.period_month,
        r.indicator_code,
        r.indicator_group,
        max(p.n_predecessors) as n_predecessors,
        count(r.value) as n_known,
        coalesce(sum(r.value) filter (where p.relation = 'WHOLE'), 0) as whole_sum,
        coalesce(sum(r.value) filter (where p.relation = 'SPLIT'), 0) as split_sum
    from resolved as r
    inner join predecessors as p
        on r.commune_code = p.old_commune_code
    where r.period_month < date '{{ var("new_units_from") }}'
    group by p.new_commune_code, r.period_month, r.indicator_code, r.indicator_group
),

estimated as (
    select
        f.commune_code,
        f.period_month,
        f.indicator_code,
        f.indicator_group,
        case when f.n_known = f.n_predecessors then f.whole_sum end as value_low,
        case when f.n_known = f.n_predecessors then f.whole_sum + f.split_sum end as value_high,
        'PREDECESSORS' as basis
    from from_predecessors as f
    left join restated_unit_months as u
        on f.commune_code = u.commune_code and f.period_month = u.period_month
    where u.commune_code is null
)

select
    d.commune_code,
    d.period_month,
    d.indicator_code,
    d.indicator_group,
    d.value_low,
    d.value_high,
    d.basis
from direct as d
union all
select
    r.commune_code,
    r.period_month,
    r.indicator_code,
    r.indicator_group,
    r.value_low,
    r.value_high,
    r.basis
from restated as r
union all
select
    e.commune_code,
    e.period_month,
    e.indicator_code,
    e.indicator_group,
    e.value_low,
    e.value_high,
    e.basis
from estimated as e
