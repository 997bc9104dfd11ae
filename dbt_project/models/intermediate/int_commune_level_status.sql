-- Each unit-year's status at each level of the criteria set (macro level_status): KHONG_DAT when
-- any of the level's criteria is KHONG_DAT, else KHONG_DU_DU_LIEU when any is, else
-- KHONG_SO_SANH_DUOC when any is, else DAT.
select
    c.criteria_set,
    c.year,
    c.commune_code,
    m.level,
    {{ level_status('c.status') }} as status,
    count(*) as n_criteria,
    count(*) filter (where c.status = 'DAT') as n_dat
from {{ ref('commune_criteria') }} as c
inner join {{ ref('bo_tieu_chi_muc') }} as m
    on c.criteria_set = m.criteria_set and c.criterion_code = m.criterion_code
group by c.criteria_set, c.year, c.commune_code, m.level
