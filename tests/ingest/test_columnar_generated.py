"""The column-wise path (`ingest.columnar`) against the row-by-row validator, on generated
count files: a clean file gives the very COPY text of the row-by-row path, a file with any kind
of error gets the row-by-row report (it never takes the fast path), and a rejected file leaves
raw untouched."""

from __future__ import annotations

import unicodedata

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from antt.config import FileAreas
from antt.ingest import columnar, ingest_file, validate

from .builders import HOA_MINH, HOA_THUAN, HUNG_MY, TRA_VINH_WARD
from .test_columnar import NAME, run

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
NAMES = {HOA_MINH: "Xã Hòa Minh", HOA_THUAN: "Hòa Thuận", HUNG_MY: "Hưng Mỹ"}

# Each column: values that are clean, then values that are errors (or need the row-by-row path).
CLEAN_CELLS = {
    "ma_xa": [HOA_MINH, HOA_THUAN, HUNG_MY],
    "ma_chi_tieu": ["TP_GIET_NGUOI", "tp ma tuy", "Dt tai pham", "TP_KINH_TE"],
    "gia_tri": ["0", "12", "", " 7 ", "1234567"],
    "ky_bao_cao": ["2023-06", ""],
    "ghi_chu": ["", "chú thích", "tab\there", "back\\slash", "\\N"],
}
BAD_CELLS = {
    "ma_xa": [TRA_VINH_WARD, "", " 29410", "2941O"],
    "ma_chi_tieu": ["TP_KHONG_CO", ""],
    "gia_tri": ["-1", "1.5", "abc", "99999999999999999999"],
    "ky_bao_cao": ["2023-07", "2023-13"],
    "ghi_chu": ["a\x07b"],
    "ten_xa": ["Hưng Mỹ", "x" * 201],  # the name of another commune (for HOA_MINH), too long
}
INDICATORS = ["TP_GIET_NGUOI", "TP_MA_TUY", "DT_TAI_PHAM", "TP_KINH_TE"]


def _name(code: str, form: int) -> str:
    name = NAMES.get(code, "")
    return [name, unicodedata.normalize("NFD", name), ""][form]


@st.composite
def long_files(draw, clean: bool) -> bytes:
    extras = draw(st.sets(st.sampled_from(["ten_xa", "ky_bao_cao", "ghi_chu"])))
    header = ["ma_xa", "ma_chi_tieu", "gia_tri", *sorted(extras)]
    order = draw(st.permutations(header))
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(CLEAN_CELLS["ma_xa"]), st.sampled_from(INDICATORS)),
            min_size=1,
            max_size=12,
            unique=True,
        )
    )
    rows = []
    for xa, code in pairs:
        cells = {
            "ma_xa": xa,
            "ma_chi_tieu": code if draw(st.booleans()) else code.lower().replace("_", " "),
            "gia_tri": draw(st.sampled_from(CLEAN_CELLS["gia_tri"])),
            "ky_bao_cao": draw(st.sampled_from(CLEAN_CELLS["ky_bao_cao"])),
            "ghi_chu": draw(st.sampled_from(CLEAN_CELLS["ghi_chu"])),
            "ten_xa": _name(xa, draw(st.integers(0, 2))),
        }
        rows.append([cells[column] for column in order])
    lines = [",".join(order), *(",".join(row) for row in rows)]
    if not clean:
        lines = _spoiled(draw, order, lines)
    end = draw(st.sampled_from(["\r\n", "\n"]))
    return (end.join(lines) + draw(st.sampled_from([end, ""]))).encode()


