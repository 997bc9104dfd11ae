"""antt_publish: criteria marts -> reviewers' scorecards, workbooks and dbt docs (Airflow DAG)."""

from __future__ import annotations

from airflow.sdk import Asset, dag, task

from antt.config import load_settings
from antt.orchestration import settings

MARTS = Asset(settings.MARTS_ASSET_URI, group="antt")

DOC = """
### antt_publish — xuất bản kết quả / publish the reviewers' outputs

Runs when `antt_transform` announces new marts (asset `marts/commune_scorecard`), once a day
(`ANTT_REMINDER_SCHEDULE`, Vietnam time: the trackers' "missing" moves with the calendar), or on
demand. The daily run also sends the list of overdue reports through the configured notifier
(`remind_missing_reports`).
For every province and year with a scorecard or with files received (a province whose every file
was rejected too) it writes, into the published folder, the HTML scorecard, the XLSX workbook and
the rejected-files summary (`antt.report.build_reports`, the same code as `antt report`; all read
as `antt_reader`), the dbt docs as one static HTML file (`antt docs`) and the index
page that links them all.
"""


def _schedule():
    from airflow.timetables.assets import AssetOrTimeSchedule
    from airflow.timetables.trigger import CronTriggerTimetable

    found = load_settings()
    daily = CronTriggerTimetable(found.dag.reminder_schedule, timezone=found.timezone)
    return AssetOrTimeSchedule(timetable=daily, assets=[MARTS])


@dag(
    dag_id="antt_publish",
    schedule=_schedule(),
    doc_md=DOC,
    **settings.chained_dag_args("publish", "reports"),
)
def antt_publish():
    @task
    def find_report_scopes() -> list[dict]:
        from antt.config import load_settings
        from antt.orchestration.publish_tasks import report_scopes

        return report_scopes(load_settings().warehouse_url)

    @task(max_active_tis_per_dagrun=2)
    def build_reports(scope: dict) -> list[str]:
        from antt.config import load_settings
        from antt.orchestration.publish_tasks import publish_scope

        out_dir = load_settings().areas.ensure().published
        return publish_scope(scope["province"], scope["year"], out_dir)

    @task
    def build_docs() -> str:
        from antt.config import load_settings
        from antt.orchestration.publish_tasks import publish_docs

        found = load_settings()
        return publish_docs(found.areas.ensure().published, found.warehouse_url)

    @task
    def remind_missing_reports(dag_run=None) -> dict:
        from antt.orchestration.reminders import remind_missing_reports as remind

        run_type = getattr(dag_run, "run_type", None)
        return remind(str(getattr(run_type, "value", run_type)), load_settings().warehouse_url)

    # docs first: every build_reports call rewrites the index, which links the docs it finds
    build_docs() >> build_reports.expand(scope=find_report_scopes())
    remind_missing_reports()


antt_publish()
