{{ config(materialized='view') }}
-- Completeness and timeliness of the reporting cycle: one row per province, year, police unit
-- that owes a report (int_reporting_expected), dataset and period that has ended by the as-of
-- date (var reporting_as_of, default today in Vietnam). A view over the register, like
-- submission_register: a load shows here at once, and "missing" moves with the calendar.
-- - received: the unit sent a file for the scope (accepted or rejected), or, for a commune police
--   unit (CAX), the provincial police (CAT) sent an accepted file with rows for its commune (CAT
--   coverage). A district (CAH) owes its own report whatever the province sends;
-- - on time / late: by the arrival time (received_at, Vietnam time) of the first accepted file
--   of the scope or of the first CAT file that covers it, against the deadline (the 20th of the
--   next month; 31 January of the next year for annual datasets), that day included;
-- - missing: nothing accepted and the deadline has passed; not yet due: the deadline has not;
-- - rejected_awaiting_correction: the unit's newest file of the scope was rejected after its
--   newest accepted one (or none was accepted): a corrected file is still owed.
with as_of as (
    select
        {% if var('reporting_as_of', none) -%}
            cast('{{ var("reporting_as_of") }}' as date)
        {%- else -%}
            cast(timezone('Asia/Ho_Chi_Minh', now()) as date)
        {%- endif %} as as_of_date
),

expected as (
    select
        e.*,
        a.as_of_date
    from {{ ref('int_reporting_expected') }} as e
    cross join as_of as a
    where
        coalesce(e.period_month + interval '1 month', make_date(e.year + 1, 1, 1))
        <= a.as_of_date
),

files as (
    select
        upper(s.unit_code) as unit_code,
        s.dataset,
        s.period,
        min(s.received_at) as first_received_at,
        min(s.received_at) filter (where s.status = 'accepted') as first_accepted_at,
        max(s.submission_id) filter (where s.status = 'accepted') as last_accepted_id,
        max(s.submission_id) filter (where s.status = 'rejected') as last_rejected_id,
        count(*) filter (where s.status = 'accepted') as accepted_files,
        count(*) filter (where s.status = 'rejected') as rejected_files
    from {{ source('raw', 'submissions') }} as s
    where s.status in ('accepted', 'rejected') and s.unit_code is not null
    group by upper(s.unit_code), s.dataset, s.period
),

provincial as (
    select
        s.submission_id,
        s.unit_code,
        s.dataset,
        s.period,
        s.received_at
    from {{ source('raw', 'submissions') }} as s
    where
        s.status = 'accepted'
        and upper(s.unit_code) like 'CAT%'
        and s.dataset in ('chi_tieu', 'mo_hinh', 'danh_gia_nam')
),

provincial_communes as (
    select distinct
        p.submission_id,
        r.ma_xa as commune_code
    from provincial as p
    inner join {{ source('raw', 'chi_tieu') }} as r on p.submission_id = r.submission_id
    union
    select
        p.submission_id,
        r.ma_xa
    from provincial as p
    inner join {{ source('raw', 'mo_hinh') }} as r on p.submission_id = r.submission_id
    union
    select
        p.submission_id,
        r.ma_xa
    from provincial as p
    inner join {{ source('raw', 'danh_gia_nam') }} as r on p.submission_id = r.submission_id
),

unit_communes as (
    select distinct
        e.unit_code,
        coalesce(c.commune_code, substring(e.unit_code from '[0-9]+$')) as commune_code
    from expected as e
    left join {{ ref('stg_raw__admin_commune') }} as c
        on e.unit_level = 'CAH' and c.district_code = substring(e.unit_code from '[0-9]+$')
),

candidates as (
    select
        e.unit_code,
        e.dataset,
        e.period,
        p.submission_id,
        p.received_at,
        p.unit_code as provincial_unit
    from expected as e
    inner join provincial as p
        on e.dataset = p.dataset and e.period = p.period
    where e.unit_level = 'CAX'
),

uncovered as (
    -- (unit, CAT file) pairs where a commune of the unit has no row in the CAT file
    select distinct
        c.unit_code,
        c.submission_id
    from candidates as c
    inner join unit_communes as u
        on c.unit_code = u.unit_code
    left join provincial_communes as pc
        on c.submission_id = pc.submission_id and u.commune_code = pc.commune_code
    where pc.commune_code is null
),

covered as (
    -- the first accepted CAT file of the scope with rows for every commune of the unit
    select
        c.unit_code,
        c.dataset,
        c.period,
        min(c.received_at) as covered_at,
        min(c.provincial_unit) as covered_by
    from candidates as c
    left join uncovered as x
        on c.unit_code = x.unit_code and c.submission_id = x.submission_id
    where x.unit_code is null
    group by c.unit_code, c.dataset, c.period
),

judged as (
    select
        e.province_code,
        e.year,
        e.unit_code,
        e.unit_level,
        e.dataset,
        e.period,
        e.period_month,
        e.deadline,
        e.as_of_date,
        f.first_received_at,
        least(f.first_accepted_at, c.covered_at) as accepted_received_at,
        case
            when f.first_accepted_at is not null
                and (c.covered_at is null or f.first_accepted_at <= c.covered_at)
                then e.unit_code
            else c.covered_by
        end as received_via,
        coalesce(f.accepted_files, 0) as accepted_files,
        coalesce(f.rejected_files, 0) as rejected_files,
        coalesce(
            f.last_rejected_id > coalesce(f.last_accepted_id, 0), false
        ) as rejected_awaiting_correction,
        case
            when f.last_rejected_id > coalesce(f.last_accepted_id, 0) then f.last_rejected_id
        end as awaiting_submission_id
    from expected as e
    left join files as f
        on e.unit_code = f.unit_code and e.dataset = f.dataset and e.period = f.period
    left join covered as c
        on e.unit_code = c.unit_code and e.dataset = c.dataset and e.period = c.period
)

select
    j.province_code,
    j.year,
    j.unit_code,
    j.unit_level,
    j.dataset,
    j.period,
    j.period_month,
    j.deadline,
    j.as_of_date,
    1 as expected,
    j.first_received_at is not null or j.accepted_received_at is not null as received,
    j.accepted_received_at is not null as accepted,
    coalesce(
        cast(timezone('Asia/Ho_Chi_Minh', j.accepted_received_at) as date) <= j.deadline, false
    ) as on_time,
    coalesce(
        cast(timezone('Asia/Ho_Chi_Minh', j.accepted_received_at) as date) > j.deadline, false
    ) as late,
    j.accepted_received_at is null and j.as_of_date > j.deadline as missing,
    j.rejected_awaiting_correction,
    case
        when j.accepted_received_at is null and j.as_of_date > j.deadline then 'CHUA_NOP'
        when j.accepted_received_at is null then 'CHUA_DEN_HAN'
        when cast(timezone('Asia/Ho_Chi_Minh', j.accepted_received_at) as date) <= j.deadline
            then 'DUNG_HAN'
        else 'TRE_HAN'
    end as status,
    j.received_via,
    j.first_received_at,
    j.accepted_received_at,
    case
        when j.accepted_received_at is not null
            then
                greatest(
                    cast(timezone('Asia/Ho_Chi_Minh', j.accepted_received_at) as date)
                    - j.deadline,
                    0
                )
    end as days_late,
    j.accepted_files,
    j.rejected_files,
    j.awaiting_submission_id
from judged as j
