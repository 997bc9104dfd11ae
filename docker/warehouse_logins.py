"""Give the warehouse roles their run-time logins, then prove each logs in as itself.

Run by airflow-init after `antt db init` (which creates antt_loader, antt_transformer and
antt_reader without passwords). Passwords come from ANTT_<ROLE>_PASSWORD; the URL each service
uses (ANTT_<ROLE>_URL) must log in as exactly that role. Idempotent.
"""

from __future__ import annotations

import os
import sys

import psycopg
from psycopg import sql

ROLES = {"loader": "antt_loader", "transformer": "antt_transformer", "reader": "antt_reader"}
MIN_PASSWORD_LENGTH = 12


def main() -> int:
    owner_url = os.environ["ANTT_WAREHOUSE_OWNER_URL"]
    passwords = {
        role: os.environ.get(f"ANTT_{key.upper()}_PASSWORD", "") for key, role in ROLES.items()
    }
    for key, role in ROLES.items():
        if len(passwords[role]) < MIN_PASSWORD_LENGTH:
            print(
                f"ANTT_{key.upper()}_PASSWORD must have at least {MIN_PASSWORD_LENGTH} characters"
            )
            return 1
    with psycopg.connect(owner_url, autocommit=True, connect_timeout=10) as conn:
        # ALTER ROLE takes no server-side parameters: the client-side cursor binds the password
        # as a quoted literal, never by string formatting.
        cur = psycopg.ClientCursor(conn)
        for role, password in passwords.items():
            cur.execute(
                sql.SQL("ALTER ROLE {} WITH LOGIN PASSWORD %s").format(sql.Identifier(role)),
                (password,),
            )
    for key, role in ROLES.items():
        url = os.environ[f"ANTT_{key.upper()}_URL"]
        with psycopg.connect(url, connect_timeout=10) as conn:
            user = conn.execute("SELECT current_user").fetchone()[0]
        if user != role:
            print(f"ANTT_{key.upper()}_URL logs in as {user!r}, expected {role!r}")
            return 1
        print(f"{role}: login ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
