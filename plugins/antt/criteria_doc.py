"""The catalogue part of `docs/criteria.md`, rendered from the criteria seeds so it cannot drift.

`python -m antt.criteria_doc` rewrites the generated block of the page; a test checks that the
committed page equals what the seeds render.
"""

from __future__ import annotations

import csv
import sys

from antt.config import REPO_ROOT, SEEDS_DIR
from antt.generated_pages import write_page

CRITERIA_DOC = REPO_ROOT / "docs" / "criteria.md"
BEGIN = (
    "<!-- BEGIN GENERATED FROM dbt_project/seeds/bo_tieu_chi*.csv: python -m antt.criteria_doc -->"
)
END = "<!-- END GENERATED -->"

_PARAMETERS = (
    ("baseline_rule", "năm gốc / baseline"),
    ("baseline_year", "năm gốc cố định / fixed baseline year"),
    ("day_limit", "số ngày tối đa / day limit"),
    ("min_count", "số tối thiểu / minimum count"),
    ("active_event_types", "vụ việc đang diễn ra / incidents active in the year"),
    ("start_event_types", "vụ việc phát sinh / incidents starting in the year"),
    ("unlawful_only", "chỉ vụ trái pháp luật / unlawful only"),
    ("indicator_groups", "nhóm chỉ tiêu / indicator groups"),
    ("indicator_codes", "chỉ tiêu / indicators"),
    ("allowed_values", "giá trị chấp nhận / accepted values"),
    ("ref_level", "mức của xã / commune level used"),
    ("commune_types", "loại đơn vị / unit types"),
)


def _read(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _cell(text: str) -> str:
    return text.replace("|", ", ").replace("\n", " ").strip()


def _parameters(row: dict[str, str]) -> str:
    shown = []
    for column, label in _PARAMETERS:
        value = (row.get(column) or "").strip()
        if not value or (column == "unlawful_only" and value == "0"):
            continue
        shown.append(f"{label}: `{_cell(value)}`")
    return "; ".join(shown) or "—"


def render_catalogue() -> str:
    """Markdown tables of every criterion and level membership, per criteria set."""
    criteria = _read("bo_tieu_chi.csv")
    levels = _read("bo_tieu_chi_muc.csv")
    lines: list[str] = []
    for criteria_set in sorted({row["criteria_set"] for row in criteria}):
        rows = sorted(
            (row for row in criteria if row["criteria_set"] == criteria_set),
            key=lambda row: int(row["sort_order"]),
        )
        first, last = rows[0]["year_from"], rows[0]["year_to"]
        lines += [
            f"### Bộ tiêu chí / criteria set {criteria_set}",
            "",
            f"Áp dụng cho các năm / covers the years {first}–{last}: no criteria row is produced "
            "for a year no set covers.",
            "",
        ]
        lines += [
            "| mã / code | phạm vi / scope | mức áp dụng đầu tiên / first level | tiêu chí "
            "| criterion | đạt khi / met when | tham số / parameters | nguồn / source |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for row in rows:
            unit = f" ({row['threshold_unit']})" if row["threshold_unit"] else ""
            lines.append(
                f"| {row['criterion_code']} | {row['scope']} | {row['first_level']} "
                f"| {_cell(row['ten_tieu_chi'])} | {_cell(row['name_en'])} "
                f"| measured {row['comparison']} {row['threshold']}{unit} "
                f"| {_parameters(row)} | {_cell(row['source_doc'])} |"
            )
        lines += ["", "| mức / level | tiêu chí / criteria |", "|---|---|"]
        members: dict[str, list[str]] = {}
        for row in levels:
            if row["criteria_set"] == criteria_set:
                members.setdefault(row["level"], []).append(row["criterion_code"])
        for level, codes in members.items():
            lines.append(f"| {level} | {', '.join(codes)} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def criterion_codes() -> list[str]:
    return [row["criterion_code"] for row in _read("bo_tieu_chi.csv")]


def with_generated_block(page: str) -> str:
    """`page` with the text between the markers replaced by the rendered catalogue."""
    head, found_begin, rest = page.partition(BEGIN)
    _, found_end, tail = rest.partition(END)
    if not (found_begin and found_end):
        raise ValueError(f"{CRITERIA_DOC} lacks the generated-block markers")
    return f"{head}{BEGIN}\n\n{render_catalogue()}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    write_page(CRITERIA_DOC, with_generated_block(CRITERIA_DOC.read_text(encoding="utf-8")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
