"""Superset settings of the ANTT dashboard, shared by `antt bi` (which appends them to the
superset_config.py it writes) and the docker-compose service. What differs between the two
comes from the environment; nothing secret is written here."""

import os

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
SQLALCHEMY_DATABASE_URI = os.environ["SUPERSET_DATABASE_URL"]
SQLALCHEMY_TRACK_MODIFICATIONS = False
# The warehouse is read as antt_reader; no SQLite or other unsafe connections may be added.
PREVENT_UNSAFE_DB_CONNECTIONS = True
ROW_LIMIT = 50000
SUPERSET_WEBSERVER_TIMEOUT = 120
# Behind the compose nginx: trust its X-Forwarded-* headers (scheme, host, port).
ENABLE_PROXY_FIX = os.environ.get("SUPERSET_BEHIND_PROXY") == "1"
# No calls out of a police network: no map tiles, no telemetry.
MAPBOX_API_KEY = ""
SCARF_ANALYTICS = False
