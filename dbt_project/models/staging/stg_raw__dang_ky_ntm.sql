-- NTM level held and registered, current version of each (unit, dang_ky_ntm, year) scope.
select
    {{ submission_columns('r') }},
    s.period_year as year,
    s.era,
    r.ma_xa as commune_code,
    upper(trim(r.muc_da_dat)) as held_level,
    r.nam_dat as held_since_year,
    upper(trim(r.muc_dang_ky)) as registered_level
{{ current_rows_of('dang_ky_ntm', 'r') }}
