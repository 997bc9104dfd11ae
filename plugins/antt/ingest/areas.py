"""File areas after a load: archive, quarantine beside its rejection report (CSV and JSON)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from antt.config import FileAreas
from antt.ingest.issues import ValidationIssue

REPORT_HEADER = (
    "Tệp / File",
    "Trang tính / Sheet",
    "Dòng / Row",
    "Cột / Column",
    "Giá trị / Value",
    "Mã lỗi / Error code",
    "Mô tả lỗi (tiếng Việt)",
    "Error (English)",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def stored_name(submission_id: int, file_name: str) -> str:
    """Names in archive and quarantine start with the submission id: nothing is overwritten."""
    return f"{submission_id}_{file_name}"


def report_paths(areas: FileAreas, submission_id: int, file_name: str) -> tuple[Path, Path]:
    base = areas.quarantine / stored_name(submission_id, file_name)
    return base.with_name(base.name + ".errors.json"), base.with_name(base.name + ".errors.csv")


def _free(target: Path) -> Path:
    candidate, n = target, 1
    while candidate.exists():
        candidate = target.with_name(f"{target.name}.{n}")
        n += 1
    return candidate


def move_file(source: Path, folder: Path, submission_id: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = _free(folder / stored_name(submission_id, source.name))
    shutil.move(str(source), str(target))
    return target


def _cell(text: object) -> str:
    """A report cell that Excel shows as text, never runs as a formula."""
    if text is None:
        return ""
    text = str(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_rejection_report(
    json_path: Path,
    csv_path: Path,
    *,
    file_name: str,
    submission_id: int,
    sha256: str,
    unit_code: str | None,
    dataset: str | None,
    period: str | None,
    issues: list[ValidationIssue],
) -> None:
    json_path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "file": file_name,
        "submission_id": submission_id,
        "status": "rejected",
        "unit_code": unit_code,
        "dataset": dataset,
        "period": period,
        "sha256": sha256,
        "error_count": len(issues),
        "huong_dan": "Tệp bị từ chối, không dữ liệu nào được nạp. Sửa mọi lỗi dưới đây rồi gửi "
        "lại cả tệp (cùng tên tệp).",
        "instructions": "The file was rejected and nothing of it was loaded. Fix every error "
        "below and send the whole file again (same file name).",
        "errors": [{"file": file_name, **issue.as_dict()} for issue in issues],
    }
    json_path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REPORT_HEADER)
    for issue in issues:
        writer.writerow(
            [
                _cell(v)
                for v in (
                    file_name,
                    issue.sheet,
                    issue.row,
                    issue.column,
                    issue.value,
                    issue.code,
                    issue.message_vi,
                    issue.message_en,
                )
            ]
        )
    # UTF-8 with a BOM: Excel then opens the Vietnamese text correctly.
    csv_path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
