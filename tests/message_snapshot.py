"""Every (code, Vietnamese, English) message the code makes while the given tests run.

The proof that moving the messages into the catalogue changed no text: run it on the commit
before and on the commit after, over the same tests, and compare.

    .venv/bin/python tests/message_snapshot.py before.tsv tests/ingest tests/sample ...
    .venv/bin/python tests/message_snapshot.py after.tsv tests/ingest tests/sample ...
    .venv/bin/python tests/message_snapshot.py --compare before.tsv after.tsv

It also lists the catalogue's messages (code, variant) that no test made. It records each
`ValidationIssue` and each `CodedError` (a `CellError` the fast path catches
never becomes an issue) when it is made; the tests' sample sets put every rejected sample file
through the real ingestion, so their messages are in the record too.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


class MessageRecorder:
    """A pytest plugin: wraps the constructors of the two classes that carry messages."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str, str]] = set()
        self.made: set[tuple[str, str]] = set()  # (code, variant) of the catalogue's messages
        self._lock = threading.Lock()

    def _wrap(self, cls: type) -> None:
        original = cls.__init__

        def init(obj, *args, **kwargs):
            original(obj, *args, **kwargs)
            with self._lock:
                self.seen.add((obj.code, obj.message_vi, obj.message_en))
                if hasattr(obj, "variant"):
                    self.made.add((obj.code, obj.variant))

        cls.__init__ = init

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        from antt.ingest.issues import CodedError, ValidationIssue

        self._wrap(ValidationIssue)
        self._wrap(CodedError)


def _line(entry: tuple[str, str, str]) -> str:
    # Messages may hold tabs or line breaks (a quoted cell): escape them so one entry is one line.
    return "\t".join(part.encode("unicode_escape").decode("ascii") for part in entry)


def record(out: Path, test_args: list[str]) -> int:
    recorder = MessageRecorder()
    status = pytest.main(["-q", "-p", "no:cacheprovider", *test_args], plugins=[recorder])
    out.write_text("".join(_line(e) + "\n" for e in sorted(recorder.seen)), encoding="utf-8")
    print(f"{len(recorder.seen)} distinct messages written to {out}")
    _report_unmade(recorder.made)
    return int(status)


def _report_unmade(made: set[tuple[str, str]]) -> None:
    """The catalogue's messages these tests never made (none, when the error-path tests reach
    every code and variant)."""
    try:
        from antt.ingest.messages import ERRORS
    except ImportError:  # a commit before the catalogue
        return
    every = {(code, variant) for code, entry in ERRORS.items() for variant in entry.messages}
    unmade = sorted(every - made)
    print(f"{len(every) - len(unmade)} of {len(every)} catalogue messages made by these tests")
    for code, variant in unmade:
        print(f"  not made: {code} {variant!r}")


def _template_matcher():
    """A test of whether a (code, vi, en) entry is what a catalogue template of the code makes."""
    import re
    import string

    from antt.ingest.messages import ERRORS

    def pattern(template: str) -> re.Pattern:
        parts = string.Formatter().parse(template)
        body = "".join(
            re.escape(text) + ("(?s:.*)" if field is not None else "")
            for text, field, _, _ in parts
        )
        return re.compile(body + r"\Z")

    pairs = {
        code: [(pattern(p.vi), pattern(p.en)) for p in entry.messages.values()]
        for code, entry in ERRORS.items()
    }

    def made_by_catalogue(line: str) -> bool:
        code, vi, en = (part.encode("ascii").decode("unicode_escape") for part in line.split("\t"))
        return any(v.match(vi) and e.match(en) for v, e in pairs.get(code, ()))

    return made_by_catalogue


def compare(before: Path, after: Path) -> int:
    """The entries of one record only. Tests with generated input (Hypothesis file names and
    cells, fuzzed workbooks) and clock times (PERIOD_CLOSED) make different values on every
    run: such entries are checked to be what a catalogue template of their code makes."""
    old = set(before.read_text(encoding="utf-8").splitlines())
    new = set(after.read_text(encoding="utf-8").splitlines())
    made_by_catalogue = _template_matcher()
    for line in sorted(old - new):
        print(f"- {line}")
    for line in sorted(new - old):
        print(f"+ {line}")
    foreign = [line for line in old ^ new if not made_by_catalogue(line)]
    print(
        f"{len(old)} before, {len(new)} after, {len(old & new)} in both, {len(old - new)} only "
        f"before, {len(new - old)} only after; {len(foreign)} of those no catalogue template of "
        "their code makes"
    )
    return 0 if not foreign else 1


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "--compare":
        return compare(Path(argv[1]), Path(argv[2]))
    if len(argv) < 2 or argv[0].startswith("-"):
        print(__doc__)
        return 2
    sys.path[:0] = [str(ROOT / "plugins"), str(ROOT / "dags")]
    return record(Path(argv[0]), argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
