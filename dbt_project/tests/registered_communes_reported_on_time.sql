{{ config(severity='warn', store_failures=true, alias='registered_communes_missing_reports') }}
-- Every registered commune has complete monthly data for each month whose reporting deadline
-- (the 20th of the next month) has passed. One failing row per (commune, month); a warning,
-- because the criteria already show the gap as KHONG_DU_DU_LIEU.
select
    f.year,
    f.commune_code,
    f.commune_name,
    f.district_code,
    f.level,
    f.period_month,
    f.detail
from {{ ref('recognition_findings') }} as f
where f.finding_type = 'THIEU_BAO_CAO'
