"""dbt for Airflow: the manifest Cosmos renders from, and the Cosmos configuration.

The manifest is produced at setup time (`make setup`, `antt airflow`, `antt demo`) by
`dbt parse`, into its own folder so a concurrent `antt build` never rewrites the file the DAG
processor is reading. DAG parsing only reads it (LoadMode.DBT_MANIFEST): dbt never runs at
parse time.

Profile: Cosmos maps the Airflow connection `antt_warehouse` to a dbt profile and dbt runs
`SET ROLE antt_transformer` (dbt-postgres `role`), so the DAG needs nothing but the connection.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from antt.config import DBT_PROJECT_DIR
from antt.orchestration.settings import WAREHOUSE_CONN_ID

TRANSFORMER_ROLE = "antt_transformer"
_PROJECT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests")


def manifest_path() -> Path:
    given = os.environ.get("ANTT_DBT_MANIFEST", "").strip()
    return Path(given) if given else DBT_PROJECT_DIR / "target" / "cosmos" / "manifest.json"


def _newest_input_mtime() -> float:
    newest = 0.0
    for name in _PROJECT_INPUTS:
        path = DBT_PROJECT_DIR / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            for child in path.rglob("*"):
                if child.is_file():
                    newest = max(newest, child.stat().st_mtime)
    return newest


def manifest_is_current() -> bool:
    manifest = manifest_path()
    return manifest.exists() and manifest.stat().st_mtime >= _newest_input_mtime()


def ensure_manifest(force: bool = False) -> tuple[Path, bool]:
    """(manifest path, whether it was rebuilt): `dbt parse` only when the project changed."""
    if not force and manifest_is_current():
        return manifest_path(), False
    from antt.transform import parse_manifest

    manifest = manifest_path()
    # dbt writes in a folder of its own and the manifest Cosmos reads is replaced by one rename:
    # a `dbt parse` killed halfway (an interrupted `antt demo`) never leaves half a manifest
    # that looks current.
    work = manifest.parent / ".parse"
    work.mkdir(parents=True, exist_ok=True)
    os.replace(parse_manifest(target_dir=work), manifest)
    return manifest, True


def dbt_executable() -> Path:
    return Path(sys.executable).parent / "dbt"


def cosmos_configs() -> dict:
    """Keyword arguments of a Cosmos DbtTaskGroup for the ANTT project (imports Cosmos)."""
    from cosmos import (
        ExecutionConfig,
        ProfileConfig,
        ProjectConfig,
        RenderConfig,
    )
    from cosmos.constants import ExecutionMode, InvocationMode, LoadMode, TestBehavior
    from cosmos.profiles import PostgresUserPasswordProfileMapping

    manifest = manifest_path()
    if not manifest.exists():
        raise FileNotFoundError(
            f"dbt manifest {manifest} is missing: run `make setup` (or `antt airflow`), which "
            "runs `dbt parse`; DAG parsing never runs dbt itself"
        )
    # `antt demo` (not --verbose) sets ANTT_DBT_QUIET: dbt prints errors only, not every model.
    quiet = os.environ.get("ANTT_DBT_QUIET", "").strip().lower() in ("1", "true", "yes")
    return {
        "operator_args": {"dbt_cmd_global_flags": ["--quiet"]} if quiet else {},
        "project_config": ProjectConfig(
            dbt_project_path=DBT_PROJECT_DIR,
            manifest_path=manifest,
            install_dbt_deps=False,
        ),
        "profile_config": ProfileConfig(
            profile_name="antt",
            target_name="warehouse",
            profile_mapping=PostgresUserPasswordProfileMapping(
                conn_id=WAREHOUSE_CONN_ID,
                profile_args={"schema": "staging", "role": TRANSFORMER_ROLE, "threads": 1},
            ),
        ),
        "execution_config": ExecutionConfig(
            execution_mode=ExecutionMode.LOCAL,
            # dbt in this interpreter (dbtRunner): no 3-4 s process start per model and test.
            invocation_mode=InvocationMode.DBT_RUNNER,
        ),
        "render_config": RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            test_behavior=TestBehavior.AFTER_EACH,
            # A socket-folder host breaks Cosmos' per-model asset URIs; the DAG emits its own.
            emit_datasets=False,
            should_detach_multiple_parents_tests=True,
        ),
    }
