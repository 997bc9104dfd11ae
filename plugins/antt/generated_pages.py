"""Documentation pages rendered from the code (`docs/criteria.md`, `docs/error-codes.md`)."""

from __future__ import annotations

from pathlib import Path


def write_page(path: Path, page: str) -> None:
    """Write `page` to `path` when it differs from what is there, and say which it was."""
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if page != current:
        path.write_text(page, encoding="utf-8")
        print(f"rewritten: {path}")
    else:
        print(f"current: {path}")
