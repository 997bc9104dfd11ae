{{ config(materialized='view') }}
-- Whether a province's year is closed (chốt số liệu, `antt lock`) or provisional: the newest lock
-- event of each province-year that was ever locked, with the whole history counted. A view over
-- audit.period_locks (read with its owner's rights): a lock shows at once, without a dbt build.
with events as (
    select
        l.*,
        row_number() over (
            partition by l.province_code, l.year order by l.lock_event_id desc
        ) as newest_first,
        count(*) over (partition by l.province_code, l.year) as events
    from {{ source('audit', 'period_locks') }} as l
)

select
    e.province_code,
    e.year,
    e.action = 'lock' as is_closed,
    case when e.action = 'lock' then 'DA_CHOT' else 'TAM_TINH' end as status,
    e.recorded_at as changed_at,
    e.actor as changed_by,
    e.reason,
    cast(e.events as integer) as lock_events
from events as e
where e.newest_first = 1
