"""The scorecard as an XLSX workbook for officers who work in Excel (openpyxl).

Sheets: one per level (commune levels, then district levels until 2024), the reasons of every
criterion, the months without complete data, and from 2025 the predecessors of every new unit
(whether each figure is exact or an interval is in the reasons sheet, in words).
Row 1 holds the title, row 2 the bilingual header (frozen, with
an autofilter); data start on row 3.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from antt.report import labels
from antt.report.data import Commune, ProvinceReport
from antt.report.page import figure_words

HEADER_ROW = 2
FIRST_DATA_ROW = 3
HEADER_FILL = PatternFill("solid", fgColor="1D2B3A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="top")

# Excel sheet names: at most 31 characters, no []:*?/\ characters.
LEVEL_SHEETS = {
    "NTM": "NTM",
    "NTM_NANG_CAO": "NTM nang cao",
    "NTM_KIEU_MAU": "NTM kieu mau",
    "HUYEN_NTM": "Huyen NTM",
    "HUYEN_NTM_NANG_CAO": "Huyen NTM nang cao",
}
REASONS_SHEET = "Ly do - Reasons"
MISSING_SHEET = "Thieu bao cao - Missing"
TRACKER_SHEET = "Theo doi nop - Tracker"
LINEAGE_SHEET = "Tien than - Predecessors"


def predecessors_text(commune: Commune) -> str:
    """`Xã Lương Hòa A (29386, nhập toàn bộ / whole); …` — one line per workbook cell."""
    parts = []
    for p in commune.predecessors:
        relation = labels.relation_label(p.relation)
        parts.append(f"{p.old_name} ({p.old_code}, {relation.vi} / {relation.en})")
    return "; ".join(parts)


def status_text(status: str | None) -> str:
    style = labels.status_style(status)
    return f"{style.symbol} {style.label.vi} / {style.label.en}"


def excel_number(value):
    """Numbers as numbers (so officers can sum and filter them); other values as text."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def put(ws: Worksheet, row: int, column: int, value):
    """Write a value; text that starts with `=` stays text (openpyxl would store a formula)."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def put_row(ws: Worksheet, row: int, values: list) -> None:
    """`put` each value into the row, from the first column on."""
    for col, value in enumerate(values, start=1):
        put(ws, row, col, value)


@lru_cache(maxsize=8)
def _status_fill(status: str | None) -> tuple[PatternFill, Font]:
    style = labels.status_style(status)
    fill = PatternFill("solid", fgColor=style.fill.lstrip("#"))
    return fill, Font(color=style.ink.lstrip("#"), bold=status == labels.KHONG_DAT)


def _sheet(
    wb: Workbook, title: str, heading: str, columns: list[tuple[str, int]], freeze_cols: int = 0
) -> Worksheet:
    ws = wb.create_sheet(title)
    ws.cell(row=1, column=1, value=heading).font = TITLE_FONT
    for idx, (name, width) in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=idx, value=name)
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, WRAP
        ws.column_dimensions[get_column_letter(idx)].width = width
    # criterion heads carry their text: tall enough for it to wrap in a narrow column
    long_head = max((len(name) for name, _ in columns), default=0)
    ws.row_dimensions[HEADER_ROW].height = 45 if long_head <= 45 else 100
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=freeze_cols + 1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def _finish(ws: Worksheet, n_columns: int) -> None:
    last_row = max(ws.max_row, FIRST_DATA_ROW - 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(n_columns)}{last_row}"


def _put_status(ws: Worksheet, row: int, column: int, status: str | None) -> None:
    cell = ws.cell(row=row, column=column, value=status_text(status))
    cell.fill, cell.font = _status_fill(status)
    cell.alignment = CENTER


def _commune_level_sheet(wb: Workbook, report: ProvinceReport, level: str) -> None:
    label = labels.level_label(level)
    criteria = report.criteria_of_level(level)
    first = ("Hình thành từ / Formed from", 40) if report.new_units else ("Huyện / District", 22)
    columns = [
        first,
        ("Mã xã / Commune code", 10),
        ("Tên xã / Commune", 24),
        ("Loại / Type", 10),
        ("Mức đang giữ / Held", 16),
        ("Mức đăng ký / Registered", 16),
        (f"{label.vi} / {label.en}", 24),
        *[(f"{code} {report.label(code).vi}", 16) for code in criteria],
        ("Số tháng đã báo cáo / Months reported", 12),
    ]
    ws = _sheet(
        wb,
        LEVEL_SHEETS[level],
        f"{label.vi} / {label.en} — {report.province_name}, {report.year} ({period_text(report)})",
        columns,
        freeze_cols=3,
    )
    for row, c in enumerate(report.communes, start=FIRST_DATA_ROW):
        values = [
            predecessors_text(c) if report.new_units else c.district_name,
            c.code,
            c.name,
            c.commune_type,
            labels.level_label(c.held_level).vi,
            labels.level_label(c.registered_level).vi,
        ]
        put_row(ws, row, values)
        _put_status(ws, row, 7, c.level_status.get(level))
        for offset, code in enumerate(criteria):
            result = c.criteria.get(code)
            _put_status(ws, row, 8 + offset, result.status if result else None)
        ws.cell(row=row, column=8 + len(criteria), value=c.months_reported)
    _finish(ws, len(columns))


def _district_level_sheet(wb: Workbook, report: ProvinceReport, level: str) -> None:
    label = labels.level_label(level)
    criteria = report.criteria_of_level(level)
    columns = [
        ("Mã huyện / District code", 10),
        ("Huyện / District", 24),
        (f"{label.vi} / {label.en}", 24),
        *[(f"{code} {report.label(code).vi}", 18) for code in criteria],
        ("Số xã / Communes", 10),
        ("Xã đạt NTM / Communes NTM met", 12),
        ("Xã đạt NTM nâng cao / Communes advanced met", 14),
    ]
    ws = _sheet(
        wb,
        LEVEL_SHEETS[level],
        f"{label.vi} / {label.en} — {report.province_name}, {report.year}",
        columns,
        freeze_cols=2,
    )
    for row, d in enumerate(report.districts, start=FIRST_DATA_ROW):
        put(ws, row, 1, d.code)
        put(ws, row, 2, d.name)
        _put_status(ws, row, 3, d.level_status.get(level))
        for offset, code in enumerate(criteria):
            result = d.criteria.get(code)
            _put_status(ws, row, 4 + offset, result.status if result else None)
        base = 4 + len(criteria)
        ws.cell(row=row, column=base, value=d.communes_total)
        ws.cell(row=row, column=base + 1, value=d.communes_ntm_dat)
        ws.cell(row=row, column=base + 2, value=d.communes_ntm_nang_cao_dat)
    _finish(ws, len(columns))


def _reasons_sheet(wb: Workbook, report: ProvinceReport) -> None:
    columns = [
        ("Cấp / Unit level", 10),
        ("Huyện / District", 22),
        ("Mã / Code", 9),
        ("Tên / Name", 24),
        ("Tiêu chí / Criterion", 10),
        ("Nội dung / Criterion text", 40),
        ("Mức / Level", 14),
        ("Kết quả / Status", 24),
        ("Giá trị đo / Measured", 11),
        ("So sánh / Comparison", 9),
        ("Ngưỡng / Threshold", 11),
        ("Lý do / Reason", 60),
    ]
    if report.new_units:
        columns += [
            ("Cận dưới / Low", 10),
            ("Cận trên / High", 10),
            ("Chính xác hay khoảng / Exact or interval", 40),
        ]
    columns.append(("Giá trị bất thường cần kiểm tra / Unusual input values to check", 40))
    ws = _sheet(
        wb,
        REASONS_SHEET,
        f"Lý do từng tiêu chí / Reasons per criterion — {report.province_name}, {report.year}",
        columns,
        freeze_cols=4,
    )
    row = FIRST_DATA_ROW
    for d in report.districts:
        units = []
        if not report.new_units:
            units.append(("Huyện", d.name, d.code, d.name, d.criteria, report.district_criteria))
        units += [
            ("Xã", d.name, c.code, c.name, c.criteria, report.commune_criteria) for c in d.communes
        ]
        for unit_level, district_name, code, name, results, codes in units:
            for crit in codes:
                result = results.get(crit)
                if result is None:
                    continue
                values = [
                    unit_level,
                    district_name,
                    code,
                    name,
                    crit,
                    report.label(crit).vi,
                    result.level,
                ]
                put_row(ws, row, values)
                _put_status(ws, row, 8, result.status)
                ws.cell(row=row, column=9, value=excel_number(result.measured_value))
                put(ws, row, 10, labels.comparison_symbol(result.comparison) or None)
                ws.cell(row=row, column=11, value=excel_number(result.threshold))
                put(ws, row, 12, result.detail).alignment = WRAP
                words = figure_words(result) if report.new_units else None
                if words is not None:
                    ws.cell(row=row, column=13, value=excel_number(result.measured_low))
                    ws.cell(row=row, column=14, value=excel_number(result.measured_high))
                    put(ws, row, 15, words.both).alignment = WRAP
                flag = flags_of(report, unit_level, code).get(crit)
                if flag:
                    put(ws, row, len(columns), f"⚠ {flag}").alignment = WRAP
                row += 1
    _finish(ws, len(columns))


def period_text(report: ProvinceReport) -> str:
    if report.closed:
        return f"đã chốt / closed {report.period.changed_at:%d/%m/%Y}, {report.period.changed_by}"
    return "tạm tính / provisional"


def flags_of(report: ProvinceReport, unit_level: str, code: str) -> dict[str, str]:
    if unit_level == "Huyện":
        return next((d.outlier_flags for d in report.districts if d.code == code), {})
    return next((c.outlier_flags for c in report.communes if c.code == code), {})


def tracker_sheet(wb: Workbook, tracker, province_name: str) -> None:
    """Who has not reported, who reported late, which rejected files wait for a correction."""
    from antt.report.page import report_timezone
    from antt.report.tracker import DATASET_LABELS, STATUS_LABELS

    zone = report_timezone()

    columns = [
        ("Tình trạng / Status", 22),
        ("Kỳ / Period", 10),
        ("Đơn vị / Unit", 12),
        ("Loại dữ liệu / Dataset", 22),
        ("Hạn / Deadline", 12),
        ("Nhận lúc / Received", 18),
        ("Số ngày trễ / Days late", 10),
        ("Tệp chờ sửa / Rejected file awaiting correction", 34),
        ("Lỗi đầu tiên / First error", 60),
    ]
    as_of = f"{tracker.as_of:%d/%m/%Y}" if tracker.as_of else "—"
    ws = _sheet(
        wb,
        TRACKER_SHEET,
        f"Theo dõi nộp báo cáo / Reporting tracker — {province_name}, {tracker.year} "
        f"(tính đến / as of {as_of})",
        columns,
        freeze_cols=3,
    )
    row = FIRST_DATA_ROW
    sections = [("CHUA_NOP", tracker.missing), ("TRE_HAN", tracker.late)]
    sections.append(("CHO_SUA", tracker.awaiting))
    for kind, reports in sections:
        for r in reports:
            if kind == "CHO_SUA":
                status = "Tệp bị từ chối chờ sửa / Rejected, awaiting correction"
            else:
                status = " / ".join(STATUS_LABELS[kind])
            received = r.accepted_received_at if kind == "TRE_HAN" else r.awaiting_received_at
            error = r.first_error
            values = [
                status,
                r.period,
                r.unit_code,
                " / ".join(DATASET_LABELS.get(r.dataset, (r.dataset, r.dataset))),
                r.deadline,
                received.astimezone(zone).replace(tzinfo=None) if received else None,
                r.days_late if kind == "TRE_HAN" else None,
                r.awaiting_file_name if kind == "CHO_SUA" else None,
                f"{error.code}: {error.message_vi} / {error.message_en}"
                if kind == "CHO_SUA" and error
                else None,
            ]
            for col, value in enumerate(values, start=1):
                cell = put(ws, row, col, value)
                if col in (5, 6) and value is not None:
                    cell.number_format = "dd/mm/yyyy" if col == 5 else "dd/mm/yyyy hh:mm"
            ws.cell(row=row, column=9).alignment = WRAP
            row += 1
    _finish(ws, len(columns))


def _missing_sheet(wb: Workbook, report: ProvinceReport) -> None:
    columns = [
        ("Huyện / District", 22),
        ("Mã xã / Commune code", 10),
        ("Tên xã / Commune", 24),
        ("Năm / Year", 8),
        ("Số tháng thiếu / Months missing", 10),
        ("Tháng thiếu / Months (* = chưa nộp / no report)", 40),
    ]
    ws = _sheet(
        wb,
        MISSING_SHEET,
        f"Tháng thiếu dữ liệu / Months without complete data — {report.province_name}, "
        f"{report.year - 1}–{report.year}",
        columns,
        freeze_cols=3,
    )
    row = FIRST_DATA_ROW
    for c in report.communes:
        for year in (report.year - 1, report.year):
            missing = c.missing_months.get(year, [])
            if not missing:
                continue
            months = ", ".join(
                f"{m.month.month:02d}/{year}{'*' if m.not_reported else ''}" for m in missing
            )
            put_row(ws, row, [c.district_name or "—", c.code, c.name, year, len(missing), months])
            row += 1
    _finish(ws, len(columns))


def _lineage_sheet(wb: Workbook, report: ProvinceReport) -> None:
    columns = [
        ("Mã đơn vị mới / New unit code", 10),
        ("Đơn vị mới / New unit", 24),
        ("Mã xã cũ / Old commune code", 10),
        ("Xã cũ / Old commune", 24),
        ("Mã huyện cũ / Old district", 10),
        ("Quan hệ / Relation", 34),
    ]
    ws = _sheet(
        wb,
        LINEAGE_SHEET,
        f"Đơn vị hình thành từ các xã cũ (01/07/2025) / Units and their predecessors — "
        f"{report.province_name}, {report.year}",
        columns,
        freeze_cols=2,
    )
    row = FIRST_DATA_ROW
    for c in report.communes:
        for p in c.predecessors:
            relation = labels.relation_label(p.relation)
            values = [c.code, c.name, p.old_code, p.old_name, p.old_district_code, relation.both]
            put_row(ws, row, values)
            row += 1
    _finish(ws, len(columns))


def write_workbook(report: ProvinceReport, path: Path, tracker=None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for level in report.levels:
        if level in labels.COMMUNE_LEVELS:
            _commune_level_sheet(wb, report, level)
        else:
            _district_level_sheet(wb, report, level)
    _reasons_sheet(wb, report)
    _missing_sheet(wb, report)
    if report.new_units:
        _lineage_sheet(wb, report)
    if tracker is not None:
        tracker_sheet(wb, tracker, report.province_name)
    wb.properties.title = f"Tiêu chí ANTT {report.year} – {report.province_name}"
    wb.properties.creator = "antt report"
    wb.save(path)
    return path
