{{ config(severity='warn', store_failures=true, alias='held_levels_at_risk') }}
-- Communes that hold a level (dang_ky_ntm.muc_da_dat) and are KHONG_DAT at it in Y: at risk of
-- losing the recognition. One failing row per (commune, criterion); a warning.
{{ findings_of_type('NGUY_CO_MAT_DANH_HIEU', 'criterion_code') }}
