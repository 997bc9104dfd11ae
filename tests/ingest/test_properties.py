"""Property-based tests: whatever the bytes, a clean outcome — never a traceback, never a
partial load — and free text that is accepted comes back from the warehouse unchanged."""

from __future__ import annotations

import io
import unicodedata
import zipfile

import psycopg
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from antt.config import FileAreas
from antt.ingest import ingest_file

from .builders import HOA_MINH, csv_bytes, write_xlsx

SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
RAW_TABLES = ("chi_tieu", "su_vu", "mo_hinh", "danh_gia_nam", "dang_ky_ntm")
HOSTILE = [
    "'; DROP TABLE raw.submissions; --",
    "\\.",
    "\\N",
    "a\tb",
    "line\nbreak",
    "\r",
    "\\",
    '=HYPERLINK("http://x")',
    "\x00",
    "\x1b[2J",
    "\u202e",
    "\ufeff",
    "😀",
    unicodedata.normalize("NFD", "Hoà"),
    '"',
    "',(),",
]


@pytest.fixture
def put(module_warehouse, tmp_path_factory, monkeypatch):
    monkeypatch.setenv("ANTT_WAREHOUSE_URL", module_warehouse)
    base = tmp_path_factory.mktemp("prop")
    areas = FileAreas(*(base / k for k in ("landing", "archive", "quarantine", "pub"))).ensure()

    def run(name: str, data: bytes):
        path = areas.landing / name
        path.write_bytes(data)
        return ingest_file(path, areas, move=False)

    return run


def assert_clean(outcome, url: str) -> None:
    assert outcome.status in ("accepted", "rejected", "duplicate")
    with psycopg.connect(url) as conn:
        loaded = sum(
            conn.execute(
                f"SELECT count(*) FROM raw.{t} WHERE submission_id = %s",  # noqa: S608
                (outcome.submission_id,),
            ).fetchone()[0]
            for t in RAW_TABLES
        )
        status = conn.execute(
            "SELECT status, row_count FROM raw.submissions WHERE submission_id = %s",
            (outcome.submission_id,),
        ).fetchone()
    assert status[0] == outcome.status
    if outcome.status == "accepted":
        assert loaded == outcome.row_count == status[1]
    else:
        assert loaded == 0
    if outcome.status == "rejected":
        assert outcome.errors and all(
            e.code and e.message_vi and e.message_en for e in outcome.errors
        )


@SETTINGS
@given(data=st.binary(max_size=2000), ext=st.sampled_from(["csv", "xlsx"]))
def test_arbitrary_bytes(put, module_warehouse, data, ext):
    assert_clean(put(f"CAH847_2023-06_chi_tieu.{ext}", data), module_warehouse)


@SETTINGS
@given(
    prefix=st.sampled_from([b"ma_xa,ma_chi_tieu,gia_tri\r\n", b"ma_xa,TP_MA_TUY\n", b""]),
    body=st.binary(max_size=500),
)
def test_csv_like_bytes(put, module_warehouse, prefix, body):
    assert_clean(put("CAT84_2023-06_chi_tieu.csv", prefix + body), module_warehouse)


@pytest.fixture(scope="module")
def good_xlsx(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("xlsx")
    return write_xlsx(
        folder,
        "CAH847_2023-06_chi_tieu.xlsx",
        [["Mã xã", "Mã chỉ tiêu", "Giá trị"], [29410, "TP_MA_TUY", 1]],
        title_rows=[["BÁO CÁO"]],
    ).read_bytes()


@SETTINGS
@given(
    cuts=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8),
    truncate=st.one_of(st.none(), st.integers(min_value=0)),
)
def test_broken_xlsx(put, module_warehouse, good_xlsx, cuts, truncate):
    data = bytearray(good_xlsx)
    for position, value in cuts:
        data[position % len(data)] = value
    if truncate is not None:
        data = data[: truncate % len(data)]
    assert_clean(put("CAH847_2023-07_chi_tieu.xlsx", bytes(data)), module_warehouse)


def test_a_zip_version_zipfile_cannot_read_is_a_clean_rejection(put, module_warehouse, good_xlsx):
    data = bytearray(good_xlsx)
    data[data.rfind(b"PK\x01\x02") + 6] = 64  # "version needed to extract": 6.4
    out = put("CAH847_2023-10_chi_tieu.xlsx", bytes(data))
    assert_clean(out, module_warehouse)
    assert [e.code for e in out.errors] == ["XLSX_UNREADABLE"]


@SETTINGS
@given(
    member=st.binary(max_size=3000),
    name=st.sampled_from(
        [
            "xl/workbook.xml",
            "xl/worksheets/sheet1.xml",
            "[Content_Types].xml",
            "xl/sharedStrings.xml",
        ]
    ),
)
def test_xlsx_with_a_hostile_member(put, module_warehouse, good_xlsx, member, name):
    source = zipfile.ZipFile(io.BytesIO(good_xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(
                info.filename, member if info.filename == name else source.read(info.filename)
            )
    assert_clean(put("CAH847_2023-08_chi_tieu.xlsx", out.getvalue()), module_warehouse)


cell_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=4).map("".join),
)


