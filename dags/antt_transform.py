"""antt_transform: raw layer -> staging, intermediate and the criteria marts (dbt via Cosmos)."""

from __future__ import annotations

from airflow.sdk import Asset, dag, task
from cosmos import DbtTaskGroup

from antt.config import load_settings
from antt.orchestration import settings
from antt.transform.cosmos import WATCHER_MODES, cosmos_configs, wait_for_the_build

RAW = Asset(settings.RAW_ASSET_URI, group="antt")
MARTS = Asset(settings.MARTS_ASSET_URI, group="antt")

DOC = """
### antt_transform — dbt: tiêu chí ANTT / the ANTT criteria marts

Runs when `antt_ingest` announces that the raw layer changed (asset `raw/submissions`), or on
demand. The dbt project (`dbt_project/`) is rendered by Cosmos from the manifest built at setup
time (no dbt at parse time). One producer task (`dbt.dbt_producer_watcher`) runs a single
`dbt build` (Cosmos ExecutionMode.WATCHER); then a task per seed and model reports what the build
did to that node and to its tests, so the graph shows every model, a failing data test fails its
model's task and stops everything that depends on that model, and a retry of that task builds
and tests the model alone. dbt works as
`antt_transformer` with the project's one profile (`dbt_project/profiles.yml`).

`source_freshness` reports late submissions (`dbt source freshness`) beside the build. A late
report is a finding (its communes show as KHONG_DU_DU_LIEU), logged and returned, not a failure;
only dbt itself failing fails the task. It never blocks the marts.
`announce_marts` emits the marts asset, which schedules `antt_publish`.
"""


@dag(
    dag_id="antt_transform",
    schedule=[RAW],
    doc_md=DOC,
    **settings.chained_dag_args("dbt", "transform"),
)
def antt_transform():
    @task
    def source_freshness() -> dict:
        from antt.config import load_settings
        from antt.transform.freshness import check_freshness

        return check_freshness(load_settings().warehouse_url)

    dbt = DbtTaskGroup(group_id="dbt", **cosmos_configs())
    if load_settings().dbt_airflow_mode in WATCHER_MODES:
        wait_for_the_build(dbt)

    @task(outlets=[MARTS], retries=0)
    def announce_marts() -> None:
        """The marts were rebuilt and tested: schedule antt_publish."""

    source_freshness()
    dbt >> announce_marts()


antt_transform()
