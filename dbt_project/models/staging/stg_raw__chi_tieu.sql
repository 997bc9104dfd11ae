-- Monthly indicator values of the current version of each (unit, chi_tieu, month) scope.
-- gia_tri NULL means "not reported" and stays NULL.
select
    {{ submission_columns('c') }},
    s.period_month,
    s.period_year as year,
    s.era,
    c.ma_xa as commune_code,
    upper(trim(c.ma_chi_tieu)) as indicator_code,
    c.gia_tri as value,
    c.ghi_chu as note
{{ current_rows_of('chi_tieu', 'c') }}