@st.composite
def block_files(draw, clean: bool) -> bytes:
    """Long files as exports write them: commune by commune, each commune's rows listing the
    same indicators in the same order (`columnar.commune_blocks`), names on every row, the
    codes sometimes written another way in every block, and sometimes a block that breaks the
    pattern (another order, a name written two ways, a commune's block twice), one indicator
    written two ways in every block, or a spoiled cell."""
    header = draw(st.permutations(["ky_bao_cao", "ma_xa", "ten_xa", "ma_chi_tieu", "gia_tri"]))
    communes = draw(st.permutations(CLEAN_CELLS["ma_xa"]))[: draw(st.integers(1, 3))]
    indicators = draw(st.permutations(INDICATORS))[: draw(st.integers(1, 4))]
    if draw(st.booleans()):  # every block writes the codes the same other way
        indicators = [code.lower().replace("_", " ") for code in indicators]
    blocks = [(xa, list(indicators), [_name(xa, 0)] * len(indicators)) for xa in communes]
    variations = ["none", "order", "name form", "block twice", "one indicator twice"]
    variation = draw(st.sampled_from(variations))
    xa, codes, names = blocks[-1]
    if variation == "order" and len(codes) > 1:
        blocks[-1] = (xa, codes[::-1], names)
    elif variation == "one indicator twice" and len(codes) > 1:
        # the same indicator written two ways in every block: a repeated pair
        twice = [codes[0], codes[0].swapcase(), *codes[2:]]
        blocks = [(xa, twice, names) for xa, _codes, names in blocks]
    elif variation == "name form" and NAMES[xa]:
        blocks[-1] = (xa, codes, [*names[:-1], unicodedata.normalize("NFD", names[-1])])
    elif variation == "block twice":
        blocks.append(blocks[0])
    lines = [",".join(header)]
    for xa, codes, names in blocks:
        for code, name in zip(codes, names, strict=True):
            cells = {
                "ky_bao_cao": "2023-06",
                "ma_xa": xa,
                "ten_xa": name,
                "ma_chi_tieu": code,
                "gia_tri": draw(st.sampled_from(CLEAN_CELLS["gia_tri"])),
            }
            lines.append(",".join(cells[column] for column in header))
    if not clean:
        lines = _spoiled(draw, list(header), lines)
    end = draw(st.sampled_from(["\r\n", "\n"]))
    return (end.join(lines) + draw(st.sampled_from([end, ""]))).encode()


def _spoiled(draw, order: list[str], lines: list[str]) -> list[str]:
    """The lines with one kind of error (or of layout the fast path leaves alone)."""
    where = draw(st.integers(1, len(lines) - 1))
    kind = draw(st.sampled_from(["cell", "blank line", "short row", "long row", "twice"]))
    if kind == "blank line":
        return [*lines[:where], "", *lines[where:]]
    if kind == "short row":
        return [*lines[:where], lines[where].rsplit(",", 1)[0], *lines[where + 1 :]]
    if kind == "long row":
        return [*lines[:where], lines[where] + ",1", *lines[where + 1 :]]
    if kind == "twice":
        return [*lines[: where + 1], lines[where], *lines[where + 1 :]]
    column = draw(st.sampled_from([c for c in order if c in BAD_CELLS]))
    cells = lines[where].split(",")
    cells[order.index(column)] = draw(st.sampled_from(BAD_CELLS[column]))
    return [*lines[:where], ",".join(cells), *lines[where + 1 :]]


@st.composite
def wide_files(draw, clean: bool) -> bytes:
    indicators = draw(st.lists(st.sampled_from(INDICATORS), min_size=1, max_size=4, unique=True))
    named = draw(st.booleans())
    header = ["Mã xã", *(["Tên xã"] if named else []), *indicators]
    communes = draw(st.permutations(CLEAN_CELLS["ma_xa"]))[: draw(st.integers(1, 3))]
    lines = [",".join(header)]
    for xa in communes:
        values = [draw(st.sampled_from(CLEAN_CELLS["gia_tri"])) for _ in indicators]
        lines.append(
            ",".join([xa, *([_name(xa, draw(st.integers(0, 2)))] if named else []), *values])
        )
    if not clean:
        where = draw(st.integers(1, len(lines) - 1))
        cells = lines[where].split(",")
        column = draw(st.integers(0, len(cells) - 1))
        bad = BAD_CELLS[
            "ma_xa" if column == 0 else "ten_xa" if named and column == 1 else "gia_tri"
        ]
        cells[column] = draw(st.sampled_from(bad))
        lines[where] = ",".join(cells)
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture(scope="module")
def reference(module_warehouse):
    from antt.ingest.reference import reference_for

    with psycopg.connect(module_warehouse) as conn:
        return reference_for(conn)


def _fast_taken(monkeypatch) -> list:
    taken = []
    for function in ("long_copy_text", "wide_copy_text"):
        real = getattr(columnar, function)

        def spy(*args, real=real, function=function):
            result = real(*args)  # Unclean propagates: only a file it wrote counts
            taken.append(function)
            return result

        monkeypatch.setattr(validate, function, spy)
    return taken


