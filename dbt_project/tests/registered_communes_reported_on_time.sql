{{ config(severity='warn', store_failures=true, alias='registered_communes_missing_reports') }}
-- Every registered commune has complete monthly data for each month whose reporting deadline
-- (the 20th of the next month) has passed. One failing row per (commune, month); a warning,
-- because the criteria already show the gap as KHONG_DU_DU_LIEU.
{{ findings_of_type('THIEU_BAO_CAO', 'period_month') }}
