-- The catalogue states the years each criteria set covers on every row of the set: one span per
-- set, and no year covered by two sets (a year must be evaluated against one set only).
with spans as (
    select
        b.criteria_set,
        min(b.year_from) as year_from,
        max(b.year_to) as year_to,
        count(distinct b.year_from) as n_from,
        count(distinct b.year_to) as n_to
    from {{ ref('bo_tieu_chi') }} as b
    group by b.criteria_set
)

select
    a.criteria_set,
    a.year_from,
    a.year_to,
    o.criteria_set as overlapping_set
from spans as a
left join spans as o
    on
        a.criteria_set < o.criteria_set
        and a.year_from <= o.year_to
        and a.year_to >= o.year_from
where a.n_from > 1 or a.n_to > 1 or o.criteria_set is not null
