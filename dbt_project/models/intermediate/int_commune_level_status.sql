-- Each commune-year's status at each level of the criteria set: DAT when all the level's
-- criteria are DAT, KHONG_DAT when any is KHONG_DAT, otherwise KHONG_DU_DU_LIEU.
select
    c.criteria_set,
    c.year,
    c.commune_code,
    m.level,
    case
        when bool_or(c.status = 'KHONG_DAT') then 'KHONG_DAT'
        when bool_and(c.status = 'DAT') then 'DAT'
        else 'KHONG_DU_DU_LIEU'
    end as status,
    count(*) as n_criteria,
    count(*) filter (where c.status = 'DAT') as n_dat
from {{ ref('commune_criteria') }} as c
inner join {{ ref('bo_tieu_chi_muc') }} as m
    on c.criteria_set = m.criteria_set and c.criterion_code = m.criterion_code
group by c.criteria_set, c.year, c.commune_code, m.level
