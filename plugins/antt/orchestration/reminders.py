"""The daily reminder of antt_publish: the reports whose deadline has passed with nothing
accepted (marts.reporting_completeness, read as antt_reader), sent through the configured
notifier (`callbacks.send_notice`: log, ANTT_ALERT_WEBHOOK_URL, ANTT_ALERT_EMAIL).

Only the daily (time-scheduled) run of the DAG sends it; runs triggered by new marts do not, so
officers get one list a day, not one per load.
"""

from __future__ import annotations

from collections.abc import Callable

SUBJECT = "[ANTT] Báo cáo quá hạn chưa nộp / overdue reports not received"


def remind_missing_reports(
    run_type: str | None,
    url: str | None = None,
    send: Callable[..., list[str]] | None = None,
) -> dict:
    if run_type != "scheduled":
        return {"sent": False, "reason": f"run type {run_type}: only the daily run reminds"}
    from antt import warehouse
    from antt.report.data import marts_present
    from antt.report.tracker import has_tracker_marts, missing_reports, reminder_text

    with warehouse.connect(role="reader", url=url) as conn:
        if not has_tracker_marts(marts_present(conn)):
            return {"sent": False, "reason": "marts.reporting_completeness is not built yet"}
        rows = missing_reports(conn)
    if not rows:
        return {"sent": False, "missing": 0, "reason": "no overdue report"}
    if send is None:
        from antt.orchestration.callbacks import send_notice

        send = send_notice
    channels = send(SUBJECT, reminder_text(rows), {"missing_reports": len(rows)})
    return {"sent": True, "missing": len(rows), "channels": channels}
