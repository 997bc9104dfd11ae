{{ config(materialized='view') }}
-- One value per (commune, month, indicator): provincial (CAT) over district (CAH) per
-- commune-month (macro resolve_indicator_monthly, shared with fct_indicator_monthly).
{{ resolve_indicator_monthly(ref('stg_raw__chi_tieu')) }}
