-- The errors of rejected files, as the rejection reports list them.
select
    e.submission_id,
    e.error_no,
    e.sheet,
    e.source_row,
    e.column_name,
    e.cell_value,
    e.code,
    e.message_vi,
    e.message_en
from {{ source('audit', 'submission_errors') }} as e
