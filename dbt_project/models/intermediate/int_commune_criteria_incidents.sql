-- Commune incident criteria (ANTT_01, 02, 03, 08 in 2021-2025): the count of incidents that
-- count against the criterion must not exceed the catalogue threshold (0). Incident reports are
-- exception reports, so these criteria never lack data.
-- Placement (macro placed_incidents): on the OLD communes an incident lies where it was last
-- located with old codes; on the NEW units, a new code places it in that unit, an old code of a
-- WHOLE commune in its successor, an old code of a SPLIT commune possibly in each successor
-- (counted in the upper end of the count, not the lower).
with params as (
    {{ criteria_params(ref('bo_tieu_chi'), 'XA', on_incidents=true) }}
),

incidents as (
    {{ placed_incidents(ref('int_incident_current'), ref('int_commune_successors')) }}
),

matches as (
    {{ incident_matches(ref('int_evaluated_commune_years'), 'incidents', 'params') }}
),

measured as (
    {{ incident_counts(
        ref('int_evaluated_commune_years'), 'commune_code', 'params', 'matches', incident_text('m')
    ) }}
)

select
    {{ criterion_keys('m', 'commune_code') }},
    {{ incident_outcome(
        'm',
        "'trong năm / in ' || m.year
        || coalesce(' (khiếu kiện đông người > ' || m.day_limit || ' ngày / days)', '')"
    ) }},
    cast(m.n_certain as numeric) as measured_low,
    cast(m.n_incidents as numeric) as measured_high
from measured as m
