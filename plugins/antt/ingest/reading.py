"""Reading a submission as a table: limits, encoding, CSV or XLSX sheet, the header row."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import os
import re
import stat
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from antt.ingest.areas import shown_name
from antt.ingest.cells import is_blank
from antt.ingest.issues import CodedError, FileRejected, ValidationIssue, file_issue
from antt.ingest.normalize import normalize_header

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# The rectangle from A1 to the farthest value of a sheet; a national file needs ~20,000 cells.
MAX_SHEET_CELLS = 4_000_000
_WORKSHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
MAX_SHARED_STRINGS = 10_000_000
_SHARED_STRINGS_PART = re.compile(r"sharedstrings[^/]*\.xml$", re.IGNORECASE)
_UNIQUE_COUNT = re.compile(rb'<(?:\w+:)?sst\b[^>]*?\buniqueCount="([0-9]{1,30})"')
_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>")
_REF_ATTRIBUTE = re.compile(rb"""\br\s*=\s*["']([^"']*)["']""")
_CELL_REF = re.compile(rb"([A-Z]{1,3})([1-9][0-9]{0,6})")
_ROW_REF = re.compile(rb"[1-9][0-9]{0,6}")
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other OLE compound files)

# A cell can be as long as the file; the validator, not the CSV parser, reports long text.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class FileFacts:
    path: Path
    file_name: str
    size_bytes: int
    sha256: str
    # The bytes that were hashed, kept when within the size limit: what is validated and loaded
    # is exactly what the SHA-256 describes, even if the file changes on disk meanwhile.
    data: bytes | None = field(default=None, repr=False)
    received_at: datetime | None = None  # see received_time


def received_time(mtime: float) -> datetime:
    """When the file reached the landing area: its modification time there, which the upload
    sets when it writes the file and which a failed load and its retry leave alone, so the time
    is never re-stamped. A time in the future (a wrong clock) counts as now."""
    return min(datetime.fromtimestamp(mtime, tz=UTC), datetime.now(tz=UTC))


class NotRegularFile(OSError):
    """The path is a symlink, FIFO, device or socket: it is never read through."""


def file_facts(path: Path) -> FileFacts:
    """Size, SHA-256, time received and (within the size limit) the bytes of a regular file.
    Opened without following a symlink and without blocking on a FIFO, then checked to be a
    regular file: what was checked before is what is read."""
    digest = hashlib.sha256()
    size = 0
    kept: list[bytes] | None = []
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    status = os.fstat(fd)
    if not stat.S_ISREG(status.st_mode):
        os.close(fd)
        raise NotRegularFile(f"{shown_name(str(path))}: not a regular file")
    received_at = received_time(status.st_mtime)
    with os.fdopen(fd, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            if kept is not None:
                kept.append(chunk)
                if size > MAX_FILE_BYTES:
                    kept = None
    data = b"".join(kept) if kept is not None else None
    return FileFacts(path, shown_name(path.name), size, digest.hexdigest(), data, received_at)


class TableBroken(Exception):
    """Raised by a row iterator when the rest of the file cannot be read (bad CSV quoting)."""

    def __init__(self, issue: ValidationIssue):
        super().__init__(issue.message_en)
        self.issue = issue


@dataclass
class Table:
    sheet: str | None  # None for CSV
    header_row: int  # the header's row number as the submitter sees it
    headers: list[object]
    rows: Iterator[tuple[int, list]]  # (row number, cells) of the rows after the header
    # A CSV without quotes: the bytes after the header line, where line n is row n and a cell
    # is what lies between commas (what `columnar` splits; the whole file has been decoded, so
    # they are valid UTF-8). None otherwise.
    body: bytes | None = None


def _reject(error: CodedError, **where) -> FileRejected:
    return FileRejected([file_issue(error, **where)])


def check_size(facts: FileFacts) -> None:
    if facts.size_bytes > MAX_FILE_BYTES:
        raise _reject(CodedError("FILE_TOO_LARGE", size=facts.size_bytes))
    if facts.size_bytes == 0:
        raise _reject(CodedError("FILE_EMPTY"))


def open_table(facts: FileFacts, fmt: str, dataset: str) -> Table:
    """The file as a table, or `FileRejected` with the reason it cannot be one."""
    check_size(facts)
    data = facts.data if facts.data is not None else facts.path.read_bytes()
    if fmt == "csv":
        return _csv_table(data)
    return _xlsx_table(data, dataset)


def _decode(data: bytes) -> str:
    if data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC):
        raise _reject(CodedError("FORMAT_MISMATCH"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _reject(CodedError("ENCODING_NOT_UTF8", "utf16"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _reject(CodedError("ENCODING_NOT_UTF8", "legacy", line=line), row=line) from None


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    if '"' not in text:
        # No quotes, so no cell spans lines: row n is line n (and numbering it costs less).
        try:
            yield from zip(itertools.count(1), reader)
        except csv.Error as exc:
            raise _malformed(reader.line_num, exc) from None
        return
    line = 1  # where the next row starts (a quoted cell may span lines)
    try:
        for row in reader:
            yield line, row
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _malformed(line, exc) from None


def _malformed(line: int, exc: csv.Error) -> TableBroken:
    return TableBroken(file_issue(CodedError("CSV_MALFORMED", line=line, error=exc), row=line))


def _body_after(data: bytes, line: int) -> bytes | None:
    """The bytes after line `line` of a quote-free CSV; None when a line ends in a bare CR
    (a line break for the CSV reader that splitting on LF would not see)."""
    if b'"' in data or data.count(b"\r") != data.count(b"\r\n"):
        return None
    start = 0
    for _ in range(line):
        start = data.find(b"\n", start) + 1
        if start == 0:
            return b""
    return data[start:]


def _csv_table(data: bytes) -> Table:
    text = _decode(data)
    rows = _csv_rows(text)
    try:
        for number, cells in rows:
            if all(is_blank(cell) for cell in cells):
                continue
            if not any(normalize_header(cell) == "ma_xa" for cell in cells):
                if len(cells) == 1 and ";" in cells[0]:
                    raise _reject(CodedError("CSV_DELIMITER"), row=number)
                raise _reject(CodedError("HEADER_NOT_FOUND", "csv_title_lines"), row=number)
            return Table(None, number, list(cells), rows, _body_after(data, number))
    except TableBroken as exc:
        raise FileRejected([exc.issue]) from None
    raise _reject(CodedError("HEADER_NOT_FOUND", "csv_no_header"))


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            uncompressed = sum(info.file_size for info in archive.infolist())
    # NotImplementedError: a member of a zip version or compression zipfile cannot read
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        if data.startswith(_OLE_MAGIC):
            raise _reject(CodedError("XLSX_UNREADABLE", "legacy")) from None
        raise _reject(CodedError("XLSX_UNREADABLE", "not_xlsx", error=exc)) from None
    if uncompressed <= MAX_XLSX_UNCOMPRESSED_BYTES:
        try:
            _check_sheet_extents(data)
        except FileRejected:
            raise
        except Exception as exc:  # zlib, CRC, encryption, unknown compression: a broken file
            raise _reject(
                CodedError("XLSX_UNREADABLE", "not_xlsx", error=_exception_text(exc))
            ) from None
    else:
        raise _reject(CodedError("XLSX_TOO_LARGE", "unpacked", size=uncompressed))


def _exception_text(exc: Exception) -> str:
    """What a report quotes of an unexpected reader failure: its type and (the start of) its
    text."""
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_sheet_extents(data: bytes) -> None:
    """Reject a sheet whose used range would not fit in memory, before the reader sees it
    (and any member whose real size or checksum differs from the zip directory).

    A few bytes of XML can place one value at XFD1048576; the reader then allocates the whole
    rectangle from A1 (17 billion cells) and the process dies. The bound counts the farthest cell
    with a value, and, for cells and rows written without a reference (placed after the previous
    one), how far they could reach.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if _SHARED_STRINGS_PART.search(info.filename):
                _check_shared_strings(archive, info)
            if not _WORKSHEET_PART.fullmatch(info.filename):
                # Read through: zipfile stops at the declared size and checks the CRC, so a
                # member that unpacks to more than the directory says is refused here.
                with archive.open(info) as member:
                    while member.read(1 << 20):
                        pass
                continue
            max_row = max_col = tagged_rows = loose_rows = loose_cells = 0
            tail = b""
            with archive.open(info) as member:
                while chunk := member.read(1 << 20):
                    text = tail + chunk
                    # a tag cut at the chunk end is seen whole in the next round (the tail)
                    cut = text.rfind(b"<")
                    text, tail = (text[:cut], text[cut:]) if cut >= 0 else (text, b"")
                    for match in _ROW_OR_CELL.finditer(text):
                        attributes = match.group(2)
                        ref = _REF_ATTRIBUTE.search(attributes)
                        if match.group(1) == b"row":
                            if ref is None:
                                loose_rows += 1
                                continue
                            row = _ROW_REF.fullmatch(ref.group(1))
                            if row is None or int(row.group()) > EXCEL_MAX_ROWS:
                                raise _bad_reference(info.filename, ref.group(1))
                            tagged_rows = max(tagged_rows, int(row.group()))
                        elif ref is None:
                            loose_cells += 1
                        else:
                            cell = _CELL_REF.fullmatch(ref.group(1))
                            column = _column_number(cell.group(1)) if cell else 0
                            if (
                                not cell
                                or column > EXCEL_MAX_COLUMNS
                                or (int(cell.group(2)) > EXCEL_MAX_ROWS)
                            ):
                                raise _bad_reference(info.filename, ref.group(1))
                            if not attributes.endswith(b"/"):
                                max_col = max(max_col, column)
                                max_row = max(max_row, int(cell.group(2)))
                    if len(tail) > 1 << 16:  # no tag is that long: not worksheet XML
                        tail = b""
            rows, columns = max_row, max_col
            if loose_cells:  # placed by position: as far as their rows and neighbours reach
                rows, columns = max(max_row, tagged_rows) + loose_rows, max_col + loose_cells
            if rows * columns > MAX_SHEET_CELLS:
                raise _reject(
                    CodedError(
                        "XLSX_TOO_LARGE",
                        "used_range",
                        part=info.filename,
                        rows=rows,
                        columns=columns,
                        limit=MAX_SHEET_CELLS,
                    )
                )


