{{ config(severity='warn', store_failures=true, alias='held_levels_at_risk') }}
-- Communes that hold a level (dang_ky_ntm.muc_da_dat) and are KHONG_DAT at it in Y: at risk of
-- losing the recognition. One failing row per (commune, criterion); a warning.
select
    f.year,
    f.commune_code,
    f.commune_name,
    f.district_code,
    f.level,
    f.criterion_code,
    f.detail
from {{ ref('recognition_findings') }} as f
where f.finding_type = 'NGUY_CO_MAT_DANH_HIEU'
