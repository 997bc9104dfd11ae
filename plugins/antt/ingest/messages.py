"""The catalogue of error messages: for every error code, what it means and its message in
Vietnamese and English, as `str.format` templates with named placeholders.

An error is made by asking for its code, the variant when the code has several sentences, and
the values of the placeholders: `render("TEN_XA_MISMATCH", name=..., code=..., commune=...)`.
Anything else fails loudly (`MessageError`): an unknown code or variant, a placeholder left
without a value, a value no template uses. A part of a sentence that itself differs by language
(a unit kind, the periods a unit may submit) is a phrase of `PHRASES`, passed as a `Bilingual`
value: each language's template takes its own text.

`docs/error-codes.md` is rendered from this module (`python -m antt.ingest.messages_doc`).
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple


class Bilingual(NamedTuple):
    """A text in Vietnamese and English: a template pair, or what it rendered to."""

    vi: str
    en: str


@dataclass(frozen=True)
class ErrorCode:
    meaning: str  # what the code means, for the reader of a report or of the code list
    messages: Mapping[str, Bilingual]  # variant → templates; "" when the code has one message


class MessageError(Exception):
    """A message the catalogue cannot make: a mistake in the calling code, never in a file."""


def _code(meaning: str, message: tuple[str, str] | None = None, /, **variants) -> ErrorCode:
    """One message (`message`) or several named sentences (`variants`), never both."""
    if (message is None) == (not variants):
        raise MessageError(f"{meaning!r}: give one message or named variants")
    found = {"": message} if message is not None else variants
    return ErrorCode(meaning, {name: Bilingual(*pair) for name, pair in found.items()})


# Sentence ends that several variants share, written once.
_NEW_CODES_PERIOD = (
    ". Kỳ {period} dùng mã đơn vị hành chính có từ 01/07/2025.",
    ". Period {period} uses the codes valid from 1 July 2025.",
)
_OLD_CODES_PERIOD = (
    ". Kỳ {period} dùng mã đơn vị hành chính trước 01/07/2025.",
    ". Period {period} uses the codes valid before 1 July 2025.",
)
_FIX_HEADER = (
    ". Sửa tên cột để không bỏ sót dữ liệu.",
    ". Fix the header so no data is dropped.",
)
_OPEN_IN_EXCEL = (
    " Hãy mở bằng Excel và lưu lại.",
    " Open it in Excel and save it again.",
)

# Every error code the validator gives (stable: reports, audit rows and tests use them).
ERRORS: dict[str, ErrorCode] = {
    # ----- file level: the name and who sent it
    "FILE_NAME_INVALID": _code(
        "the name is not <unit>_<period>_<dataset>.<csv|xlsx>",
        pattern=(
            "Tên tệp '{name}' không đúng mẫu <đơn vị>_<kỳ>_<loại dữ liệu>.<csv|xlsx>, "
            "ví dụ {example}.",
            "File name '{name}' does not follow <unit>_<period>_<dataset>.<csv|xlsx>, "
            "e.g. {example}.",
        ),
        unit_digits=(
            "Mã đơn vị '{unit}' sai: {kind} phải kèm {digits} chữ số (mã {area}).",
            "Unit code '{unit}' is wrong: {kind} takes {digits} digits (the {area} code).",
        ),
        dataset=(
            "Loại dữ liệu '{dataset}' không có trong mẫu báo cáo; chỉ nhận: {datasets}.",
            "Dataset '{dataset}' is not in the contract; expected one of: {datasets}.",
        ),
    ),
    "FILE_NAME_PERIOD": _code(
        "the period does not fit the dataset (YYYY-MM / YYYY) or does not exist",
        monthly=(
            "Dữ liệu {dataset} báo cáo theo tháng: kỳ trong tên tệp phải là YYYY-MM, "
            "không phải '{period}'.",
            "{dataset} is monthly: the period in the file name must be YYYY-MM, not '{period}'.",
        ),
        yearly=(
            "Dữ liệu {dataset} báo cáo theo năm: kỳ trong tên tệp phải là YYYY, "
            "không phải '{period}'.",
            "{dataset} is yearly: the period in the file name must be YYYY, not '{period}'.",
        ),
        no_such_period=(
            "Kỳ báo cáo '{period}' không tồn tại (tháng 01–12, năm từ 1900).",
            "Report period '{period}' does not exist (month 01–12, year from 1900).",
        ),
    ),
    "UNIT_UNKNOWN": _code(
        "no such district/commune/province code in the administrative lists",
        (
            "Đơn vị '{unit}' không tồn tại: không có {kind} mã {code} trong danh mục hành chính.",
            "Unit '{unit}' does not exist: no {kind} with code {code} in the administrative list.",
        ),
    ),
    "DATASET_NOT_ALLOWED": _code(
        "this kind of unit may not send this dataset",
        unit_kind=(
            "Đơn vị {unit} không được gửi dữ liệu {dataset}; đơn vị này chỉ gửi: {allowed}.",
            "Unit {unit} may not submit {dataset}; it may submit: {allowed}.",
        ),
        restatement=(
            "Chỉ công an của một tỉnh có từ 01/07/2025 được gửi {dataset}; tỉnh {province} "
            "không còn từ 01/07/2025 (nay thuộc tỉnh {into}): CAT{into} gửi số liệu quy đổi.",
            "Only the police of a province valid from 1 July 2025 may submit {dataset}; "
            "province {province} ended on 30 June 2025 (it is part of province {into}): "
            "CAT{into} submits the restatement.",
        ),
    ),
    "UNIT_PERIOD_NOT_ALLOWED": _code(
        "the unit may not submit this period (names the periods it may)",
        periods=(
            "Đơn vị {unit} không được gửi báo cáo kỳ {period}; đơn vị này chỉ được gửi {periods}.",
            "Unit {unit} may not submit period {period}; it may submit {periods}.",
        ),
        restated_month=(
            "{dataset} chỉ quy đổi các tháng đến {last_old_month} sang đơn vị mới; tháng "
            "{period} đã dùng mã mới: gửi chi_tieu.",
            "{dataset} restates months up to {last_old_month} on the new units; month "
            "{period} already uses the new codes: submit chi_tieu.",
        ),
    ),
    "PERIOD_CLOSED": _code(
        "the period's year is closed (antt lock) for the unit's province",
        (
            "Kỳ {period} thuộc năm {year} của tỉnh {province} đã chốt số liệu từ {since} "
            "(người chốt: {actor}); không nhận thêm tệp. Đề nghị người chốt mở khóa "
            "(antt lock --unlock) nếu cần sửa số liệu.",
            "Period {period} belongs to year {year} of province {province}, closed since "
            "{since} (Asia/Ho_Chi_Minh) by {actor}; no more files are accepted. Ask for an "
            "unlock (antt lock --unlock) if the figures must change.",
        ),
    ),
    # ----- file level: reading it as a table
    "FILE_TOO_LARGE": _code(
        "over 20 MiB: not read",
        (
            "Tệp nặng {size:,} byte, vượt giới hạn 20 MiB; tệp không được đọc. "
            "Hãy chia thành nhiều tệp nhỏ hơn.",
            "The file is {size:,} bytes, over the 20 MiB limit; it was not read. "
            "Split it into smaller files.",
        ),
    ),
    "FILE_EMPTY": _code("0 bytes", ("Tệp rỗng (0 byte).", "The file is empty (0 bytes).")),
    "XLSX_TOO_LARGE": _code(
        "the workbook unpacks to over 200 MiB (or a sheet's used range is too large): not read",
        unpacked=(
            "Bảng tính khi giải nén nặng {size:,} byte, vượt giới hạn 200 MiB; tệp không được đọc.",
            "The workbook unpacks to {size:,} bytes, over the 200 MiB limit; it was not read.",
        ),
        used_range=(
            "Trang tính ({part}) có dữ liệu tới hàng {rows:,}, cột {columns:,}: vùng dữ liệu "
            "quá lớn (tối đa {limit:,} ô). Xoá các ô thừa ở xa vùng báo cáo rồi lưu lại.",
            "A sheet ({part}) reaches row {rows:,}, column {columns:,}: its used range is too "
            "large (at most {limit:,} cells). Delete the stray cells far from the report and "
            "save again.",
        ),
    ),
    "XLSX_UNREADABLE": _code(
        "not a valid .xlsx (legacy .xls, password, broken zip or XML)",
        legacy=(
            "Tệp là bảng tính Excel cũ (.xls) hoặc có mật khẩu; hãy lưu lại dạng .xlsx "
            "không đặt mật khẩu.",
            "The file is a legacy Excel workbook (.xls) or password-protected; "
            "save it as .xlsx without a password.",
        ),
        not_xlsx=(
            "Tệp không phải bảng tính .xlsx hợp lệ ({error}).",
            "The file is not a valid .xlsx workbook ({error}).",
        ),
        cell_reference=(
            "Bảng tính có địa chỉ ô không hợp lệ '{reference}' ({part}): tệp hỏng hoặc không do "
            "Excel tạo ra." + _OPEN_IN_EXCEL[0],
            "The workbook has an invalid cell reference '{reference}' ({part}): the file is "
            "broken or was not made by a spreadsheet program." + _OPEN_IN_EXCEL[1],
        ),
        shared_strings=(
            "Bảng tính khai báo {count:,} chuỗi dùng chung, nhiều hơn nội dung tệp có thể "
            "chứa: tệp hỏng hoặc bị sửa." + _OPEN_IN_EXCEL[0],
            "The workbook declares {count:,} shared strings, more than it can hold: the file "
            "is broken or forged." + _OPEN_IN_EXCEL[1],
        ),
        unreadable=(
            "Không đọc được bảng tính ({error}).",
            "The workbook cannot be read ({error}).",
        ),
    ),
    "FORMAT_MISMATCH": _code(
        "a workbook named .csv",
        (
            "Tệp có đuôi .csv nhưng thực chất là bảng tính Excel; hãy lưu lại dạng CSV UTF-8 "
            "hoặc đổi đuôi thành .xlsx.",
            "The file is named .csv but is an Excel workbook; save it as CSV UTF-8 "
            "or name it .xlsx.",
        ),
    ),
    "ENCODING_NOT_UTF8": _code(
        "not UTF-8 (TCVN3/VNI/UTF-16)",
        utf16=(
            "Tệp được lưu bằng bảng mã UTF-16 (Unicode text); hãy lưu lại dạng CSV UTF-8.",
            "The file is encoded as UTF-16 (Unicode text); save it again as CSV UTF-8.",
        ),
        legacy=(
            "Tệp không phải UTF-8 (byte lỗi ở dòng {line}): có thể được gõ bằng bảng mã cũ "
            "TCVN3 (ABC) hoặc VNI. Hãy chuyển sang Unicode (ví dụ bằng Unikey) và lưu lại "
            "dạng CSV UTF-8.",
            "The file is not UTF-8 (first bad byte on line {line}): it is probably in a legacy "
            "Vietnamese encoding (TCVN3/ABC or VNI). Convert it to Unicode (e.g. with Unikey) "
            "and save it as CSV UTF-8.",
        ),
    ),
    "CSV_MALFORMED": _code(
        "broken RFC 4180 quoting",
        (
            'Tệp CSV sai cấu trúc từ dòng {line} ({error}); kiểm tra dấu ngoặc kép ("), '
            "mỗi ô có dấu phẩy phải được đặt trong ngoặc kép.",
            'The CSV is malformed from line {line} ({error}); check the double quotes ("): '
            "a cell holding a comma must be quoted.",
        ),
    ),
    "CSV_DELIMITER": _code(
        "semicolon-separated CSV",
        (
            "Tệp CSV dùng dấu chấm phẩy (;) để ngăn cột; mẫu báo cáo dùng dấu phẩy (,). "
            "Hãy lưu lại bằng 'CSV UTF-8 (Comma delimited)'.",
            "The CSV separates columns with semicolons (;); the contract uses commas (,). "
            "Save it again as 'CSV UTF-8 (Comma delimited)'.",
        ),
    ),
    "SHEET_NOT_FOUND": _code(
        "several sheets, none named as the dataset",
        (
            "Bảng tính có {count} trang nhưng không trang nào tên '{dataset}'; hãy đặt tên "
            "trang dữ liệu là {dataset} hoặc chỉ để một trang.",
            "The workbook has {count} sheets and none is named '{dataset}'; name the data "
            "sheet {dataset} or keep a single sheet.",
        ),
    ),
    "HEADER_NOT_FOUND": _code(
        "no header row with ma_xa (CSV: it must be the first line)",
        csv_title_lines=(
            "Dòng đầu tiên có dữ liệu của tệp CSV phải là dòng tiêu đề cột và có cột ma_xa "
            "(Mã xã). Tệp CSV không được có dòng tiêu đề báo cáo phía trên.",
            "The first non-empty line of a CSV must be the column header and include ma_xa. "
            "A CSV may not have title lines above the header.",
        ),
        csv_no_header=(
            "Tệp CSV không có dòng tiêu đề cột (cần có cột ma_xa).",
            "The CSV has no header line (a ma_xa column is required).",
        ),
        sheet=(
            "Không tìm thấy dòng tiêu đề cột: trang '{sheet}' không có ô nào là ma_xa (Mã xã).",
            "No header row found: sheet '{sheet}' has no cell reading ma_xa (Mã xã).",
        ),
    ),
    # ----- the header row
    "COLUMN_UNKNOWN": _code(
        "a column the template does not have (or data under a blank header)",
        invalid_header=(
            "Tiêu đề cột '{header}' không hợp lệ.",
            "Column header '{header}' is not valid.",
        ),
        not_in_template=(
            "Cột '{header}' không có trong mẫu {dataset}; các cột hợp lệ: {columns}"
            + _FIX_HEADER[0],
            "Column '{header}' is not in the {dataset} template; valid columns: {columns}"
            + _FIX_HEADER[1],
        ),
        not_in_count_template=(
            "Cột '{header}' không có trong mẫu {dataset}; các cột hợp lệ: {columns} hoặc mã "
            "chỉ tiêu (indicators.csv)" + _FIX_HEADER[0],
            "Column '{header}' is not in the {dataset} template; valid columns: {columns} or "
            "an indicator code (indicators.csv)" + _FIX_HEADER[1],
        ),
        data_without_header=(
            "Ô có dữ liệu nằm dưới một cột không có tên hợp lệ.",
            "The cell holds data under a column without a valid header.",
        ),
    ),
    "COLUMN_DUPLICATE": _code(
        "two columns that normalize to the same name",
        (
            "Cột '{column}' xuất hiện hai lần (cột {first} và {second}).",
            "Column '{column}' appears twice (columns {first} and {second}).",
        ),
    ),
    "COLUMN_MISSING": _code(
        "a required column is absent",
        column=(
            "Thiếu cột bắt buộc '{column}'.",
            "The required column '{column}' is missing.",
        ),
        layout=(
            "Dạng bảng dọc cần các cột ma_xa, ma_chi_tieu, gia_tri; dạng bảng ngang cần ma_xa "
            "và ít nhất một cột mã chỉ tiêu (indicators.csv).",
            "The long layout needs ma_xa, ma_chi_tieu, gia_tri; the wide layout needs ma_xa "
            "and at least one indicator-code column (indicators.csv).",
        ),
    ),
    # ----- after validation
    "TOO_MANY_ERRORS": _code(
        "listing stopped at the limit",
        (
            "Tệp có {errors:,} lỗi; chỉ liệt kê {listed:,} lỗi đầu tiên.",
            "The file has {errors:,} errors; only the first {listed:,} are listed.",
        ),
    ),
    "DATABASE_REJECTED": _code(
        "the warehouse refused a value the validator let through",
        (
            "Cơ sở dữ liệu từ chối nội dung tệp: {reason}",
            "The warehouse refused the file's content: {reason}",
        ),
    ),
    # ----- cells and rows
    "ROW_EXTRA_CELLS": _code(
        "more cells than header columns",
        (
            "Dòng có nhiều ô hơn dòng tiêu đề; ô thừa không thuộc cột nào.",
            "The row has more cells than the header; the extra cell belongs to no column.",
        ),
    ),
    "VALUE_MISSING": _code(
        "a required cell is blank",
        (
            "Thiếu giá trị bắt buộc ở cột {column}.",
            "The required column {column} has no value.",
        ),
    ),
    "MA_XA_INVALID": _code(
        "not a 5-digit commune code",
        (
            "Mã xã phải gồm đúng 5 chữ số (mã Tổng cục Thống kê), ví dụ 29410.",
            "The commune code must be exactly 5 digits (GSO code), e.g. 29410.",
        ),
    ),
    "COMMUNE_UNKNOWN": _code(
        "no such commune in either list",
        (
            "Mã xã {code} không có trong danh mục đơn vị hành chính.",
            "Commune code {code} is not in the administrative list.",
        ),
    ),
    "COMMUNE_CODE_ENDED": _code(
        "an old commune code in a period of the new codes (says where it went)",
        merged=(
            "xã {code} ({name}, {district}) đã nhập vào {successors} từ 01/07/2025"
            + _NEW_CODES_PERIOD[0],
            "commune {code} merged into {successors} on 1 July 2025" + _NEW_CODES_PERIOD[1],
        ),
        split=(
            "xã {code} ({name}, {district}) đã được chia vào {successors} từ 01/07/2025"
            + _NEW_CODES_PERIOD[0],
            "commune {code} was split into {successors} on 1 July 2025" + _NEW_CODES_PERIOD[1],
        ),
        ended=(
            "xã {code} ({name}, {district}) không còn từ 01/07/2025" + _NEW_CODES_PERIOD[0],
            "commune {code} ended on 30 June 2025" + _NEW_CODES_PERIOD[1],
        ),
    ),
    "COMMUNE_CODE_NOT_YET_VALID": _code(
        "a new unit code in a period of the old codes (names its origin)",
        formed=(
            "mã {code} là {name}, đơn vị có từ 01/07/2025, lập từ {origins}" + _OLD_CODES_PERIOD[0],
            "code {code} is {name}, a unit valid from 1 July 2025, formed from {origins}"
            + _OLD_CODES_PERIOD[1],
        ),
        no_origin=(
            "mã {code} là {name}, đơn vị có từ 01/07/2025" + _OLD_CODES_PERIOD[0],
            "code {code} is {name}, a unit valid from 1 July 2025" + _OLD_CODES_PERIOD[1],
        ),
    ),
    "COMMUNE_NOT_AUTHORIZED": _code(
        "a commune outside the unit's area (rejects the whole file)",
        old_codes=(
            "Xã {code} ({name}, huyện {district}, tỉnh {province}) không thuộc địa bàn của đơn "
            "vị {unit}; cả tệp bị từ chối.",
            "Commune {code} ({name}, district {district}, province {province}) is outside the "
            "area of unit {unit}; the whole file is rejected.",
        ),
        new_codes=(
            "Xã {code} ({name}, tỉnh {province}) không thuộc địa bàn của đơn vị {unit} trong kỳ "
            "{period}; cả tệp bị từ chối.",
            "Commune {code} ({name}, province {province}) is outside the area of unit {unit} "
            "in period {period}; the whole file is rejected.",
        ),
    ),
    "TEN_XA_MISMATCH": _code(
        "ten_xa names another commune than ma_xa",
        (
            "Tên xã '{name}' không khớp mã xã {code} ({commune}); kiểm tra lại mã xã.",
            "Commune name '{name}' does not match commune code {code} ({commune}); check the code.",
        ),
    ),
    "INTEGER_INVALID": _code(
        "not digits only",
        text=(
            "Phải là số nguyên, chỉ gồm chữ số (không dấu chấm, dấu phẩy, chữ).",
            "Must be a whole number written with digits only (no point, comma or letters).",
        ),
        typed=(
            "Phải là số nguyên, chỉ gồm chữ số.",
            "Must be a whole number written with digits only.",
        ),
    ),
    "INTEGER_FRACTION": _code(
        "a numeric Excel cell with a fractional part",
        (
            "Ô số có phần thập phân; giá trị phải là số nguyên.",
            "The numeric cell has a fractional part; the value must be a whole number.",
        ),
    ),
    "INTEGER_OUT_OF_RANGE": _code(
        "negative or outside the column's range",
        negative=(
            "Giá trị phải là số nguyên từ {low} trở lên, không được âm.",
            "The value must be a whole number of at least {low}, never negative.",
        ),
        range=(
            "Giá trị phải nằm trong khoảng {low}–{high}.",
            "The value must lie between {low} and {high}.",
        ),
    ),
    "FLAG_INVALID": _code(
        "not 0 or 1",
        ("Chỉ nhận 0 (không) hoặc 1 (có).", "Only 0 (no) or 1 (yes) is accepted."),
    ),
    "DATE_INVALID": _code(
        "not YYYY-MM-DD, DD/MM/YYYY or a date cell, or no such date",
        no_such_date=(
            "Ngày '{text}' không tồn tại.",
            "The date '{text}' does not exist.",
        ),
        form=(
            "Ngày phải có dạng YYYY-MM-DD hoặc DD/MM/YYYY (hoặc là ô ngày của Excel).",
            "A date must be written YYYY-MM-DD or DD/MM/YYYY (or be an Excel date cell).",
        ),
    ),
    "PERIOD_INVALID": _code(
        "ky_bao_cao is not YYYY-MM",
        (
            "Kỳ báo cáo phải có dạng YYYY-MM, ví dụ 2023-06.",
            "The report period must be written YYYY-MM, e.g. 2023-06.",
        ),
    ),
    "PERIOD_MISMATCH": _code(
        "ky_bao_cao differs from the file name's period",
        (
            "Kỳ báo cáo {given} khác kỳ trong tên tệp ({period}).",
            "Report period {given} differs from the period in the file name ({period}).",
        ),
    ),
    "CODE_UNKNOWN": _code(
        "a code outside its list (indicators, event types, ratings, levels)",
        (
            "Mã '{code}' không có trong danh mục của cột {column}; các mã hợp lệ: {allowed}.",
            "Code '{code}' is not in the list of column {column}; valid codes: {allowed}.",
        ),
    ),
    "DUPLICATE_KEY": _code(
        "a key repeated within the file",
        (
            "Trùng lặp: giá trị này đã có ở dòng {first}; mỗi khoá chỉ được xuất hiện một lần "
            "trong tệp.",
            "Duplicate: this key already appears on row {first}; each key may appear only "
            "once per file.",
        ),
    ),
    "TEXT_TOO_LONG": _code(
        "text over its length limit",
        (
            "Nội dung dài {length} ký tự, vượt giới hạn {limit} ký tự.",
            "The text is {length} characters long, over the limit of {limit}.",
        ),
    ),
    "CONTROL_CHARACTER": _code(
        "a non-printable control character",
        (
            "Ô chứa ký tự điều khiển không in được (ví dụ NUL); hãy xoá và gõ lại nội dung.",
            "The cell holds a non-printable control character (e.g. NUL); retype its content.",
        ),
    ),
    "SU_VU_START_OUTSIDE_PERIOD": _code(
        "a new incident that does not start in the file's month",
        own_unit=(
            "Vụ mới {incident} phải bắt đầu trong tháng {month:02d}/{year} của tệp; đơn vị chưa "
            "báo cáo vụ này ở kỳ trước nên không thể là bản cập nhật.",
            "New incident {incident} must start in the file's month {year}-{month:02d}; this "
            "unit has not reported it in an earlier period, so it cannot be an update.",
        ),
        other_unit=(
            "Vụ mới {incident} của đơn vị {origin} phải bắt đầu trong tháng {month:02d}/{year} "
            "của tệp; đơn vị {origin} chưa báo cáo vụ này ở kỳ trước nên không thể là bản cập "
            "nhật.",
            "New incident {incident} of unit {origin} must start in the file's month "
            "{year}-{month:02d}; unit {origin} has not reported it in an earlier period, so it "
            "cannot be an update.",
        ),
    ),
    "SU_VU_START_CHANGED": _code(
        "an update that changes the incident's original start date",
        own_unit=(
            "Vụ {incident} đã được báo cáo trước đây với ngày bắt đầu {original:%d/%m/%Y}; bản "
            "cập nhật phải giữ nguyên ngày đó.",
            "Incident {incident} was reported earlier with start date {original}; an update "
            "must keep that date.",
        ),
        other_unit=(
            "Vụ {incident} của đơn vị {origin} đã được báo cáo trước đây với ngày bắt đầu "
            "{original:%d/%m/%Y}; bản cập nhật phải giữ nguyên ngày đó.",
            "Incident {incident} of unit {origin} was reported earlier with start date "
            "{original}; an update must keep that date.",
        ),
    ),
    "SU_VU_END_BEFORE_START": _code(
        "ngay_ket_thuc before ngay_bat_dau",
        (
            "Ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}.",
            "The end date {end} is before the start date {start}.",
        ),
    ),
    "DON_VI_GOC_INVALID": _code(
        "don_vi_goc is not a police unit code of the lists",
        (
            "don_vi_goc '{value}' không phải mã một đơn vị công an trong danh mục "
            "(CAH + mã huyện, CAX + mã xã, CAT + mã tỉnh, ví dụ CAH847).",
            "don_vi_goc '{value}' is not the code of a police unit of the administrative list "
            "(CAH + district code, CAX + commune code, CAT + province code, e.g. CAH847).",
        ),
    ),
    "SO_NGUOI_REQUIRED": _code(
        "a mass complaint without so_nguoi",
        (
            "Vụ khiếu kiện đông người phải ghi số người tham gia (so_nguoi).",
            "A mass complaint (KHIEU_KIEN_DONG_NGUOI) must give the number of people (so_nguoi).",
        ),
    ),
    "TRAI_PHAP_LUAT_REQUIRED": _code(
        "a complaint without trai_phap_luat",
        (
            "Vụ khiếu kiện phải ghi trai_phap_luat (1 = trái pháp luật, 0 = không).",
            "A complaint must give trai_phap_luat (1 = unlawful, 0 = lawful).",
        ),
    ),
    "SO_AP_AN_TOAN_EXCEEDS": _code(
        "more safe hamlets than hamlets",
        (
            "Số ấp an toàn ({safe}) lớn hơn tổng số ấp ({total}).",
            "Safe hamlets ({safe}) exceed the number of hamlets ({total}).",
        ),
    ),
    "NAM_DAT_INVALID": _code(
        "recognition year after the report year",
        (
            "Năm đạt chuẩn {year} sau năm báo cáo {report_year}.",
            "The recognition year {year} is after the report year {report_year}.",
        ),
    ),
}

# Parts of a sentence that differ by language, given to a message as a `Bilingual` value.
PHRASES: dict[str, Bilingual] = {
    # a kind of unit, as in "không có huyện mã 999" / "no district with code 999"
    "district": Bilingual("huyện", "district"),
    "commune": Bilingual("xã", "commune"),
    "province": Bilingual("tỉnh", "province"),
    # a district without a name in the lists, inside a Vietnamese sentence
    "district_code": Bilingual("huyện {code}", "district {code}"),
    # one commune a new unit was formed from (COMMUNE_CODE_NOT_YET_VALID)
    "origin": Bilingual("{name} ({code}, {district})", "{name} ({code})"),
    # the periods a unit may submit (UNIT_PERIOD_NOT_ALLOWED)
    "periods_district_police": Bilingual(
        "các tháng đến {last_month} và các năm đến 2024 (công an huyện kết thúc hoạt động từ "
        "01/03/2025; từ tháng 2025-03 công an xã báo cáo)",
        "months up to {last_month} and years up to 2024 (district police were dissolved on "
        "1 March 2025; commune police report from 2025-03)",
    ),
    "periods_old_commune": Bilingual(
        "các tháng {first} đến {last} (mã cũ: {name})",
        "months {first} to {last} (old code: {name})",
    ),
    "periods_new_commune": Bilingual(
        "các tháng từ 2025-07 và các năm từ 2025 (mã mới: {name})",
        "months from 2025-07 and years from 2025 (new code: {name})",
    ),
    "periods_reported_by_successors": Bilingual(
        "từ 2025-07 địa bàn này do {units} báo cáo",
        "from 2025-07 its territory is reported by {units}",
    ),
    "periods_old_province": Bilingual(
        "các tháng đến {last_month} và các năm đến 2024 (từ 01/07/2025 tỉnh {province} thuộc "
        "tỉnh {into}; kỳ sau do đơn vị của tỉnh {into} báo cáo)",
        "months up to {last_month} and years up to 2024 (from 1 July 2025 province {province} "
        "is part of province {into}, whose units report the later periods)",
    ),
}

ERROR_CODES: dict[str, str] = {code: entry.meaning for code, entry in ERRORS.items()}

_FORMATTER = string.Formatter()


def placeholders(template: str) -> set[str]:
    """The names a template's `{name}` / `{name:spec}` fields ask for."""
    return {field for _, field, _, _ in _FORMATTER.parse(template) if field is not None}


