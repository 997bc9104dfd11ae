"""Superset's export files (bi/superset/, and bi/pending/) generated from antt.bi.declaration.

The layout is the one Superset writes when it exports a dashboard: metadata.yaml, databases/,
datasets/<database>/, charts/, dashboards/. UUIDs derive from names (uuid5), so regenerating
gives the same files; every chart carries its query context (Superset serves
GET /api/v1/chart/{id}/data/ from it). Write the files with `python -m antt.bi.assets`;
tests/bi checks that the committed files are what this module writes.
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Any

import yaml

from antt.bi.declaration import (
    DATABASE_FILE,
    DATABASE_NAME,
    DATABASE_URI,
    MART_LABELS,
    Chart,
    Dashboard,
    Dataset,
    Declaration,
)
from antt.config import DBT_PROJECT_DIR, REPO_ROOT

BI_DIR = REPO_ROOT / "bi"
ASSETS_DIR = BI_DIR / "superset"  # what Superset imports
PENDING_DIR = BI_DIR / "pending"  # declared charts whose marts are not built yet: not imported
MARTS_YML = DBT_PROJECT_DIR / "models" / "marts" / "_marts.yml"
VERSION = "1.0.0"
# Fixed so the files do not change on every run; Superset only shows it.
EXPORT_TIMESTAMP = "2026-11-30T00:00:00+00:00"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "antt-warehouse/bi/superset")
PLACEHOLDER_DATASET_ID = 0  # Superset replaces it with the dataset's id on import
HEADER = "# Generated from plugins/antt/bi/declaration.py by `python -m antt.bi.assets`.\n"


def stable_uuid(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{name}"))


def database_uuid() -> str:
    return stable_uuid("database", "antt_warehouse")


def dataset_uuid(name: str) -> str:
    return stable_uuid("dataset", name)


def chart_uuid(key: str) -> str:
    return stable_uuid("chart", key)


def dashboard_uuid(slug: str) -> str:
    return stable_uuid("dashboard", slug)


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (SQL, query contexts) as literal blocks, so diffs stay readable."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def to_yaml(doc: dict[str, Any]) -> str:
    return HEADER + yaml.dump(
        doc, Dumper=_Dumper, sort_keys=True, allow_unicode=True, width=100, default_flow_style=False
    )


# --- the dbt contract: column types and descriptions of the marts --------------------------------


def mart_contract(path: Path = MARTS_YML) -> dict[str, list[dict[str, Any]]]:
    """Model name -> its columns (name, data_type, description) as the dbt contract declares."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {m["name"]: m.get("columns", []) for m in doc.get("models", [])}


def _descriptions(contract: dict[str, list[dict[str, Any]]]) -> dict[str, str]:
    """A description for each column name, from the first mart that documents it."""
    found: dict[str, str] = {}
    for columns in contract.values():
        for col in columns:
            found.setdefault(col["name"], " ".join(str(col.get("description", "")).split()))
    return found


def _column(name, type_, description, label=None, is_dttm=False) -> dict[str, Any]:
    return {
        "advanced_data_type": None,
        "column_name": name,
        "description": description or None,
        "expression": None,
        "extra": {},
        "filterable": True,
        "groupby": True,
        "is_active": True,
        "is_dttm": is_dttm,
        "python_date_format": None,
        "type": type_,
        "verbose_name": label,
    }


def dataset_columns(dataset: Dataset, contract) -> list[dict[str, Any]]:
    if dataset.sql is None:
        if dataset.name not in contract:
            raise ValueError(f"dataset {dataset.name}: no mart of that name in {MARTS_YML.name}")
        labels = {c.name: c.label for ds in _all_declared() for c in ds.columns if c.label}
        labels |= MART_LABELS
        return [
            _column(
                col["name"],
                str(col.get("data_type", "text")).upper(),
                " ".join(str(col.get("description", "")).split()),
                labels.get(col["name"]),
                str(col.get("data_type", "")).lower() in ("date", "timestamp"),
            )
            for col in contract[dataset.name]
        ]
    described = _descriptions(contract)
    return [
        _column(c.name, c.type, described.get(c.name), c.label, c.is_dttm) for c in dataset.columns
    ]


