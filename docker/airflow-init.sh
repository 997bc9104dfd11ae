#!/usr/bin/env bash
# One-shot initialisation, run by the airflow-init service (as root) before anything else starts.
# Idempotent: running it again changes nothing that is already in place.
set -euo pipefail

uid="${AIRFLOW_UID:-50000}"
home="${AIRFLOW_HOME:-/opt/airflow}"
here="$(cd "$(dirname "$0")" && pwd)"
step() { printf '\n==> %s\n' "$*"; }

step "file areas and shared folders (owner ${uid}:0)"
mkdir -p "${ANTT_LANDING_DIR}" "${ANTT_ARCHIVE_DIR}" "${ANTT_QUARANTINE_DIR}" \
  "${ANTT_PUBLISHED_DIR}" "${home}/logs" "${home}/secrets"
chown "${uid}:0" "${ANTT_LANDING_DIR}" "${ANTT_ARCHIVE_DIR}" "${ANTT_QUARANTINE_DIR}" \
  "${ANTT_PUBLISHED_DIR}" "${home}/secrets"
chown -R "${uid}:0" "${home}/logs"
chmod 0770 "${home}/secrets"

step "Airflow metadata database: migrations"
airflow db migrate

step "Airflow login for ${AIRFLOW_ADMIN_USER} (simple auth manager)"
# The password goes from the environment into the file without passing through a command line.
python - <<'PY'
import json, os
path = os.environ["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
user, password = os.environ["AIRFLOW_ADMIN_USER"], os.environ["AIRFLOW_ADMIN_PASSWORD"]
if len(password) < 12:
    raise SystemExit("AIRFLOW_ADMIN_PASSWORD must have at least 12 characters")
with open(path, "w", encoding="utf-8") as f:
    json.dump({user: password}, f)
os.chmod(path, 0o640)
print(f"login {user!r} written to {path}")
PY
chown "${uid}:0" "${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE}"

step "warehouse: schemas, roles, administrative units (antt db init)"
ANTT_WAREHOUSE_URL="${ANTT_WAREHOUSE_OWNER_URL}" antt db init

step "warehouse: role logins for run time"
python "${here}/warehouse_logins.py"

step "dbt profile (antt_transform, antt build)"
python - <<'PY'
from antt.transform.profile import profile_env
p = profile_env()
print(f"dbt -> {p['ANTT_DBT_USER']}@{p['ANTT_DBT_HOST']}:{p['ANTT_DBT_PORT']}/{p['ANTT_DBT_DBNAME']}")
PY

chown -R "${uid}:0" "${home}/logs"
step "done: $(airflow version)"
