{{ config(materialized='view') }}
-- The submissions register for reviewers and BI: one row per file received, accepted, rejected
-- or duplicate. A view, so a load shows here at once without a dbt build; it reads raw with the
-- privileges of its owner (antt_transformer), so antt_reader needs no right on raw.
-- province_code/district_code come from the unit code of a parsed file name (NULL when the name
-- did not parse or names an unknown district).
select
    r.submission_id,
    r.unit_code,
    r.unit_level,
    case
        when r.unit_level = 'CAH' then d.province_code
        when r.unit_level in ('CAT', 'VPDP') then r.unit_area_code
    end as province_code,
    case when r.unit_level = 'CAH' then r.unit_area_code end as district_code,
    r.dataset,
    r.period,
    r.period_year,
    r.file_name,
    r.sha256,
    r.size_bytes,
    r.status,
    r.received_at,
    r.accepted_at,
    r.row_count,
    r.error_count,
    r.replaces_submission_id,
    r.duplicate_of_submission_id,
    r.report_path,
    coalesce(c.is_current, false) as is_current
from {{ ref('stg_raw__submission_register') }} as r
left join {{ ref('stg_raw__admin_district') }} as d
    on r.unit_level = 'CAH' and r.unit_area_code = d.district_code
left join {{ ref('stg_raw__submissions') }} as c
    on r.submission_id = c.submission_id
