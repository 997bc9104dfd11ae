-- Restated monthly indicators (months up to 2025-06 re-counted on the new units by the police of
-- a new province), current version of each (unit, chi_tieu_quy_doi, month) scope. Rows carry
-- new unit codes; gia_tri NULL means "not reported" and stays NULL.
select
    q.submission_id,
    q.source_row,
    s.unit_code,
    s.unit_level,
    s.province_code as unit_province_code,
    cast(null as text) as unit_district_code,
    cast(null as text) as unit_commune_code,
    s.period_month,
    s.period_year as year,
    q.ma_xa as commune_code,
    upper(trim(q.ma_chi_tieu)) as indicator_code,
    q.gia_tri as value,
    q.ghi_chu as note
{{ current_rows_of('chi_tieu_quy_doi', 'q') }}
