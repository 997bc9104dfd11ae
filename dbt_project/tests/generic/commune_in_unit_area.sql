{#- Every row's commune lies in the submitting unit's area (the loader's authorization rule,
    checked again here), in the unit list of the row's codes: the file's period (era) or, with
    codes='new', the new units (chi_tieu_quy_doi). CAH: its district; CAX: its own commune;
    CAT/VPDP: its province, and for an earlier period, every old commune whose successor lies in
    the new province of that code. -#}
{% test commune_in_unit_area(model, column_name, codes='period') %}
with checked as (
    select
        m.{{ column_name }} as commune_code,
        m.unit_level,
        m.unit_district_code,
        m.unit_province_code,
        m.unit_commune_code,
        {% if codes == 'new' %}'NEW'{% else %}m.era{% endif %} as code_era
    from {{ model }} as m
)

select c.*
from checked as c
left join {{ ref('stg_raw__admin_commune') }} as o
    on c.code_era = 'OLD' and c.commune_code = o.commune_code
left join {{ ref('stg_raw__admin_commune_2025') }} as n
    on c.code_era = 'NEW' and c.commune_code = n.commune_code
where
    (o.commune_code is null and n.commune_code is null)
    or (c.unit_level = 'CAH' and o.district_code is distinct from c.unit_district_code)
    or (c.unit_level = 'CAX' and c.commune_code is distinct from c.unit_commune_code)
    or (
        c.unit_level in ('CAT', 'VPDP') and c.code_era = 'NEW'
        and n.province_code is distinct from c.unit_province_code
    )
    or (
        c.unit_level in ('CAT', 'VPDP') and c.code_era = 'OLD'
        and o.province_code is distinct from c.unit_province_code
        and not exists (
            select 1
            from {{ ref('int_commune_successors') }} as s
            where s.old_commune_code = c.commune_code and s.new_province_code = c.unit_province_code
        )
    )
{% endtest %}
