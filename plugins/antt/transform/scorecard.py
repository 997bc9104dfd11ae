"""What `antt build` prints: the scorecard summary per level and status, read as antt_reader."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from antt.errors import AnttError
from antt.transform.runner import DbtRun, build, generate_docs

LEVELS = ("NTM", "NTM_NANG_CAO", "NTM_KIEU_MAU")
NOT_COMPARABLE = "KHONG_SO_SANH_DUOC"
STATUSES = ("DAT", "KHONG_DAT", "KHONG_DU_DU_LIEU", NOT_COMPARABLE)


@contextmanager
def _marts_built() -> Iterator[None]:
    import psycopg

    try:
        yield
    except psycopg.errors.UndefinedTable as exc:
        raise AnttError(
            "chưa có bảng kết quả / the marts are not built yet: run `antt build`"
        ) from exc


def scorecard_summary(
    url: str | None = None, year: int | None = None
) -> list[tuple[str, str, int]]:
    """(level, status, communes) over `marts.commune_scorecard`, read as antt_reader.

    Without `year` the latest evaluated year is summarised.
    """
    from antt import warehouse

    query = """
        WITH chosen AS (
            SELECT coalesce(%(year)s, max(year)) AS year FROM marts.commune_scorecard
        ), levels AS (
            SELECT 'NTM' AS level, ntm_status AS status FROM marts.commune_scorecard s
                JOIN chosen USING (year)
            UNION ALL
            SELECT 'NTM_NANG_CAO', ntm_nang_cao_status FROM marts.commune_scorecard s
                JOIN chosen USING (year)
            UNION ALL
            SELECT 'NTM_KIEU_MAU', ntm_kieu_mau_status FROM marts.commune_scorecard s
                JOIN chosen USING (year)
        )
        SELECT level, status, count(*)::int FROM levels GROUP BY level, status
    """
    with _marts_built(), warehouse.connect(role="reader", url=url) as conn:
        rows = conn.execute(query, {"year": year}).fetchall()
    counts = {(level, status): n for level, status, n in rows}
    return [
        (level, status, counts.get((level, status), 0)) for level in LEVELS for status in STATUSES
    ]


def scorecard_year(url: str | None = None) -> int | None:
    from antt import warehouse

    with _marts_built(), warehouse.connect(role="reader", url=url) as conn:
        row = conn.execute("SELECT max(year) FROM marts.commune_scorecard").fetchone()
    return row[0] if row else None


def shown_statuses(counts: dict[tuple[str, str], int]) -> tuple[str, ...]:
    """The status columns of a scorecard table: KHONG_SO_SANH_DUOC only for a year that has it
    (it exists from 2025, on the new units)."""
    return tuple(
        status
        for status in STATUSES
        if status != NOT_COMPARABLE or any(n for (_, st), n in counts.items() if st == status)
    )


def years_without_criteria(url: str | None = None) -> list[tuple[int, str]]:
    """Years with accepted data that no criteria set of the catalogue covers, each with the
    catalogue's coverage in words (read as antt_reader from marts.dim_criteria_set)."""
    from antt import warehouse

    query = """
        SELECT DISTINCT r.period_year
        FROM marts.submission_register r
        WHERE r.status = 'accepted' AND r.period_year IS NOT NULL
          AND NOT EXISTS (
              SELECT 1 FROM marts.dim_criteria_set c
              WHERE r.period_year BETWEEN c.year_from AND c.year_to
          )
        ORDER BY 1
    """
    with _marts_built(), warehouse.connect(role="reader", url=url) as conn:
        years = [row[0] for row in conn.execute(query).fetchall()]
        sets = conn.execute(
            "SELECT criteria_set, year_from, year_to FROM marts.dim_criteria_set ORDER BY year_from"
        ).fetchall()
    coverage = ", ".join(f"{name}: {start}–{end}" for name, start, end in sets) or "—"
    return [(year, coverage) for year in years]


def print_years_without_criteria(console, url: str | None = None) -> None:
    for year, coverage in years_without_criteria(url):
        console.print(
            f"Năm {year}: đã nạp dữ liệu nhưng không đánh giá — không bộ tiêu chí nào áp dụng "
            f"cho năm này (bộ tiêu chí / criteria sets {coverage}) / {year}: data loaded, nothing "
            "evaluated — no criteria set of the catalogue covers this year",
            highlight=False,
        )


LEVEL_LABELS = {
    "NTM": "Nông thôn mới (NTM)",
    "NTM_NANG_CAO": "NTM nâng cao (advanced)",
    "NTM_KIEU_MAU": "NTM kiểu mẫu (model)",
}


def build_command(console, full_refresh: bool = False) -> DbtRun:
    """`antt build`: dbt build, then the scorecard table; AnttError on any dbt error."""
    from rich.table import Table

    run = build(full_refresh=full_refresh)
    console.print(run.summary())
    for line in run.warnings[:20]:
        console.print(f"  cảnh báo / warning: {line}", highlight=False)
    if not run.success:
        for line in run.failures[1:20]:  # the first one is in the error below
            console.print(f"  lỗi / error: {line}", highlight=False, soft_wrap=True)
        raise AnttError(
            f"dbt build thất bại / failed: {max(run.errored, 1)} error(s); "
            f"first: {run.failures[0] if run.failures else 'see dbt output'}"
        )
    print_years_without_criteria(console)
    year = scorecard_year()
    if year is None:
        console.print("chưa có xã nào được đánh giá / no commune evaluated yet (no accepted data)")
        return run
    table = Table(title=f"Xã theo mức và kết quả / communes per level and status, {year}")
    table.add_column("Mức / level")
    counts = {(lv, st): n for lv, st, n in scorecard_summary(year=year)}
    statuses = shown_statuses(counts)
    for status in statuses:
        table.add_column(status, justify="right")
    for level in LEVELS:
        table.add_row(LEVEL_LABELS[level], *(str(counts[(level, st)]) for st in statuses))
    console.print(table)
    return run


def docs_command(console, out: str | None = None) -> Path:
    page = generate_docs(Path(out) if out else None)
    console.print(f"dbt docs: {page} ({page.stat().st_size / 1e6:.1f} MB)")
    return page
