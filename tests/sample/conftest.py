"""One generated sample per test session (generation takes seconds); tests only read it."""

from __future__ import annotations

import pytest

from antt.sample import SampleManifest, generate
from antt.sample.sample_set import build_world


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SampleManifest:
    return generate(tmp_path_factory.mktemp("sample") / "tra_vinh")


@pytest.fixture(scope="session")
def world():
    return build_world("84", (2022, 2023))
