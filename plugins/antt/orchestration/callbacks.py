"""Failure alerts: always a log line; a webhook and/or e-mail when the environment configures them.

- `ANTT_ALERT_WEBHOOK_URL`: an HTTP(S) endpoint that receives a JSON POST per failed task
  (chat tools' incoming webhooks accept it). Keep the URL itself in the environment, never in git.
- `ANTT_ALERT_EMAIL`: comma-separated addresses, sent through Airflow's SMTP notifier with the
  connection `ANTT_ALERT_SMTP_CONN_ID` (default `smtp_default`, e.g. `AIRFLOW_CONN_SMTP_DEFAULT`).
Both are Airflow notifiers (`BaseNotifier`), so they also work as DAG-level callbacks.
Imported by the DAG files only (it imports Airflow).
"""

from __future__ import annotations

import json
import logging
import urllib.request
from typing import Any

from airflow.sdk import BaseNotifier

from antt.config import DagSettings

log = logging.getLogger("antt.orchestration")


def describe_failure(context: dict[str, Any]) -> dict[str, Any]:
    """The facts an on-call engineer needs, from an Airflow callback context."""
    ti = context.get("ti") or context.get("task_instance")
    exc = context.get("exception")
    return {
        "dag_id": getattr(ti, "dag_id", None) or getattr(context.get("dag"), "dag_id", None),
        "task_id": getattr(ti, "task_id", None),
        "map_index": getattr(ti, "map_index", None),
        "run_id": getattr(ti, "run_id", None) or context.get("run_id"),
        "try_number": getattr(ti, "try_number", None),
        "error": (str(exc).strip().splitlines() or [type(exc).__name__])[0] if exc else None,
    }


def failure_message(facts: dict[str, Any]) -> str:
    where = f"{facts['dag_id']}.{facts['task_id']}"
    if facts.get("map_index") not in (None, -1):
        where += f"[{facts['map_index']}]"
    return (
        f"ANTT tác vụ thất bại / task failed: {where} run {facts['run_id']} "
        f"try {facts['try_number']}: {facts['error'] or 'see the task log'}"
    )


def log_failure(context: dict[str, Any]) -> None:
    log.error(failure_message(describe_failure(context)))


class AnttWebhookNotifier(BaseNotifier):
    """Posts the failure facts as JSON; a dead endpoint is logged, never raised."""

    template_fields = ("url",)

    def __init__(self, url: str):
        super().__init__()
        self.url = url

    def notify(self, context) -> None:
        facts = describe_failure(context)
        post_json(self.url, {"text": failure_message(facts), **facts})


def post_json(url: str, payload: dict) -> bool:
    """POST `payload` as JSON; a dead endpoint is logged, never raised. True when it answered."""
    body = json.dumps(payload, default=str).encode()
    request = urllib.request.Request(  # noqa: S310 - the operator configures the URL
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            response.read()
    except OSError as exc:
        log.warning("alert webhook %s failed: %s", url, exc)
        return False
    return True


def email_notifier(addresses: list[str], smtp_conn_id: str):
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    return SmtpNotifier(
        to=addresses,
        smtp_conn_id=smtp_conn_id,
        subject="[ANTT] {{ ti.dag_id }}.{{ ti.task_id }} failed / thất bại",
        html_content=(
            "<p>Tác vụ thất bại / task failed: {{ ti.dag_id }}.{{ ti.task_id }} "
            "(run {{ run_id }}, try {{ ti.try_number }}).</p><p>{{ exception }}</p>"
        ),
    )


def failure_callbacks(dag: DagSettings) -> list:
    """The on_failure_callback list: the log line, then whichever notifiers are configured."""
    callbacks: list = [log_failure]
    if dag.alert_webhook_url:
        callbacks.append(AnttWebhookNotifier(dag.alert_webhook_url))
    if dag.alert_emails:
        callbacks.append(email_notifier(list(dag.alert_emails), dag.alert_smtp_conn_id))
    return callbacks


def send_notice(
    subject: str, text: str, payload: dict | None = None, dag: DagSettings | None = None
) -> list[str]:
    """A message (not a failure) through the same configured channels: always the log, then the
    webhook and the e-mail addresses when set. Returns the channels it was handed to."""
    from antt.config import load_settings

    dag = dag or load_settings().dag
    log.warning("%s\n%s", subject, text)
    sent = ["log"]
    url = dag.alert_webhook_url
    if url and post_json(url, {"text": f"{subject}\n{text}", **(payload or {})}):
        sent.append("webhook")
    if dag.alert_emails:
        from html import escape

        from airflow.providers.smtp.hooks.smtp import SmtpHook

        with SmtpHook(smtp_conn_id=dag.alert_smtp_conn_id) as hook:
            hook.send_email_smtp(
                to=list(dag.alert_emails),
                subject=subject,
                html_content=f"<pre>{escape(text)}</pre>",
            )
        sent.append("email")
    return sent
