"""`antt report` / the antt_publish DAG: write every reviewer output of a year into published/.

Layout: `<out>/<province>/<year>/{scorecard.html, scorecard.xlsx, tracker.html,
rejected_files.html, rejected_files.csv, summary.json}`, `<out>/dbt_docs.html`, `<out>/index.html`;
rejected files whose name gives no period: `<out>/<province>/ky-khong-xac-dinh/rejected_files.html`,
no known unit: `<out>/don-vi-khong-xac-dinh/rejected_files.html`.
Every file is written to a temporary name and renamed, so a web server never serves half a file.
"""

from __future__ import annotations

import csv
import fcntl
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from antt.config import file_areas
from antt.errors import AnttError
from antt.report import labels
from antt.report.data import (
    ProvinceReport,
    Provinces,
    check_arguments,
    check_marts,
    load_province_report,
    load_provinces,
    provinces_with_scorecard,
)
from antt.report.page import (
    generated_stamp,
    render_index,
    render_not_evaluated,
    render_rejected,
    render_scorecard,
    render_tracker,
)
from antt.report.rejected import (
    FIRST_ERRORS,
    RejectedFile,
    load_rejected_by_province,
    load_unplaced,
    of_province,
    submission_scopes,
)
from antt.report.tracker import Tracker, has_tracker_marts, load_tracker
from antt.report.workbook import write_workbook
from antt.report.years import (
    CriteriaSets,
    criteria_sets,
    evaluable_years,
    not_evaluated_reason,
    year_ranges,
)

log = logging.getLogger(__name__)

SCORECARD_HTML = "scorecard.html"
SCORECARD_XLSX = "scorecard.xlsx"
REJECTED_HTML = "rejected_files.html"
REJECTED_CSV = "rejected_files.csv"
TRACKER_HTML = "tracker.html"
PERIOD_UNKNOWN_DIR = "ky-khong-xac-dinh"
UNIT_UNKNOWN_DIR = "don-vi-khong-xac-dinh"
SUMMARY_JSON = "summary.json"
DOCS_HTML = "dbt_docs.html"
INDEX_HTML = "index.html"
REJECTED_COLUMNS = [
    "file_name",
    "unit_code",
    "dataset",
    "period",
    "received_at",
    "error_count",
    "report_path",
    "error_no",
    "sheet",
    "source_row",
    "column_name",
    "cell_value",
    "code",
    "message_vi",
    "message_en",
]


def _atomic(path: Path, write) -> Path:
    """Call `write(tmp_path)` and move the result over `path` in one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _write_text(path: Path, text: str) -> Path:
    return _atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def csv_safe(value) -> str:
    """Cell text that a spreadsheet will not run as a formula (values come from rejected files)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def write_rejected_csv(files: list[RejectedFile], path: Path) -> Path:
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel reads UTF-8
            out = csv.writer(fh)
            out.writerow(REJECTED_COLUMNS)
            for f in files:
                head = [
                    f.file_name,
                    f.unit_code,
                    f.dataset,
                    f.period,
                    f.received_at.isoformat(),
                    f.error_count,
                    f.report_path,
                ]
                for err in f.errors or [None]:
                    tail = (
                        [
                            err.error_no,
                            err.sheet,
                            err.source_row,
                            err.column_name,
                            err.cell_value,
                            err.code,
                            err.message_vi,
                            err.message_en,
                        ]
                        if err
                        else [None] * 8
                    )
                    out.writerow([csv_safe(v) for v in head + tail])

    return _atomic(path, write)


def summary_of(
    report: ProvinceReport, rejected: list[RejectedFile], tracker: Tracker | None = None
) -> dict:
    return {
        "province_code": report.province_code,
        "province_name": report.province_name,
        "year": report.year,
        "criteria_set": report.criteria_set,
        "communes": len(report.communes),
        "districts": len(report.districts),
        "levels": {
            level: {s: report.level_counts(level).get(s, 0) for s in report.statuses}
            for level in report.levels
        },
        "rejected_files": len(rejected),
        "closed": report.closed,
        "tracker": tracker.counts if tracker else None,
        "generated_at": generated_stamp(),
    }


def write_tracker(tracker: Tracker | None, province_name: str, folder: Path) -> list[Path]:
    if tracker is None:
        return []
    return [_write_text(folder / TRACKER_HTML, render_tracker(tracker, province_name))]


