-- District incident criteria (ANTT_H2 no OAN_SAI starting in Y, ANTT_H3 no DIEM_NONG active in
-- Y), counted over every commune, ward and town of the district (years evaluated on the old
-- units only: an incident lies where it was last located with old codes).
with params as (
    {{ criteria_params(ref('bo_tieu_chi'), 'HUYEN', on_incidents=true) }}
),

evaluated as (
    select
        e.year,
        'OLD' as era,
        e.commune_code,
        e.district_code
    from {{ ref('int_evaluated_commune_years') }} as e
    where e.district_code is not null
),

districts as (
    select distinct
        e.year,
        e.district_code
    from evaluated as e
),

incidents as (
    {{ placed_incidents(ref('int_incident_current')) }}
),

matches as (
    {{ incident_matches('evaluated', 'incidents', 'params') }}
),

measured as (
    {{ incident_counts(
        'districts', 'district_code', 'params', 'matches',
        incident_text('m') ~ " || ' xã / commune ' || m.commune_code"
    ) }}
)

select
    {{ criterion_keys('m', 'district_code') }},
    {{ incident_outcome('m', "'trên địa bàn huyện trong năm / in the district in ' || m.year") }}
from measured as m
