"""Validation of a table against the contract, row by row, emitting COPY text for the raw table.

`Validator.run(write)` collects every error of the file and, while none has been found, feeds
`write` with chunks of COPY text (submission id and row number first). The caller discards the
load as soon as `issues` is not empty. `chi_tieu` streams (national files are large); the other
datasets are small and are checked as a whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from antt.ingest.cells import (
    INT4_MAX,
    INT8_MAX,
    as_text,
    copy_escape,
    is_blank,
    parse_code,
    parse_date,
    parse_flag,
    parse_int,
    parse_ma_xa,
    parse_month,
    parse_text,
)
from antt.ingest.filename import COUNT_DATASETS, FileName, parse_unit_code
from antt.ingest.issues import MAX_ISSUES, CellError, ValidationIssue, shown_value
from antt.ingest.lineage import other_list_error, outside_area_error
from antt.ingest.normalize import normalize_header, ten_xa_matches
from antt.ingest.reading import Table, TableBroken
from antt.ingest.reference import (
    COMPLAINT_TYPES,
    DANH_GIA,
    EVENT_TYPES,
    INDICATORS,
    LOAI_MO_HINH,
    MUC_DA_DAT,
    MUC_DANG_KY,
    XEP_LOAI_PHONG_TRAO,
    Reference,
    code_map,
)
from antt.ingest.submitters import uses_new_codes

# Small enough that the server parses one chunk while the next is validated (a file is rarely
# more than a few thousand lines: one big chunk would leave the server idle until the end).
CHUNK_LINES = 1000
_INVALID = object()  # a cell that failed its rule (already reported)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # ma_xa, ten_xa, id, text, int, flag, date, code, unit
    required: bool = True  # the column must be in the header and every row needs a value
    codes: tuple[str, ...] = ()
    low: int = 0
    high: int = INT4_MAX
    max_chars: int = 4000


# Columns per dataset, in the column order of the raw table (after submission_id, source_row).
DATASET_COLUMNS: dict[str, tuple[Column, ...]] = {
    "su_vu": (
        Column("ma_su_vu", "id", max_chars=100),
        Column("loai", "code", codes=EVENT_TYPES),
        Column("ma_xa", "ma_xa"),
        Column("ten_xa", "ten_xa", required=False),
        Column("ngay_bat_dau", "date"),
        Column("ngay_ket_thuc", "date", required=False),
        Column("so_nguoi", "int", required=False),
        Column("trai_phap_luat", "flag", required=False),
        Column("mo_ta", "text", required=False),
        # Contract v2: the unit that first reported the incident (blank: the submitting unit).
        Column("don_vi_goc", "unit", required=False),
    ),
    "mo_hinh": (
        Column("ma_mo_hinh", "id", max_chars=100),
        Column("ma_xa", "ma_xa"),
        Column("ten_xa", "ten_xa", required=False),
        Column("ten_mo_hinh", "text", max_chars=1000),
        Column("loai_mo_hinh", "code", codes=LOAI_MO_HINH),
        Column("so_camera", "int"),
        Column("ngay_thanh_lap", "date"),
        Column("danh_gia", "code", codes=DANH_GIA),
        Column("hoat_dong", "flag"),
    ),
    "danh_gia_nam": (
        Column("ma_xa", "ma_xa"),
        Column("ten_xa", "ten_xa", required=False),
        Column("so_ap", "int", low=1),
        Column("so_ap_an_toan", "int"),
        Column("xep_loai_phong_trao", "code", codes=XEP_LOAI_PHONG_TRAO),
        Column("cong_an_xa_tien_tien", "flag"),
    ),
    "dang_ky_ntm": (
        Column("ma_xa", "ma_xa"),
        Column("ten_xa", "ten_xa", required=False),
        Column("muc_da_dat", "code", codes=MUC_DA_DAT),
        Column("nam_dat", "int", required=False, low=1900, high=9999),
        Column("muc_dang_ky", "code", codes=MUC_DANG_KY),
    ),
}
CHI_TIEU_LONG = ("ma_xa", "ma_chi_tieu", "gia_tri", "ten_xa", "ky_bao_cao", "ghi_chu")
CHI_TIEU_LONG_REQUIRED = ("ma_xa", "ma_chi_tieu", "gia_tri")
# Raw table columns after submission_id and source_row, per dataset.
RAW_COLUMNS: dict[str, tuple[str, ...]] = {
    "chi_tieu": ("ma_xa", "ma_chi_tieu", "gia_tri", "ten_xa", "ghi_chu"),
    "chi_tieu_quy_doi": ("ma_xa", "ma_chi_tieu", "gia_tri", "ten_xa", "ghi_chu"),
    **{name: tuple(c.name for c in cols) for name, cols in DATASET_COLUMNS.items()},
}
# Row keys that may appear once per file.
FILE_KEYS = {
    "su_vu": "ma_su_vu",
    "mo_hinh": "ma_mo_hinh",
    "danh_gia_nam": "ma_xa",
    "dang_ky_ntm": "ma_xa",
}

_INDICATOR_CODES = code_map(INDICATORS)
_CODE_MAPS = {
    name: code_map(col.codes)
    for cols in DATASET_COLUMNS.values()
    for col in cols
    if col.kind == "code"
    for name in [col.name]
}

# [(unit that first reported it, ma_su_vu)] → {identity: ngay_bat_dau} of earlier accepted
# reports of any unit.
HistoryLookup = Callable[[list[tuple[str, str]]], dict[tuple[str, str], date]]


class _TooManyIssues(Exception):
    pass


def _copy_value(value: object) -> str:
    if value is None:
        return "\\N"
    if type(value) is str:
        return copy_escape(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Validator:
    def __init__(
        self,
        name: FileName,
        reference: Reference,
        table: Table,
        submission_id: int,
        history: HistoryLookup | None = None,
    ):
        self.name = name
        self.reference = reference
        self.table = table
        # Contract v2: the list of units the file's period uses (new from 2025-07-01).
        self.new_list = uses_new_codes(name)
        self.communes = reference.communes_of(self.new_list)
        self.area = reference.area(name)
        self.prefix = f"{submission_id}\t"
        self.history = history
        self.issues: list[ValidationIssue] = []
        self.row_count = 0
        self.labels: dict[str, str] = {}
        # Shared by every file of the process: a province's wide files name the same communes.
        self._ten_xa_seen = reference.ten_xa_checked

    # ----- reporting
    def issue(self, row: int | None, column: str | None, value: object, error: CellError) -> None:
        if len(self.issues) >= MAX_ISSUES:
            raise _TooManyIssues
        self.issues.append(
            ValidationIssue(
                self.table.sheet,
                row,
                column,
                shown_value(as_text(value)),
                error.code,
                error.message_vi,
                error.message_en,
            )
        )

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    # ----- entry point
    def run(self, write: Callable[[str], None]) -> None:
        try:
            columns = self._map_header()
            if columns is None:
                return
            if self.name.dataset in COUNT_DATASETS:
                if "ma_chi_tieu" in columns:
                    self._chi_tieu_long(columns, write)
                else:
                    self._chi_tieu_wide(columns, write)
            else:
                self._records(columns, write)
        except TableBroken as exc:
            self.issues.append(exc.issue)
        except _TooManyIssues:
            self.issues.append(
                ValidationIssue(
                    self.table.sheet,
                    None,
                    None,
                    None,
                    "TOO_MANY_ERRORS",
                    f"Quá nhiều lỗi; chỉ liệt kê {MAX_ISSUES} lỗi đầu tiên.",
                    f"Too many errors; only the first {MAX_ISSUES} are listed.",
                )
            )

    # ----- header
    def _map_header(self) -> dict[str, int] | None:
        dataset = self.name.dataset
        keys = [normalize_header(as_text(cell)) for cell in self.table.headers]
        if dataset in COUNT_DATASETS:
            if "ma_chi_tieu" in keys:
                allowed, required = set(CHI_TIEU_LONG), CHI_TIEU_LONG_REQUIRED
            else:
                allowed = {"ma_xa", "ten_xa", *_INDICATOR_CODES}
                required = ("ma_xa",)
        else:
            cols = DATASET_COLUMNS[dataset]
            allowed = {c.name for c in cols}
            required = tuple(c.name for c in cols if c.required)
        row = self.table.header_row
        columns: dict[str, int] = {}
        self.unnamed: list[int] = []
        for index, (cell, key) in enumerate(zip(self.table.headers, keys, strict=True)):
            text = as_text(cell)
            if not key:
                self.unnamed.append(index)  # data under a blank header is reported per cell
                if text:
                    self.issue(
                        row,
                        text,
                        text,
                        CellError(
                            "COLUMN_UNKNOWN",
                            f"Tiêu đề cột '{text}' không hợp lệ.",
                            f"Column header '{text}' is not valid.",
                        ),
                    )
            elif key not in allowed:
                wide_hint = (
                    (" hoặc mã chỉ tiêu (indicators.csv)", " or an indicator code (indicators.csv)")
                    if dataset in COUNT_DATASETS
                    else ("", "")
                )
                self.issue(
                    row,
                    text,
                    text,
                    CellError(
                        "COLUMN_UNKNOWN",
                        f"Cột '{text}' không có trong mẫu {dataset}; các cột hợp lệ: "
                        f"{', '.join(sorted(allowed - set(_INDICATOR_CODES)))}{wide_hint[0]}. "
                        "Sửa tên cột để không bỏ sót dữ liệu.",
                        f"Column '{text}' is not in the {dataset} template; valid columns: "
                        f"{', '.join(sorted(allowed - set(_INDICATOR_CODES)))}{wide_hint[1]}. "
                        "Fix the header so no data is dropped.",
                    ),
                )  # reported once here; its cells are not reported again row by row
            elif key in columns:
                self.issue(
                    row,
                    text,
                    text,
                    CellError(
                        "COLUMN_DUPLICATE",
                        f"Cột '{key}' xuất hiện hai lần (cột {columns[key] + 1} và {index + 1}).",
                        f"Column '{key}' appears twice (columns {columns[key] + 1} and "
                        f"{index + 1}).",
                    ),
                )
            else:
                columns[key] = index
                self.labels[key] = text
        missing = [key for key in required if key not in columns]
        for key in missing:
            self.issue(
                row,
                key,
                None,
                CellError(
                    "COLUMN_MISSING",
                    f"Thiếu cột bắt buộc '{key}'.",
                    f"The required column '{key}' is missing.",
                ),
            )
        if (
            dataset in COUNT_DATASETS
            and "ma_chi_tieu" not in columns
            and not (set(columns) & set(_INDICATOR_CODES))
        ):
            self.issue(
                row,
                None,
                None,
                CellError(
                    "COLUMN_MISSING",
                    "Dạng bảng dọc cần các cột ma_xa, ma_chi_tieu, gia_tri; dạng bảng ngang cần "
                    "ma_xa và ít nhất một cột mã chỉ tiêu (indicators.csv).",
                    "The long layout needs ma_xa, ma_chi_tieu, gia_tri; the wide layout needs "
                    "ma_xa and at least one indicator-code column (indicators.csv).",
                ),
            )
            return None
        self.width = len(self.table.headers)
        return None if missing else columns

    # ----- shared row checks
    def _fit(self, row: int, cells: list) -> list | None:
        """The row padded to the header width; None for an empty row. Reports stray cells."""
        if all(is_blank(cell) for cell in cells):
            return None
        width = self.width
        if len(cells) < width:
            return list(cells) + [""] * (width - len(cells))
        for index in range(width, len(cells)):
            if not is_blank(cells[index]):
                self.issue(
                    row,
                    f"#{index + 1}",
                    cells[index],
                    CellError(
                        "ROW_EXTRA_CELLS",
                        "Dòng có nhiều ô hơn dòng tiêu đề; ô thừa không thuộc cột nào.",
                        "The row has more cells than the header; the extra cell belongs to no "
                        "column.",
                    ),
                )
                break
        return cells

    def _check_unnamed(self, row: int, cells: list) -> None:
        for index in self.unnamed:
            if not is_blank(cells[index]):
                header = as_text(self.table.headers[index]) or f"#{index + 1}"
                self.issue(
                    row,
                    header,
                    cells[index],
                    CellError(
                        "COLUMN_UNKNOWN",
                        "Ô có dữ liệu nằm dưới một cột không có tên hợp lệ.",
                        "The cell holds data under a column without a valid header.",
                    ),
                )

    def _commune(self, row: int, value: object) -> str | None:
        if type(value) is str and value in self.area:
            return value
        column = self.label("ma_xa")
        if is_blank(value):
            self.issue(row, column, value, _missing("ma_xa"))
            return None
        try:
            code = parse_ma_xa(value)
        except CellError as error:
            self.issue(row, column, value, error)
            return None
        if code in self.area:
            return code
        commune = self.communes.get(code)
        if commune is None:
            error = other_list_error(code, self.new_list, self.name.period, self.reference)
            error = error or CellError(
                "COMMUNE_UNKNOWN",
                f"Mã xã {code} không có trong danh mục đơn vị hành chính.",
                f"Commune code {code} is not in the administrative list.",
            )
        else:
            error = outside_area_error(commune, self.name, self.new_list)
        self.issue(row, column, value, error)
        return None

    def _ten_xa(self, row: int, code: str | None, value: object) -> str | None:
        """The commune name as given (NFC), after checking it names the commune `code`."""
        if is_blank(value):
            return None
        key = (code, value, self.new_list)
        known = self._ten_xa_seen.get(key)
        if known is None:
            try:
                text = parse_text(value, 200)
                keys = None if code is None else self.reference.name_keys(code, self.new_list)
                if keys is not None and not ten_xa_matches(text, keys):
                    commune = self.communes[code]
                    raise CellError(
                        "TEN_XA_MISMATCH",
                        f"Tên xã '{text}' không khớp mã xã {code} ({commune.name}); kiểm tra "
                        "lại mã xã.",
                        f"Commune name '{text}' does not match commune code {code} "
                        f"({commune.name}); check the code.",
                    )
                known = text
            except CellError as error:
                known = error
            if len(self._ten_xa_seen) < 100_000:
                self._ten_xa_seen[key] = known
        if isinstance(known, CellError):
            self.issue(row, self.label("ten_xa"), value, known)
            return None
        return known

    def _duplicate(self, row: int, column: str, value: object, first: int) -> None:
        self.issue(
            row,
            column,
            value,
            CellError(
                "DUPLICATE_KEY",
                f"Trùng lặp: giá trị này đã có ở dòng {first}; mỗi khoá chỉ được xuất hiện "
                "một lần trong tệp.",
                f"Duplicate: this key already appears on row {first}; each key may appear only "
                "once per file.",
            ),
        )

    def _count(self, row: int, column: str, value: object, known: dict[object, str]) -> str | None:
        """`_gia_tri`, remembering valid text cells: a file repeats a few small counts."""
        gia = self._gia_tri(row, column, value)
        if gia is not None and type(value) is str and len(known) < 4096:
            known[value] = gia
        return gia

    def _gia_tri(self, row: int, column: str, value: object) -> str | None:
        """`gia_tri` as COPY text: digits, `\\N` for blank (never 0), None when invalid."""
        if type(value) is str and value.isdigit() and value.isascii() and len(value) < 19:
            return value
        if is_blank(value):
            return "\\N"
        try:
            return str(parse_int(value, 0, INT8_MAX))
        except CellError as error:
            self.issue(row, column, value, error)
            return None

    # ----- chi_tieu, long layout: one row per (commune, indicator)
    def _chi_tieu_long(self, columns: dict[str, int], write: Callable[[str], None]) -> None:
        i_xa, i_code, i_value = columns["ma_xa"], columns["ma_chi_tieu"], columns["gia_tri"]
        i_ten, i_period, i_note = (columns.get(k) for k in ("ten_xa", "ky_bao_cao", "ghi_chu"))
        codes = dict(_INDICATOR_CODES)
        codes.update({code: code for code in INDICATORS})
        code_label, value_label = self.label("ma_chi_tieu"), self.label("gia_tri")
        period, width, prefix, issues = self.name.period, self.width, self.prefix, self.issues
        area, unnamed = self.area, self.unnamed
        seen: dict[str, int] = {}
        counts: dict[object, str] = {}
        lines: list[str] = []
        count = 0
        for row, cells in self.table.rows:
            if len(cells) != width or unnamed:
                cells = self._fit(row, cells)
                if cells is None:
                    continue
                self._check_unnamed(row, cells)
            xa = cells[i_xa]
            if xa not in area:
                if all(is_blank(cell) for cell in cells):
                    continue
                xa = self._commune(row, xa)
            raw_code = cells[i_code]
            code = codes.get(raw_code)
            if code is None:
                code = self._code(row, code_label, raw_code, codes)
            value = cells[i_value]
            gia = counts.get(value)
            if gia is None:
                gia = self._count(row, value_label, value, counts)
            ten = "\\N"
            if i_ten is not None and not is_blank(cells[i_ten]):
                ten = self._ten_xa(row, xa, cells[i_ten])
                ten = "\\N" if ten is None else copy_escape(ten)
            if i_period is not None and cells[i_period] != period:
                self._period(row, cells[i_period])
            note = "\\N"
            if i_note is not None and not is_blank(cells[i_note]):
                try:
                    note = copy_escape(parse_text(cells[i_note]))
                except CellError as error:
                    self.issue(row, self.label("ghi_chu"), cells[i_note], error)
            if xa is not None and code is not None:
                first = seen.setdefault(xa + code, row)
                if first != row:
                    self._duplicate(row, code_label, raw_code, first)
            if issues:
                lines.clear()
                continue
            lines.append(f"{prefix}{row}\t{xa}\t{code}\t{gia}\t{ten}\t{note}\n")
            if len(lines) >= CHUNK_LINES:
                write("".join(lines))
                count += len(lines)
                lines.clear()
        if lines and not issues:
            write("".join(lines))
            count += len(lines)
        self.row_count = count

    # ----- chi_tieu, wide layout: one row per commune, one column per indicator
    def _chi_tieu_wide(self, columns: dict[str, int], write: Callable[[str], None]) -> None:
        i_xa, i_ten = columns["ma_xa"], columns.get("ten_xa")
        indicators = [
            (index, _INDICATOR_CODES[key], self.label(key))
            for key, index in sorted(columns.items(), key=lambda item: item[1])
            if key in _INDICATOR_CODES
        ]
        width, prefix, issues, area = self.width, self.prefix, self.issues, self.area
        seen: dict[str, int] = {}
        counts: dict[object, str] = {}
        lines: list[str] = []
        count = 0
        for row, cells in self.table.rows:
            if len(cells) != width or self.unnamed:
                cells = self._fit(row, cells)
                if cells is None:
                    continue
                self._check_unnamed(row, cells)
            xa = cells[i_xa]
            if xa not in area:
                if all(is_blank(cell) for cell in cells):
                    continue
                xa = self._commune(row, xa)
            ten = "\\N"
            if i_ten is not None and not is_blank(cells[i_ten]):
                ten = self._ten_xa(row, xa, cells[i_ten])
                ten = "\\N" if ten is None else copy_escape(ten)
            if xa is not None:
                first = seen.get(xa)
                if first is None:
                    seen[xa] = row
                else:
                    self._duplicate(row, self.label("ma_xa"), xa, first)
            head = f"{prefix}{row}\t{xa}\t"
            tail = f"\t{ten}\t\\N\n"
            for index, code, label in indicators:
                value = cells[index]
                gia = counts.get(value)
                if gia is None:
                    gia = self._count(row, label, value, counts)
                lines.append(f"{head}{code}\t{gia}{tail}")
            if issues:
                lines.clear()
                continue
            if len(lines) >= CHUNK_LINES:
                write("".join(lines))
                count += len(lines)
                lines.clear()
        if lines and not issues:
            write("".join(lines))
            count += len(lines)
        self.row_count = count

    def _code(self, row: int, column: str, value: object, codes: dict[str, str]) -> str | None:
        if is_blank(value):
            self.issue(row, column, value, _missing("ma_chi_tieu"))
            return None
        try:
            code = parse_code(value, _INDICATOR_CODES, "ma_chi_tieu")
        except CellError as error:
            self.issue(row, column, value, error)
            return None
        if type(value) is str and len(codes) < 10_000:
            codes[value] = code
        return code

    def _period(self, row: int, value: object) -> None:
        if is_blank(value):
            return
        column = self.label("ky_bao_cao")
        try:
            given = parse_month(value)
        except CellError as error:
            self.issue(row, column, value, error)
            return
        if given != self.name.period:
            self.issue(
                row,
                column,
                value,
                CellError(
                    "PERIOD_MISMATCH",
                    f"Kỳ báo cáo {given} khác kỳ trong tên tệp ({self.name.period}).",
                    f"Report period {given} differs from the period in the file name "
                    f"({self.name.period}).",
                ),
            )

    # ----- su_vu, mo_hinh, danh_gia_nam, dang_ky_ntm
    def _records(self, columns: dict[str, int], write: Callable[[str], None]) -> None:
        dataset = self.name.dataset
        specs = [(c, columns.get(c.name)) for c in DATASET_COLUMNS[dataset]]
        key_name = FILE_KEYS[dataset]
        seen: dict[object, int] = {}
        own_unit = self.name.unit_code
        records: list[tuple[int, dict[str, object]]] = []
        for row, cells in self.table.rows:
            cells = self._fit(row, cells)
            if cells is None:
                continue
            self._check_unnamed(row, cells)
            errors_before = len(self.issues)
            values: dict[str, object] = {}
            for col, index in specs:
                value = "" if index is None else cells[index]
                values[col.name] = self._cell(row, col, value, values)
            self._row_rules(row, values)
            key = values[key_name]
            if key is not None and key is not _INVALID:
                # su_vu: the incident's identity (don_vi_goc or the submitting unit, ma_su_vu)
                once = (values["don_vi_goc"] or own_unit, key) if dataset == "su_vu" else key
                first = seen.get(once)
                if first is None:
                    seen[once] = row
                else:
                    self._duplicate(row, self.label(key_name), key, first)
            if len(self.issues) == errors_before:
                records.append((row, values))
        if dataset == "su_vu" and records:
            self._su_vu_history(records)
        if self.issues:
            return
        names = RAW_COLUMNS[dataset]
        lines = [
            self.prefix + str(row) + "\t" + "\t".join(_copy_value(values[n]) for n in names) + "\n"
            for row, values in records
        ]
        for start in range(0, len(lines), CHUNK_LINES):
            write("".join(lines[start : start + CHUNK_LINES]))
        self.row_count = len(lines)

    def _cell(self, row: int, col: Column, value: object, values: dict[str, object]) -> object:
        label = self.label(col.name)
        kind = col.kind
        if kind == "ma_xa":
            return self._commune(row, value) or _INVALID
        if kind == "ten_xa":
            code = values.get("ma_xa")
            return self._ten_xa(row, code if isinstance(code, str) else None, value)
        if kind == "unit":
            return self._unit(row, label, value)
        if is_blank(value):
            if col.required:
                self.issue(row, label, value, _missing(col.name))
                return _INVALID
            return None
        try:
            if kind == "code":
                return parse_code(value, _CODE_MAPS[col.name], col.name)
            if kind == "int":
                return parse_int(value, col.low, col.high)
            if kind == "flag":
                return parse_flag(value)
            if kind == "date":
                return parse_date(value)
            return parse_text(value, col.max_chars)
        except CellError as error:
            self.issue(row, label, value, error)
            return _INVALID

    def _unit(self, row: int, label: str, value: object) -> object:
        """`don_vi_goc`: a police unit code (CAH, CAX, CAT) of either list, upper case."""
        if is_blank(value):
            return None
        try:
            text = parse_text(value, 20)
        except CellError as error:
            self.issue(row, label, value, error)
            return _INVALID
        parsed = parse_unit_code(text)
        ref = self.reference
        known = parsed is not None and (
            (parsed[0] == "CAH" and parsed[1] in ref.district_province)
            or (
                parsed[0] == "CAX" and (parsed[1] in ref.communes or parsed[1] in ref.communes_2025)
            )
            or (
                parsed[0] == "CAT"
                and (parsed[1] in ref.provinces or parsed[1] in ref.provinces_2025)
            )
        )
        if not known:
            self.issue(
                row,
                label,
                value,
                CellError(
                    "DON_VI_GOC_INVALID",
                    f"don_vi_goc '{text}' không phải mã một đơn vị công an trong danh mục "
                    "(CAH + mã huyện, CAX + mã xã, CAT + mã tỉnh, ví dụ CAH847).",
                    f"don_vi_goc '{text}' is not the code of a police unit of the administrative "
                    "list (CAH + district code, CAX + commune code, CAT + province code, e.g. "
                    "CAH847).",
                ),
            )
            return _INVALID
        return parsed[0] + parsed[1]

    def _row_rules(self, row: int, v: dict[str, object]) -> None:
        dataset = self.name.dataset
        if dataset == "su_vu":
            start, end, loai = v["ngay_bat_dau"], v["ngay_ket_thuc"], v["loai"]
            if isinstance(start, date) and isinstance(end, date) and end < start:
                self.issue(
                    row,
                    self.label("ngay_ket_thuc"),
                    end.isoformat(),
                    CellError(
                        "SU_VU_END_BEFORE_START",
                        f"Ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}.",
                        f"The end date {end.isoformat()} is before the start date "
                        f"{start.isoformat()}.",
                    ),
                )
            if loai == "KHIEU_KIEN_DONG_NGUOI" and v["so_nguoi"] is None:
                self.issue(
                    row,
                    self.label("so_nguoi"),
                    None,
                    CellError(
                        "SO_NGUOI_REQUIRED",
                        "Vụ khiếu kiện đông người phải ghi số người tham gia (so_nguoi).",
                        "A mass complaint (KHIEU_KIEN_DONG_NGUOI) must give the number of people "
                        "(so_nguoi).",
                    ),
                )
            if loai in COMPLAINT_TYPES and v["trai_phap_luat"] is None:
                self.issue(
                    row,
                    self.label("trai_phap_luat"),
                    None,
                    CellError(
                        "TRAI_PHAP_LUAT_REQUIRED",
                        "Vụ khiếu kiện phải ghi trai_phap_luat (1 = trái pháp luật, 0 = không).",
                        "A complaint must give trai_phap_luat (1 = unlawful, 0 = lawful).",
                    ),
                )
        elif dataset == "danh_gia_nam":
            total, safe = v["so_ap"], v["so_ap_an_toan"]
            if isinstance(total, int) and isinstance(safe, int) and safe > total:
                self.issue(
                    row,
                    self.label("so_ap_an_toan"),
                    safe,
                    CellError(
                        "SO_AP_AN_TOAN_EXCEEDS",
                        f"Số ấp an toàn ({safe}) lớn hơn tổng số ấp ({total}).",
                        f"Safe hamlets ({safe}) exceed the number of hamlets ({total}).",
                    ),
                )
        elif dataset == "dang_ky_ntm":
            year = v["nam_dat"]
            if isinstance(year, int) and year > self.name.year:
                self.issue(
                    row,
                    self.label("nam_dat"),
                    year,
                    CellError(
                        "NAM_DAT_INVALID",
                        f"Năm đạt chuẩn {year} sau năm báo cáo {self.name.year}.",
                        f"The recognition year {year} is after the report year {self.name.year}.",
                    ),
                )

    def _su_vu_history(self, records: list[tuple[int, dict[str, object]]]) -> None:
        """New incidents start in the file's month; updates keep their original start date.

        An incident is (don_vi_goc, or the submitting unit when blank; ma_su_vu): a successor
        unit may update an incident that a dissolved unit opened."""
        own_unit = self.name.unit_code
        identities = [(str(v["don_vi_goc"] or own_unit), str(v["ma_su_vu"])) for _, v in records]
        earlier = self.history(identities) if self.history else {}
        year, month = self.name.year, self.name.month
        for (row, values), identity in zip(records, identities, strict=True):
            start = values["ngay_bat_dau"]
            original = earlier.get(identity)
            column = self.label("ngay_bat_dau")
            origin, ma = identity
            by_vi = "" if origin == own_unit else f" của đơn vị {origin}"
            by_en = "" if origin == own_unit else f" of unit {origin}"
            if original is not None:
                if start != original:
                    self.issue(
                        row,
                        column,
                        start.isoformat(),
                        CellError(
                            "SU_VU_START_CHANGED",
                            f"Vụ {ma}{by_vi} đã được báo cáo trước đây với ngày bắt đầu "
                            f"{original:%d/%m/%Y}; bản cập nhật phải giữ nguyên ngày đó.",
                            f"Incident {ma}{by_en} was reported earlier with start date "
                            f"{original.isoformat()}; an update must keep that date.",
                        ),
                    )
            elif (start.year, start.month) != (year, month):
                who_vi = "đơn vị" if origin == own_unit else f"đơn vị {origin}"
                who_en = "this unit" if origin == own_unit else f"unit {origin}"
                self.issue(
                    row,
                    column,
                    start.isoformat(),
                    CellError(
                        "SU_VU_START_OUTSIDE_PERIOD",
                        f"Vụ mới {ma}{by_vi} phải bắt đầu trong tháng {month:02d}/{year} "
                        f"của tệp; {who_vi} chưa báo cáo vụ này ở kỳ trước nên không thể là bản "
                        "cập nhật.",
                        f"New incident {ma}{by_en} must start in the file's month "
                        f"{year}-{month:02d}; {who_en} has not reported it in an earlier period, "
                        "so it cannot be an update.",
                    ),
                )


def _missing(column: str) -> CellError:
    return CellError(
        "VALUE_MISSING",
        f"Thiếu giá trị bắt buộc ở cột {column}.",
        f"The required column {column} has no value.",
    )