def write_province_year(
    report: ProvinceReport,
    rejected: list[RejectedFile],
    root: Path,
    tracker: Tracker | None = None,
) -> list[Path]:
    folder = root / report.province_code / str(report.year)
    written = [
        _write_text(folder / SCORECARD_HTML, render_scorecard(report)),
        _atomic(folder / SCORECARD_XLSX, lambda tmp: write_workbook(report, tmp, tracker)),
        *write_tracker(tracker, report.province_name, folder),
        _write_text(
            folder / REJECTED_HTML,
            render_rejected(
                rejected, report.year, report.province_code, report.province_name, FIRST_ERRORS
            ),
        ),
        write_rejected_csv(rejected, folder / REJECTED_CSV),
        _write_text(
            folder / SUMMARY_JSON,
            json.dumps(summary_of(report, rejected, tracker), ensure_ascii=False, indent=2),
        ),
    ]
    return written


def _unscored_summary(province: str, name: str, year: int, **facts) -> dict:
    """summary.json of a province-year without a scorecard: no commune, no level; `facts` in
    the order given, then the time."""
    head = {"province_code": province, "province_name": name, "year": year}
    return head | {"communes": 0, "levels": {}} | facts | {"generated_at": generated_stamp()}


def write_rejected_only(
    province: str,
    year: int,
    rejected: list[RejectedFile],
    root: Path,
    province_lists: Provinces,
    tracker: Tracker | None = None,
) -> list[Path]:
    """A province with rejected files but no scorecard (nothing of it was accepted)."""
    folder = root / province / str(year)
    name = province_lists.of(province)
    summary = _unscored_summary(
        province,
        name,
        year,
        rejected_files=len(rejected),
        tracker=tracker.counts if tracker else None,
    )
    return [
        _write_text(
            folder / REJECTED_HTML, render_rejected(rejected, year, province, name, FIRST_ERRORS)
        ),
        write_rejected_csv(rejected, folder / REJECTED_CSV),
        *write_tracker(tracker, name, folder),
        _write_text(folder / SUMMARY_JSON, json.dumps(summary, ensure_ascii=False, indent=2)),
    ]


def write_unplaced(conn, root: Path, province_lists: Provinces) -> list[Path]:
    """Rejected files that belong to no (province, year) page: a name without a period, listed
    under "kỳ không xác định" of the province its unit code names; a name without a known unit,
    under "đơn vị không xác định". Pages of earlier runs that no longer list anything go."""
    unplaced = load_unplaced(conn)
    written: list[Path] = []
    for province, files in sorted(unplaced.period_unknown.items()):
        folder = root / province / PERIOD_UNKNOWN_DIR
        page = render_rejected(files, None, province, province_lists.of(province), FIRST_ERRORS)
        written += [
            _write_text(folder / REJECTED_HTML, page),
            write_rejected_csv(files, folder / REJECTED_CSV),
        ]
    for stale in root.glob(f"[0-9][0-9]/{PERIOD_UNKNOWN_DIR}"):
        if stale.parent.name not in unplaced.period_unknown:
            shutil.rmtree(stale, ignore_errors=True)
    folder = root / UNIT_UNKNOWN_DIR
    if unplaced.unit_unknown:
        page = render_rejected(unplaced.unit_unknown, None, None, None, FIRST_ERRORS)
        written += [
            _write_text(folder / REJECTED_HTML, page),
            write_rejected_csv(unplaced.unit_unknown, folder / REJECTED_CSV),
        ]
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return written


def unplaced_entries(root: Path, province_lists: Provinces) -> list[dict]:
    """Index rows of the "period unknown" and "unknown unit" pages that `root` holds."""
    entries = []
    for page in sorted(root.glob(f"[0-9][0-9]/{PERIOD_UNKNOWN_DIR}/{REJECTED_HTML}")):
        code = page.parent.parent.name
        entries.append(
            {
                "kind": "period_unknown",
                "label": f"{province_lists.of(code)} ({code}) — kỳ không xác định / period unknown",
                "href": page.relative_to(root).as_posix(),
            }
        )
    page = root / UNIT_UNKNOWN_DIR / REJECTED_HTML
    if page.exists():
        entries.append(
            {
                "kind": "unit_unknown",
                "label": "Đơn vị không xác định / unknown unit",
                "href": page.relative_to(root).as_posix(),
            }
        )
    return entries


