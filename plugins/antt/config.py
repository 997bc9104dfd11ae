"""Where things live: repository paths, the state folder and settings from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
INCLUDE_DIR = REPO_ROOT / "include"
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"


def state_dir() -> Path:
    """The folder that holds the embedded warehouse and the file areas (default `.antt/`)."""
    return Path(os.environ.get("ANTT_HOME", REPO_ROOT / ".antt")).resolve()


@dataclass(frozen=True)
class FileAreas:
    landing: Path
    archive: Path
    quarantine: Path
    published: Path

    def ensure(self) -> FileAreas:
        for folder in (self.landing, self.archive, self.quarantine, self.published):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def file_areas() -> FileAreas:
    home = state_dir()
    return FileAreas(
        landing=Path(os.environ.get("ANTT_LANDING_DIR", home / "landing")),
        archive=Path(os.environ.get("ANTT_ARCHIVE_DIR", home / "archive")),
        quarantine=Path(os.environ.get("ANTT_QUARANTINE_DIR", home / "quarantine")),
        published=Path(os.environ.get("ANTT_PUBLISHED_DIR", home / "published")),
    )
