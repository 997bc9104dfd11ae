"""`[core] hostname_callable` for test workers that share one machine.

Airflow records the worker's host name on every task instance. Two Celery workers on one machine
have the same host name, so each test worker process is given its own via `ANTT_TEST_WORKER_NAME`
(on a real cluster every container or host has its own name and this module is not used).
"""

from __future__ import annotations

import os
import socket


def hostname() -> str:
    return os.environ.get("ANTT_TEST_WORKER_NAME") or socket.getfqdn()
