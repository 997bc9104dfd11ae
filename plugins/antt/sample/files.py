"""The sample's submission files: tables per dataset, rendered in the formats officers use."""

from __future__ import annotations

import random
from dataclasses import dataclass

from antt.sample.units import Commune, District
from antt.sample.world import Incident, SecurityModel, Values, World, seeded
from antt.sample.writers import Cell, Table, csv_bytes, other_tone_placement, xlsx_bytes

LONG_HEADERS = {
    "vn": ["Mã xã", "Tên xã", "Mã chỉ tiêu", "Giá trị", "Kỳ báo cáo", "Ghi chú"],
    "ascii": ["ma_xa", "ten_xa", "ma_chi_tieu", "gia_tri", "ky_bao_cao", "ghi_chu"],
    "upper": ["MÃ XÃ", "TÊN XÃ", "MÃ CHỈ TIÊU", "GIÁ TRỊ", "KỲ BÁO CÁO", "GHI CHÚ"],
}
WIDE_LEAD = {"vn": ["Mã xã", "Tên xã"], "ascii": ["ma_xa", "ten_xa"], "upper": ["MÃ XÃ", "TÊN XÃ"]}
INCIDENT_LABELS = {
    "CHONG_PHA": "Chống phá",
    "DAO_TRAI_PHAP_LUAT": "Đạo trái pháp luật",
    "LY_KHAI_GAY_ROI": "Ly khai, gây rối",
    "KHIEU_KIEN_DONG_NGUOI": "Khiếu kiện đông người",
    "KHIEU_KIEN_VUOT_CAP": "Khiếu kiện vượt cấp",
    "DIEM_NONG": "Điểm nóng",
    "TU_DIEM_PHUC_TAP": "Tụ điểm phức tạp",
    "TRONG_AN": "Trọng án",
    "OAN_SAI": "Oan sai",
}
MODEL_LABELS = {
    "TU_QUAN": "Tự quản",
    "CAMERA_AN_NINH": "Camera an ninh",
    "PHONG_CHONG_TOI_PHAM": "Phòng chống tội phạm",
    "KHAC": "Khác",
}
ASSESSMENT_LABELS = {"HIEU_QUA": "Hiệu quả", "CHUA_HIEU_QUA": "Chưa hiệu quả"}
RATING_LABELS = {"TOT": "Tốt", "KHA": "Khá", "TRUNG_BINH": "Trung bình", "YEU": "Yếu"}
LEVEL_LABELS = {
    "CHUA": "Chưa",
    "KHONG": "Không",
    "NTM": "NTM",
    "NTM_NANG_CAO": "NTM nâng cao",
    "NTM_KIEU_MAU": "NTM kiểu mẫu",
}


@dataclass
class Style:
    """How one file is written: format, layout and the officer's habits."""

    fmt: str  # csv / xlsx
    layout: str | None = None  # chi_tieu: long / wide
    headers: str = "vn"  # vn / ascii / upper
    ten_xa: str = "mixed"  # mixed / none
    numeric_ma_xa: bool = False  # XLSX: codes as numbers
    spaced_codes: bool = False  # wide: "tp trom cap tai san" instead of TP_TROM_CAP_TAI_SAN
    labels: bool = False  # codes written as Vietnamese labels
    date_style: str = "iso"  # CSV dates: iso / dmy
    bom: bool = False
    nfd: bool = False
    title_lines: int = 2  # XLSX title rows
    blank_after_title: bool = False
    guide_sheet: bool = False
    optional_columns: bool = True  # long chi_tieu: ky_bao_cao and ghi_chu


def pick_style(seed: int, name: str, fmt: str, layout: str | None = None) -> Style:
    rng = seeded(seed, "style", name)
    return Style(
        fmt=fmt,
        layout=layout,
        headers=rng.choice(["vn", "vn", "ascii", "upper"]),
        ten_xa=rng.choice(["mixed", "mixed", "mixed", "none"]),
        numeric_ma_xa=fmt == "xlsx" and rng.random() < 0.5,
        spaced_codes=rng.random() < 0.3,
        labels=fmt == "xlsx" or rng.random() < 0.3,
        date_style=rng.choice(["iso", "dmy"]),
        bom=rng.random() < 0.3,
        title_lines=rng.choice([1, 2, 2]),
        blank_after_title=rng.random() < 0.3,
        guide_sheet=fmt == "xlsx" and rng.random() < 0.25,
        optional_columns=rng.random() < 0.7,
    )


def ten_xa(commune: Commune, rng: random.Random) -> str:
    """How an officer writes the commune's name: with or without its type, either tone-mark
    placement, in capitals."""
    choice = rng.choice(["full", "short", "short", "tone", "tone_full", "upper"])
    if choice == "full":
        return commune.name
    if choice == "short":
        return commune.short
    if choice == "tone":
        return other_tone_placement(commune.short)
    if choice == "tone_full":
        return other_tone_placement(commune.name)
    return commune.name.upper()


def _code_cell(code: str, style: Style, index: int) -> Cell:
    # Excel drops the leading zeros of numeric codes; some officers type codes as numbers.
    return int(code) if style.numeric_ma_xa and index % 2 == 0 else code


def _spaced(code: str) -> str:
    return code.lower().replace("_", " ")


# --- chi_tieu -------------------------------------------------------------------------------