def _all_declared() -> tuple[Dataset, ...]:
    return Declaration().datasets


def dataset_doc(dataset: Dataset, contract) -> dict[str, Any]:
    return {
        "always_filter_main_dttm": False,
        "cache_timeout": None,
        "catalog": None,
        "columns": dataset_columns(dataset, contract),
        "database_uuid": database_uuid(),
        "default_endpoint": None,
        "description": dataset.description,
        "extra": None,
        "fetch_values_predicate": None,
        "filter_select_enabled": True,
        "main_dttm_col": dataset.main_dttm_col,
        "metrics": [
            {
                "currency": None,
                "d3format": None,
                "description": None,
                "expression": m.expression,
                "extra": {},
                "metric_name": m.name,
                "metric_type": None,
                "verbose_name": m.label,
                "warning_text": None,
            }
            for m in dataset.metrics
        ],
        "normalize_columns": False,
        "offset": 0,
        "params": None,
        "schema": "marts",
        "sql": dataset.sql,
        "table_name": dataset.name,
        "template_params": None,
        "uuid": dataset_uuid(dataset.name),
        "version": VERSION,
    }


def database_doc() -> dict[str, Any]:
    return {
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_file_upload": False,
        "allow_run_async": False,
        "cache_timeout": None,
        "database_name": DATABASE_NAME,
        "expose_in_sqllab": True,
        "extra": {
            "allows_virtual_table_explore": True,
            "engine_params": {},
            "metadata_cache_timeout": {},
            "metadata_params": {},
            "schemas_allowed_for_file_upload": [],
        },
        "impersonate_user": False,
        "sqlalchemy_uri": DATABASE_URI,
        "uuid": database_uuid(),
        "version": VERSION,
    }


# --- charts: form data (params) and the query context the API runs ----------------------------


def _adhoc_filters(chart: Chart) -> list[dict[str, Any]]:
    return [
        {
            "clause": "WHERE",
            "comparator": value,
            "expressionType": "SIMPLE",
            "operator": op,
            "subject": column,
        }
        for column, op, value in chart.filters
    ]


def _axis_column(chart: Chart) -> dict[str, Any] | str:
    if chart.time_grain:
        return {
            "columnType": "BASE_AXIS",
            "expressionType": "SQL",
            "label": chart.x_axis,
            "sqlExpression": chart.x_axis,
            "timeGrain": chart.time_grain,
        }
    return chart.x_axis


def chart_params(chart: Chart, dataset_ref: str) -> dict[str, Any]:
    params: dict[str, Any] = {
        "adhoc_filters": _adhoc_filters(chart),
        "datasource": dataset_ref,
        "extra_form_data": {},
        "row_limit": chart.row_limit,
        "viz_type": chart.viz_type,
    }
    if chart.viz_type == "table":
        params |= {
            "all_columns": list(chart.columns),
            "include_search": True,
            "order_by_cols": [json.dumps([c, asc]) for c, asc in chart.orderby],
            "page_length": 25,
            "query_mode": "raw",
            "server_pagination": False,
            "show_cell_bars": False,
            "table_timestamp_format": "smart_date",
        }
    elif chart.viz_type == "pivot_table_v2":
        params |= {
            "aggregateFunction": "Sum",
            "colOrder": "key_a_to_z",
            "groupbyColumns": list(chart.pivot_columns),
            "groupbyRows": list(chart.columns),
            "metrics": list(chart.metrics),
            "metricsLayout": "COLUMNS",
            "rowOrder": "key_a_to_z",
            "rowTotals": True,
            "colTotals": False,
            "valueFormat": "SMART_NUMBER",
        }
    else:
        params |= {
            "color_scheme": "supersetColors",
            "groupby": list(chart.groupby),
            "metrics": list(chart.metrics),
            "order_desc": True,
            "rich_tooltip": True,
            "show_legend": bool(chart.groupby),
            "time_grain_sqla": chart.time_grain,
            "x_axis": chart.x_axis,
            "x_axis_sort_asc": False,
            "y_axis_format": "SMART_NUMBER",
        }
        if chart.viz_type == "echarts_timeseries_bar":
            params |= {"show_value": True, "x_axis_sort": chart.metrics[0]}
        if chart.viz_type == "echarts_timeseries_line":
            params |= {"markerEnabled": True, "markerSize": 4}
    return params


