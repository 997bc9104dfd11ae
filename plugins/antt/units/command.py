"""`antt units crosswalk`: print the review, write the reviewed CSV when nothing is left open."""

from __future__ import annotations

import csv
from pathlib import Path

from rich.console import Console

from antt.errors import AnttError
from antt.units.crosswalk import CROSSWALK_CSV, read_crosswalk, write_crosswalk
from antt.units.generate import FINDING_KINDS, CrosswalkBuild, build_crosswalk
from antt.units.overrides import OVERRIDES_CSV, read_overrides

REPORT_HEADER = ("kind", "old_commune_code", "new_commune_code", "detail", "decision")


def write_findings(build: CrosswalkBuild, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(REPORT_HEADER)
        for f in build.findings:
            writer.writerow((f.kind, f.old_code, f.new_code, f.detail, f.decision or "OPEN"))


def print_review(console: Console, build: CrosswalkBuild) -> None:
    rows = build.rows
    split_old = {r.old_commune_code for r in rows if r.relation == "SPLIT"}
    console.print(
        f"bảng chuyển đổi / crosswalk: {len(rows)} dòng / rows"
        f" ({len({r.old_commune_code for r in rows})} xã cũ / old communes,"
        f" {len({r.new_commune_code for r in rows})} đơn vị mới / new units,"
        f" {len(split_old)} xã cũ bị chia / split old communes);"
        f" sinh ra / generated {build.generated_pairs};"
        f" mã khác mã chính thức trong vietnamadminunits / package codes that are not"
        f" official: {len(build.code_differences)}"
    )
    for kind, (vi, en) in FINDING_KINDS.items():
        found = [f for f in build.findings if f.kind == kind]
        if not found:
            continue
        opened = sum(f.is_open for f in found)
        console.print(f"[bold]{kind}[/] {vi} / {en}: {len(found)} ({opened} chưa quyết / open)")
        for f in found:
            state = "[red]OPEN[/]" if f.is_open else f.decision
            console.print(f"  {f.detail}\n    → {state}", highlight=False, soft_wrap=True)


def run_crosswalk(
    console: Console,
    out: Path = CROSSWALK_CSV,
    overrides_path: Path = OVERRIDES_CSV,
    report: Path | None = None,
    check: bool = False,
) -> CrosswalkBuild:
    build = build_crosswalk(read_overrides(overrides_path))
    print_review(console, build)
    if report is not None:
        write_findings(build, report)
    if build.open_findings:
        raise AnttError(
            f"{len(build.open_findings)} phát hiện cần người xem xét: quyết định từng dòng trong"
            f" {overrides_path} / {len(build.open_findings)} findings need a person: decide each"
            f" in {overrides_path}"
        )
    if check:
        if not out.exists() or read_crosswalk(out) != build.rows:
            raise AnttError(
                f"{out} khác với bảng sinh ra (chạy `antt units crosswalk`) / {out} differs from"
                " the generated crosswalk (run `antt units crosswalk`)"
            )
        console.print(f"{out}: khớp / up to date")
        return build
    write_crosswalk(build.rows, out)
    console.print(f"đã ghi / written: {out}")
    return build
