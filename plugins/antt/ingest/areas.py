"""File areas after a load: archive, quarantine beside its rejection report (CSV and JSON)."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import stat
from datetime import UTC, datetime
from pathlib import Path

from antt.config import FileAreas
from antt.ingest.issues import ValidationIssue, escape_controls

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


# A file name is at most 255 bytes on common file systems; a stored name leaves room for the
# report suffix (`.errors.json`) and a `.N` that `_free` may add.
MAX_STORED_NAME_BYTES = 200


def shown_name(name: str) -> str:
    """A file name as terminals, reports and the register show it: control characters (and
    the bidirectional overrides that disguise an extension) escaped, bytes that are not UTF-8
    as `\\xNN`. Never the raw characters, which a terminal would act on."""
    return escape_controls(os.fsencode(name).decode("utf-8", "backslashreplace"))


def _fit_bytes(name: str, limit: int) -> str:
    """`name` cut to `limit` UTF-8 bytes in its stem, keeping a short extension, marked `…`."""
    if len(name.encode()) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    suffix = f".{ext}" if dot and stem and len(ext.encode()) <= 10 else ""
    stem = name[: -len(suffix)] if suffix else name
    room = limit - len(suffix.encode()) - len("…".encode())
    cut = stem.encode()[:room].decode("utf-8", "ignore")
    return f"{cut}…{suffix}"


def stored_name(submission_id: int | str, file_name: str) -> str:
    """Names in archive and quarantine start with the submission id: nothing is overwritten.
    A long name is shortened (the register keeps the full one): the id keeps it unique."""
    return _fit_bytes(f"{submission_id}_{file_name}", MAX_STORED_NAME_BYTES)


def report_paths(areas: FileAreas, submission_id: int, file_name: str) -> tuple[Path, Path]:
    base = areas.quarantine / stored_name(submission_id, file_name)
    return base.with_name(base.name + ".errors.json"), base.with_name(base.name + ".errors.csv")


def _free(target: Path) -> Path:
    candidate, n = target, 1
    while candidate.exists():
        candidate = target.with_name(f"{target.name}.{n}")
        n += 1
    return candidate


def move_file(source: Path, folder: Path, submission_id: int, file_name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = _free(folder / stored_name(submission_id, file_name))
    shutil.move(str(source), str(target))
    return target


# What a landing entry that is not a regular file is, for the operator.
_KINDS = {
    stat.S_IFLNK: ("liên kết tượng trưng (symlink)", "symbolic link"),
    stat.S_IFIFO: ("ống dẫn có tên (FIFO)", "named pipe (FIFO)"),
    stat.S_IFSOCK: ("socket", "socket"),
    stat.S_IFCHR: ("thiết bị ký tự", "character device"),
    stat.S_IFBLK: ("thiết bị khối", "block device"),
    stat.S_IFDIR: ("thư mục", "directory"),
}


def special_kind(path: Path) -> tuple[str, str] | None:
    """(Vietnamese, English) kind of `path` when it is not a regular file (never followed);
    None for a regular file."""
    mode = path.lstat().st_mode
    if stat.S_ISREG(mode):
        return None
    return _KINDS.get(stat.S_IFMT(mode), ("tệp đặc biệt", "special file"))


def set_aside(path: Path, folder: Path) -> Path | None:
    """Move a landing entry that is not a regular file to `folder` without opening it. A
    symlink or a FIFO that cannot be renamed there (another file system) is re-made there and
    removed from landing (neither holds data); None when it could not be moved."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = _free(folder / stored_name(stamp, shown_name(path.name)))
    try:
        os.rename(path, target)
        return target
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            return None
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        os.symlink(os.readlink(path), target)
    elif stat.S_ISFIFO(mode):
        os.mkfifo(target)
    else:
        return None
    path.unlink()
    return target


def write_refusal_report(target: Path, *, file_name: str, kind: tuple[str, str]) -> Path:
    report = target.with_name(target.name + ".refused.json")
    document = {
        "file": file_name,
        "status": "refused",
        "kind": kind[1],
        "ly_do": f"Không phải tệp thông thường mà là {kind[0]}: không được đọc, đã chuyển khỏi "
        "thư mục tiếp nhận. Hãy gửi lại chính tệp báo cáo.",
        "reason": f"Not a regular file but a {kind[1]}: it was not read and was moved out of "
        "the landing folder. Send the report file itself.",
        "refused_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    report.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return report


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
    error_count: int | None = None,
) -> None:
    """`issues` are the listed errors; `error_count` every error found (more when the list
    stopped at its limit, whose last entry says so)."""
    json_path.parent.mkdir(parents=True, exist_ok=True)
    if error_count is None:
        error_count = len(issues)
    document = {
        "file": file_name,
        "submission_id": submission_id,
        "status": "rejected",
        "unit_code": unit_code,
        "dataset": dataset,
        "period": period,
        "sha256": sha256,
        "error_count": error_count,
        "errors_listed": sum(issue.code != "TOO_MANY_ERRORS" for issue in issues),
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
        writer.writerow([_cell(v) for v in (file_name, *issue.fields())])
    # UTF-8 with a BOM: Excel then opens the Vietnamese text correctly.
    csv_path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
