"""One generated Vĩnh Long 2024–2025 sample per test session; tests only read it."""

from __future__ import annotations

import pytest

from antt.sample import SampleManifest, generate
from antt.sample.sample2025 import build_world_2025
from antt.sample.sample_set import SEED


@pytest.fixture(scope="session")
def sample86(tmp_path_factory: pytest.TempPathFactory) -> SampleManifest:
    return generate(tmp_path_factory.mktemp("sample") / "vinh_long", "86", (2024, 2025))


@pytest.fixture(scope="session")
def world86():
    return build_world_2025("86", SEED)
