"""The watcher producer's `dbt build` at the cost of `antt build`'s (imports Cosmos).

Two costs Cosmos' producer adds to the same `dbt build` (measured in
`bench/transform_airflow.py`, docs/decisions.md):

- A full parse. Cosmos runs dbt in a copy of the project and reuses only its own partial-parse
  cache, empty until a producer has run in this Airflow home; `antt build` and `dbt parse`
  leave theirs in the runner's shared target folder (`runner.shared_target`). With its cache
  empty the producer starts from that one. dbt accepts it because the runner names the profile and
  target on the command line as Cosmos does (dbt rejects a partial parse made with other
  `--profile`/`--target` arguments).
- An XCom per dbt event. For every node Cosmos pushes an XCom at NodeStart, NodeCompiling,
  NodeExecuting and NodeFinished, each overwriting the one before under the same key; the node
  tasks read only the last. Here the three progress events are logged and not pushed:
  `NodeFinished` (and the error events after it) still push the value the tasks read.
"""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path

from cosmos.operators.watcher import DbtProducerWatcherOperator

from antt.transform.runner import PARTIAL_PARSE, shared_target

# dbt events that only report a node's progress: a later event of the node replaces their XCom.
PROGRESS_EVENTS = frozenset({"NodeStart", "NodeCompiling", "NodeExecuting"})


def seed_partial_parse(project_copy: Path) -> bool:
    """Put the runner's partial parse in the project copy's target folder when Cosmos put none
    there (its cache is empty until a producer has run); whether it did. Cosmos' own, when it
    has one, was made by a producer with this very profile, so it is kept."""
    shared = shared_target() / PARTIAL_PARSE
    target = project_copy / "target" / PARTIAL_PARSE
    if not shared.exists() or target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shared, target)
    return True


def is_progress_line(line: str) -> bool:
    """A dbt JSON log line of a node's progress (NodeStart, NodeCompiling, NodeExecuting)."""
    try:
        event = json.loads(line)
    except ValueError:
        return False
    return isinstance(event, dict) and event.get("info", {}).get("name") in PROGRESS_EVENTS


def _progress_only_logged(parse, line: str, extra_kwargs) -> None:
    if is_progress_line(line):
        # Without a context Cosmos' parser only logs the line (no XCom push).
        extra_kwargs = {k: v for k, v in (extra_kwargs or {}).items() if k != "context"}
    parse(line, extra_kwargs)


class LeanProducer(DbtProducerWatcherOperator):
    """Cosmos' watcher producer, starting from the runner's parse, pushing final states only."""

    def _handle_partial_parse(self, tmp_dir_path: Path) -> None:
        super()._handle_partial_parse(tmp_dir_path)
        if seed_partial_parse(tmp_dir_path):
            self.log.info("partial parse: starting from %s", shared_target() / PARTIAL_PARSE)

    def _make_parse_callable(self):
        return functools.partial(_progress_only_logged, super()._make_parse_callable())
