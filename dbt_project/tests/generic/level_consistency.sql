{#- A level's status agrees with its criteria (bo_tieu_chi_muc), in the order of macro
    level_status: KHONG_DAT, KHONG_DU_DU_LIEU, KHONG_SO_SANH_DUOC, DAT.
    `criteria` holds one row per (key…, criterion_code, status); `levels` maps level → column. -#}
{% test level_consistency(model, criteria, keys, levels) %}
with expected as (
    {% for level, column in levels.items() %}
    select
        {% for key in keys %}c.{{ key }}, {% endfor %}
        '{{ level }}' as level,
        {{ level_status('c.status') }} as expected_status
    from {{ criteria }} as c
    inner join {{ ref('bo_tieu_chi_muc') }} as m
        on c.criteria_set = m.criteria_set and c.criterion_code = m.criterion_code
    where m.level = '{{ level }}'
    group by {% for key in keys %}c.{{ key }}{% if not loop.last %}, {% endif %}{% endfor %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

actual as (
    {% for level, column in levels.items() %}
    select
        {% for key in keys %}s.{{ key }}, {% endfor %}
        '{{ level }}' as level,
        s.{{ column }} as actual_status
    from {{ model }} as s
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select
    a.*,
    e.expected_status
from actual as a
left join expected as e
    on {% for key in keys %}a.{{ key }} = e.{{ key }} and {% endfor %}a.level = e.level
where a.actual_status is distinct from e.expected_status
{% endtest %}
