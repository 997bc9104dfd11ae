{{ config(severity='warn', store_failures=true, alias='registered_communes_khong_dat') }}
-- Communes registered (dang_ky_ntm.muc_dang_ky) for a level in Y that are KHONG_DAT at that
-- level: one failing row per (commune, criterion). A warning: a finding for reviewers, stored in
-- audit.registered_communes_khong_dat and exposed as marts.recognition_findings.
{{ findings_of_type('DANG_KY_KHONG_DAT', 'criterion_code') }}