def write_not_evaluated(
    province: str,
    year: int,
    rejected: list[RejectedFile],
    root: Path,
    province_lists: Provinces,
    sets: CriteriaSets,
) -> list[Path]:
    """A year no criteria set covers: the scorecard page says why nothing is evaluated; the
    rejected files of the year are listed as for any year."""
    folder = root / province / str(year)
    name = province_lists.of(province, year)
    reason = not_evaluated_reason(year, sets)
    summary = _unscored_summary(
        province,
        name,
        year,
        not_evaluated={"vi": reason.vi, "en": reason.en},
        rejected_files=len(rejected),
    )
    return [
        _write_text(folder / SCORECARD_HTML, render_not_evaluated(province, name, year, reason)),
        _write_text(
            folder / REJECTED_HTML, render_rejected(rejected, year, province, name, FIRST_ERRORS)
        ),
        write_rejected_csv(rejected, folder / REJECTED_CSV),
        _write_text(folder / SUMMARY_JSON, json.dumps(summary, ensure_ascii=False, indent=2)),
    ]


def publish_docs(root: Path) -> Path:
    """Generate the dbt docs (one static file) and copy it to `root/dbt_docs.html`."""
    from antt.transform import generate_docs

    with tempfile.TemporaryDirectory(prefix="antt-docs-") as tmp:
        produced = Path(generate_docs(Path(tmp)))
        return _atomic(root / DOCS_HTML, lambda dst: shutil.copyfile(produced, dst))


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"


def index_entries(root: Path, province_lists: Provinces) -> list[dict]:
    """Every `<province>/<year>/` folder of `root` that holds a scorecard, newest year first."""
    entries = []
    folders = {
        page.parent
        for name in (SCORECARD_HTML, REJECTED_HTML)
        for page in root.glob(f"[0-9][0-9]/[0-9][0-9][0-9][0-9]/{name}")
    }
    for folder in sorted(folders):
        summary_path = folder / SUMMARY_JSON
        summary = (
            json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.exists() else {}
        )
        ntm = summary.get("levels", {}).get("NTM", {})
        not_evaluated = summary.get("not_evaluated")
        links = []
        for name in (SCORECARD_HTML, SCORECARD_XLSX, TRACKER_HTML, REJECTED_HTML):
            target = folder / name
            count = summary.get("rejected_files") if name == REJECTED_HTML else None
            links.append(
                {
                    "href": target.relative_to(root).as_posix(),
                    "name": name if count is None else f"{name} ({count})",
                    "size": human_size(target.stat().st_size),
                }
                if target.exists()
                else None
            )
        entries.append(
            {
                "province_code": folder.parent.name,
                "province_name": summary.get("province_name")
                or province_lists.of(folder.parent.name),
                "year": int(folder.name),
                "links": links,
                "ntm_met": f"{ntm['DAT']}/{summary.get('communes', '—')}"
                if ntm
                else ("không đánh giá / not evaluated" if not_evaluated else "—"),
                "generated_at": summary.get("generated_at", ""),
            }
        )
    entries.sort(key=lambda e: (e["province_code"], -e["year"]))
    return entries


def province_years(
    entries: list[dict], province_lists: Provinces, sets: CriteriaSets
) -> list[dict]:
    """The years each province of the index can be evaluated, and what its code stands for."""
    out = []
    for code in sorted({e["province_code"] for e in entries}):
        old, new = code in province_lists.old, code in province_lists.new
        absorbed_by = province_lists.absorbing.get(code) if old else None
        if old and new:
            note = labels.Label(
                "mã tỉnh dùng cho tỉnh cũ đến 2024 và tỉnh mới (sau sáp nhập) từ 2025",
                "the code of the old province until 2024 and of the merged one from 2025",
            )
        elif old:
            note = labels.Label(
                f"từ 01/07/2025 thuộc tỉnh {absorbed_by}: năm 2025 đánh giá ở tỉnh đó",
                f"part of province {absorbed_by} since 1 July 2025: 2025 is evaluated there",
            )
        else:
            note = labels.Label("tỉnh từ 01/07/2025", "a province since 1 July 2025")
        latest = max(e["year"] for e in entries if e["province_code"] == code)
        out.append(
            {
                "province_code": code,
                "province_name": province_lists.of(code, latest),
                "years": year_ranges(evaluable_years(sets, old, new)),
                "note": note,
            }
        )
    return out


