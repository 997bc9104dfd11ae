-- The criteria catalogue as reviewers read it: one row per (criteria set, criterion) with its
-- text in Vietnamese and English, the threshold it is judged against, the years the set covers
-- and the levels it makes up (seed bo_tieu_chi_muc), lowest level first.
with level_rank as (
    select
        v.level,
        v.level_rank
    from (
        values
        ('NTM', 1),
        ('NTM_NANG_CAO', 2),
        ('NTM_KIEU_MAU', 3),
        ('HUYEN_NTM', 1),
        ('HUYEN_NTM_NANG_CAO', 2)
    ) as v (level, level_rank)
),

criterion_levels as (
    select
        m.criteria_set,
        m.criterion_code,
        array_agg(m.level order by r.level_rank, m.level) as levels
    from {{ ref('bo_tieu_chi_muc') }} as m
    left join level_rank as r
        on m.level = r.level
    group by m.criteria_set, m.criterion_code
)

select
    b.criteria_set,
    b.criterion_code,
    b.scope,
    b.sort_order,
    b.ten_tieu_chi as criterion_name_vi,
    b.name_en as criterion_name_en,
    b.first_level,
    coalesce(l.levels, cast(array[] as text[])) as levels,
    b.comparison,
    b.threshold,
    b.threshold_unit,
    b.year_from,
    b.year_to,
    b.source_doc
from {{ ref('bo_tieu_chi') }} as b
left join criterion_levels as l
    on
        b.criteria_set = l.criteria_set
        and b.criterion_code = l.criterion_code
