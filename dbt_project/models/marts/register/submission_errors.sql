{{ config(materialized='view') }}
-- Every error of every rejected file, as its rejection report lists it (a view, like
-- submission_register: live after a load, read by antt_reader without any right on audit). The
-- staging model names the columns; the contract pins them (a column added there fails the build).
select * from {{ ref('stg_audit__submission_errors') }}
