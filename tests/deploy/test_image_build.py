"""The Dockerfile's build steps, replayed without a Docker engine.

Its ENV, WORKDIR, COPY and RUN instructions run in a temporary folder that stands for
/opt/airflow (the steps that need root — apt-get, useradd, chown — are skipped; uv comes from the
host instead of the uv image). The result must be what the image promises: the environment of
uv.lock, a working `antt`, the dbt manifest, and DAGs that all import.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
IMAGE_HOME = "/opt/airflow"
ROOT_ONLY = re.compile(r"\b(apt-get|useradd|chown)\b")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


def logical_lines(text: str) -> list[str]:
    lines, current = [], ""
    for raw in text.splitlines():
        if not current and (not raw.strip() or raw.lstrip().startswith("#")):
            continue
        if raw.rstrip().endswith("\\"):
            current += raw.rstrip()[:-1] + " "
            continue
        lines.append(current + raw)
        current = ""
    return lines


def ignored(rel: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        if pattern.startswith("**/"):
            if fnmatch.fnmatch(Path(rel).name, pattern[3:]):
                return True
        elif rel == pattern or rel.startswith(pattern + "/"):
            return True
    return False


def copy_context(source: str, dest: Path, patterns: list[str]) -> None:
    """COPY of one build-context path into the folder `dest` (a folder's contents go inside)."""
    src = REPO / source
    if src.is_file():
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest / src.name)
        return
    for path in src.rglob("*"):
        rel = path.relative_to(REPO).as_posix()
        if path.is_file() and not ignored(rel, patterns):
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def host_uv() -> Path | None:
    """uv on PATH, or where `make setup` installs it (`pip install --user`)."""
    found = shutil.which("uv")
    if found:
        return Path(found)
    user_uv = Path.home() / ".local" / "bin" / "uv"
    return user_uv if user_uv.is_file() else None


def replay(root: Path, uv: Path) -> dict[str, str]:
    """Run the Dockerfile's steps with `root` as /opt/airflow; returns the image's environment."""
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "!"))
    ]
    args: dict[str, str] = {}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTT_", "AIRFLOW"))}
    env["PATH"] = f"{uv.parent}{os.pathsep}{env.get('PATH', '')}"
    cwd = root

    def expand(text: str) -> str:
        text = re.sub(r"\$\{(\w+)\}", lambda m: env.get(m[1], args.get(m[1], "")), text)
        return text.replace(IMAGE_HOME, str(root))

    for line in logical_lines((REPO / "Dockerfile").read_text(encoding="utf-8")):
        instruction, _, rest = line.partition(" ")
        if instruction == "ARG":
            name, _, default = rest.partition("=")
            args[name.strip()] = default.strip()
        elif instruction == "ENV":
            for token in shlex.split(rest):
                key, _, value = token.partition("=")
                env[key] = expand(value)
        elif instruction == "WORKDIR":
            cwd = Path(expand(rest.strip()))
            cwd.mkdir(parents=True, exist_ok=True)
        elif instruction == "COPY" and not rest.startswith("--from"):
            *sources, dest = rest.split()
            for source in sources:
                copy_context(source, (cwd / dest).resolve(), patterns)
        elif instruction == "RUN" and not ROOT_ONLY.search(rest):
            step_env = env | {
                # the host's uv cache instead of a fresh download; no interpreter download
                "UV_NO_CACHE": "0",
                "UV_LINK_MODE": "hardlink",
                "UV_COMPILE_BYTECODE": "0",
                "UV_PYTHON_DOWNLOADS": "never",
            }
            result = subprocess.run(
                ["bash", "-c", expand(rest)],
                cwd=cwd,
                env=step_env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert result.returncode == 0, f"RUN {rest}\n{result.stdout[-2000:]}{result.stderr}"
    return env


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    uv = host_uv()
    if uv is None:
        pytest.skip("uv is not installed (run `make setup`)")
    root = tmp_path_factory.mktemp("opt_airflow")
    return root, replay(root, uv)


def run_in_image(image, *argv: str, extra: dict[str, str] | None = None):
    root, env = image
    return subprocess.run(
        list(argv),
        cwd=root,
        env=env | (extra or {}),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_image_environment_is_consistent_and_the_project_runs_from_its_tree(image):
    root, _ = image
    python = root / ".venv" / "bin" / "python"
    check = subprocess.run(
        [str(host_uv()), "pip", "check", "--python", str(python)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    probe = run_in_image(
        image,
        str(python),
        "-c",
        "import sys, airflow, celery, antt.config as c;"
        "print(sys.version_info[:2], airflow.__version__, celery.__version__[:3], c.REPO_ROOT)",
    )
    assert probe.returncode == 0, probe.stderr
    # antt.config finds include/ and dbt_project/ beside plugins/, as in the repository
    assert probe.stdout.split() == ["(3,", "11)", "3.3.2", "5.6", str(root)]


def test_image_has_the_antt_command_and_the_dbt_manifest(image):
    root, env = image
    manifest = Path(env["ANTT_DBT_MANIFEST"])
    assert manifest.is_relative_to(root) and manifest.stat().st_size > 10_000
    assert '"antt_warehouse"' in manifest.read_text(encoding="utf-8")[:200_000]
    assert run_in_image(image, "antt", "--help").returncode == 0


def test_every_dag_imports_in_the_image(image):
    root, _ = image
    code = (
        "from airflow.dag_processing.dagbag import DagBag\n"
        f"bag = DagBag({str(root / 'dags')!r})\n"
        "print(sorted(bag.dags)); print(bag.import_errors)\n"
    )
    result = run_in_image(
        image,
        str(root / ".venv" / "bin" / "python"),
        "-c",
        code,
        extra={
            "AIRFLOW_HOME": str(root / "airflow_home"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_FOLDER": str(root / "dags"),
            "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
            "AIRFLOW__COSMOS__CACHE_DIR": str(root / "cosmos"),
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    dags, errors = result.stdout.strip().splitlines()[-2:]
    assert dags == "['antt_ingest', 'antt_publish', 'antt_transform']"
    assert errors == "{}"
