select
    t.loai as event_type,
    t.ten as event_type_name_vi,
    t.name_en as event_type_name_en
from {{ ref('loai_su_vu') }} as t
