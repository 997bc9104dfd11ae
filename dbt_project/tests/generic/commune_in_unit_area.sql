{#- Every row's commune lies in the submitting unit's area: the district of a CAH unit, the
    province of a CAT or VPDP unit (the loader's authorization rule, checked again here). -#}
{% test commune_in_unit_area(model, column_name) %}
select m.*
from {{ model }} as m
left join {{ ref('stg_raw__admin_commune') }} as c
    on m.{{ column_name }} = c.commune_code
where
    c.commune_code is null
    or (m.unit_level = 'CAH' and c.district_code is distinct from m.unit_district_code)
    or (m.unit_level in ('CAT', 'VPDP') and c.province_code is distinct from m.unit_province_code)
{% endtest %}
