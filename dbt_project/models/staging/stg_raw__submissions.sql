-- Accepted submissions, with the one version of each scope (unit, dataset, period) that counts:
-- the newest accepted, i.e. the highest submission_id (acceptance order). This is the only
-- place where versions are resolved.
-- era: which unit list the file's codes belong to, decided by its period: OLD for months before
-- var('new_units_from') and years before var('new_units_from_year'), NEW from then on.
-- Units: CAH<district> (district police), CAX<commune> (commune police, from 2025-03),
-- CAT<province> (provincial police), VPDP<province> (NTM coordination office).
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
        substring(a.unit_code from '^(CAH|CAX|CAT|VPDP)') as unit_level,
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
),

dated as (
    select
        t.*,
        case
            when t.period_month is not null and t.period_month < date '{{ var("new_units_from") }}'
                then 'OLD'
            when t.period_month is null and t.period_year < {{ var("new_units_from_year") }}
                then 'OLD'
            else 'NEW'
        end as era
    from typed as t
)

select
    t.submission_id,
    t.unit_code,
    t.unit_level,
    t.unit_area_code,
    t.dataset,
    t.period,
    t.period_year,
    t.period_month,
    t.era,
    case
        when t.unit_level = 'CAX' then coalesce(oc.province_code, nc.province_code)
        else coalesce(d.province_code, t.unit_area_code)
    end as province_code,
    case when t.unit_level = 'CAH' then t.unit_area_code end as district_code,
    case when t.unit_level = 'CAX' then t.unit_area_code end as commune_code,
    t.file_name,
    t.sha256,
    t.accepted_at,
    t.row_count,
    t.replaces_submission_id,
    t.current_submission_id,
    t.submission_id = t.current_submission_id as is_current
from dated as t
left join {{ source('raw', 'admin_district') }} as d
    on t.unit_level = 'CAH' and t.unit_area_code = d.district_code
left join {{ source('raw', 'admin_commune') }} as oc
    on t.unit_level = 'CAX' and t.era = 'OLD' and t.unit_area_code = oc.commune_code
left join {{ source('raw', 'admin_commune_2025') }} as nc
    on t.unit_level = 'CAX' and t.era = 'NEW' and t.unit_area_code = nc.commune_code
