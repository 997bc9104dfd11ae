"""`docs/error-codes.md`, rendered from the message catalogue so it cannot drift.

`python -m antt.ingest.messages_doc` rewrites the page; a test checks that the committed page
equals what the catalogue renders.
"""

from __future__ import annotations

import sys

from antt.config import REPO_ROOT
from antt.generated_pages import write_page
from antt.ingest.messages import ERRORS, PHRASES, Bilingual

ERROR_CODES_DOC = REPO_ROOT / "docs" / "error-codes.md"

_HEAD = """\
# Error codes (mã lỗi)

<!-- GENERATED from plugins/antt/ingest/messages.py: python -m antt.ingest.messages_doc -->

Every error a rejected file's report lists has one of these codes, and its message in Vietnamese
and English (the report's `Mô tả lỗi` columns). The sentences below are the templates: a word in
braces is filled with the file's own value (`{period}` → `2025-08`, `{size:,}` → `21,000,000`,
`{original:%d/%m/%Y}` → `01/07/2025`). A code with several sentences names each one (its
variant); the code alone says what went wrong.

The messages live in one catalogue, `plugins/antt/ingest/messages.py`; the code that finds an
error asks it by code, variant and values, and this page is rendered from it
(`docs/decisions.md`, "Error messages: one catalogue keyed by code").
"""


def _sentences(pair: Bilingual) -> list[str]:
    return [f"  - vi: `{pair.vi}`", f"  - en: `{pair.en}`"]


def render_page() -> str:
    lines = [_HEAD]
    for code, entry in ERRORS.items():
        meaning = entry.meaning[:1].upper() + entry.meaning[1:].replace("<", "\\<")
        lines += [f"## `{code}`", "", f"{meaning}.", ""]
        for variant, pair in entry.messages.items():
            lines.append(f"- variant `{variant}`:" if variant else "- message:")
            lines += _sentences(pair)
        lines.append("")
    lines += [
        "## Phrases",
        "",
        "Parts of a sentence that differ by language, filled into the placeholder of a message "
        "(a unit kind, the periods a unit may submit).",
        "",
    ]
    for name, pair in PHRASES.items():
        lines.append(f"- `{name}`:")
        lines += _sentences(pair)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    write_page(ERROR_CODES_DOC, render_page())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
