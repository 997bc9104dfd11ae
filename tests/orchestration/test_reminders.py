"""The daily reminder of antt_publish: overdue reports sent through the configured notifier."""

from __future__ import annotations

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import psycopg
import pytest

from antt.orchestration.reminders import SUBJECT, remind_missing_reports
from antt.report.tracker import reminder_text

MARTS = """
CREATE TABLE marts.reporting_completeness (
    province_code text, year integer, unit_code text, dataset text, period text,
    deadline date, missing boolean, rejected_awaiting_correction boolean
);
CREATE TABLE marts.reporting_rates (province_code text);
GRANT SELECT ON marts.reporting_completeness, marts.reporting_rates TO antt_reader;
"""


@pytest.fixture
def completeness(warehouse_url):
    with psycopg.connect(warehouse_url) as conn:
        conn.execute(MARTS)
        conn.execute(
            "INSERT INTO marts.reporting_completeness VALUES"
            " ('84', 2023, 'CAH850', 'mo_hinh', '2023', '2024-01-31', true, false),"
            " ('84', 2023, 'CAH847', 'chi_tieu', '2023-06', '2023-07-20', true, true),"
            " ('84', 2023, 'CAH842', 'chi_tieu', '2023-06', '2023-07-20', false, false)"
        )
    return warehouse_url


@pytest.fixture
def webhook(monkeypatch):
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server API
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("ANTT_ALERT_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/hook")
    monkeypatch.delenv("ANTT_ALERT_EMAIL", raising=False)
    yield received
    server.shutdown()


def test_only_the_daily_run_reminds():
    # no warehouse is touched for a run triggered by new marts
    out = remind_missing_reports("asset_triggered", url="postgresql://nowhere.invalid/x")
    assert out["sent"] is False and "daily" in out["reason"]


def test_the_daily_run_sends_the_overdue_reports_to_the_webhook(completeness, webhook):
    out = remind_missing_reports("scheduled", url=completeness)
    assert out == {"sent": True, "missing": 2, "channels": ["log", "webhook"]}
    (message,) = webhook
    assert message["missing_reports"] == 2
    assert message["text"].startswith(SUBJECT)
    assert "CAH850 mo_hinh 2023 — hạn / due 31/01/2024" in message["text"]
    assert "CAH847 chi_tieu 2023-06" in message["text"] and "awaiting correction" in message["text"]
    assert "CAH842" not in message["text"]


def test_nothing_overdue_sends_nothing(completeness, webhook):
    with psycopg.connect(completeness) as conn:
        conn.execute("UPDATE marts.reporting_completeness SET missing = false")
    out = remind_missing_reports("scheduled", url=completeness)
    assert out["sent"] is False and out["missing"] == 0 and not webhook


def test_before_the_first_build_there_is_nothing_to_read(warehouse_url, webhook):
    out = remind_missing_reports("scheduled", url=warehouse_url)
    assert out["sent"] is False and "not built" in out["reason"] and not webhook


def test_email_goes_through_airflows_smtp_hook(completeness, monkeypatch):
    sent: list[dict] = []

    class FakeHook:
        def __init__(self, smtp_conn_id):
            self.conn_id = smtp_conn_id

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_email_smtp(self, **kwargs):
            sent.append({"conn": self.conn_id, **kwargs})

    import airflow.providers.smtp.hooks.smtp as smtp

    monkeypatch.setattr(smtp, "SmtpHook", FakeHook)
    monkeypatch.delenv("ANTT_ALERT_WEBHOOK_URL", raising=False)
    monkeypatch.setenv("ANTT_ALERT_EMAIL", "pv01@example.org")
    monkeypatch.setenv("ANTT_ALERT_SMTP_CONN_ID", "smtp_antt")
    out = remind_missing_reports("scheduled", url=completeness)
    assert out["channels"] == ["log", "email"]
    assert sent[0]["conn"] == "smtp_antt" and sent[0]["to"] == ["pv01@example.org"]
    assert sent[0]["subject"] == SUBJECT and "CAH850" in sent[0]["html_content"]


def test_reminder_text_is_capped():
    rows = [
        {
            "province_code": "84",
            "unit_code": f"CAX{n:05d}",
            "dataset": "chi_tieu",
            "period": "2025-08",
            "deadline": date(2025, 9, 20),
            "rejected_awaiting_correction": False,
        }
        for n in range(5)
    ]
    text = reminder_text(rows, limit=3)
    assert text.count("\n- ") == 3 and "and 2 more" in text
    assert "no overdue report" in reminder_text([])
