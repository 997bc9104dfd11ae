{#- A WHOLE old commune has exactly one successor row; an old commune is never both WHOLE and
    SPLIT. (A split over a single unit is reported by crosswalk_complete as a warning.) -#}
{% test crosswalk_relation_consistent(model) %}
select
    x.old_commune_code,
    count(*) as n_rows,
    count(*) filter (where x.relation = 'WHOLE') as n_whole
from {{ model }} as x
group by x.old_commune_code
having count(*) filter (where x.relation = 'WHOLE') > 0 and count(*) > 1
{% endtest %}
