"""Run ANTT DAGs through Airflow in this process, in the order given, and print one JSON line
per DAG run: `python -m antt.orchestration.run antt_ingest [antt_transform antt_publish]`.

For operators without a scheduler, and for tests that need Airflow's own retries and mapping.
Exit code 0 when every run succeeded, 1 otherwise.
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str] | None = None) -> int:
    from antt import warehouse
    from antt.orchestration.demo import prepare_in_process
    from antt.orchestration.runner import DAG_IDS

    dag_ids = list(argv if argv is not None else sys.argv[1:])
    unknown = [d for d in dag_ids if d not in DAG_IDS]
    if not dag_ids or unknown:
        print(f"usage: python -m antt.orchestration.run {' '.join(DAG_IDS)}", file=sys.stderr)
        return 2
    runner = prepare_in_process(warehouse.warehouse_url(), progress=lambda m: None)
    ok = True
    for dag_id in dag_ids:
        result = runner.run_dag(dag_id)
        ok = ok and result.ok
        record = {
            "dag_id": dag_id,
            "run_id": result.run_id,
            "state": result.state,
            "seconds": round(result.seconds, 1),
            "failed": result.failed,
            "tries": result.tries,
            "task_states": {k: dict(v) for k, v in result.task_states.items()},
        }
        print("ANTT_RUN " + json.dumps(record), flush=True)
        if not result.ok:
            break
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
