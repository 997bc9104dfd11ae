"""The BI dashboard, declared: the warehouse connection, the datasets on the public marts, the
charts and the dashboard layout. `antt.bi.assets` turns this into Superset's export files
(bi/superset/); everything a reviewer should read about the dashboard is here.

Titles are Vietnamese with English beside. Physical datasets take their columns and descriptions
from the dbt contract (dbt_project/models/marts/_marts.yml); virtual datasets (SQL over the marts)
declare their columns and borrow the contract's description of a column of the same name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DATABASE_NAME = "Kho dữ liệu ANTT / ANTT warehouse (antt_reader)"
DATABASE_FILE = "databases/antt_warehouse.yaml"
# What the committed file says; `antt bi` and the compose service put the real connection in.
DATABASE_URI = "postgresql+psycopg2://antt_reader:XXXXXXXXXX@warehouse-db:5432/antt"
DASHBOARD_TITLE = "An ninh trật tự nông thôn mới / NTM security and order (ANTT)"
DASHBOARD_SLUG = "antt"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # the PostgreSQL type, as Superset reports it
    label: str | None = None  # "Vietnamese / English", shown as the column header
    is_dttm: bool = False


@dataclass(frozen=True)
class Metric:
    name: str
    expression: str
    label: str


COUNT_COMMUNES = Metric("so_xa", "COUNT(DISTINCT commune_code)", "Số xã / Communes")


@dataclass(frozen=True)
class Dataset:
    name: str  # the table (physical) or the dataset's name (virtual)
    description: str
    sql: str | None = None  # None: the mart of that name in schema marts
    columns: tuple[Column, ...] = ()  # virtual datasets only; physical ones come from dbt
    metrics: tuple[Metric, ...] = ()
    main_dttm_col: str | None = None


@dataclass(frozen=True)
class Chart:
    key: str  # file name and UUID seed; never change it once shipped
    title: str
    viz_type: str  # table, pivot_table_v2, echarts_timeseries_bar, echarts_timeseries_line
    dataset: str
    description: str
    columns: tuple[str, ...] = ()  # table: the rows' columns; pivot: rows
    pivot_columns: tuple[str, ...] = ()  # pivot_table_v2: the columns
    x_axis: str | None = None  # bar and line charts
    groupby: tuple[str, ...] = ()  # bar and line: one series per value
    metrics: tuple[str, ...] = ()
    filters: tuple[tuple[str, str, object], ...] = ()  # (column, operator, value)
    orderby: tuple[tuple[str, bool], ...] = ()  # (column or metric, ascending)
    time_grain: str | None = None  # line charts on a date axis (P1M: months)
    row_limit: int = 10000
    width: int = 12  # of 12 grid columns
    height: int = 50


@dataclass(frozen=True)
class Dashboard:
    title: str
    slug: str
    rows: tuple[tuple[str, ...], ...]  # chart keys, row by row
    filters: tuple[tuple[str, str, str], ...] = ()  # (column, dataset, "Vietnamese / English")
    description: str = ""


STATUS_BY_LEVEL_SQL = """\
select
    s.year,
    s.district_code,
    s.district_name,
    s.commune_code,
    s.commune_name,
    l.level,
    l.status
from marts.commune_scorecard as s
cross join lateral (
    values
        ('NTM', s.ntm_status),
        ('NTM_NANG_CAO', s.ntm_nang_cao_status),
        ('NTM_KIEU_MAU', s.ntm_kieu_mau_status)
) as l (level, status)
"""

CRITERIA_RESULTS_SQL = """\
select
    c.year,
    s.district_code,
    s.district_name,
    c.commune_code,
    s.commune_name,
    c.criterion_code,
    c.level,
    c.status
from marts.commune_criteria as c
inner join marts.commune_scorecard as s
    on c.criteria_set = s.criteria_set
    and c.year = s.year
    and c.commune_code = s.commune_code
