-- Every file the warehouse has received, whatever became of it (accepted, rejected, duplicate),
-- as the loader registered it, with the unit's level and area code split out. Versions are not
-- resolved here: stg_raw__submissions does that, for accepted files only.
select
    s.submission_id,
    s.unit_code,
    substring(upper(s.unit_code) from '^(CAH|CAT|VPDP)') as unit_level,
    substring(s.unit_code from '[0-9]+$') as unit_area_code,
    s.dataset,
    s.period,
    case
        when s.period ~ '^[0-9]{4}' then cast(left(s.period, 4) as integer)
    end as period_year,
    s.file_name,
    s.sha256,
    s.size_bytes,
    s.status,
    s.received_at,
    s.accepted_at,
    s.row_count,
    s.error_count,
    s.replaces_submission_id,
    s.duplicate_of_submission_id,
    s.report_path
from {{ source('raw', 'submissions') }} as s
