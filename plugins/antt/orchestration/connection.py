"""The warehouse as Airflow sees it: the connection `antt_warehouse` and the URL `antt` code uses.

The CLI derives `AIRFLOW_CONN_ANTT_WAREHOUSE` from `ANTT_WAREHOUSE_URL` and passes both to
Airflow. A deployment that only defines the Airflow connection (docker-compose, a secrets
backend) still works: tasks derive `ANTT_WAREHOUSE_URL` from the connection before calling
`antt` code.
"""

from __future__ import annotations

import os
from urllib.parse import quote, urlencode

from antt.orchestration.settings import WAREHOUSE_CONN_ID

# What `antt.warehouse.airflow_conn_uri` writes when the URL has no password (trust auth).
_PLACEHOLDER_PASSWORD = "unused"  # noqa: S105 - a placeholder, not a secret


def url_from_connection(host: str | None, port, login, password, schema) -> str:
    """A libpq URL from Airflow connection fields (a host starting with / is a socket folder)."""
    user = quote(login or "postgres", safe="")
    if password and password != _PLACEHOLDER_PASSWORD:
        user += ":" + quote(password, safe="")
    auth = user
    database = quote(schema or "postgres", safe="")
    if host and host.startswith("/"):
        query = urlencode({"host": host, "port": str(port or 5432)})
        return f"postgresql://{auth}@/{database}?{query}"
    return f"postgresql://{auth}@{host or 'localhost'}:{port or 5432}/{database}"


def ensure_warehouse_env() -> str:
    """Inside a task: make sure `ANTT_WAREHOUSE_URL` is set, from the connection if needed."""
    url = os.environ.get("ANTT_WAREHOUSE_URL", "").strip()
    if url:
        return url
    from airflow.sdk import Connection

    conn = Connection.get(WAREHOUSE_CONN_ID)
    url = url_from_connection(conn.host, conn.port, conn.login, conn.password, conn.schema)
    os.environ["ANTT_WAREHOUSE_URL"] = url
    return url
