"""dag.test()'s in-process Execution API is started while Airflow is prepared: its start time is
recorded, and an API that does not answer is a clear error before any DAG runs."""

from __future__ import annotations

import httpx
import pytest

from antt.errors import AnttError
from antt.local_airflow import dag_runs


class _Api:
    def __init__(self, status: int):
        self.transport = httpx.MockTransport(
            lambda request: httpx.Response(status, json={"path": request.url.path})
        )


def test_the_start_is_timed(monkeypatch):
    monkeypatch.setattr(
        "airflow.sdk.execution_time.supervisor.in_process_api_server", lambda: _Api(200)
    )
    seconds = dag_runs.start_execution_api()
    assert seconds >= 0
    assert dag_runs.execution_api_start_s == seconds


def test_an_api_that_does_not_answer_fails_before_any_dag_runs(monkeypatch):
    monkeypatch.setattr(
        "airflow.sdk.execution_time.supervisor.in_process_api_server", lambda: _Api(500)
    )
    with pytest.raises(AnttError, match="Execution API does not start") as failed:
        dag_runs.start_execution_api()
    assert "không khởi động được Execution API" in str(failed.value)
