"""dbt for the ANTT warehouse, in one place: the profile (`profile`), running dbt from the CLI
and plain tasks (`runner`), the freshness check (`freshness`), the Cosmos configuration of
antt_transform (`cosmos`), and what `antt build` prints (`scorecard`)."""

from antt.transform.runner import (
    DbtRun,
    build,
    generate_docs,
    parse_manifest,
    run_dbt,
    source_freshness,
)
from antt.transform.scorecard import (
    LEVEL_LABELS,
    LEVELS,
    NOT_COMPARABLE,
    STATUSES,
    build_command,
    docs_command,
    scorecard_summary,
    scorecard_year,
    shown_statuses,
)

__all__ = [
    "LEVELS",
    "LEVEL_LABELS",
    "NOT_COMPARABLE",
    "STATUSES",
    "DbtRun",
    "build",
    "build_command",
    "docs_command",
    "generate_docs",
    "parse_manifest",
    "run_dbt",
    "scorecard_summary",
    "scorecard_year",
    "shown_statuses",
    "source_freshness",
]
