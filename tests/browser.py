"""Debian's Chromium, headless, for the tests that look at pages the way a person would
(tests/report, tests/bi). `make browser` installs it (`.ci/run` does so before the tests); the
`chromium` and `artifacts` fixtures in tests/conftest.py use this module."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--hide-scrollbars",
]


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_or_skip() -> str:
    found = find_chromium()
    if not found:
        pytest.skip("Chromium is not installed: run `make browser` (Debian package chromium)")
    return found


def chromium_run(chromium: str, profile: Path, url: str, *args: str, timeout: int = 120) -> str:
    cmd = [chromium, *FLAGS, f"--user-data-dir={profile}", *args, url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout
