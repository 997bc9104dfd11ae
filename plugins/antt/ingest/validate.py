"""Validation of a table against the contract, row by row, emitting COPY text for the raw table.

`Validator.run(write)` collects every error of the file and, while none has been found, feeds
`write` with chunks of COPY text (submission id and row number first): str, or UTF-8 bytes from
the column-wise path. The caller discards the load as soon as `issues` is not empty. `chi_tieu`
streams (national files are large); the other datasets are small and are checked as a whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from antt.ingest.cells import (
    as_text,
    copy_escape,
    is_blank,
    parse_code,
    parse_date,
    parse_flag,
    parse_int,
    parse_ma_xa,
    parse_text,
)
from antt.ingest.checks import (
    MAX_CACHED,
    NULL,
    count_text,
    duplicate,
    indicator_code,
    missing,
    note_text,
    period_error,
    ten_xa_text,
)
from antt.ingest.columnar import (
    FileContext,
    Unclean,
    long_copy_text,
    split_columns,
    wide_copy_text,
)
from antt.ingest.contract import (
    CODE_MAPS,
    DATASET_COLUMNS,
    FILE_KEYS,
    INDICATOR_CELLS,
    INDICATOR_CODES,
    RAW_COLUMNS,
    Column,
    header_columns,
)
from antt.ingest.filename import COUNT_DATASETS, FileName, parse_unit_code
from antt.ingest.issues import MAX_ISSUES, CellError, ValidationIssue, file_issue, shown_value
from antt.ingest.lineage import other_list_error, outside_area_error
from antt.ingest.normalize import normalize_header
from antt.ingest.reading import Table, TableBroken
from antt.ingest.reference import Reference
from antt.ingest.rules import ROW_RULES
from antt.ingest.submitters import uses_new_codes

# Small enough that the server parses one chunk while the next is validated (a file is rarely
# more than a few thousand lines: one big chunk would leave the server idle until the end).
CHUNK_LINES = 1000
_INVALID = object()  # a cell that failed its rule (already reported)

__all__ = ["RAW_COLUMNS", "HistoryLookup", "Validator"]

# [(unit that first reported it, ma_su_vu)] → {identity: ngay_bat_dau} of earlier accepted
# reports of any unit.
HistoryLookup = Callable[[list[tuple[str, str]]], dict[tuple[str, str], date]]


def _copy_value(value: object) -> str:
    if value is None:
        return NULL
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
        self.submission_id = submission_id
        self.prefix = f"{submission_id}\t"
        self.history = history
        self.issues: list[ValidationIssue] = []  # the first MAX_ISSUES errors
        self.error_total = 0  # every error found, listed or not
        self.row_count = 0
        self.labels: dict[str, str] = {}

    # ----- reporting
    def issue(self, row: int | None, column: str | None, value: object, error: CellError) -> None:
        self.error_total += 1
        if len(self.issues) >= MAX_ISSUES:
            return  # counted, not kept: a report of every cell of a broken file helps no one
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
    def run(self, write: Callable[[str | bytes], None]) -> None:
        try:
            columns = self._map_header()
            if columns is None:
                return
            if self.name.dataset in COUNT_DATASETS:
                if self._columnar(columns, write):
                    return
                if "ma_chi_tieu" in columns:
                    self._chi_tieu_long(columns, write)
                else:
                    self._chi_tieu_wide(columns, write)
            else:
                self._records(columns, write)
        except TableBroken as exc:
            self.error_total += 1
            self.issues.append(exc.issue)
        if self.error_total > len(self.issues):
            too_many = CellError("TOO_MANY_ERRORS", errors=self.error_total, listed=MAX_ISSUES)
            self.issues.append(file_issue(too_many, sheet=self.table.sheet))

    # ----- header
    def _map_header(self) -> dict[str, int] | None:
        dataset = self.name.dataset
        keys = [normalize_header(as_text(cell)) for cell in self.table.headers]
        allowed, required = header_columns(dataset, keys)
        row = self.table.header_row
        columns: dict[str, int] = {}
        self.unnamed: list[int] = []
        for index, (cell, key) in enumerate(zip(self.table.headers, keys, strict=True)):
            text = as_text(cell)
            error = None
            if not key:
                self.unnamed.append(index)  # data under a blank header is reported per cell
                if text:
                    error = CellError("COLUMN_UNKNOWN", "invalid_header", header=text)
            elif key not in allowed:
                # reported once here; its cells are not reported again row by row
                error = CellError(
                    "COLUMN_UNKNOWN",
                    "not_in_count_template" if dataset in COUNT_DATASETS else "not_in_template",
                    header=text,
                    dataset=dataset,
                    columns=", ".join(sorted(allowed - set(INDICATOR_CODES))),
                )
            elif key in columns:
                error = CellError(
                    "COLUMN_DUPLICATE", column=key, first=columns[key] + 1, second=index + 1
                )
            else:
                columns[key] = index
                self.labels[key] = text
            if error is not None:
                self.issue(row, text, text, error)
        missing = [key for key in required if key not in columns]
        for key in missing:
            self.issue(
                row,
                key,
                None,
                CellError("COLUMN_MISSING", "column", column=key),
            )
        if (
            dataset in COUNT_DATASETS
            and "ma_chi_tieu" not in columns
            and not (set(columns) & set(INDICATOR_CODES))
        ):
            self.issue(
                row,
                None,
                None,
                CellError("COLUMN_MISSING", "layout"),
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
                    CellError("ROW_EXTRA_CELLS"),
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
                    CellError("COLUMN_UNKNOWN", "data_without_header"),
                )

    def _commune(self, row: int, value: object) -> str | None:
        if type(value) is str and value in self.area:
            return value
        column = self.label("ma_xa")
        if is_blank(value):
            self.issue(row, column, value, missing("ma_xa"))
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
            error = error or CellError("COMMUNE_UNKNOWN", code=code)
        else:
            error = outside_area_error(commune, self.name, self.new_list)
        self.issue(row, column, value, error)
        return None

    def _ten_xa(self, row: int, code: str | None, value: object) -> str | None:
        """The commune name as given (NFC), after checking it names the commune `code`."""
        if is_blank(value):
            return None
        try:
            return ten_xa_text(self.reference, self.new_list, code, value)
        except CellError as error:
            self.issue(row, self.label("ten_xa"), value, error)
            return None

    def _duplicate(self, row: int, column: str, value: object, first: int) -> None:
        self.issue(row, column, value, duplicate(first))

    def _count(self, row: int, column: str, value: object, known: dict[object, str]) -> str | None:
        """`gia_tri` as COPY text, remembering valid text cells: a file repeats a few counts;
        None when invalid."""
        try:
            gia = count_text(value)
        except CellError as error:
            self.issue(row, column, value, error)
            return None
        if type(value) is str and len(known) < MAX_CACHED:
            known[value] = gia
        return gia

    # ----- chi_tieu from CSV, column-wise (see `columnar`)
    def _columnar(self, columns: dict[str, int], write: Callable[[bytes], None]) -> bool:
        """Load a clean quote-free CSV count file column by column; False when the file is
        not one (the row-by-row path then reads it)."""
        if self.table.body is None or self.unnamed or self.error_total:
            return False
        context = FileContext(
            self.width,
            self.area,
            self.reference,
            self.new_list,
            self.name.period,
            self.submission_id,
        )
        first_row = self.table.header_row + 1
        try:
            cols = split_columns(context, self.table.body)
            if "ma_chi_tieu" in columns:
                text = long_copy_text(context, columns, first_row, cols)
                count = len(cols[0])
            else:
                indicators = [i[:2] for i in self._indicators(columns)]
                text = wide_copy_text(context, columns, indicators, first_row, cols)
                count = len(cols[0]) * len(indicators)
        except Unclean:
            return False
        write(text)
        self.row_count = count
        return True

    # ----- chi_tieu row by row: any file the column-wise path does not load
    def _count_rows(self, i_xa: int) -> Iterator[tuple[int, list, str | None]]:
        """(row number, cells, commune code or None when invalid) of every non-empty row,
        after the checks every row gets (width, unnamed columns, commune)."""
        width, unnamed, area = self.width, self.unnamed, self.area
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
            yield row, cells, xa

    def _name_text(self, row: int, xa: str | None, cells: list, i_ten: int | None) -> str:
        """The row's `ten_xa` as COPY text."""
        if i_ten is None or is_blank(cells[i_ten]):
            return NULL
        ten = self._ten_xa(row, xa, cells[i_ten])
        return NULL if ten is None else copy_escape(ten)

    def _write_rows(self, lines_by_row: Iterator[list[str]], write: Callable[[str], None]) -> None:
        """Write each row's COPY lines in chunks while the file has no error."""
        issues, pending, count = self.issues, [], 0
        for lines in lines_by_row:
            if issues:
                continue
            pending.extend(lines)
            if len(pending) >= CHUNK_LINES:
                write("".join(pending))
                count += len(pending)
                pending.clear()
        if pending and not issues:
            write("".join(pending))
            count += len(pending)
        self.row_count = count

    def _chi_tieu_long(self, columns: dict[str, int], write: Callable[[str], None]) -> None:
        """Long layout: one row per (commune, indicator)."""
        self._write_rows(self._long_lines(columns), write)

    def _long_lines(self, columns: dict[str, int]) -> Iterator[list[str]]:
        i_xa, i_code, i_value = columns["ma_xa"], columns["ma_chi_tieu"], columns["gia_tri"]
        i_ten, i_period, i_note = (columns.get(k) for k in ("ten_xa", "ky_bao_cao", "ghi_chu"))
        codes = dict(INDICATOR_CELLS)
        code_label, value_label = self.label("ma_chi_tieu"), self.label("gia_tri")
        period, prefix = self.name.period, self.prefix
        seen: dict[str, int] = {}
        counts: dict[object, str] = {}
        for row, cells, xa in self._count_rows(i_xa):
            raw_code = cells[i_code]
            code = codes.get(raw_code)
            if code is None:
                code = self._code(row, code_label, raw_code, codes)
            value = cells[i_value]
            gia = counts.get(value)
            if gia is None:
                gia = self._count(row, value_label, value, counts)
            ten = self._name_text(row, xa, cells, i_ten)
            if i_period is not None and cells[i_period] != period:
                self._period(row, cells[i_period])
            note = NULL
            if i_note is not None:
                try:
                    note = note_text(cells[i_note])
                except CellError as error:
                    self.issue(row, self.label("ghi_chu"), cells[i_note], error)
            if xa is not None and code is not None:
                first = seen.setdefault(xa + code, row)
                if first != row:
                    self._duplicate(row, code_label, raw_code, first)
            yield [f"{prefix}{row}\t{xa}\t{code}\t{gia}\t{ten}\t{note}\n"]

    def _chi_tieu_wide(self, columns: dict[str, int], write: Callable[[str], None]) -> None:
        """Wide layout: one row per commune, one column per indicator."""
        self._write_rows(self._wide_lines(columns), write)

    def _wide_lines(self, columns: dict[str, int]) -> Iterator[list[str]]:
        i_xa, i_ten = columns["ma_xa"], columns.get("ten_xa")
        indicators = self._indicators(columns)
        prefix = self.prefix
        seen: dict[str, int] = {}
        counts: dict[object, str] = {}
        for row, cells, xa in self._count_rows(i_xa):
            ten = self._name_text(row, xa, cells, i_ten)
            if xa is not None:
                first = seen.get(xa)
                if first is None:
                    seen[xa] = row
                else:
                    self._duplicate(row, self.label("ma_xa"), xa, first)
            head = f"{prefix}{row}\t{xa}\t"
            tail = f"\t{ten}\t{NULL}\n"
            lines = []
            for index, code, label in indicators:
                value = cells[index]
                gia = counts.get(value)
                if gia is None:
                    gia = self._count(row, label, value, counts)
                lines.append(f"{head}{code}\t{gia}{tail}")
            yield lines

    def _indicators(self, columns: dict[str, int]) -> list[tuple[int, str, str]]:
        """(column index, indicator code, header) of a wide file, in column order."""
        return [
            (index, INDICATOR_CODES[key], self.label(key))
            for key, index in sorted(columns.items(), key=lambda item: item[1])
            if key in INDICATOR_CODES
        ]

    def _code(self, row: int, column: str, value: object, codes: dict[str, str]) -> str | None:
        try:
            code = indicator_code(value, codes)
        except CellError as error:
            self.issue(row, column, value, error)
            return None
        if type(value) is str and len(codes) < 10_000:
            codes[value] = code
        return code

    def _period(self, row: int, value: object) -> None:
        error = period_error(value, self.name.period)
        if error is not None:
            self.issue(row, self.label("ky_bao_cao"), value, error)

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
            errors_before = self.error_total
            values: dict[str, object] = {}
            for col, index in specs:
                value = "" if index is None else cells[index]
                values[col.name] = self._cell(row, col, value, values)
            for rule in ROW_RULES[dataset]:
                for key, shown, error in rule(values, self.name):
                    self.issue(row, self.label(key), shown, error)
            key = values[key_name]
            if key is not None and key is not _INVALID:
                # su_vu: the incident's identity (don_vi_goc or the submitting unit, ma_su_vu)
                once = (values["don_vi_goc"] or own_unit, key) if dataset == "su_vu" else key
                first = seen.get(once)
                if first is None:
                    seen[once] = row
                else:
                    self._duplicate(row, self.label(key_name), key, first)
            if self.error_total == errors_before:
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
                self.issue(row, label, value, missing(col.name))
                return _INVALID
            return None
        try:
            if kind == "code":
                return parse_code(value, CODE_MAPS[col.name], col.name)
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
                CellError("DON_VI_GOC_INVALID", value=text),
            )
            return _INVALID
        return parsed[0] + parsed[1]

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
            if original is not None:
                if start != original:
                    self.issue(
                        row,
                        column,
                        start.isoformat(),
                        _start_changed(ma, origin, original, own_unit),
                    )
            elif (start.year, start.month) != (year, month):
                error = _start_outside(ma, origin, year, month, own_unit)
                self.issue(row, column, start.isoformat(), error)


# An incident another unit opened names that unit: the messages' other_unit variants.
def _start_changed(ma: str, origin: str, original: date, own_unit: str) -> CellError:
    if origin == own_unit:
        return CellError("SU_VU_START_CHANGED", "own_unit", incident=ma, original=original)
    return CellError(
        "SU_VU_START_CHANGED", "other_unit", incident=ma, original=original, origin=origin
    )


def _start_outside(ma: str, origin: str, year: int, month: int, own_unit: str) -> CellError:
    if origin == own_unit:
        return CellError(
            "SU_VU_START_OUTSIDE_PERIOD", "own_unit", incident=ma, year=year, month=month
        )
    return CellError(
        "SU_VU_START_OUTSIDE_PERIOD",
        "other_unit",
        incident=ma,
        year=year,
        month=month,
        origin=origin,
    )
