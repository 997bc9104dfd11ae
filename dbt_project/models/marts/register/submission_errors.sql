{{ config(materialized='view') }}
-- Every error of every rejected file, as its rejection report lists it (a view, like
-- submission_register: live after a load, read by antt_reader without any right on audit).
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
from {{ ref('stg_audit__submission_errors') }} as e
