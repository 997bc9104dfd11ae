"""Orchestration: what the Airflow DAGs and the `antt airflow` / `antt demo` commands share."""