def write_index(root: Path, province_lists: Provinces, sets: CriteriaSets) -> Path:
    """Rewrite the index from what `root` holds. Publishing tasks run in parallel (one per
    province and year): a lock on the folder keeps a slow writer from overwriting a newer index
    with an older listing."""
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        docs_path = root / DOCS_HTML
        docs = (
            {"href": DOCS_HTML, "size": human_size(docs_path.stat().st_size)}
            if docs_path.exists()
            else None
        )
        entries = index_entries(root, province_lists)
        page = render_index(
            entries,
            docs,
            provinces=province_years(entries, province_lists, sets),
            unplaced=unplaced_entries(root, province_lists),
        )
        return _write_text(root / INDEX_HTML, page)
    finally:
        os.close(fd)  # releases the lock


def _publish_not_evaluated(
    conn,
    year: int,
    province: str | None,
    rejected: dict,
    root: Path,
    province_lists: Provinces,
    sets: CriteriaSets,
) -> list[Path]:
    """The pages of a year no criteria set covers, for every province with files that year."""
    scopes = {p for p, y in submission_scopes(conn) if y == year}
    provinces = [province] if province else sorted(scopes | {p for p in rejected if p})
    if not provinces:
        reason = not_evaluated_reason(year, sets)
        raise AnttError(
            f"không có kết quả đánh giá năm {year} / no scorecard for {year}: {reason.en} "
            "No file of that year was received either."
        )
    written: list[Path] = []
    for code in provinces:
        written += write_not_evaluated(
            code, year, of_province(rejected, code), root, province_lists, sets
        )
    return written


def build_reports(
    year: int, province: str | None = None, out_dir: Path | None = None, *, docs: bool = True
) -> list[Path]:
    """Write the reviewer outputs of `year` for `province` (default: every province with a
    scorecard that year) under `out_dir` (default: the published area); returns the files."""
    from antt.warehouse import connect

    check_arguments(year, province)
    root = Path(out_dir) if out_dir is not None else file_areas().published
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AnttError(f"không tạo được thư mục / cannot create {root}: {exc.strerror}") from exc
    written: list[Path] = []
    with connect(role="reader") as conn:
        present = check_marts(conn)
        province_lists, sets = load_provinces(conn), criteria_sets(conn)
        tracking = has_tracker_marts(present)
        rejected = load_rejected_by_province(conn, year)
        if sets.after_every_set(year):
            written += _publish_not_evaluated(
                conn, year, province, rejected, root, province_lists, sets
            )
            written.append(write_index(root, province_lists, sets))
            return written
        scored = set(provinces_with_scorecard(conn, year))
        # a province whose every file was rejected has no scorecard, but its officers must
        # still see why: it gets the rejected-files page alone
        provinces = [province] if province else sorted(scored | {p for p in rejected if p})
        if not provinces:
            raise AnttError(
                f"không có kết quả đánh giá năm {year} / no scorecard for {year} in the marts"
            )
        for code in provinces:
            files = of_province(rejected, code)
            tracker = load_tracker(conn, code, year) if tracking else None
            if code in scored:
                report = load_province_report(conn, year, code)
                written += write_province_year(report, files, root, tracker)
            elif code in rejected or (code, year) in submission_scopes(conn):
                # files received but none scored (yet): the page says which were rejected, if any
                written += write_rejected_only(code, year, files, root, province_lists, tracker)
            else:
                raise AnttError(
                    f"không có kết quả đánh giá của tỉnh {code} năm {year} / "
                    f"no scorecard for province {code} in {year}"
                )
        written += write_unplaced(conn, root, province_lists)
    if docs:
        try:
            produced = publish_docs(root)
        except Exception as exc:  # the scorecards stay published; the index says docs are missing
            log.warning("dbt docs not published: %s", str(exc).strip().splitlines()[0:1])
            produced = None
        if produced:
            written.append(produced)
    written.append(write_index(root, province_lists, sets))
    return written