"""

TTXH_MONTHLY_SQL = """\
select
    f.period_month,
    cast(extract(year from f.period_month) as integer) as year,
    c.district_code,
    c.district_name,
    f.commune_code,
    f.indicator_code,
    f.value
from marts.fct_indicator_monthly as f
inner join marts.dim_commune as c
    on f.commune_code = c.commune_code
where f.indicator_group = 'TTXH'
"""

# A new unit (from 2025-07-01) and what its history is made of: exact when every predecessor
# went into it whole, an interval when one was split (its values before 2025-07 are bounds).
NEW_UNITS_SQL = """\
with units as (
    select
        new_code,
        new_name,
        new_type,
        new_province_code,
        count(*) as predecessors,
        count(*) filter (where relation = 'SPLIT') as split_predecessors,
        string_agg(old_name || ' (' || relation || ')', ', ' order by old_code) as formed_from
    from marts.commune_lineage
    group by new_code, new_name, new_type, new_province_code
)

select
    u.new_code,
    u.new_name,
    u.new_type,
    u.new_province_code,
    u.predecessors,
    u.split_predecessors,
    u.formed_from,
    case
        when u.split_predecessors = 0 then 'SO_SANH_DUOC'
        else 'SO_SANH_THEO_KHOANG'
    end as history_comparability,
    s.year,
    s.ntm_status,
    s.ntm_nang_cao_status,
    s.ntm_kieu_mau_status
from units as u
left join marts.commune_scorecard as s
    on u.new_code = s.commune_code
    and s.year >= 2025
