"""What the DAG files import: shared DAG settings and assets, failure callbacks, and the work of
the ingest and publish tasks. The dbt configuration is in `antt.transform.cosmos`; the local
harness (`antt airflow`, `antt demo`) in `antt.local_airflow`."""
