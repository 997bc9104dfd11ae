"""Running dbt from the CLI and plain tasks: `antt build`, `antt docs`, `dbt parse`, freshness.

dbt runs as a subprocess of this interpreter's environment (`.venv/bin/dbt`) with the project's
one profile (`antt.transform.profile`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from antt.config import DBT_PROJECT_DIR, state_dir
from antt.errors import AnttError
from antt.transform.profile import (
    PROFILE_NAME,
    PROFILE_PREFIX,
    PROFILES_DIR,
    TARGET_NAME,
    profile_env,
)

# Status values of dbt's run_results.json, grouped the way `antt build` reports them.
_PASS = {"pass", "success"}
_WARN = {"warn"}
_ERROR = {"error", "fail", "runtime error"}
_SKIP = {"skipped"}


@dataclass
class DbtRun:
    """The outcome of one dbt invocation."""

    args: list[str]
    returncode: int
    elapsed_s: float = 0.0
    output: str = ""
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # How many nodes ended in each of the groups `antt build` reports (pass, warn, error, skip).
    outcomes: Counter[str] = field(default_factory=Counter)

    passed = property(lambda self: self.outcomes["pass"])
    warned = property(lambda self: self.outcomes["warn"])
    errored = property(lambda self: self.outcomes["error"])
    skipped = property(lambda self: self.outcomes["skip"])

    @property
    def success(self) -> bool:
        """dbt exits 0 when only warnings happened; errors, failures and crashes are non-zero."""
        return self.returncode == 0 and self.errored == 0

    def summary(self) -> str:
        return (
            f"dbt {' '.join(self.args[:1])}: {self.passed} pass, {self.warned} warn, "
            f"{self.errored} error, {self.skipped} skipped in {self.elapsed_s:.1f} s"
        )


def dbt_executable() -> Path:
    exe = Path(sys.executable).parent / "dbt"
    if not exe.exists():
        found = shutil.which("dbt")
        if not found:
            raise AnttError(f"dbt is not installed next to {sys.executable} (run `make setup`)")
        exe = Path(found)
    return exe


def _base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(PROFILE_PREFIX)}
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    env["DBT_USE_COLORS"] = "false"
    return env


def _read_results(target_dir: Path, run: DbtRun) -> None:
    """Counts from run_results.json (or sources.json for `dbt source freshness`)."""
    results_file = target_dir / "run_results.json"
    if not results_file.exists():
        results_file = target_dir / "sources.json"
    if not results_file.exists():
        return
    data = json.loads(results_file.read_text(encoding="utf-8"))
    run.elapsed_s = float(data.get("elapsed_time") or 0.0)
    for result in data.get("results", []):
        status = str(result.get("status") or "").lower()
        node = result.get("unique_id", "?")
        message = dbt_reason(result.get("message") or result.get("error") or "")
        line = f"{node}: {message or status}"
        if status in _PASS:
            run.outcomes["pass"] += 1
        elif status in _WARN:
            run.outcomes["warn"] += 1
            run.warnings.append(line)
        elif status in _ERROR:
            run.outcomes["error"] += 1
            run.failures.append(line)
        elif status in _SKIP:
            run.outcomes["skip"] += 1


def shared_target() -> Path:
    """Where runs publish their artifacts: under ANTT_HOME, never inside the repository."""
    return state_dir() / "dbt" / "target"


def dbt_log_dir() -> Path:
    return state_dir() / "dbt" / "logs"


PARTIAL_PARSE = "partial_parse.msgpack"
# Artifacts a private run publishes to the shared target folder when it succeeds.
PUBLISHED_ARTIFACTS = ("manifest.json", "run_results.json", "sources.json", "catalog.json")


@contextmanager
def private_target() -> Iterator[Path]:
    """A target folder of this run alone: concurrent dbt runs (CLI, Airflow tasks, tests) never
    read each other's run_results.json. The shared partial-parse file is reused and refreshed."""
    shared = shared_target()
    shared.mkdir(parents=True, exist_ok=True)
    private = Path(tempfile.mkdtemp(prefix="run-", dir=shared))
    try:
        shared_parse = shared / PARTIAL_PARSE
        if shared_parse.exists():
            shutil.copyfile(shared_parse, private / PARTIAL_PARSE)
        yield private
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _publish(private: Path, names: tuple[str, ...]) -> None:
    """Copy artifacts to the shared target atomically (write aside, then rename)."""
    for name in names:
        source = private / name
        if source.exists():
            aside = shared_target() / f".{name}.{os.getpid()}"
            shutil.copyfile(source, aside)
            os.replace(aside, shared_target() / name)