@SETTINGS
@given(data=st.one_of(long_files(clean=True), wide_files(clean=True)))
def test_a_clean_file_takes_the_fast_path_with_the_row_by_row_text(
    tmp_path, reference, monkeypatch, data
):
    taken = _fast_taken(monkeypatch)
    fast = run(tmp_path, reference, data, columnar_path=True)
    slow = run(tmp_path, reference, data, columnar_path=False)
    assert fast == slow
    # a clean file without repeated pairs is accepted by both, by the fast path
    assert fast[2] == [] and fast[1] > 0 and taken


@SETTINGS
@given(data=block_files(clean=True))
def test_a_file_in_commune_blocks_gives_the_row_by_row_outcome(
    tmp_path, reference, monkeypatch, data
):
    taken = _fast_taken(monkeypatch)
    fast = run(tmp_path, reference, data, columnar_path=True)
    assert fast == run(tmp_path, reference, data, columnar_path=False)
    # only a commune or an indicator given twice is not clean here
    assert bool(taken) == (fast[2] == [])


@SETTINGS
@given(data=st.one_of(long_files(clean=False), wide_files(clean=False), block_files(clean=False)))
def test_a_spoiled_file_gets_the_row_by_row_outcome(tmp_path, reference, data):
    fast = run(tmp_path, reference, data, columnar_path=True)
    slow = run(tmp_path, reference, data, columnar_path=False)
    assert fast == slow


def test_every_error_kind_is_reported_with_its_row(tmp_path, reference):
    lines = [
        "ky_bao_cao,ma_xa,ten_xa,ma_chi_tieu,gia_tri,ghi_chu",
        f"2023-06,{HOA_MINH},Hòa Minh,TP_MA_TUY,1,",
        f"2023-06,{TRA_VINH_WARD},,TP_MA_TUY,1,",
        f"2023-06,{HOA_MINH},Hưng Mỹ,TP_KINH_TE,1,",
        f"2023-06,{HUNG_MY},,TP_KHONG_CO,1,",
        f"2023-06,{HUNG_MY},,TP_MA_TUY,-1,",
        f"2023-07,{HOA_THUAN},,TP_MA_TUY,1,",
        f"2023-06,{HOA_THUAN},,TP_KINH_TE,1,a\x07b",
        f"2023-06,{HOA_MINH},,tp ma tuy,2,",
    ]
    data = ("\r\n".join(lines) + "\r\n").encode()
    text, count, issues = run(tmp_path, reference, data, columnar_path=True)
    assert (text, count, issues) == run(tmp_path, reference, data, columnar_path=False)
    assert text == ""
    assert [(row, code) for row, _, _, code, _ in issues] == [
        (3, "COMMUNE_NOT_AUTHORIZED"),
        (4, "TEN_XA_MISMATCH"),
        (5, "CODE_UNKNOWN"),
        (6, "INTEGER_OUT_OF_RANGE"),
        (7, "PERIOD_MISMATCH"),
        (8, "CONTROL_CHARACTER"),
        (9, "DUPLICATE_KEY"),
    ]


def test_a_rejected_file_leaves_raw_untouched(module_warehouse, tmp_path, monkeypatch):
    monkeypatch.setenv("ANTT_WAREHOUSE_URL", module_warehouse)
    areas = FileAreas(*(tmp_path / k for k in ("landing", "archive", "quarantine", "pub")))
    areas.ensure()
    rows = [f"{xa},{code},1" for xa in CLEAN_CELLS["ma_xa"] for code in INDICATORS]
    path = areas.landing / NAME.replace("2023-06", "2023-05")
    path.write_bytes(
        ("ma_xa,ma_chi_tieu,gia_tri\n" + "\n".join([*rows, f"{HUNG_MY},X,1"])).encode()
    )
    with psycopg.connect(module_warehouse) as conn:
        before = conn.execute("SELECT count(*) FROM raw.chi_tieu").fetchone()[0]
    outcome = ingest_file(path, areas, move=False)
    assert outcome.status == "rejected"
    assert [(e.row, e.code) for e in outcome.errors] == [(len(rows) + 2, "CODE_UNKNOWN")]
    with psycopg.connect(module_warehouse) as conn:
        after = conn.execute("SELECT count(*) FROM raw.chi_tieu").fetchone()[0]
        mine = conn.execute(
            "SELECT count(*) FROM raw.chi_tieu WHERE submission_id = %s",
            (outcome.submission_id,),
        ).fetchone()[0]
    assert (after, mine) == (before, 0)