@functools.cache
def _needed(templates: Bilingual) -> frozenset[str]:
    return frozenset(placeholders(templates.vi) | placeholders(templates.en))


def _check(what: str, templates: Bilingual, params: Mapping[str, object]) -> None:
    """Fail unless `params` gives exactly the placeholders of `templates`."""
    needed = _needed(templates)
    if needed != params.keys():
        missing = sorted(needed - params.keys())
        extra = sorted(params.keys() - needed)
        raise MessageError(f"{what}: placeholders without a value {missing}, values unused {extra}")


def fill(templates: Bilingual, params: Mapping[str, object]) -> Bilingual:
    """Both templates filled; a `Bilingual` value gives each language its own text."""
    if not params:
        return templates
    vi = {k: v.vi if isinstance(v, Bilingual) else v for k, v in params.items()}
    en = {k: v.en if isinstance(v, Bilingual) else v for k, v in params.items()}
    return Bilingual(templates.vi.format_map(vi), templates.en.format_map(en))


def checked(code: str, variant: str, params: Mapping[str, object]) -> Bilingual:
    """The two templates of `code` (and `variant` when it has several), after checking that
    `params` gives exactly their placeholders."""
    entry = ERRORS.get(code)
    if entry is None:
        raise MessageError(f"unknown error code {code!r}")
    templates = entry.messages.get(variant)
    if templates is None:
        raise MessageError(
            f"{code} has no message {variant!r}; it has {sorted(entry.messages)} "
            "('' is the only message of a code without variants)"
        )
    if _needed(templates) != params.keys():
        _check(f"{code} {variant!r}", templates, params)
    return templates


def render(code: str, variant: str = "", /, **params: object) -> Bilingual:
    """The message of `code` in both languages, its placeholders filled from `params`."""
    return fill(checked(code, variant, params), params)


def phrase(name: str, /, **params: object) -> Bilingual:
    """A part of a sentence in both languages (`PHRASES`), to pass as a placeholder's value."""
    templates = PHRASES.get(name)
    if templates is None:
        raise MessageError(f"unknown phrase {name!r}")
    _check(f"phrase {name!r}", templates, params)
    return fill(templates, params)


def joined(separator: str, parts: Iterable[Bilingual]) -> Bilingual:
    """Phrases joined in each language (a list inside a sentence)."""
    parts = list(parts)
    return Bilingual(separator.join(p.vi for p in parts), separator.join(p.en for p in parts))
