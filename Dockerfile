# syntax=docker/dockerfile:1
# ANTT Warehouse: one image for every Airflow component (api-server, scheduler, dag-processor,
# triggerer, Celery workers) and for the `antt` CLI.
#
# Base: python:3.11-slim + uv.lock, not apache/airflow. The official image carries ~100 providers
# and their pins; overlaying our lock on it leaves an environment nobody tested (`pip check` is not
# clean). `uv sync --frozen` installs exactly the environment the test suite runs against and fails
# when pyproject.toml and uv.lock disagree. What the official image's entrypoint adds is covered by
# docker-compose.yml: `init: true` (signal forwarding for Celery's warm shutdown), healthchecks and
# `depends_on` conditions (waiting for the databases), and the airflow-init service.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.9

FROM ${UV_IMAGE} AS uv

FROM ${PYTHON_IMAGE}
ARG AIRFLOW_UID=50000

# curl for the healthchecks; nothing else is needed (psycopg ships its own libpq).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid "${AIRFLOW_UID}" --gid 0 --home-dir /home/airflow --create-home airflow

COPY --from=uv /uv /usr/local/bin/uv

ENV AIRFLOW_HOME=/opt/airflow \
    UV_PROJECT_ENVIRONMENT=/opt/airflow/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    PATH=/opt/airflow/.venv/bin:${PATH} \
    PYTHONUNBUFFERED=1 \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false \
    ANTT_DBT_MANIFEST=/opt/airflow/dbt_project/target/cosmos/manifest.json
WORKDIR /opt/airflow

# Dependencies first (a layer that changes only with the lock). All of the lock, pgserver (the
# laptop's embedded PostgreSQL, unused here) included, so `uv pip check` is clean.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project

# The project: the same layout as the repository, so antt.config finds include/ and dbt_project/.
COPY plugins/ plugins/
COPY dags/ dags/
COPY include/ include/
COPY dbt_project/ dbt_project/
COPY docker/ docker/
RUN uv sync --frozen --no-dev \
    && antt --help >/dev/null

# The dbt manifest Cosmos renders antt_transform from, built now so no container runs dbt to
# parse a DAG. `dbt parse` needs no database.
RUN python -c "from pathlib import Path; import os; \
from antt.transform import parse_manifest; \
print(parse_manifest(target_dir=Path(os.environ['ANTT_DBT_MANIFEST']).parent))" \
    && test -s "${ANTT_DBT_MANIFEST}"

RUN mkdir -p /opt/airflow/logs /opt/airflow/secrets /data \
    && chown -R "${AIRFLOW_UID}:0" /opt/airflow /data \
    && chmod -R g+rwX /opt/airflow/logs /opt/airflow/dbt_project /data

USER ${AIRFLOW_UID}
EXPOSE 8080
ENTRYPOINT ["airflow"]
CMD ["version"]