def chi_tieu_table(
    entries: list[tuple[Commune, Values]],
    indicators: list[str],
    period: str,
    style: Style,
    rng: random.Random,
    note: str = "",
) -> Table:
    with_name = style.ten_xa != "none"
    if style.layout == "wide":
        lead = WIDE_LEAD[style.headers][: 2 if with_name else 1]
        header = lead + [_spaced(c) if style.spaced_codes else c for c in indicators]
        rows = []
        for n, (commune, values) in enumerate(entries):
            name = [ten_xa(commune, rng)] if with_name else []
            rows.append(
                [_code_cell(commune.code, style, n), *name, *(values[c] for c in indicators)]
            )
        return Table(header, rows)
    names = LONG_HEADERS[style.headers]
    keep = [0, 2, 3] + ([1] if with_name else []) + ([4, 5] if style.optional_columns else [])
    keep.sort()
    header = [names[i] for i in keep]
    rows = []
    n = 0
    for commune, values in entries:
        name = ten_xa(commune, rng)
        for code in indicators:
            full = [
                _code_cell(commune.code, style, n),
                name,
                code,
                values[code],
                period,
                note if note and code == indicators[0] else "",
            ]
            rows.append([full[i] for i in keep])
            n += 1
    return Table(header, rows)


# --- su_vu ----------------------------------------------------------------------------------

SU_VU_HEADER = [
    "Mã sự vụ",
    "Loại",
    "Mã xã",
    "Ngày bắt đầu",
    "Ngày kết thúc",
    "Số người",
    "Trái pháp luật",
    "Mô tả",
]


def su_vu_rows(incidents: list[Incident], year: int, month: int) -> list[tuple[Incident, bool]]:
    """Incidents that start in the month (with their end if it falls in the month too) and
    updates of earlier ones that end in it. Returns (incident, show_end)."""
    out = []
    for inc in incidents:
        starts_here = (inc.start.year, inc.start.month) == (year, month)
        ends_here = inc.end is not None and (inc.end.year, inc.end.month) == (year, month)
        if starts_here or ends_here:
            out.append((inc, ends_here))
    out.sort(key=lambda pair: pair[0].ma_su_vu)
    return out


def su_vu_table(rows: list[tuple[Incident, bool]], style: Style) -> Table:
    body = []
    for n, (inc, show_end) in enumerate(rows):
        loai = INCIDENT_LABELS[inc.loai] if style.labels else inc.loai
        body.append(
            [
                inc.ma_su_vu,
                loai,
                _code_cell(inc.ma_xa, style, n),
                inc.start,
                inc.end if show_end else None,
                inc.so_nguoi,
                inc.trai_phap_luat,
                inc.mo_ta,
            ]
        )
    return Table(list(SU_VU_HEADER), body)


# --- yearly datasets ------------------------------------------------------------------------

MO_HINH_HEADER = [
    "Mã mô hình",
    "Mã xã",
    "Tên mô hình",
    "Loại mô hình",
    "Số camera",
    "Ngày thành lập",
    "Đánh giá",
    "Hoạt động",
]


def mo_hinh_table(models: list[SecurityModel], style: Style) -> Table:
    rows = []
    for n, m in enumerate(sorted(models, key=lambda m: (m.ma_xa, m.ma_mo_hinh))):
        rows.append(
            [
                m.ma_mo_hinh,
                _code_cell(m.ma_xa, style, n),
                m.ten,
                MODEL_LABELS[m.loai] if style.labels else m.loai,
                m.so_camera,
                m.ngay_thanh_lap,
                ASSESSMENT_LABELS[m.danh_gia] if style.labels else m.danh_gia,
                m.hoat_dong,
            ]
        )
    return Table(list(MO_HINH_HEADER), rows)


DANH_GIA_HEADER = ["Mã xã", "Số ấp", "Số ấp an toàn", "Xếp loại phong trào", "Công an xã tiên tiến"]


def danh_gia_table(world: World, district: District, year: int, style: Style, first: bool) -> Table:
    rows = []
    for n, c in enumerate(district.communes):
        a = world.assessments[(c.code, year)]
        if first:
            a = world.superseded_assessments.get((c.code, year), a)
        rating = RATING_LABELS[a.xep_loai] if style.labels else a.xep_loai
        rows.append([_code_cell(c.code, style, n), a.so_ap, a.so_ap_an_toan, rating, a.tien_tien])
    return Table(list(DANH_GIA_HEADER), rows)


DANG_KY_HEADER = ["Mã xã", "Mức đã đạt", "Năm đạt", "Mức đăng ký"]


def dang_ky_table(world: World, year: int, style: Style) -> Table:
    rows = []
    n = 0
    for c in world.province.communes:
        reg = world.registrations.get((c.code, year))
        if reg is None:
            continue
        label = (lambda v: LEVEL_LABELS[v]) if style.labels else (lambda v: v)
        rows.append(
            [
                _code_cell(c.code, style, n),
                label(reg.muc_da_dat),
                reg.nam_dat,
                label(reg.muc_dang_ky),
            ]
        )
        n += 1
    return Table(list(DANG_KY_HEADER), rows)


def render(table: Table, style: Style, sheet: str) -> bytes:
    if style.fmt == "xlsx":
        table.title = table.title[-style.title_lines :] if table.title else []
        return xlsx_bytes(table, sheet, style.blank_after_title, style.guide_sheet)
    return csv_bytes(table, style.date_style, style.bom, style.nfd)
