"""dbt in Airflow: the manifest Cosmos renders from, and the Cosmos configuration.

The manifest is produced at setup time (`make setup`, `antt airflow`, `antt demo`) by
`dbt parse`, into its own folder so a concurrent `antt build` never rewrites the file the DAG
processor is reading. DAG parsing only reads it (LoadMode.DBT_MANIFEST): dbt never runs at
parse time.

Execution (`ANTT_DBT_AIRFLOW_MODE`, measured in `bench/transform_airflow.py`):
- `watcher` (default): one producer task runs one `dbt build`; then one task per seed and model
  reports what the build did to that node and to its tests (`wait_for_the_build`,
  `NodeWithTestsWatcher`), so the UI still shows each model, a failing test fails its model's
  task and the dependents do not run.
- `watcher_split`: the same build, with a task per model and another per model's tests
  (Cosmos' own rendering, TestBehavior.AFTER_EACH): twice the tasks.
- `local`: one dbt invocation per model and per model's tests (TestBehavior.AFTER_EACH).
- `build`: one dbt invocation per model that builds it and runs its tests (TestBehavior.BUILD).

Profile: the project's one profile (`antt.transform.profile`); an interceptor gives each task's
dbt the `ANTT_DBT_*` variables at run time, so no secret is rendered into the DAG.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from antt.config import DBT_PROJECT_DIR, Settings, load_settings
from antt.transform.profile import PROFILE_NAME, PROFILES_DIR, TARGET_NAME, profile_env
from antt.transform.runner import dbt_executable

_PROJECT_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests")
# How often a watcher task checks the producer's progress (Cosmos' default is 10 s).
WATCH_POKE_S = 2
WATCHER_MODES = ("watcher", "watcher_split")


def manifest_path(settings: Settings | None = None) -> Path:
    return (settings or load_settings()).dbt_manifest


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


def manifest_is_current(settings: Settings | None = None) -> bool:
    manifest = manifest_path(settings)
    return manifest.exists() and manifest.stat().st_mtime >= _newest_input_mtime()


def ensure_manifest(force: bool = False, settings: Settings | None = None) -> tuple[Path, bool]:
    """(manifest path, whether it was rebuilt): `dbt parse` only when the project changed."""
    if not force and manifest_is_current(settings):
        return manifest_path(settings), False
    from antt.transform.runner import parse_manifest

    manifest = manifest_path(settings)
    # dbt writes in a folder of its own and the manifest Cosmos reads is replaced by one rename:
    # a `dbt parse` killed halfway (an interrupted `antt demo`) never leaves half a manifest
    # that looks current.
    work = manifest.parent / ".parse"
    work.mkdir(parents=True, exist_ok=True)
    os.replace(parse_manifest(target_dir=work), manifest)
    return manifest, True


def watcher_dbt_flags(quiet: bool) -> list[str]:
    """dbt's global flags in the watcher's tasks. Cosmos runs dbt in a temporary copy of the
    project, so its debug log file would be deleted unread: none is written. `quiet` (`antt
    demo` without --verbose, whose Airflow logs only warnings): dbt prints errors only; the
    producer reads the nodes' outcomes from run_results.json, not from dbt's output."""
    return ["--log-level-file", "none", *(["--quiet"] if quiet else [])]


def give_profile(_context, operator) -> None:
    """Cosmos interceptor: the profile's variables, derived from the settings at run time."""
    operator.env = {**(operator.env or {}), **profile_env()}


def cosmos_configs(mode: str | None = None, settings: Settings | None = None) -> dict:
    """Keyword arguments of a Cosmos DbtTaskGroup for the ANTT project (imports Cosmos)."""
    from cosmos import ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
    from cosmos.constants import ExecutionMode, InvocationMode, LoadMode, TestBehavior

    settings = settings or load_settings()
    mode = mode or settings.dbt_airflow_mode
    manifest = manifest_path(settings)
    if not manifest.exists():
        raise FileNotFoundError(
            f"dbt manifest {manifest} is missing: run `make setup` (or `antt airflow`), which "
            "runs `dbt parse`; DAG parsing never runs dbt itself"
        )
    operator_args: dict = {"interceptors": [give_profile]}
    watcher = mode in WATCHER_MODES
    if settings.dbt_quiet and not watcher:  # `antt demo` without --verbose: errors only
        operator_args["dbt_cmd_global_flags"] = ["--quiet"]
    if watcher:
        operator_args["poke_interval"] = WATCH_POKE_S
        operator_args["dbt_cmd_global_flags"] = watcher_dbt_flags(settings.dbt_quiet)
    test_behavior = {"watcher": TestBehavior.NONE, "build": TestBehavior.BUILD}.get(
        mode, TestBehavior.AFTER_EACH
    )
    return {
        "operator_args": operator_args,
        "project_config": ProjectConfig(
            dbt_project_path=DBT_PROJECT_DIR,
            manifest_path=manifest,
            install_dbt_deps=False,
        ),
        "profile_config": ProfileConfig(
            profile_name=PROFILE_NAME,
            target_name=TARGET_NAME,
            profiles_yml_filepath=PROFILES_DIR / "profiles.yml",
        ),
        "execution_config": ExecutionConfig(
            execution_mode=ExecutionMode.WATCHER if watcher else ExecutionMode.LOCAL,
            # Watcher: one `dbt build` in a child process, as `antt build` runs it. In this
            # interpreter (dbtRunner) Cosmos converts every dbt event, debug ones included, to
            # JSON inside the task: the build took 2.5 x the CLI's.
            # Other modes: dbtRunner, no 3-4 s process start per model.
            invocation_mode=InvocationMode.SUBPROCESS if watcher else InvocationMode.DBT_RUNNER,
            dbt_executable_path=str(dbt_executable()),
        ),
        "render_config": RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            # `watcher`: no test tasks, the node's task reports its tests (wait_for_the_build).
            test_behavior=test_behavior,
            # A socket-folder host breaks Cosmos' per-model asset URIs; the DAG emits its own.
            emit_datasets=False,
            should_detach_multiple_parents_tests=True,
        ),
    }