@SETTINGS
@given(
    note=cell_text,
    code=st.one_of(st.just("TP_KINH_TE"), cell_text),
    name=st.one_of(st.just(""), cell_text),
    n=st.integers(0, 10**6),
)
def test_hostile_cell_text_in_csv(put, module_warehouse, note, code, name, n):
    rows = [
        ["ma_xa", "ma_chi_tieu", "gia_tri", "ghi_chu", "ten_xa"],
        [HOA_MINH, "TP_MA_TUY", str(n), note, ""],
        [HOA_MINH, code, "1", "", name],
    ]
    try:
        data = csv_bytes(rows)
    except UnicodeEncodeError:  # lone surrogates cannot be written as UTF-8
        assume(False)
    out = put("CAH847_2023-09_chi_tieu.csv", data)
    assert_clean(out, module_warehouse)
    if out.status == "accepted":
        with psycopg.connect(module_warehouse) as conn:
            stored = conn.execute(
                "SELECT ghi_chu FROM raw.chi_tieu WHERE submission_id = %s AND source_row = 2",
                (out.submission_id,),
            ).fetchone()[0]
        expected = unicodedata.normalize("NFC", note.strip()) or None
        assert stored == expected


@SETTINGS
@given(note=cell_text, row_id=cell_text)
def test_hostile_cell_text_in_xlsx(put, module_warehouse, tmp_path_factory, note, row_id):
    folder = tmp_path_factory.mktemp("hx")
    try:
        path = write_xlsx(
            folder,
            "CAH847_2023-06_su_vu.xlsx",
            [
                ["ma_su_vu", "loai", "ma_xa", "ngay_bat_dau", "mo_ta"],
                [row_id, "TRONG_AN", HOA_MINH, "2023-06-02", note],
            ],
        )
    except Exception:  # openpyxl refuses some control characters itself
        assume(False)
    assert_clean(put("CAH847_2023-06_su_vu.xlsx", path.read_bytes()), module_warehouse)


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_ten_megabyte_cell_is_a_clean_rejection(put, module_warehouse, tmp_path, ext):
    big = "Đ" * (10 * 1024 * 1024 // 2)  # 10 MB of UTF-8
    rows = [["ma_xa", "ma_chi_tieu", "gia_tri", "ghi_chu"], [HOA_MINH, "TP_MA_TUY", "1", big]]
    if ext == "csv":
        data = csv_bytes(rows)
    else:
        data = write_xlsx(tmp_path, "x_y_chi_tieu.xlsx", rows).read_bytes()
    out = put(f"CAH847_2023-10_chi_tieu.{ext}", data)
    assert_clean(out, module_warehouse)
    assert [e.code for e in out.errors] == ["TEXT_TOO_LONG"]
    assert len(out.errors[0].value) < 300  # reports quote long cells truncated


@settings(max_examples=200, deadline=None)
@given(name=st.text(max_size=80))
def test_file_name_parser_never_fails_otherwise(name):
    from antt.ingest import FileNameError, parse_file_name

    try:
        parsed = parse_file_name(name)
    except FileNameError as exc:
        assert exc.code in ("FILE_NAME_INVALID", "FILE_NAME_PERIOD") and exc.message_vi
    else:
        assert parsed.unit_code.isupper() and parsed.fmt in ("csv", "xlsx")


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=60))
def test_normalizers_are_total_and_idempotent(text):
    from antt.ingest.normalize import name_key, normalize_header

    key = normalize_header(text)
    assert normalize_header(key) == key
    assert all(c.isascii() and (c.isalnum() or c == "_") for c in key)
    assert name_key(name_key(text)) == name_key(text)


def _name_key_as_defined(text: str) -> str:
    # the contract's key, whole text at once: NFC, casefold, NFD; per word, tones to the end
    tones = frozenset("\u0300\u0301\u0303\u0309\u0323")
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", text).casefold())
    words = []
    for word in decomposed.split():
        marks = "".join(sorted(c for c in word if c in tones))
        words.append("".join(c for c in word if c not in tones) + marks)
    return " ".join(words)


VIETNAMESE = "aăâeêioôơuưyđ" + "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=60),
        st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " \t\u00a0", max_size=40),
    )
)
def test_name_keys_word_by_word_are_the_whole_text_keys(text):
    from antt.ingest.normalize import name_key

    assert name_key(text) == _name_key_as_defined(text)
    nfd = unicodedata.normalize("NFD", text)
    assert name_key(nfd) == _name_key_as_defined(nfd)


def test_corrupt_compressed_sheet_data(put, module_warehouse, good_xlsx):
    """Found by hypothesis: a zeroed byte inside a deflated member (zlib error, bad CRC)."""
    source = zipfile.ZipFile(io.BytesIO(good_xlsx))
    info = source.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in (5, info.compress_size // 2, info.compress_size - 3):
        data = bytearray(good_xlsx)
        data[start + offset] ^= 0xFF
        out = put("CAH847_2023-11_chi_tieu.xlsx", bytes(data))
        assert_clean(out, module_warehouse)
        assert out.status == "rejected"
