"""Every label the reports show, Vietnamese with English alongside, kept in one place.

The pages take criterion texts from the dbt catalogue seed (`bo_tieu_chi.csv`) of the criteria set
they show; the texts below (docs/criteria.md, set 2021-2025) are the fallback for a code it lacks.
"""

from __future__ import annotations

from dataclasses import dataclass

DAT = "DAT"
KHONG_DAT = "KHONG_DAT"
KHONG_DU_DU_LIEU = "KHONG_DU_DU_LIEU"
KHONG_SO_SANH_DUOC = "KHONG_SO_SANH_DUOC"
STATUSES = (DAT, KHONG_DAT, KHONG_DU_DU_LIEU)
# From 2025 the units are the new ones and a value may be an interval: one more status.
FIRST_NEW_UNITS_YEAR = 2025
STATUSES_NEW_UNITS = (DAT, KHONG_DAT, KHONG_DU_DU_LIEU, KHONG_SO_SANH_DUOC)


def statuses_of(year: int) -> tuple[str, ...]:
    return STATUSES_NEW_UNITS if year >= FIRST_NEW_UNITS_YEAR else STATUSES


@dataclass(frozen=True)
class Label:
    vi: str
    en: str

    @property
    def both(self) -> str:
        return f"{self.vi} / {self.en}"


@dataclass(frozen=True)
class StatusStyle:
    label: Label
    symbol: str  # shown in every cell so the status reads in greyscale print too
    fill: str  # Okabe-Ito colour-blind-safe palette
    ink: str


STATUS_STYLES: dict[str, StatusStyle] = {
    DAT: StatusStyle(Label("Đạt", "Met"), "✓", "#0072B2", "#FFFFFF"),
    KHONG_DAT: StatusStyle(Label("Không đạt", "Not met"), "✗", "#E69F00", "#000000"),
    KHONG_DU_DU_LIEU: StatusStyle(
        Label("Không đủ dữ liệu", "Insufficient data"), "?", "#D9D9D9", "#000000"
    ),
    # Okabe-Ito reddish purple: apart from the blue, orange and grey above in every colour-vision
    # type; "±" says the value is an interval that decides neither way.
    KHONG_SO_SANH_DUOC: StatusStyle(
        Label("Không so sánh được", "Not comparable"), "±", "#CC79A7", "#000000"
    ),
}
UNKNOWN_STATUS = StatusStyle(Label("Chưa đánh giá", "Not evaluated"), "–", "#FFFFFF", "#555555")

COMMUNE_LEVELS = ("NTM", "NTM_NANG_CAO", "NTM_KIEU_MAU")
DISTRICT_LEVELS = ("HUYEN_NTM", "HUYEN_NTM_NANG_CAO")
LEVEL_LABELS: dict[str, Label] = {
    "NTM": Label("Nông thôn mới", "New rural (NTM)"),
    "NTM_NANG_CAO": Label("NTM nâng cao", "Advanced NTM"),
    "NTM_KIEU_MAU": Label("NTM kiểu mẫu", "Model NTM"),
    "HUYEN_NTM": Label("Huyện đạt chuẩn NTM", "NTM district"),
    "HUYEN_NTM_NANG_CAO": Label("Huyện NTM nâng cao", "Advanced NTM district"),
}
# The scorecard column that holds each level's status.
COMMUNE_LEVEL_COLUMNS = {
    "NTM": "ntm_status",
    "NTM_NANG_CAO": "ntm_nang_cao_status",
    "NTM_KIEU_MAU": "ntm_kieu_mau_status",
}
DISTRICT_LEVEL_COLUMNS = {
    "HUYEN_NTM": "huyen_ntm_status",
    "HUYEN_NTM_NANG_CAO": "huyen_ntm_nang_cao_status",
}

HELD_LEVEL_LABELS: dict[str, Label] = {
    "CHUA": Label("Chưa đạt", "None yet"),
    "KHONG": Label("Không đăng ký", "Not registered"),
    **LEVEL_LABELS,
}

