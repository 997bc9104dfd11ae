#!/usr/bin/env bash
# Write a ready .env: .env.example with every empty secret filled with a fresh random value.
#   docker/generate-secrets.sh > .env && chmod 600 .env
# Values are URL-safe: they go into postgresql:// URLs unescaped.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
command -v openssl >/dev/null || { echo "openssl is needed" >&2; exit 1; }

value_for() {
  case "$1" in
    AIRFLOW_FERNET_KEY) openssl rand -base64 32 | tr '+/' '-_' ;;  # 32 bytes, url-safe base64
    AIRFLOW_JWT_SECRET | AIRFLOW_API_SECRET_KEY | SUPERSET_SECRET_KEY) openssl rand -hex 32 ;;
    *PASSWORD) openssl rand -hex 20 ;;
    *) return 1 ;;
  esac
}

while IFS= read -r line || [[ -n "$line" ]]; do
  if [[ "$line" =~ ^([A-Z0-9_]+)=$ ]] && secret="$(value_for "${BASH_REMATCH[1]}")"; then
    echo "${BASH_REMATCH[1]}=${secret}"
  else
    echo "$line"
  fi
done < "${here}/.env.example"