def _query(chart: Chart) -> dict[str, Any]:
    filters = [{"col": col, "op": op, "val": val} for col, op, val in chart.filters]
    query: dict[str, Any] = {
        "annotation_layers": [],
        "applied_time_extras": {},
        "custom_form_data": {},
        "custom_params": {},
        "extras": {"having": "", "where": ""},
        "filters": filters,
        "order_desc": True,
        "row_limit": chart.row_limit,
        "series_limit": 0,
        "time_range": "No filter",
        "url_params": {},
    }
    if chart.viz_type == "table":
        return query | {
            "columns": list(chart.columns),
            "metrics": [],
            "orderby": [[c, asc] for c, asc in chart.orderby],
            "post_processing": [],
        }
    if chart.viz_type == "pivot_table_v2":
        return query | {
            "columns": [*chart.columns, *chart.pivot_columns],
            "metrics": list(chart.metrics),
            "orderby": [[chart.metrics[0], False]],
            "post_processing": [],
        }
    axis = _axis_column(chart)
    orderby = [[m, asc] for m, asc in chart.orderby] or [[chart.metrics[0], False]]
    return query | {
        "columns": [axis, *chart.groupby],
        "metrics": list(chart.metrics),
        "orderby": orderby,
        "series_columns": list(chart.groupby),
        "post_processing": [
            {
                "operation": "pivot",
                "options": {
                    "aggregates": {m: {"operator": "mean"} for m in chart.metrics},
                    "columns": list(chart.groupby),
                    "drop_missing_columns": False,
                    "index": [chart.x_axis],
                },
            },
            {"operation": "flatten"},
        ],
    }


def query_context(chart: Chart, params: dict[str, Any]) -> str:
    context = {
        "datasource": {"id": PLACEHOLDER_DATASET_ID, "type": "table"},
        "force": False,
        "form_data": params,
        "queries": [_query(chart)],
        "result_format": "json",
        "result_type": "full",
    }
    return json.dumps(context, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def chart_doc(chart: Chart) -> dict[str, Any]:
    params = chart_params(chart, f"{PLACEHOLDER_DATASET_ID}__table")
    return {
        "cache_timeout": None,
        "certification_details": None,
        "certified_by": None,
        "dataset_uuid": dataset_uuid(chart.dataset),
        "description": chart.description,
        "params": params,
        "query_context": query_context(chart, params),
        "slice_name": chart.title,
        "uuid": chart_uuid(chart.key),
        "version": VERSION,
        "viz_type": chart.viz_type,
    }


# --- the dashboard -------------------------------------------------------------------------------


def dashboard_doc(dashboard: Dashboard, charts: dict[str, Chart]) -> dict[str, Any]:
    position: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"children": ["GRID_ID"], "id": "ROOT_ID", "type": "ROOT"},
        "HEADER_ID": {"id": "HEADER_ID", "meta": {"text": dashboard.title}, "type": "HEADER"},
        "GRID_ID": {"children": [], "id": "GRID_ID", "parents": ["ROOT_ID"], "type": "GRID"},
    }
    chart_number = 0
    for row_number, keys in enumerate(dashboard.rows, start=1):
        row_id = f"ROW-{row_number}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "children": [],
            "id": row_id,
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
            "parents": ["ROOT_ID", "GRID_ID"],
            "type": "ROW",
        }
        for key in keys:
            chart = charts[key]
            chart_number += 1  # a placeholder id: Superset maps it to the imported chart's id
            chart_id = f"CHART-{key}"
            position[row_id]["children"].append(chart_id)
            position[chart_id] = {
                "children": [],
                "id": chart_id,
                "meta": {
                    "chartId": chart_number,
                    "height": chart.height,
                    "sliceName": chart.title,
                    "uuid": chart_uuid(key),
                    "width": chart.width,
                },
                "parents": ["ROOT_ID", "GRID_ID", row_id],
                "type": "CHART",
            }
    native_filters = [
        {
            "cascadeParentIds": [],
            "controlValues": {
                "defaultToFirstItem": False,
                "enableEmptyFilter": False,
                "inverseSelection": False,
                "multiSelect": True,
                "searchAllOptions": False,
            },
            "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
            "description": "",
            "filterType": "filter_select",
            "id": f"NATIVE_FILTER-{column}",
            "name": label,
            "scope": {"excluded": [], "rootPath": ["ROOT_ID"]},
            "targets": [{"column": {"name": column}, "datasetUuid": dataset_uuid(dataset)}],
            "type": "NATIVE_FILTER",
        }
        for column, dataset, label in dashboard.filters
    ]
    return {
        "certification_details": None,
        "certified_by": None,
        "css": None,
        "dashboard_title": dashboard.title,
        "description": dashboard.description,
        "metadata": {
            "color_scheme": "supersetColors",
            "cross_filters_enabled": False,
            "default_filters": "{}",
            "expanded_slices": {},
            "native_filter_configuration": native_filters,
            "refresh_frequency": 0,
            "timed_refresh_immune_slices": [],
        },
        "position": position,
        "published": True,
        "slug": dashboard.slug,
        "uuid": dashboard_uuid(dashboard.slug),
        "version": VERSION,
    }


