"""docker-compose.yml and .env files read the way Docker Compose reads them.

Compose interpolation (`${VAR}`, `${VAR:-default}`, `${VAR:?message}`, `$$`) is reproduced so the
file can be checked as compose would see it with a `.env` made by docker/generate-secrets.sh.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"
SECRETS_SCRIPT = REPO / "docker" / "generate-secrets.sh"
VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


class MissingVariable(ValueError):
    pass


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's variable substitution for one string."""

    def replace(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        value = env.get(name)
        if op in (":-", "-"):
            use_default = value is None or (op == ":-" and value == "")
            return arg if use_default else value
        if op in (":?", "?"):
            if value is None or (op == ":?" and value == ""):
                raise MissingVariable(f"{name}: {arg}")
            return value
        return value or ""

    parts = text.split("$$")
    return "$".join(VARIABLE.sub(replace, part) for part in parts)


def interpolate_tree(node, env: dict[str, str]):
    if isinstance(node, str):
        return interpolate(node, env)
    if isinstance(node, list):
        return [interpolate_tree(item, env) for item in node]
    if isinstance(node, dict):
        return {key: interpolate_tree(value, env) for key, value in node.items()}
    return node


def read_env_file(text: str) -> dict[str, str]:
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep, f"not KEY=VALUE: {line!r}"
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key] = value
    return values


def raw_compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def env_of(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def mount_targets(service: dict) -> dict[str, tuple[str, bool]]:
    """Container path -> (source, read_only) of every volume of a service (short syntax)."""
    mounts = {}
    for volume in service.get("volumes") or []:
        parts = volume.split(":")
        source, target = parts[0], parts[1]
        mounts[target] = (source, len(parts) > 2 and "ro" in parts[2].split(","))
    return mounts


def dependencies(service: dict) -> dict[str, dict]:
    depends = service.get("depends_on") or {}
    if isinstance(depends, list):
        return {name: {"condition": "service_started"} for name in depends}
    return depends


def generate_env() -> dict[str, str]:
    """The .env that docker/generate-secrets.sh writes (run for real)."""
    result = subprocess.run(
        ["bash", str(SECRETS_SCRIPT)], capture_output=True, text=True, timeout=30, check=True
    )
    return read_env_file(result.stdout)
