"""The Makefile's environment for the commands it runs (`make demo`, `make test`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_make_lets_python_cache_bytecode_even_where_the_environment_forbids_it():
    # With PYTHONDONTWRITEBYTECODE set, every process would compile all it imports again
    # (`antt ingest` of an empty folder 1.8 s against 0.6 s cached, docs/decisions.md).
    probe = 'probe-bytecode: ; @echo "[$${PYTHONDONTWRITEBYTECODE-unset}]"'
    done = subprocess.run(
        ["make", "--no-print-directory", "-C", str(REPO), "--eval", probe, "probe-bytecode"],
        env=os.environ | {"PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[unset]"
