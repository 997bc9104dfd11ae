-- The criteria sets of the catalogue and the years each covers; evaluated years are those the
-- set in var('criteria_set') covers. A year with data but no set is loaded and not evaluated.
select
    b.criteria_set,
    min(b.year_from) as year_from,
    max(b.year_to) as year_to,
    count(*) filter (where b.scope = 'XA') as commune_criteria,
    count(*) filter (where b.scope = 'HUYEN') as district_criteria,
    b.criteria_set = '{{ var("criteria_set") }}' as is_evaluated
from {{ ref('bo_tieu_chi') }} as b
group by b.criteria_set
