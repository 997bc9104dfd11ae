"""The message catalogue (`antt.ingest.messages`): complete, strict, and the only source of the
messages: every error the plugins make asks it by a literal code with named values."""

from __future__ import annotations

import ast
import functools
import string
from datetime import date
from pathlib import Path

import pytest

import antt
from antt.ingest import messages_doc
from antt.ingest.cells import parse_int
from antt.ingest.filename import UNIT_AREA, FileNameError
from antt.ingest.issues import ERROR_CODES, CellError, CodedError, file_issue
from antt.ingest.messages import (
    ERRORS,
    PHRASES,
    Bilingual,
    MessageError,
    joined,
    phrase,
    placeholders,
    render,
)

PLUGINS = Path(antt.__file__).parent
# Where messages are made from a code given by the caller (the catalogue's own machinery).
MACHINERY = {PLUGINS / "ingest" / "messages.py", PLUGINS / "ingest" / "issues.py"}


def _error_classes(cls: type = CodedError) -> set[str]:
    found = {cls.__name__}
    for sub in cls.__subclasses__():
        found |= _error_classes(sub)
    return found


def _literals(node: ast.expr) -> list[str] | None:
    """The string(s) an argument can be: a literal, or either branch of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


Call = tuple[str, str, str, list[str] | None, list[str], frozenset[str]]


@functools.cache
def _calls() -> list[Call]:
    """Every call that makes a message or a phrase in the plugins: (where, "error" or
    "phrase", the function, the first argument's literals or None, the variants, the keyword
    names)."""
    found = []
    for path in sorted(PLUGINS.rglob("*.py")):
        if path in MACHINERY:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # render and phrase are common names: only the catalogue's own count
        makers = _error_classes() | {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "antt.ingest.messages"
            for alias in node.names
            if alias.name in ("render", "phrase")
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in makers:
                continue
            where = f"{path.relative_to(PLUGINS)}:{node.lineno}"
            kind = "phrase" if name == "phrase" else "error"
            assert node.args, f"{where}: {name}() without a code"
            assert all(k.arg is not None for k in node.keywords), (
                f"{where}: give the placeholders by name, not **mapping"
            )
            first = _literals(node.args[0])
            variants = [""]
            if len(node.args) > 1:
                variants = _literals(node.args[1])
                assert variants is not None, f"{where}: the variant must be a literal"
            assert len(node.args) <= 2, f"{where}: placeholders are keyword arguments"
            keywords = frozenset(k.arg for k in node.keywords)
            found.append((where, kind, name, first, variants, keywords))
    return found


def _sample_value(template_pair: Bilingual, name: str) -> object:
    """A value of the type a placeholder's format spec asks for."""
    specs = {
        spec
        for template in template_pair
        for _, field, spec, _ in string.Formatter().parse(template)
        if field == name and spec
    }
    if any("%" in spec for spec in specs):
        return date(2025, 7, 1)
    if specs:
        return 1234
    return f"<{name}>"


def test_every_code_has_a_meaning_and_a_message_in_both_languages():
    assert ERRORS
    for code, entry in ERRORS.items():
        assert code.isupper() and code.replace("_", "").isalnum(), code
        assert entry.meaning.strip(), code
        assert entry.messages, code
        assert ("" in entry.messages) == (len(entry.messages) == 1), code
        for variant, pair in entry.messages.items():
            assert pair.vi.strip() and pair.en.strip() and pair.vi != pair.en, (code, variant)
            for field in placeholders(pair.vi) | placeholders(pair.en):
                assert field.isidentifier(), (code, variant, field)


def test_error_codes_is_the_catalogue_s_meanings():
    assert {code: entry.meaning for code, entry in ERRORS.items()} == ERROR_CODES


def test_every_phrase_has_both_languages_and_the_unit_kinds_are_phrases():
    for name, pair in PHRASES.items():
        assert pair.vi.strip() and pair.en.strip(), name
    assert set(UNIT_AREA.values()) <= set(PHRASES)


