"""Debian's Chromium, headless, for the tests that look at pages the way a person would
(tests/report, tests/bi). The `chromium` and `artifacts` fixtures in tests/conftest.py use it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
INSTALL_TIMEOUT_S = 900
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
    """Chromium's path: installed with apt-get when missing; skip only when that fails."""
    found = find_chromium()
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("Chromium is missing and cannot be installed here (needs root and apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        for cmd in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium"]):
            subprocess.run(cmd, check=True, capture_output=True, timeout=INSTALL_TIMEOUT_S, env=env)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"Chromium could not be installed with apt-get: {exc}")
    found = find_chromium()
    if not found:
        pytest.skip("apt-get installed chromium but no chromium binary is on PATH")
    return found


def chromium_run(chromium: str, profile: Path, url: str, *args: str, timeout: int = 120) -> str:
    cmd = [chromium, *FLAGS, f"--user-data-dir={profile}", *args, url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout
