"""What the demo prints for a reviewer: communes per level and status, rejected files and why,
where the scorecards and the dbt docs are."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table

from antt.config import file_areas

REJECTED_QUERY = """
    SELECT s.file_name, s.error_count, s.report_path, e.source_row, e.column_name,
           e.message_vi, e.message_en
    FROM marts.submission_register s
    LEFT JOIN LATERAL (
        SELECT source_row, column_name, message_vi, message_en
        FROM marts.submission_errors x
        WHERE x.submission_id = s.submission_id
        ORDER BY error_no
        LIMIT 1
    ) e ON true
    WHERE s.status = 'rejected'
    ORDER BY s.file_name, s.submission_id
"""


def rejected_files(url: str | None = None) -> list[dict]:
    from antt import warehouse

    with warehouse.connect(role="reader", url=url) as conn:
        cur = conn.execute(REJECTED_QUERY)
        names = [d.name for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def scorecard_years(url: str | None = None) -> list[int]:
    from antt import warehouse

    with warehouse.connect(role="reader", url=url) as conn:
        rows = conn.execute(
            "SELECT DISTINCT year FROM marts.commune_scorecard ORDER BY year"
        ).fetchall()
    return [int(r[0]) for r in rows]


def scorecard_table(year: int, url: str | None = None) -> Table:
    from antt.transform import LEVEL_LABELS, LEVELS, scorecard_summary, shown_statuses

    counts = {(lv, st): n for lv, st, n in scorecard_summary(url=url, year=year)}
    statuses = shown_statuses(counts)
    table = Table(title=f"Xã theo mức và kết quả / communes per level and status — {year}")
    table.add_column("Mức / level")
    for status in statuses:
        table.add_column(status, justify="right")
    for level in LEVELS:
        table.add_row(LEVEL_LABELS[level], *(str(counts[(level, st)]) for st in statuses))
    return table


def print_rejected(console, rows: list[dict]) -> None:
    console.print(f"[bold]Tệp bị từ chối / rejected files: {len(rows)}[/]")
    for row in rows:
        where = ""
        if row["source_row"] is not None:
            where = f"dòng/row {row['source_row']}"
            if row["column_name"]:
                where += f", cột/column {row['column_name']}"
            where += " — "
        console.print(
            f"  • {row['file_name']} ({row['error_count']} lỗi/errors): {where}"
            f"{row['message_vi'] or ''} / {row['message_en'] or ''}",
            highlight=False,
        )


def published_outputs(folder: Path | None = None) -> list[Path]:
    folder = folder or file_areas().published
    if not folder.is_dir():
        return []
    wanted = (".html", ".xlsx", ".csv", ".json")
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in wanted)


def print_summary(console, outcome, url: str | None = None) -> None:
    from antt.local_airflow.environment import airflow_home

    if outcome.changed:
        reg = outcome.register
        console.print(
            f"Lần chạy này / this run: {outcome.landed} tệp mới / new file(s) landed — "
            f"accepted {reg.get('accepted', 0)}, rejected {reg.get('rejected', 0)}, "
            f"duplicate {reg.get('duplicate', 0)}"
            + ("; marts and reports rebuilt" if outcome.transformed else "")
        )
    else:
        console.print(
            f"[bold]Không có gì mới / nothing new:[/] all {outcome.sample_files} sample files are "
            "already in the warehouse register, the landing folder is empty and the marts are "
            "current: no Airflow run was started, marts and reports are unchanged."
        )
    if outcome.runs:
        runs = Table(title="Airflow DAG runs (dag.test)")
        for col in ("DAG", "run", "state", "seconds"):
            runs.add_column(col)
        for run in outcome.runs:
            runs.add_row(run.dag_id, run.run_id, run.state, f"{run.seconds:.1f}")
        console.print(runs)
    for year in scorecard_years(url):
        console.print(scorecard_table(year, url))
    rejected = rejected_files(url)
    print_rejected(console, rejected)
    if rejected:
        reports = {Path(r["report_path"]).parent for r in rejected if r["report_path"]}
        for folder in sorted(reports):
            console.print(f"  báo cáo từ chối / rejection reports: {folder}")
    outputs = published_outputs()
    console.print("Kết quả / outputs:")
    for path in outputs:
        console.print(f"  {path}  ({path.stat().st_size / 1024:.0f} KiB)")
    if not outputs:
        console.print("  (none yet)")
    console.print(
        f"Airflow: runs recorded in database airflow_meta, home {airflow_home()}; "
        "`antt airflow` shows them in the UI"
    )
    console.print(f"Thời gian / wall time: {outcome.seconds:.1f} s")