def _bad_reference(part: str, ref: bytes) -> FileRejected:
    shown = ref[:40].decode("ascii", "replace")
    return _reject(CodedError("XLSX_UNREADABLE", "cell_reference", reference=shown, part=part))


def _check_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """The reader reserves memory for the declared number of shared strings before reading
    them: a forged `uniqueCount` aborts the process. A count the part cannot hold is refused."""
    with archive.open(info) as member:
        head = member.read(1 << 16)
    match = _UNIQUE_COUNT.search(head)
    if match and int(match.group(1)) > min(MAX_SHARED_STRINGS, info.file_size // 8 + 1000):
        raise _reject(CodedError("XLSX_UNREADABLE", "shared_strings", count=int(match.group(1))))


def _xlsx_table(data: bytes, dataset: str) -> Table:
    _check_zip(data)
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(workbook.sheet_names)
        matching = [name for name in names if normalize_header(name) == dataset]
        if matching:
            sheet_name = matching[0]
        elif len(names) == 1:
            sheet_name = names[0]
        else:
            raise _reject(CodedError("SHEET_NOT_FOUND", count=len(names), dataset=dataset))
        sheet = workbook.get_sheet_by_name(sheet_name)
        # Row by row, never the whole sheet as Python objects (a 15 MB workbook held that way
        # took ~500 MB). Rows count from row 1; cells from the first used column, so the columns
        # before it are put back: cell positions are the ones the submitter sees.
        left = [""] * (sheet.start[1] if sheet.start else 0)
        grid = enumerate((left + cells if left else cells for cells in sheet.iter_rows()), 1)
        for number, cells in grid:
            if any(type(cell) is str and normalize_header(cell) == "ma_xa" for cell in cells):
                return Table(sheet_name, number, list(cells), grid)
    except FileRejected:
        raise
    except Exception as exc:  # calamine raises its own errors, and ValueError/KeyError on junk
        raise _reject(
            CodedError("XLSX_UNREADABLE", "unreadable", error=_exception_text(exc))
        ) from None
    raise _reject(CodedError("HEADER_NOT_FOUND", "sheet", sheet=sheet_name), sheet=sheet_name)