"""

YEAR = Column("year", "INTEGER", "Năm / Year")
DISTRICT_CODE = Column("district_code", "TEXT", "Mã huyện / District code")
DISTRICT_NAME = Column("district_name", "TEXT", "Huyện / District")
COMMUNE_CODE = Column("commune_code", "TEXT", "Mã xã / Commune code")
COMMUNE_NAME = Column("commune_name", "TEXT", "Xã / Commune")
LEVEL = Column("level", "TEXT", "Mức / Level")
STATUS = Column("status", "TEXT", "Kết quả / Status")

# Column headers of the marts' columns (physical datasets); the descriptions come from dbt.
MART_LABELS = {
    "commune_type": "Loại / Type",
    "held_level": "Mức đang giữ / Level held",
    "registered_level": "Mức đăng ký / Level registered",
    "ntm_status": "NTM",
    "ntm_nang_cao_status": "NTM nâng cao / Advanced",
    "ntm_kieu_mau_status": "NTM kiểu mẫu / Model",
    "months_reported": "Số tháng có số liệu / Months reported",
    "huyen_ntm_status": "Huyện NTM / District NTM",
    "huyen_ntm_nang_cao_status": "Huyện NTM nâng cao / District advanced",
    "communes_total": "Số xã / Communes",
    "communes_ntm_dat": "Xã đạt NTM / Communes meeting NTM",
    "communes_ntm_nang_cao_dat": "Xã đạt NTM nâng cao / Communes meeting advanced",
    "criteria_set": "Bộ tiêu chí / Criteria set",
    "province_code": "Mã tỉnh / Province code",
}

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "commune_scorecard",
        "Bảng điểm xã theo năm / commune scorecard per year.",
        metrics=(COUNT_COMMUNES,),
    ),
    Dataset(
        "district_scorecard",
        "Bảng điểm huyện theo năm / district scorecard per year.",
        metrics=(Metric("so_huyen", "COUNT(DISTINCT district_code)", "Số huyện / Districts"),),
    ),
    Dataset(
        "commune_status_by_level",
        "Kết quả của từng xã ở từng mức NTM, một dòng mỗi mức / each commune's status at each "
        "NTM level, one row per level (commune_scorecard unpivoted).",
        sql=STATUS_BY_LEVEL_SQL,
        columns=(YEAR, DISTRICT_CODE, DISTRICT_NAME, COMMUNE_CODE, COMMUNE_NAME, LEVEL, STATUS),
        metrics=(COUNT_COMMUNES,),
    ),
    Dataset(
        "commune_criteria_results",
        "Kết quả từng tiêu chí của từng xã, kèm huyện / each commune's result on each criterion, "
        "with its district (commune_criteria joined to commune_scorecard).",
        sql=CRITERIA_RESULTS_SQL,
        columns=(
            YEAR,
            DISTRICT_CODE,
            DISTRICT_NAME,
            COMMUNE_CODE,
            COMMUNE_NAME,
            Column("criterion_code", "TEXT", "Tiêu chí / Criterion"),
            LEVEL,
            STATUS,
        ),
        metrics=(Metric("so_ket_qua", "COUNT(*)", "Số lượt / Results"),),
    ),
    Dataset(
        "ttxh_monthly_by_district",
        "Tội phạm về trật tự xã hội (nhóm chỉ tiêu TTXH) theo tháng và huyện / social-order "
        "crime (indicator group TTXH) per month and district.",
        sql=TTXH_MONTHLY_SQL,
        columns=(
            Column("period_month", "DATE", "Tháng / Month", is_dttm=True),
            YEAR,
            DISTRICT_CODE,
            DISTRICT_NAME,
            COMMUNE_CODE,
            Column("indicator_code", "TEXT", "Chỉ tiêu / Indicator"),
            Column("value", "BIGINT", "Số vụ / Cases"),
        ),
        metrics=(Metric("so_vu_ttxh", "SUM(value)", "Số vụ TTXH / TTXH cases"),),
        main_dttm_col="period_month",
    ),
    Dataset(
        "new_units_comparability",
        "Đơn vị hành chính mới (từ 01/07/2025), các xã cũ hợp thành và khả năng so sánh số liệu "
        "trước sáp nhập / the new units from 2025-07-01, the old communes they were formed from, "
        "and whether their history is exact or an interval (a split predecessor).",
        sql=NEW_UNITS_SQL,
        columns=(
            Column("new_code", "TEXT", "Mã đơn vị mới / New unit code"),
            Column("new_name", "TEXT", "Đơn vị mới / New unit"),
            Column("new_type", "TEXT", "Loại / Type"),
            Column("new_province_code", "TEXT", "Mã tỉnh / Province code"),
            Column("predecessors", "BIGINT", "Số xã cũ / Old communes"),
            Column("split_predecessors", "BIGINT", "Xã cũ bị chia / Split old communes"),
            Column("formed_from", "TEXT", "Hợp thành từ / Formed from"),
            Column("history_comparability", "TEXT", "So sánh số liệu cũ / History comparability"),
            YEAR,
            Column("ntm_status", "TEXT", "NTM"),
            Column("ntm_nang_cao_status", "TEXT", "NTM nâng cao / Advanced"),
            Column("ntm_kieu_mau_status", "TEXT", "NTM kiểu mẫu / Model"),
        ),
        metrics=(Metric("so_don_vi", "COUNT(DISTINCT new_code)", "Số đơn vị / Units"),),
    ),
)

CHARTS: tuple[Chart, ...] = (
    Chart(
        key="status_by_level_year",
        title="Kết quả theo mức và năm / Status by level and year",
        viz_type="pivot_table_v2",
        dataset="commune_status_by_level",
        description="Số xã đạt, không đạt, thiếu dữ liệu ở mỗi mức NTM theo năm / communes per "
        "status at each NTM level, by year.",
        columns=("year", "level"),
        pivot_columns=("status",),
        metrics=("so_xa",),
        width=6,
    ),
    Chart(
        key="criteria_failing_most",
        title="Tiêu chí không đạt nhiều nhất / Criteria failing most often",
        viz_type="echarts_timeseries_bar",
        dataset="commune_criteria_results",
        description="Số lượt xã không đạt từng tiêu chí / commune results KHONG_DAT per criterion.",
        x_axis="criterion_code",
        metrics=("so_ket_qua",),
        filters=(("status", "==", "KHONG_DAT"),),
        orderby=(("so_ket_qua", False),),
        width=6,
    ),
    Chart(
        key="ttxh_monthly_by_district",
        title="Tội phạm TTXH theo tháng và huyện / Social-order crime per month and district",
        viz_type="echarts_timeseries_line",
        dataset="ttxh_monthly_by_district",
        description="Tổng số vụ phạm tội về trật tự xã hội (nhóm TTXH) mỗi tháng, theo huyện / "
        "social-order crime cases (group TTXH) per month, one line per district.",
        x_axis="period_month",
        groupby=("district_name",),
        metrics=("so_vu_ttxh",),
        time_grain="P1M",
        height=60,
    ),
    Chart(
        key="district_table",
        title="Bảng điểm huyện / District scorecard",
        viz_type="table",
        dataset="district_scorecard",
        description="Kết quả cấp huyện và số xã đạt / district status and communes meeting NTM.",
        columns=(
            "year",
            "district_code",
            "district_name",
            "huyen_ntm_status",
            "huyen_ntm_nang_cao_status",
            "communes_total",
            "communes_ntm_dat",
            "communes_ntm_nang_cao_dat",
        ),
        orderby=(("year", False), ("district_code", True)),
    ),
    Chart(
        key="commune_table",
        title="Bảng điểm xã / Commune scorecard",
        viz_type="table",
        dataset="commune_scorecard",
        description="Từng xã: mức đang giữ, mức đăng ký và kết quả mỗi mức (lọc theo năm, huyện, "
        "kết quả) / each commune: level held, registered, and status at each level.",
        columns=(
            "year",
            "district_name",
            "commune_code",
            "commune_name",
            "commune_type",
            "held_level",
            "registered_level",
            "ntm_status",
            "ntm_nang_cao_status",
            "ntm_kieu_mau_status",
            "months_reported",
        ),
        orderby=(("year", False), ("district_name", True), ("commune_code", True)),
        height=80,
    ),
    Chart(
        key="new_units_comparability",
        title="Đơn vị mới và khả năng so sánh / New units and their comparability",
        viz_type="table",
        dataset="new_units_comparability",
        description="Đơn vị từ 01/07/2025: xã cũ hợp thành, có xã bị chia hay không (số liệu cũ "
        "là khoảng) và kết quả năm 2025 / units from 2025-07-01: what they were formed from, "
        "whether the history is exact or an interval, and their 2025 status.",
        columns=(
            "new_code",
            "new_name",
            "new_type",
            "predecessors",
            "split_predecessors",
            "history_comparability",
            "year",
            "ntm_status",
            "ntm_nang_cao_status",
            "ntm_kieu_mau_status",
            "formed_from",
        ),
        orderby=(("new_code", True),),
        height=60,
    ),
)

# marts.commune_lineage is not built yet: the chart above is declared and generated, but the
# dashboard shows it only once the mart exists (then add ("new_units_comparability",) below).
PENDING_CHARTS = frozenset({"new_units_comparability"})

DASHBOARD = Dashboard(
    title=DASHBOARD_TITLE,
    slug=DASHBOARD_SLUG,
    description="Kết quả đánh giá tiêu chí ANTT của xã và huyện / ANTT criteria results.",
    rows=(
        ("status_by_level_year", "criteria_failing_most"),
        ("ttxh_monthly_by_district",),
        ("district_table",),
        ("commune_table",),
    ),
    filters=(
        ("year", "commune_scorecard", "Năm / Year"),
        ("district_name", "commune_scorecard", "Huyện / District"),
    ),
)


@dataclass(frozen=True)
class Declaration:
    datasets: tuple[Dataset, ...] = DATASETS
    charts: tuple[Chart, ...] = CHARTS
    dashboard: Dashboard = DASHBOARD
    pending: frozenset[str] = field(default=PENDING_CHARTS)