CRITERION_LABELS: dict[str, Label] = {
    "ANTT_01": Label(
        "Không có hoạt động chống phá, đạo trái pháp luật, ly khai, gây rối ANTT",
        "No subversion, unlawful religion, separatist or public-disorder activity",
    ),
    "ANTT_02": Label(
        "Không có khiếu kiện đông người trái pháp luật kéo dài quá 30 ngày, "
        "không có khiếu kiện vượt cấp trái pháp luật",
        "No unlawful mass complaint lasting over 30 days, no unlawful complaint bypassing levels",
    ),
    "ANTT_03": Label("Không xảy ra trọng án", "No serious criminal case"),
    "ANTT_04": Label(
        "Kiềm chế tội phạm về TTXH và tệ nạn xã hội (không tăng so với năm trước)",
        "Social-order crime and social evils contained (no rise on the previous year)",
    ),
    "ANTT_05": Label(
        "Đạt tiêu chuẩn “An toàn về ANTT” (≥ 70% thôn/ấp an toàn, mô hình hiệu quả, "
        "phong trào Tốt/Khá)",
        "Meets the “safe in security and order” standard (≥ 70% safe hamlets, an effective "
        "model, movement rated good)",
    ),
    "ANTT_06": Label(
        "Tội phạm về TTXH giảm ít nhất 5% so với năm cơ sở",
        "Social-order crime down at least 5% on the baseline year",
    ),
    "ANTT_07": Label(
        "Có mô hình camera an ninh hoạt động hiệu quả",
        "An effective security-camera model in operation",
    ),
    "ANTT_08": Label(
        "Không có điểm nóng, tụ điểm phức tạp về ANTT",
        "No security hot spot or complex crime gathering place",
    ),
    "ANTT_09": Label("Đối tượng đang quản lý không tái phạm", "Managed persons do not reoffend"),
    "ANTT_10": Label(
        "Công an xã đạt danh hiệu “Đơn vị tiên tiến” trở lên",
        "Commune police rated “advanced unit” or better",
    ),
    "ANTT_H1": Label(
        "Tất cả các xã đạt tiêu chí ANTT mức NTM",
        "Every commune (xã) of the district meets the NTM security criteria",
    ),
    "ANTT_H2": Label(
        "Không có oan sai trong điều tra, xử lý", "No wrongful investigation or conviction"
    ),
    "ANTT_H3": Label("Không có điểm nóng về ANTT", "No security hot spot"),
    "ANTT_H4": Label(
        "Tội phạm về TTXH toàn huyện không tăng", "District social-order crime did not rise"
    ),
    "ANTT_H5": Label(
        "Tội phạm về TTXH toàn huyện giảm ít nhất 5%",
        "District social-order crime down at least 5%",
    ),
    "ANTT_H6": Label(
        "Ít nhất 50% số xã đạt NTM nâng cao", "At least 50% of communes (xã) reach advanced NTM"
    ),
}

# The levels each criterion counts for, when the marts give only the level it first applies to
# (docs/criteria.md: NTM = ANTT_01-05, NTM_NANG_CAO = ANTT_01-10, NTM_KIEU_MAU = the NANG_CAO set).
LEVEL_ORDER = {level: rank for rank, level in enumerate(COMMUNE_LEVELS)} | {
    level: rank for rank, level in enumerate(DISTRICT_LEVELS)
}


def status_style(status: str | None) -> StatusStyle:
    return STATUS_STYLES.get(status or "", UNKNOWN_STATUS)


def criterion_label(code: str) -> Label:
    return CRITERION_LABELS.get(code, Label(code, code))


def level_label(level: str | None) -> Label:
    if not level:
        return Label("—", "—")
    return HELD_LEVEL_LABELS.get(level, Label(level, level))


RELATION_LABELS: dict[str, Label] = {
    "WHOLE": Label("nhập toàn bộ", "whole"),
    "SPLIT": Label("một phần (xã bị chia tách)", "part of it (a split commune)"),
}


def relation_label(relation: str) -> Label:
    """WHOLE / SPLIT in words; another value as it is."""
    return RELATION_LABELS.get(relation, Label(relation, relation))


COMPARISON_SYMBOLS = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "=": "=", "==": "="}


def comparison_symbol(comparison: str | None) -> str:
    return COMPARISON_SYMBOLS.get((comparison or "").strip(), comparison or "")


def short_code(code: str) -> str:
    """`ANTT_06` -> `06`, `ANTT_H2` -> `H2`: the heatmap's column heads."""
    return code.removeprefix("ANTT_")
