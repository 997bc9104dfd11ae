"""The register, versions, duplicates, file areas and rejection reports."""

from __future__ import annotations

import csv
import json
import os

from antt.ingest import expand_paths, ingest_file, ingest_paths

from .builders import HOA_MINH, HOA_THUAN, codes, write_csv

NAME = "CAH847_2023-06_chi_tieu.csv"
HEADER = ["ma_xa", "ma_chi_tieu", "gia_tri"]


def submissions(db):
    return db(
        "SELECT submission_id, unit_code, dataset, period, file_name, status,"
        " accepted_at IS NOT NULL, row_count, error_count, replaces_submission_id,"
        " duplicate_of_submission_id FROM raw.submissions ORDER BY submission_id"
    )


def register_row(submission_id, status, accepted, row_count, error_count):
    """What `submissions` reads for a first file NAME of CAH847 (no version, no duplicate)."""
    return (
        submission_id,
        "CAH847",
        "chi_tieu",
        "2023-06",
        NAME,
        status,
        accepted,
        row_count,
        error_count,
        None,
        None,
    )


def test_accepted_file_is_registered_and_archived(ingest, db, areas):
    out = ingest(NAME, [HEADER, [HOA_MINH, "TP_MA_TUY", "3"]])
    assert out.status == "accepted"
    assert submissions(db) == [register_row(out.submission_id, "accepted", True, 1, 0)]
    sha, size = db("SELECT sha256, size_bytes FROM raw.submissions")[0]
    assert len(sha) == 64 and size == out.moved_to.stat().st_size
    assert out.moved_to == areas.archive / f"{out.submission_id}_{NAME}"
    assert not (areas.landing / NAME).exists()


def test_later_submission_of_the_same_scope_replaces_the_earlier(ingest, db):
    first = ingest(NAME, [HEADER, [HOA_MINH, "TP_MA_TUY", "3"]])
    second = ingest(NAME, [HEADER, [HOA_MINH, "TP_MA_TUY", "4"]])
    rejected = ingest(NAME, [HEADER, [HOA_MINH, "TP_MA_TUY", "x"]])
    third = ingest(NAME.replace(".csv", ".xlsx"), [HEADER, [HOA_MINH, "TP_MA_TUY", 5]])
    other_scope = ingest("CAH847_2023-07_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "7"]])
    assert second.replaces_submission_id == first.submission_id
    assert rejected.status == "rejected"
    # a rejected version replaces nothing and is never replaced
    assert third.replaces_submission_id == second.submission_id
    assert other_scope.replaces_submission_id is None
    # every version stays in raw with its submission
    assert db("SELECT submission_id, gia_tri FROM raw.chi_tieu ORDER BY 1") == [
        (first.submission_id, 3),
        (second.submission_id, 4),
        (third.submission_id, 5),
        (other_scope.submission_id, 7),
    ]


def test_same_bytes_are_a_duplicate_whatever_the_name(ingest, db, areas):
    rows = [HEADER, [HOA_MINH, "TP_MA_TUY", "3"]]
    first = ingest(NAME, rows)
    again = ingest(NAME, rows)
    renamed = ingest("CAH847_2023-07_chi_tieu.csv", rows)
    assert (again.status, again.duplicate_of_submission_id) == ("duplicate", first.submission_id)
    assert renamed.status == "duplicate"
    assert again.moved_to == areas.archive / "duplicates" / f"{again.submission_id}_{NAME}"
    assert db("SELECT count(*) FROM raw.chi_tieu") == [(1,)]
    states = [(r[5], r[10]) for r in submissions(db)]
    assert states == [
        ("accepted", None),
        ("duplicate", first.submission_id),
        ("duplicate", first.submission_id),
    ]
    # the duplicate replaced nothing: the next version still replaces the first one
    newer = ingest(NAME, [HEADER, [HOA_MINH, "TP_MA_TUY", "9"]])
    assert newer.replaces_submission_id == first.submission_id


def test_resending_a_rejected_file_is_rejected_again_not_a_duplicate(ingest):
    rows = [HEADER, [HOA_MINH, "TP_MA_TUY", "x"]]
    assert ingest(NAME, rows).status == "rejected"
    assert ingest(NAME, rows).status == "rejected"


def test_rejected_file_leaves_only_its_register_row_errors_and_report(ingest, db, areas):
    out = ingest(
        NAME,
        [
            HEADER,
            [HOA_MINH, "TP_MA_TUY", "1"],
            [HOA_MINH, "=1+1", "-2"],
            [HOA_THUAN, "TP_MA_TUY", "2"],
        ],
    )
    assert out.status == "rejected"
    assert codes(out) == ["CODE_UNKNOWN", "INTEGER_OUT_OF_RANGE"]
    assert submissions(db) == [register_row(out.submission_id, "rejected", False, None, 2)]
    for table in ("chi_tieu", "su_vu", "mo_hinh", "danh_gia_nam", "dang_ky_ntm"):
        assert db(f"SELECT count(*) FROM raw.{table}") == [(0,)]
    assert db("SELECT count(*) FROM audit.submission_errors") == [(2,)]
    # the file sits in quarantine beside its reports
    assert out.moved_to == areas.quarantine / f"{out.submission_id}_{NAME}"
    assert out.report_path == areas.quarantine / f"{out.submission_id}_{NAME}.errors.json"
    # the register shows the report relative to the published area, never the server's folders
    assert db("SELECT report_path FROM raw.submissions") == [
        (os.path.relpath(out.report_path, areas.published),)
    ]
    report = json.loads(out.report_path.read_text(encoding="utf-8"))
    assert report["error_count"] == 2 and report["file"] == NAME
    assert report["errors"][0] | {"message_vi": "", "message_en": ""} == {
        "file": NAME,
        "sheet": None,
        "row": 3,
        "column": "ma_chi_tieu",
        "value": "=1+1",
        "code": "CODE_UNKNOWN",
        "message_vi": "",
        "message_en": "",
    }
    csv_path = out.report_path.with_name(f"{out.submission_id}_{NAME}.errors.csv")
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows the Vietnamese correctly
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0][0] == "Tệp / File" and lines[0][6] == "Mô tả lỗi (tiếng Việt)"
    assert lines[1][2] == "3" and lines[1][4] == "'=1+1"  # never a live formula in Excel
    assert lines[2][4] == "'-2"


