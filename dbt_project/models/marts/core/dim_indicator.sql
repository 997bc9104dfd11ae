select
    i.ma_chi_tieu as indicator_code,
    i.nhom as indicator_group,
    i.ten as indicator_name_vi,
    i.name_en as indicator_name_en,
    i.dieu_luat_blhs as penal_code_articles,
    i.nhom in ('TTXH', 'TE_NAN_XA_HOI') as required_for_complete_data
from {{ ref('indicators') }} as i
