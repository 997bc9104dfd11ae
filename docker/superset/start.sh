#!/usr/bin/env bash
# The compose service `superset`: migrate the metadata, make the admin login, sync roles and
# import the dashboard (bi/superset/, overwriting) with the warehouse connection from .env, then
# serve. Every value comes from the environment docker-compose.yml sets.
set -eo pipefail
. /app/.venv/bin/activate  # the image's environment (activate reads unset variables)
set -u
python /app/antt/setup_superset.py \
  --admin-user "${SUPERSET_ADMIN_USER:-admin}" \
  --assets /app/antt/superset \
  --database-uri "${ANTT_SUPERSET_WAREHOUSE_URI:?ANTT_SUPERSET_WAREHOUSE_URI is not set}"
exec gunicorn \
  --bind 0.0.0.0:8088 \
  --workers "${SUPERSET_WORKERS:-2}" \
  --worker-class gthread \
  --threads 4 \
  --timeout 120 \
  --limit-request-line 0 \
  --limit-request-field_size 0 \
  "superset.app:create_app()"