def test_an_unknown_code_fails_loudly():
    with pytest.raises(MessageError, match="unknown error code 'NO_SUCH_CODE'"):
        render("NO_SUCH_CODE")
    with pytest.raises(MessageError, match="NO_SUCH_CODE"):
        CellError("NO_SUCH_CODE")


def test_an_unknown_or_missing_variant_fails_loudly():
    with pytest.raises(MessageError, match="INTEGER_INVALID has no message 'words'"):
        CellError("INTEGER_INVALID", "words")
    with pytest.raises(MessageError, match="INTEGER_INVALID has no message ''"):
        CellError("INTEGER_INVALID")  # two sentences: the caller must say which
    with pytest.raises(MessageError, match="FILE_EMPTY has no message 'x'"):
        CodedError("FILE_EMPTY", "x")


def test_a_missing_placeholder_fails_loudly():
    with pytest.raises(MessageError, match=r"placeholders without a value \['first'\]"):
        CellError("DUPLICATE_KEY")
    with pytest.raises(MessageError, match=r"without a value \['high'\]"):
        CellError("INTEGER_OUT_OF_RANGE", "range", low=0)


def test_an_extra_placeholder_fails_loudly():
    with pytest.raises(MessageError, match=r"values unused \['row'\]"):
        CellError("DUPLICATE_KEY", first=3, row=4)
    with pytest.raises(MessageError, match=r"values unused \['value'\]"):
        CellError("FILE_EMPTY", value="x")


def test_an_unknown_phrase_or_a_wrong_phrase_value_fails_loudly():
    with pytest.raises(MessageError, match="unknown phrase 'hamlet'"):
        phrase("hamlet")
    with pytest.raises(MessageError, match=r"without a value \['name'\]"):
        phrase("periods_new_commune")


def test_a_bilingual_value_gives_each_language_its_own_text():
    vi, en = render("UNIT_UNKNOWN", unit="CAH999", kind=phrase("district"), code="999")
    assert vi == ("Đơn vị 'CAH999' không tồn tại: không có huyện mã 999 trong danh mục hành chính.")
    assert (
        en == "Unit 'CAH999' does not exist: no district with code 999 in the administrative list."
    )
    both = joined("; ", [phrase("commune"), phrase("province")])
    assert both == Bilingual("xã; tỉnh", "commune; province")


def test_a_raised_error_carries_the_rendered_message():
    with pytest.raises(CellError) as caught:
        parse_int("12", 0, 5)
    error = caught.value
    assert (error.code, error.variant) == ("INTEGER_OUT_OF_RANGE", "range")
    assert error.message_vi == "Giá trị phải nằm trong khoảng 0–5."
    assert str(error) == error.message_en == "The value must lie between 0 and 5."
    issue = file_issue(error, row=7, column="gia_tri", value="12")
    assert issue.fields()[2:] == (
        "gia_tri",
        "12",
        "INTEGER_OUT_OF_RANGE",
        error.message_vi,
        error.message_en,
    )


def test_the_plugins_make_errors_only_through_literal_codes_of_the_catalogue():
    errors = [c for c in _calls() if c[1] == "error"]
    assert len(errors) > 60  # the walk found the calls (cells, reading, validate, lineage, ...)
    for where, _, name, codes, variants, _ in errors:
        assert codes is not None, f"{where}: {name}() must name its code literally"
        for code in codes:
            assert code in ERRORS, f"{where}: {code} is not in the catalogue"
            for variant in variants:
                assert variant in ERRORS[code].messages, f"{where}: {code} has no {variant!r}"


