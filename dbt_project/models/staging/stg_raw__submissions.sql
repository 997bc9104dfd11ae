-- Accepted submissions, with the one version of each scope (unit, dataset, period) that counts:
-- the newest accepted, i.e. the highest submission_id (acceptance order). This is the only
-- place where versions are resolved.
with accepted as (
    select
        s.submission_id,
        upper(s.unit_code) as unit_code,
        lower(s.dataset) as dataset,
        s.period,
        s.file_name,
        s.sha256,
        s.accepted_at,
        s.row_count,
        s.replaces_submission_id
    from {{ source('raw', 'submissions') }} as s
    where s.status = 'accepted'
),

typed as (
    select
        a.*,
        substring(a.unit_code from '^(CAH|CAT|VPDP)') as unit_level,
        substring(a.unit_code from '[0-9]+$') as unit_area_code,
        cast(left(a.period, 4) as integer) as period_year,
        case
            when a.period ~ '^[0-9]{4}-[0-9]{2}$'
                then to_date(a.period || '-01', 'YYYY-MM-DD')
        end as period_month,
        max(a.submission_id) over (
            partition by a.unit_code, a.dataset, a.period
        ) as current_submission_id
    from accepted as a
)

select
    t.submission_id,
    t.unit_code,
    t.unit_level,
    t.dataset,
    t.period,
    t.period_year,
    t.period_month,
    coalesce(d.province_code, t.unit_area_code) as province_code,
    case when t.unit_level = 'CAH' then t.unit_area_code end as district_code,
    t.file_name,
    t.sha256,
    t.accepted_at,
    t.row_count,
    t.replaces_submission_id,
    t.current_submission_id,
    t.submission_id = t.current_submission_id as is_current
from typed as t
left join {{ source('raw', 'admin_district') }} as d
    on t.unit_level = 'CAH' and t.unit_area_code = d.district_code
