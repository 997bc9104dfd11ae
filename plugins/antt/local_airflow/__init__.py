"""The local Airflow harness: `antt airflow` (a local Airflow 3 until Ctrl-C) and `antt demo`
(the DAGs run in this process). DAG files never import it; they import `antt.orchestration`."""