def test_unparsable_name_is_registered_without_scope(ingest, db, areas):
    out = ingest("bao_cao_thang_6.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]])
    assert (out.status, out.unit_code, codes(out)) == ("rejected", None, ["FILE_NAME_INVALID"])
    assert out.errors[0].value == "bao_cao_thang_6.csv"
    assert db("SELECT unit_code, dataset, period, status FROM raw.submissions") == [
        (None, None, None, "rejected")
    ]
    assert out.moved_to.parent == areas.quarantine


def test_name_collisions_never_overwrite(ingest, areas):
    rows = [HEADER, [HOA_MINH, "TP_MA_TUY", "x"]]
    first = ingest(NAME, rows)
    second = ingest(NAME, rows)
    assert first.moved_to != second.moved_to
    assert first.moved_to.exists() and second.moved_to.exists()
    assert first.report_path != second.report_path


def test_move_false_leaves_the_file(ingest, areas):
    out = ingest(NAME, [HEADER, [HOA_MINH, "TP_MA_TUY", "x"]], move=False)
    assert out.moved_to is None and (areas.landing / NAME).exists()
    assert out.report_path.exists()  # the report is written all the same


def test_expand_paths_order_and_skips(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "z").mkdir(parents=True)
    for rel in (
        "b/2.csv",
        "b/10.csv",
        "a/z/1.csv",
        "a/0.csv",
        "a/.hidden.csv",
        "a/~$lock.xlsx",
        "a/upload.csv.part",
        "b/copy.csv.tmp",
    ):
        (tmp_path / rel).write_text("x")
    single = tmp_path / "b" / "2.csv"
    got = expand_paths([single, tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in got] == [
        "b/2.csv",
        "a/0.csv",
        "a/z/1.csv",
        "b/10.csv",
    ]


def test_ingest_paths_folder_in_order_with_callback(warehouse_url, areas, db):
    write_csv(areas.landing, "CAH847_2023-02_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]])
    write_csv(areas.landing, "CAH847_2023-01_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "2"]])
    seen = []
    outcomes = ingest_paths([areas.landing], areas, on_result=seen.append)
    assert [o.file_name for o in outcomes] == [
        "CAH847_2023-01_chi_tieu.csv",
        "CAH847_2023-02_chi_tieu.csv",
    ]
    assert sorted(map(id, seen)) == sorted(map(id, outcomes))  # callback order may vary
    assert list(areas.landing.iterdir()) == []


def test_files_outside_landing_stay_put_when_asked(warehouse_url, areas, tmp_path):
    outside = write_csv(tmp_path, NAME, [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]])
    inside = write_csv(
        areas.landing, "CAH847_2023-07_chi_tieu.csv", [HEADER, [HOA_MINH, "TP_MA_TUY", "2"]]
    )
    out = ingest_paths([outside, inside], areas, move_only_from_landing=True)
    assert out[0].moved_to is None and outside.exists()
    assert out[1].moved_to is not None and not inside.exists()


def test_ingest_file_uses_default_areas_from_environment(warehouse_url, antt_home):
    from antt.config import file_areas

    landing = file_areas().ensure().landing
    path = write_csv(landing, NAME, [HEADER, [HOA_MINH, "TP_MA_TUY", "1"]])
    out = ingest_file(path)
    assert out.moved_to.parent == file_areas().archive