def wait_for_the_build(group) -> None:
    """Watcher modes: the tasks of `group` without a parent in it start when the producer's
    `dbt build` has ended (whatever its outcome), and the producer never retries.

    Cosmos lets them start beside the producer and poll its progress, which deadlocks where
    tasks run one at a time (`dag.test()`, what `antt demo` uses: a sensor polls a build that
    never starts) and costs each model two task starts (defer, resume) under a scheduler. After
    the build each reads its node's status once. A producer retry would only skip (Cosmos runs
    one build per run); a node task retry runs that node alone, Cosmos' own fallback.

    The producer starts from the runner's partial parse and, after dbt exits, pushes every
    node's final state from dbt's run results in one XCom (`antt.transform.producer`).

    Rendered without test tasks (`watcher`), the producer is given its tests back (Cosmos drops
    them from its build then) and each seed's and model's task also answers for its tests.
    """
    from cosmos.operators.watcher import DbtProducerWatcherOperator

    from antt.transform.producer import DBT_LOG_FORMAT, LeanProducer

    tasks = list(group.iter_tasks())
    producer = next(t for t in tasks if isinstance(t, DbtProducerWatcherOperator))
    producer.retries = 0
    # Behaviour only (Cosmos builds the producer with no hook for a subclass): the runner's
    # partial parse, dbt's text log, and the nodes' final states pushed after the build.
    producer.__class__ = LeanProducer
    producer.log_format = DBT_LOG_FORMAT
    with_tests = not any(t.task_id.endswith(".test") for t in tasks)
    if with_tests:
        producer.dbt_cmd_flags = _without_resource_types(producer.dbt_cmd_flags or [])
        producer.tests_per_model = tests_by_node(manifest_path())
    else:  # Cosmos' own node and test tasks (`watcher_split`) read an XCom per node
        producer.outcomes_in_one_xcom = False
    ids = {t.task_id for t in tasks}
    for task in tasks:
        if task is producer or producer.task_id in task.upstream_task_ids:
            continue
        if with_tests:
            _answer_for_tests(task, producer.tests_per_model)
        if not task.upstream_task_ids & ids:
            producer >> task
            task.trigger_rule = "all_done"


def tests_by_node(manifest: Path) -> dict[str, list[str]]:
    """Node unique_id -> the tests its task answers for: a test belongs to the node it is
    defined on (dbt's `attached_node`; a relationships test on stg_x.col belongs to stg_x, not to
    the model it refers to), a test without one to every node it reads. Cosmos gives every test
    to each node it reads, so a test dbt skipped because one parent failed would fail the other
    parent's task and stop dependants that dbt itself built."""
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"]
    owned: dict[str, list[str]] = {}
    for uid, node in nodes.items():
        if node["resource_type"] != "test":
            continue
        attached = node.get("attached_node")
        for parent in [attached] if attached else node["depends_on"]["nodes"]:
            owned.setdefault(parent, []).append(uid)
    return owned


def _without_resource_types(flags: list[str]) -> list[str]:
    """dbt flags without `--resource-type X` pairs (Cosmos' way of leaving tests out)."""
    kept: list[str] = []
    skip = False
    for flag in flags:
        if skip:
            skip = False
        elif flag == "--resource-type":
            skip = True
        else:
            kept.append(flag)
    return kept


def _answer_for_tests(task, tests_per_model: dict[str, list[str]]) -> None:
    """Make a Cosmos seed or model watcher also answer for the node's tests.

    Cosmos builds its consumers from class paths with no hook for a subclass, so the class of
    the built task is swapped for a subclass that adds behaviour only; `node_tests` is set here
    at parse time (a worker parses the DAG file, so its task has it too).
    """
    from antt.transform.node_with_tests import WITH_TESTS

    if type(task) in WITH_TESTS:
        task.__class__ = WITH_TESTS[type(task)]
        task.node_tests = list(tests_per_model.get(task.model_unique_id, []))
