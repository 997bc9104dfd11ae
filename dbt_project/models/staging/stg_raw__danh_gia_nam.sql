-- Yearly assessment rows of the current version of each (unit, danh_gia_nam, year) scope.
select
    {{ submission_columns('d') }},
    s.period_year as year,
    s.era,
    d.ma_xa as commune_code,
    d.so_ap as hamlets,
    d.so_ap_an_toan as safe_hamlets,
    upper(trim(d.xep_loai_phong_trao)) as movement_rating,
    d.cong_an_xa_tien_tien = 1 as is_police_advanced
{{ current_rows_of('danh_gia_nam', 'd') }}