def run_dbt(
    args: list[str],
    url: str | None = None,
    *,
    needs_db: bool = True,
    target_dir: Path | None = None,
) -> DbtRun:
    """Run `dbt ARGS` in the project; the result counts come from its run results.

    Without `target_dir` the run works in a private target folder and publishes its artifacts
    (manifest, run results, partial-parse state) to `shared_target()` afterwards.
    """
    if target_dir is not None:
        return _run_in(args, url, needs_db, target_dir)
    with private_target() as private:
        run = _run_in(args, url, needs_db, private)
        _publish(private, (PARTIAL_PARSE, *PUBLISHED_ARTIFACTS))
        return run


def _run_in(args: list[str], url: str | None, needs_db: bool, target: Path) -> DbtRun:
    env = _base_env()
    if needs_db:
        env.update(profile_env(url))
    target.mkdir(parents=True, exist_ok=True)
    for stale in ("run_results.json", "sources.json"):
        (target / stale).unlink(missing_ok=True)
    cmd = [
        str(dbt_executable()),
        "--no-use-colors",
        *args,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(PROFILES_DIR),
        # Named as Cosmos names them: dbt's partial parse is only reused when the profile and
        # target given on the command line match, so Airflow's build starts from this parse.
        "--profile",
        PROFILE_NAME,
        "--target",
        TARGET_NAME,
        "--target-path",
        str(target),
        "--log-path",
        str(dbt_log_dir()),
    ]
    proc = subprocess.run(
        cmd, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    run = DbtRun(args=list(args), returncode=proc.returncode, output=proc.stdout + proc.stderr)
    _read_results(target, run)
    if proc.returncode != 0 and not run.failures:
        run.failures.append(_last_error_line(run.output))
    return run


_LOG_TIME = re.compile(r"^\s*[0-9]{2}:[0-9]{2}:[0-9]{2}\s+")  # dbt's time stamp of a log line


def dbt_reason(message: str) -> str:
    """dbt's error in one line: its heading ("Database Error in model x") and the first line of
    the reason under it (PostgreSQL's own message), e.g. "Database Error: connection to server
    at "127.0.0.1", port 1 failed: Connection refused"."""
    lines = [line for line in message.splitlines() if line.strip()]
    if not lines:
        return ""
    heading = lines[0].strip()
    detail = next((ln.strip() for ln in lines[1:] if ln[:1].isspace()), "")
    return f"{heading}: {detail}" if detail else heading


def _last_error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    for index in range(len(lines) - 1, -1, -1):
        if "error" in lines[index].lower():
            # "Database Error" says nothing alone: the reason is on the indented line below
            heading = _LOG_TIME.sub("", lines[index])
            return dbt_reason("\n".join([heading, *lines[index + 1 : index + 2]]))
    return lines[-1].strip() if lines else "dbt failed with no output"


def build(
    url: str | None = None, full_refresh: bool = False, extra_args: list[str] | None = None
) -> DbtRun:
    """`dbt build`: seeds, models, unit and data tests. Warnings alone are a success."""
    args = ["build"]
    if full_refresh:
        args.append("--full-refresh")
    return run_dbt(args + list(extra_args or []), url)


def source_freshness(url: str | None = None) -> DbtRun:
    return run_dbt(["source", "freshness"], url)


def parse_manifest(target_dir: Path | None = None) -> Path:
    """`dbt parse` (no database needed); the path of target/manifest.json for Cosmos."""
    if target_dir is None:
        run = run_dbt(["parse"], needs_db=False)
        manifest = shared_target() / "manifest.json"
    else:
        run = run_dbt(["parse"], needs_db=False, target_dir=target_dir)
        manifest = target_dir / "manifest.json"
    if run.returncode != 0 or not manifest.exists():
        raise AnttError(f"dbt parse failed: {run.failures[0] if run.failures else run.output}")
    return manifest


def generate_docs(out_dir: Path | None = None, url: str | None = None) -> Path:
    """`dbt docs generate --static`: one self-contained HTML file with the lineage graph.

    With a reachable warehouse the catalog (column types, comments) is included; without one the
    docs are generated from the project alone. The page is published as
    `static_index.html` in `shared_target()` and, with `out_dir`, copied there as `dbt_docs.html`.
    """
    try:
        env_ok = bool(profile_env(url))
    except AnttError:
        env_ok = False
    with private_target() as private:
        run = _run_in(["docs", "generate", "--static"], url, True, private) if env_ok else None
        if run is None or run.returncode != 0:
            # No warehouse: the docs of the project alone (descriptions, lineage, SQL source).
            parse_manifest(private)
            run = _run_in(
                ["docs", "generate", "--static", "--empty-catalog", "--no-compile"],
                url,
                False,
                private,
            )
        if run.returncode != 0 or not (private / "static_index.html").exists():
            raise AnttError(f"dbt docs failed: {run.failures[0] if run.failures else run.output}")
        _publish(private, ("static_index.html", "index.html", *PUBLISHED_ARTIFACTS))
    page = shared_target() / "static_index.html"
    if out_dir is None:
        return page
    out_dir.mkdir(parents=True, exist_ok=True)
    copied = out_dir / "dbt_docs.html"
    shutil.copyfile(page, copied)
    return copied
