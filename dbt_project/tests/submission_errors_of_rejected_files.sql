-- Errors are recorded for rejected files only: an error of an accepted or duplicate file would
-- mean the loader registered a file's outcome inconsistently.
select e.*
from {{ ref('submission_errors') }} as e
left join {{ ref('submission_register') }} as r
    on e.submission_id = r.submission_id
where r.status is distinct from 'rejected'