def test_every_call_gives_exactly_the_placeholders_its_message_uses():
    """Render each template with the placeholders a real call passes (values of the type its
    format spec asks for): a missing or an unused one fails here, not in an officer's report."""
    checked = 0
    for where, kind, _, names, variants, keywords in _calls():
        for name in names or ():
            for variant in variants:
                if kind == "phrase":
                    pair = PHRASES[name]
                    make = lambda params, name=name: phrase(name, **params)  # noqa: E731
                else:
                    pair = ERRORS[name].messages[variant]
                    make = lambda params, name=name, v=variant: render(name, v, **params)  # noqa: E731
                params = {key: _sample_value(pair, key) for key in keywords}
                vi, en = make(params)
                assert "{" not in vi + en and "}" not in vi + en, where
                checked += 1
    assert checked >= sum(len(entry.messages) for entry in ERRORS.values())


def test_every_message_and_phrase_of_the_catalogue_is_made_somewhere():
    """A sentence no code path asks for is dead text: remove it (or the path is missing)."""
    made = {
        (code, variant)
        for _, kind, _, codes, variants, _ in _calls()
        if kind == "error"
        for code in codes or ()
        for variant in variants
    }
    catalogued = {(code, variant) for code, entry in ERRORS.items() for variant in entry.messages}
    assert catalogued - made == set()
    phrases = {
        name for _, kind, _, names, _, _ in _calls() if kind == "phrase" for name in names or ()
    }
    # A unit kind is asked for through UNIT_AREA (the phrase's name is the area's kind).
    assert set(PHRASES) - phrases - set(UNIT_AREA.values()) == set()


def test_a_file_name_error_is_a_coded_error_of_the_catalogue():
    error = FileNameError("FILE_NAME_PERIOD", "no_such_period", period="2023-13")
    assert error.code == "FILE_NAME_PERIOD"
    assert error.message_en == (
        "Report period '2023-13' does not exist (month 01–12, year from 1900)."
    )


def test_the_committed_error_code_page_equals_what_the_catalogue_renders():
    page = messages_doc.ERROR_CODES_DOC.read_text(encoding="utf-8")
    assert page == messages_doc.render_page(), (
        "docs/error-codes.md is stale: run `.venv/bin/python -m antt.ingest.messages_doc`"
    )
    for code, entry in ERRORS.items():
        assert f"## `{code}`" in page
        for pair in entry.messages.values():
            assert f"`{pair.vi}`" in page and f"`{pair.en}`" in page


def test_a_csv_of_blank_lines_has_no_header_line():
    """HEADER_NOT_FOUND 'csv_no_header': the one reading message no other in-process test makes."""
    from antt.ingest.issues import FileRejected
    from antt.ingest.reading import FileFacts, open_table

    data = b"\n , \n\n"
    with pytest.raises(FileRejected) as caught:
        open_table(FileFacts(Path("x.csv"), "x.csv", len(data), "0" * 64, data), "csv", "chi_tieu")
    (issue,) = caught.value.issues
    assert issue.code == "HEADER_NOT_FOUND"
    assert issue.message_vi == "Tệp CSV không có dòng tiêu đề cột (cần có cột ma_xa)."
    assert issue.message_en == "The CSV has no header line (a ma_xa column is required)."


def test_an_old_commune_without_successor_ended_and_an_unnamed_district_is_its_code():
    """COMMUNE_CODE_ENDED 'ended': the committed crosswalk gives every old commune a successor,
    so only a reference without one (a future list) reaches it; the message must still read."""
    from types import SimpleNamespace

    from antt.ingest.lineage import other_list_error
    from antt.ingest.reference import Commune

    old = Commune("29999", "999", "84", "Xã Thử", "Thử")
    ref = SimpleNamespace(
        communes={"29999": old}, successors={}, communes_2025={}, district_names={}
    )
    error = other_list_error("29999", True, "2025-08", ref)
    assert (error.code, error.variant) == ("COMMUNE_CODE_ENDED", "ended")
    assert error.message_vi == (
        "xã 29999 (Xã Thử, huyện 999) không còn từ 01/07/2025. "
        "Kỳ 2025-08 dùng mã đơn vị hành chính có từ 01/07/2025."
    )
    assert error.message_en == (
        "commune 29999 ended on 30 June 2025. Period 2025-08 uses the codes valid from 1 July 2025."
    )