def dashboard_chart_keys(declaration: Declaration) -> list[str]:
    return [key for row in declaration.dashboard.rows for key in row]


def render(declaration: Declaration | None = None, contract=None) -> dict[str, str]:
    """Path relative to bi/ -> file text of every asset: superset/ holds what Superset imports,
    pending/ the declared charts that are not on the dashboard yet and the datasets only they
    use (Superset would import every dataset and chart of a bundle, and a chart on a missing
    mart fails)."""
    declaration = declaration or Declaration()
    contract = contract if contract is not None else mart_contract()
    charts = {c.key: c for c in declaration.charts}
    datasets = {d.name: d for d in declaration.datasets}
    for key in dashboard_chart_keys(declaration):
        if key not in charts:
            raise ValueError(f"the dashboard places chart {key!r}, which is not declared")
        if key in declaration.pending:
            raise ValueError(f"chart {key!r} is pending: it cannot be on the dashboard yet")
    for chart in declaration.charts:
        if chart.dataset not in datasets:
            raise ValueError(f"chart {chart.key!r} uses undeclared dataset {chart.dataset!r}")
    live = [c for c in declaration.charts if c.key not in declaration.pending]
    live_datasets = {c.dataset for c in live} | {f[1] for f in declaration.dashboard.filters}
    database_folder = Path(DATABASE_FILE).stem
    files = {
        "superset/metadata.yaml": to_yaml(
            {"timestamp": EXPORT_TIMESTAMP, "type": "Dashboard", "version": VERSION}
        ),
        f"superset/{DATABASE_FILE}": to_yaml(database_doc()),
    }
    for dataset in declaration.datasets:
        folder = "superset" if dataset.name in live_datasets else "pending"
        path = f"{folder}/datasets/{database_folder}/{dataset.name}.yaml"
        files[path] = to_yaml(dataset_doc(dataset, contract))
    for chart in declaration.charts:
        folder = "pending" if chart.key in declaration.pending else "superset"
        files[f"{folder}/charts/{chart.key}.yaml"] = to_yaml(chart_doc(chart))
    files[f"superset/dashboards/{declaration.dashboard.slug}.yaml"] = to_yaml(
        dashboard_doc(declaration.dashboard, charts)
    )
    return files


def write(root: Path = BI_DIR) -> list[Path]:
    """Write the assets under `root` (bi/), removing YAML files the declaration no longer has."""
    files = render()
    written = []
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for folder in ("superset", "pending"):
        for stale in (root / folder).rglob("*.yaml"):
            if stale.relative_to(root).as_posix() not in files:
                stale.unlink()
    return written


def main() -> int:
    written = write()
    print(f"{len(written)} files written under {BI_DIR.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
