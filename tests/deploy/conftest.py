"""Fixtures of the deployment tests: the compose file as compose sees it."""

from __future__ import annotations

import pytest

from .compose_file import generate_env, interpolate_tree, raw_compose


@pytest.fixture(scope="session")
def generated_env() -> dict[str, str]:
    """A .env written by docker/generate-secrets.sh."""
    return generate_env()


@pytest.fixture(scope="session")
def compose(generated_env: dict[str, str]) -> dict:
    """docker-compose.yml as compose sees it with the generated .env."""
    return interpolate_tree(raw_compose(), generated_env)
