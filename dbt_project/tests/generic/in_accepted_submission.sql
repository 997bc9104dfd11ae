{#- Every raw row belongs to an accepted submission of its own dataset. The raw tables carry no
    foreign key (a per-row check made COPY five times slower, bench/); the loader writes the
    register row and the data in one transaction, and this test checks that it did. -#}
{% test in_accepted_submission(model, column_name, dataset) %}
with loaded as (
    select distinct r.{{ column_name }} as submission_id
    from {{ model }} as r
)

select l.submission_id
from loaded as l
left join {{ source('raw', 'submissions') }} as s
    on
        l.submission_id = s.submission_id
        and s.status = 'accepted'
        and lower(s.dataset) = '{{ dataset }}'
where s.submission_id is null
{% endtest %}
