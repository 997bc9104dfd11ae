"""The one dbt profile: `dbt_project/profiles.yml`, filled from `ANTT_DBT_*` variables.

`antt build`, `antt docs`, the freshness check and every Cosmos task use that file; the variables
are derived here, and only here, from the settings: the transformer's own login
(`ANTT_TRANSFORMER_URL`) when the operator gave one, otherwise the warehouse URL with
`role: antt_transformer` (dbt-postgres runs `SET ROLE`). Threads come from `ANTT_DBT_THREADS`.
"""

from __future__ import annotations

from antt.config import DBT_PROJECT_DIR, ROLE_NAMES, Settings, load_settings

PROFILES_DIR = DBT_PROJECT_DIR
PROFILE_NAME = "antt"
TARGET_NAME = "warehouse"
PROFILE_PREFIX = "ANTT_DBT_"


def profile_env(url: str | None = None, settings: Settings | None = None) -> dict[str, str]:
    """The `ANTT_DBT_*` variables of the profile; `url` is the warehouse URL when the caller
    already has it (otherwise the settings', or the embedded server's)."""
    from antt import warehouse

    settings = settings or load_settings()
    dedicated = warehouse.role_url("transformer", settings)
    if dedicated:
        target, role = dedicated, ""
    else:
        target, role = (url or warehouse.warehouse_url(settings)), ROLE_NAMES["transformer"]
    warehouse.check_url(target)
    parts = warehouse.url_parts(target)
    return {
        "ANTT_DBT_HOST": str(parts["host"]),
        "ANTT_DBT_PORT": str(parts["port"]),
        "ANTT_DBT_USER": str(parts["user"]),
        "ANTT_DBT_PASSWORD": str(parts["password"] or ""),
        "ANTT_DBT_DBNAME": str(parts["dbname"]),
        "ANTT_DBT_ROLE": role,
        "ANTT_DBT_THREADS": str(settings.dbt_threads),
    }
