"""The deployment files, checked without a Docker engine: docker-compose.yml (as compose
interpolates it, see compose_file.py), .env.example, the Dockerfile and the scripts in docker/.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess

import pytest

from .airflow_cluster import HEALTH_PATH
from .compose_file import (
    COMPOSE_FILE,
    ENV_EXAMPLE,
    REPO,
    VARIABLE,
    MissingVariable,
    dependencies,
    env_of,
    generate_env,
    interpolate,
    interpolate_tree,
    mount_targets,
    raw_compose,
    read_env_file,
)

DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"

AIRFLOW_SERVICES = {
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
}
ONE_SHOT = {"airflow-init"}
FILE_AREA_VARS = (
    "ANTT_LANDING_DIR",
    "ANTT_ARCHIVE_DIR",
    "ANTT_QUARANTINE_DIR",
    "ANTT_PUBLISHED_DIR",
)
OK_CONDITIONS = {"service_healthy", "service_completed_successfully"}
SECRET_KEY = re.compile(r"PASSWORD|SECRET|FERNET|TOKEN|_KEY$")
URL_CREDENTIALS = re.compile(r"://[^/@\s:]*:(?P<password>[^@\s]+)@")


# --- the interpolation helper itself ------------------------------------------------------------


def test_interpolation_follows_compose_rules():
    env = {"SET": "x", "EMPTY": ""}
    assert interpolate("a${SET}b", env) == "axb"
    assert interpolate("${EMPTY:-d}|${EMPTY-d}|${UNSET-d}", env) == "d||d"
    assert interpolate("$${HOSTNAME}", env) == "${HOSTNAME}"
    with pytest.raises(MissingVariable, match="EMPTY: say so"):
        interpolate("${EMPTY:?say so}", env)
    assert interpolate("${EMPTY?fine}", env) == ""


# --- secrets ------------------------------------------------------------------------------------


def test_compose_refuses_to_start_without_the_secrets():
    example = read_env_file(ENV_EXAMPLE.read_text(encoding="utf-8"))
    with pytest.raises(MissingVariable, match="PASSWORD|SECRET|KEY"):
        interpolate_tree(raw_compose(), example)


def test_env_example_holds_placeholders_only():
    example = read_env_file(ENV_EXAMPLE.read_text(encoding="utf-8"))
    secrets = [key for key in example if SECRET_KEY.search(key)]
    assert len(secrets) >= 9, secrets
    assert {key: example[key] for key in secrets if example[key]} == {}


def test_generate_secrets_fills_every_secret_with_a_fresh_url_safe_value(generated_env):
    again = generate_env()
    example = read_env_file(ENV_EXAMPLE.read_text(encoding="utf-8"))
    assert set(generated_env) == set(example)
    for key in (k for k in example if SECRET_KEY.search(k)):
        assert re.fullmatch(r"[A-Za-z0-9_=-]{24,}", generated_env[key]), key
        assert generated_env[key] != again[key], f"{key} is not random"
    from base64 import urlsafe_b64decode

    assert len(urlsafe_b64decode(generated_env["AIRFLOW_FERNET_KEY"])) == 32


def test_no_literal_secret_in_compose():
    """Every password, key or secret comes from a required ${VAR}, never a literal or default."""
    offenders = []

    def check(where: str, key: str, value: str) -> None:
        secret = SECRET_KEY.search(key) and not key.endswith(("_FILE", "_USERS"))
        if secret and not re.fullmatch(r"\$\{[A-Z0-9_]+:\?[^}]*\}", value):
            offenders.append(f"{where}: {key}={value}")
        for match in URL_CREDENTIALS.finditer(value):
            if not re.fullmatch(r"\$\{[A-Z0-9_]+:\?[^}]*\}", match["password"]):
                offenders.append(f"{where}: {key} has a literal password in a URL")

    doc = raw_compose()
    for name, service in doc["services"].items():
        for key, value in env_of(service).items():
            check(name, key, value)
    for key, value in doc["x-warehouse-urls"].items():
        check("x-warehouse-urls", key, str(value))
    assert offenders == []


def test_no_env_file_is_committed_and_none_reaches_the_image():
    tracked = subprocess.run(
        ["git", "ls-files", ".env", "*.env"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked == []
    assert ".env" in (REPO / ".gitignore").read_text().split()
    ignored = DOCKERIGNORE.read_text().split()
    for entry in (".env", ".venv", ".antt", ".git"):
        assert entry in ignored


# --- services and their graph -------------------------------------------------------------------


def test_services_of_the_celery_deployment_exist(compose):
    services = compose["services"]
    expected = AIRFLOW_SERVICES | ONE_SHOT | {"airflow-db", "warehouse-db", "redis", "reports"}
    assert expected <= set(services)
    for name in AIRFLOW_SERVICES | ONE_SHOT:
        env = env_of(services[name])
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://redis:6379/"), name
        assert "@airflow-db:5432/" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"], name
        assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql"), name
        # the metadata database and the warehouse are different servers
        assert "airflow-db" not in env["ANTT_WAREHOUSE_URL"], name


def test_every_service_has_an_image_or_a_build(compose):
    for name, service in compose["services"].items():
        assert service.get("image") or service.get("build"), name
    airflow_images = {compose["services"][n]["image"] for n in AIRFLOW_SERVICES | ONE_SHOT}
    assert len(airflow_images) == 1, "all Airflow components run the same image"


def test_dependencies_exist_and_wait_for_health_or_completion(compose):
    services = compose["services"]
    for name, service in services.items():
        for target, spec in dependencies(service).items():
            assert target in services, f"{name} depends on unknown service {target}"
            condition = spec.get("condition")
            assert condition in OK_CONDITIONS, f"{name} -> {target}: {condition}"
            if condition == "service_healthy":
                assert "healthcheck" in services[target], f"{name} waits for {target}'s health"
            else:
                assert target in ONE_SHOT, f"{name} waits for {target} to complete"


def test_dependency_graph_is_acyclic(compose):
    services = compose["services"]
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == "done":
            return
        assert state.get(name) != "visiting", f"cycle: {' -> '.join([*path, name])}"
        state[name] = "visiting"
        for target in dependencies(services[name]):
            visit(target, [*path, name])
        state[name] = "done"

    for name in services:
        visit(name, [])


def test_airflow_starts_after_init_and_workers_after_the_api_server(compose):
    services = compose["services"]
    for name in AIRFLOW_SERVICES:
        deps = dependencies(services[name])
        assert deps["airflow-init"]["condition"] == "service_completed_successfully", name
        for backing in ("redis", "airflow-db", "warehouse-db"):
            assert deps[backing]["condition"] == "service_healthy", (name, backing)
    # task execution talks to the api-server (Airflow 3): workers wait for it
    worker_deps = dependencies(services["airflow-worker"])
    assert worker_deps["airflow-apiserver"]["condition"] == "service_healthy"
    assert dependencies(services["reports"])["airflow-init"]["condition"] == (
        "service_completed_successfully"
    )


def test_long_running_services_have_healthchecks(compose):
    for name, service in compose["services"].items():
        if name in ONE_SHOT or service.get("profiles") == ["tools"]:
            continue
        check = service.get("healthcheck")
        assert check and check.get("test"), f"{name} has no healthcheck"
        assert service.get("restart") == "always", name
    assert compose["services"]["airflow-init"].get("restart") == "no"


def test_api_server_healthcheck_uses_the_endpoint_the_celery_test_polls(compose):
    test = compose["services"]["airflow-apiserver"]["healthcheck"]["test"]
    assert any(HEALTH_PATH in part for part in test)
    worker_env = env_of(compose["services"]["airflow-worker"])
    assert worker_env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == (
        "http://airflow-apiserver:8080/execution/"
    )


def test_workers_scale_with_the_scale_flag(compose):
    worker = compose["services"]["airflow-worker"]
    assert worker["command"] == "celery worker"
    # a fixed container name or host port would make a second replica fail to start
    assert "container_name" not in worker
    assert "ports" not in worker
    assert worker.get("init") is True, "tini forwards SIGTERM: Celery's warm shutdown"


def test_the_warehouse_can_be_an_existing_postgresql(compose):
    services = compose["services"]
    assert services["warehouse-db"]["profiles"] == ["warehouse"]
    for name in AIRFLOW_SERVICES | ONE_SHOT:
        assert dependencies(services[name])["warehouse-db"].get("required") is False, name
    example = read_env_file(ENV_EXAMPLE.read_text(encoding="utf-8"))
    assert example["COMPOSE_PROFILES"] == "warehouse"
    moved = interpolate_tree(
        raw_compose(),
        {**example, **{k: "s3cret-value-123" for k in example if SECRET_KEY.search(k)}}
        | {"WAREHOUSE_HOST": "db.internal", "WAREHOUSE_PORT": "6432"},
    )
    env = env_of(moved["services"]["airflow-worker"])
    for key in ("ANTT_LOADER_URL", "ANTT_TRANSFORMER_URL", "ANTT_READER_URL"):
        assert "@db.internal:6432/antt" in env[key], key


# --- volumes and environment the DAGs need ------------------------------------------------------


def test_file_areas_are_mounted_where_the_environment_says(compose):
    services = compose["services"]
    for name in AIRFLOW_SERVICES | ONE_SHOT:
        env = env_of(services[name])
        mounts = mount_targets(services[name])
        sources = set()
        for var in FILE_AREA_VARS:
            assert env[var] in mounts, f"{name}: {var}={env[var]} is not a mount"
            source, read_only = mounts[env[var]]
            assert not read_only, f"{name}: {var} must be writable"
            sources.add(source)
        assert len(sources) == len(FILE_AREA_VARS), f"{name}: areas share a folder"
    worker = mount_targets(services["airflow-worker"])
    published_source = worker[env_of(services["airflow-worker"])["ANTT_PUBLISHED_DIR"]][0]
    reports = mount_targets(services["reports"])
    assert reports["/usr/share/nginx/html"] == (published_source, True), "reports read-only"
    # every component sees the same folders (a task may run on any worker)
    layouts = {
        tuple(sorted(mount_targets(services[n]).items())) for n in AIRFLOW_SERVICES | ONE_SHOT
    }
    assert len(layouts) == 1


def test_named_volumes_are_declared(compose):
    declared = set(compose.get("volumes") or {})
    for name, service in compose["services"].items():
        for source, _ in mount_targets(service).values():
            if not source.startswith((".", "/", "~")):
                assert source in declared, f"{name} mounts undeclared volume {source}"
            elif source.startswith("./docker/"):
                assert (REPO / source).exists(), f"{name} mounts missing {source}"


CRITERION_CODE = re.compile(r"ANTT_H?\d+")  # ANTT_01..ANTT_10, ANTT_H1..: criteria, not settings


def _names_read_by_code() -> set[str]:
    """Every ANTT_* setting name in plugins/ and dags/ (criterion codes left out)."""
    names: set[str] = set()
    for folder in ("plugins", "dags"):
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            names |= set(re.findall(r"[\"'](ANTT_[A-Z0-9_]*[A-Z0-9])[\"']", text))
            if "ANTT_{role.upper()}_URL" in text:
                names |= {"ANTT_LOADER_URL", "ANTT_TRANSFORMER_URL", "ANTT_READER_URL"}
    return {name for name in names if not CRITERION_CODE.fullmatch(name)}


def test_every_variable_the_code_reads_is_set_or_documented(compose):
    names = _names_read_by_code()
    assert {"ANTT_WAREHOUSE_URL", "ANTT_LANDING_DIR", "ANTT_HOME"} <= names
    set_in_compose = set()
    for service in compose["services"].values():
        set_in_compose |= set(env_of(service))
    documented = set(re.findall(r"ANTT_[A-Z0-9_]*[A-Z0-9]", ENV_EXAMPLE.read_text()))
    missing = sorted(names - set_in_compose - documented)
    assert missing == [], f"set in docker-compose.yml or document in .env.example: {missing}"


def test_runtime_services_get_the_warehouse_and_its_role_logins(compose):
    roles = {
        "ANTT_LOADER_URL": "antt_loader",
        "ANTT_TRANSFORMER_URL": "antt_transformer",
        "ANTT_READER_URL": "antt_reader",
    }
    for name in AIRFLOW_SERVICES:
        env = env_of(compose["services"][name])
        for var, role in roles.items():
            assert env[var].startswith(f"postgresql://{role}:"), (name, var)
        # dbt's one profile comes from ANTT_TRANSFORMER_URL: no Airflow connection to keep in step
        assert not any(key.startswith("AIRFLOW_CONN_") for key in env)
        # the owner's credentials stay in airflow-init
        assert "ANTT_WAREHOUSE_OWNER_URL" not in env
        assert env["ANTT_WAREHOUSE_URL"] == env["ANTT_READER_URL"]
    init_env = env_of(compose["services"]["airflow-init"])
    assert init_env["ANTT_WAREHOUSE_OWNER_URL"].startswith("postgresql://antt_admin:")


def test_every_variable_compose_reads_is_in_env_example():
    text = COMPOSE_FILE.read_text(encoding="utf-8").replace("$$", "")
    used = {m["name"] for m in VARIABLE.finditer(text)}
    example = read_env_file(ENV_EXAMPLE.read_text(encoding="utf-8"))
    assert sorted(used - set(example)) == []


# --- image and scripts --------------------------------------------------------------------------


def test_dockerfile_installs_the_lock_and_builds_the_manifest():
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11", text, re.M)
    syncs = re.findall(r"^RUN uv sync ([^\n\\]+)", text, re.M)
    assert syncs and all("--frozen" in s and "--no-dev" in s for s in syncs)
    assert "parse_manifest" in text and "ANTT_DBT_MANIFEST" in text
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0"), "the image must not run as root"
    ignored = DOCKERIGNORE.read_text().split()
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", text, re.M):
        for item in source.split():
            assert (REPO / item).exists(), f"COPY of missing {item}"
            assert item.rstrip("/") not in ignored, f"{item} is excluded by .dockerignore"


def test_image_manifest_path_matches_the_dags_default():
    from antt.transform.cosmos import manifest_path

    image_path = re.search(r"ANTT_DBT_MANIFEST=(\S+)", DOCKERFILE.read_text())[1]
    old = os.environ.pop("ANTT_DBT_MANIFEST", None)
    try:
        default = manifest_path()
    finally:
        if old is not None:
            os.environ["ANTT_DBT_MANIFEST"] = old
    assert image_path == "/opt/airflow/" + str(default.relative_to(REPO))


def test_scripts_are_executable_and_parse():
    for script in ("airflow-init.sh", "generate-secrets.sh"):
        path = REPO / "docker" / script
        assert path.stat().st_mode & stat.S_IXUSR, f"{script} is not executable"
        subprocess.run(["bash", "-n", str(path)], check=True)
    init = raw_compose()["services"]["airflow-init"]
    assert init["command"] == ["/opt/airflow/docker/airflow-init.sh"]


# --- the BI dashboard (Superset) -----------------------------------------------------------------

SUPERSET_DOCKERFILE = REPO / "docker" / "superset" / "Dockerfile"
SUPERSET_START = REPO / "docker" / "superset" / "start.sh"


def _superset_pin() -> str:
    text = (REPO / "bi" / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'"apache-superset==([0-9.]+)"', text)[1]


def test_superset_runs_the_official_image_at_the_pinned_version(compose):
    pin = _superset_pin()
    text = SUPERSET_DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(rf"^ARG SUPERSET_IMAGE=apache/superset:{re.escape(pin)}$", text, re.M)
    assert re.search(r"^FROM \$\{SUPERSET_IMAGE\}$", text, re.M)
    service = compose["services"]["superset"]
    assert service["build"]["args"]["SUPERSET_IMAGE"] == f"apache/superset:{pin}"
    assert service["build"]["dockerfile"] == "docker/superset/Dockerfile"
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users[-1] == "superset", "the image must not run as root"
    driver = re.search(r"psycopg2-binary==([0-9.]+)", text)[1]
    assert f'"psycopg2-binary=={driver}"' in (REPO / "bi" / "pyproject.toml").read_text()
    ignored = DOCKERIGNORE.read_text().split()
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", text, re.M):
        for item in source.split():
            assert (REPO / item).exists(), f"COPY of missing {item}"
            assert item.rstrip("/") not in ignored, f"{item} is excluded by .dockerignore"
    assert "bi/.venv" in ignored


def test_superset_imports_the_assets_at_start():
    text = SUPERSET_START.read_text(encoding="utf-8")
    assert SUPERSET_START.stat().st_mode & stat.S_IXUSR
    subprocess.run(["bash", "-n", str(SUPERSET_START)], check=True)
    setup = text.index("setup_superset.py")
    assert "--assets /app/antt/superset" in text[setup:]
    assert text.index("exec gunicorn") > setup, "the server starts after the import"
    assert "COPY bi/superset /app/antt/superset" in SUPERSET_DOCKERFILE.read_text()


def test_superset_reads_the_warehouse_as_antt_reader_only(compose):
    env = env_of(compose["services"]["superset"])
    uri = env["ANTT_SUPERSET_WAREHOUSE_URI"]
    assert uri.startswith("postgresql+psycopg2://antt_reader@")
    assert "@warehouse-db:5432/antt" in uri
    assert env["ANTT_READER_PASSWORD"]
    others = ("ANTT_LOADER", "ANTT_TRANSFORMER", "WAREHOUSE_ADMIN", "ANTT_WAREHOUSE_OWNER")
    assert not [key for key in env if key.startswith(others)]
    assert "@superset-db:5432/" in env["SUPERSET_DATABASE_URL"]
    deps = dependencies(compose["services"]["superset"])
    # antt_reader has its password only once airflow-init has run
    assert deps["airflow-init"]["condition"] == "service_completed_successfully"
    assert deps["superset-db"]["condition"] == "service_healthy"


def test_superset_is_reached_through_the_reports_nginx(compose):
    services = compose["services"]
    assert "ports" not in services["superset"]
    reports = services["reports"]
    assert "./docker/nginx-bi.conf:/etc/nginx/conf.d/bi.conf:ro" in reports["volumes"]
    assert "127.0.0.1:8088:8088" in reports["ports"]
    conf = (REPO / "docker" / "nginx-bi.conf").read_text(encoding="utf-8")
    assert re.search(r"^\s*listen 8088;", conf, re.M)
    assert "set $superset http://superset:8088;" in conf
    assert "proxy_pass $superset;" in conf
    assert "superset_config.py" in SUPERSET_DOCKERFILE.read_text()
    assert 'os.environ.get("SUPERSET_BEHIND_PROXY") == "1"' in (
        REPO / "bi" / "superset_config.py"
    ).read_text(encoding="utf-8")
