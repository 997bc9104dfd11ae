"""The dashboard as code: bi/superset/ (and bi/pending/) are exactly what the generator writes
from plugins/antt/bi/declaration.py, consistent with the dbt contract of the marts, and the
import bundle carries this installation's connection and never a committed password."""

from __future__ import annotations

import dataclasses
import json
import stat
import zipfile

import pytest
import yaml

from antt.bi import assets
from antt.bi.bundle import BUNDLE_ROOT, _setup_script, build_bundle, superset_uri
from antt.bi.declaration import DATABASE_FILE, Declaration

RENDERED = assets.render()


def load(rel: str) -> dict:
    return yaml.safe_load(RENDERED[rel])


def test_committed_assets_are_the_generator_output():
    on_disk = {
        path.relative_to(assets.BI_DIR).as_posix(): path.read_text(encoding="utf-8")
        for folder in (assets.ASSETS_DIR, assets.PENDING_DIR)
        for path in folder.rglob("*.yaml")
    }
    assert sorted(on_disk) == sorted(RENDERED), "run `python -m antt.bi.assets`"
    stale = [rel for rel, text in RENDERED.items() if on_disk[rel] != text]
    assert stale == [], f"regenerate with `python -m antt.bi.assets`: {stale}"


def test_layout_is_superset_export_format():
    meta = load("superset/metadata.yaml")
    assert meta["type"] == "Dashboard" and meta["version"] == "1.0.0"
    kinds = {rel.split("/")[1] for rel in RENDERED if rel.startswith("superset/")}
    assert kinds == {"metadata.yaml", "databases", "datasets", "charts", "dashboards"}
    for rel in RENDERED:
        doc = load(rel)
        if rel.endswith("metadata.yaml"):
            continue
        assert doc["version"] == "1.0.0" and doc["uuid"], rel


def test_uuids_are_stable_and_unique():
    uuids = [load(rel)["uuid"] for rel in RENDERED if "metadata.yaml" not in rel]
    assert len(uuids) == len(set(uuids))
    assert assets.render() == RENDERED  # generating twice gives the same bytes
    assert assets.chart_uuid("commune_table") == assets.chart_uuid("commune_table")
    assert load("superset/charts/commune_table.yaml")["uuid"] == assets.chart_uuid("commune_table")


def test_the_committed_connection_has_no_password():
    db = load(f"superset/{DATABASE_FILE}")
    assert db["sqlalchemy_uri"].startswith("postgresql+psycopg2://antt_reader:XXXXXXXXXX@")
    assert "password" not in db
    assert db["allow_dml"] is False and db["allow_file_upload"] is False
    assert db["allow_ctas"] is False and db["allow_cvas"] is False


def _datasets() -> dict[str, dict]:
    return {load(rel)["uuid"]: load(rel) for rel in RENDERED if "/datasets/" in rel}


def test_every_chart_queries_columns_and_metrics_of_its_dataset():
    datasets = _datasets()
    for rel in (r for r in RENDERED if "/charts/" in r):
        chart = load(rel)
        dataset = datasets[chart["dataset_uuid"]]
        columns = {c["column_name"] for c in dataset["columns"]}
        metrics = {m["metric_name"] for m in dataset["metrics"]}
        context = json.loads(chart["query_context"])
        assert context["form_data"] == chart["params"], rel
        (query,) = context["queries"]
        for col in query["columns"]:
            name = col["sqlExpression"] if isinstance(col, dict) else col
            assert name in columns, (rel, name)
        assert set(query["metrics"]) <= metrics, rel
        for name, _asc in query["orderby"]:
            assert name in columns | metrics, (rel, name)
        for flt in query["filters"]:
            assert flt["col"] in columns, (rel, flt)


def test_titles_are_vietnamese_with_english_beside():
    declaration = Declaration()
    for chart in declaration.charts:
        vietnamese, english = chart.title.split(" / ")
        assert vietnamese and english and vietnamese != english
    for _column, _dataset, label in declaration.dashboard.filters:
        assert " / " in label
    assert " / " in load("superset/dashboards/antt.yaml")["dashboard_title"]


def test_physical_datasets_carry_the_dbt_contract():
    contract = assets.mart_contract()
    doc = load("superset/datasets/antt_warehouse/commune_scorecard.yaml")
    assert doc["sql"] is None and doc["schema"] == "marts"
    expected = [(c["name"], c["data_type"].upper()) for c in contract["commune_scorecard"]]
    assert [(c["column_name"], c["type"]) for c in doc["columns"]] == expected
    described = {c["column_name"]: c["description"] for c in doc["columns"]}
    assert described["ntm_status"].startswith("Kết quả mức NTM")
    # a virtual dataset borrows the contract's description of a column of the same name
    virtual = load("superset/datasets/antt_warehouse/commune_status_by_level.yaml")
    assert {c["column_name"]: c["description"] for c in virtual["columns"]}["year"] == (
        described["year"]
    )


def test_dashboard_places_every_live_chart_and_filters_on_existing_columns():
    dashboard = load("superset/dashboards/antt.yaml")
    placed = {
        node["meta"]["uuid"]
        for node in dashboard["position"].values()
        if isinstance(node, dict) and node.get("type") == "CHART"
    }
    live = {load(rel)["uuid"] for rel in RENDERED if rel.startswith("superset/charts/")}
    assert placed == live
    datasets = _datasets()
    for native in dashboard["metadata"]["native_filter_configuration"]:
        (target,) = native["targets"]
        columns = {c["column_name"] for c in datasets[target["datasetUuid"]]["columns"]}
        assert target["column"]["name"] in columns


def test_the_reorganisation_chart_waits_in_pending():
    declaration = Declaration()
    assert declaration.pending == {"new_units_comparability"}
    assert "pending/charts/new_units_comparability.yaml" in RENDERED
    assert "superset/charts/new_units_comparability.yaml" not in RENDERED
    dataset = load("pending/datasets/antt_warehouse/new_units_comparability.yaml")
    assert "from marts.commune_lineage" in dataset["sql"]
    assert "left join marts.commune_scorecard" in dataset["sql"]
    # once marts.commune_lineage exists, putting it on the dashboard is one declarative change
    ready = dataclasses.replace(
        declaration,
        pending=frozenset(),
        dashboard=dataclasses.replace(
            declaration.dashboard,
            rows=(*declaration.dashboard.rows, ("new_units_comparability",)),
        ),
    )
    files = assets.render(ready)
    assert "superset/charts/new_units_comparability.yaml" in files
    assert "superset/datasets/antt_warehouse/new_units_comparability.yaml" in files
    assert not [rel for rel in files if rel.startswith("pending/")]
    assert assets.chart_uuid("new_units_comparability") in files["superset/dashboards/antt.yaml"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: dataclasses.replace(d, rows=(("no_such_chart",),)), "not declared"),
        (
            lambda d: dataclasses.replace(d, rows=(("new_units_comparability",),)),
            "is pending",
        ),
    ],
)
def test_render_refuses_a_dashboard_with_unknown_or_pending_charts(change, message):
    declaration = Declaration()
    broken = dataclasses.replace(declaration, dashboard=change(declaration.dashboard))
    with pytest.raises(ValueError, match=message):
        assets.render(broken)


def test_render_refuses_a_chart_on_an_undeclared_dataset():
    declaration = Declaration()
    chart = dataclasses.replace(declaration.charts[0], dataset="nowhere")
    broken = dataclasses.replace(declaration, charts=(chart, *declaration.charts[1:]))
    with pytest.raises(ValueError, match="undeclared dataset 'nowhere'"):
        assets.render(broken)


def test_a_physical_dataset_must_be_a_mart():
    from antt.bi.declaration import Dataset

    with pytest.raises(ValueError, match="no mart of that name"):
        assets.dataset_doc(Dataset("raw_submissions", "x"), assets.mart_contract())


# --- the connection of this installation ---------------------------------------------------------


def test_superset_uri_of_the_embedded_socket_and_of_tcp():
    assert superset_uri("postgresql://antt_reader@/antt?host=/w/.antt/pg") == (
        "postgresql+psycopg2://antt_reader@/antt?host=/w/.antt/pg",
        None,
    )
    assert superset_uri("postgresql://antt_reader@/antt?host=/w/pg&port=5499")[0].endswith(
        "?host=/w/pg&port=5499"
    )
    assert superset_uri("postgresql://antt_reader:s%40cret@db.internal:6432/antt") == (
        "postgresql+psycopg2://antt_reader:XXXXXXXXXX@db.internal:6432/antt",
        "s@cret",
    )


def test_bundle_carries_the_connection_and_the_password_only_when_given(tmp_path):
    uri = "postgresql+psycopg2://antt_reader:XXXXXXXXXX@db.internal:6432/antt"
    bundle = build_bundle(tmp_path / "b.zip", uri)
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
    with zipfile.ZipFile(bundle) as z:
        names = z.namelist()
        db = yaml.safe_load(z.read(f"{BUNDLE_ROOT}/{DATABASE_FILE}"))
        chart = z.read(f"{BUNDLE_ROOT}/charts/commune_table.yaml").decode()
    assert f"{BUNDLE_ROOT}/metadata.yaml" in names
    assert not [n for n in names if "new_units" in n]
    assert db["sqlalchemy_uri"] == uri and "password" not in db
    assert chart == RENDERED["superset/charts/commune_table.yaml"]
    with_password = build_bundle(
        tmp_path / "p.zip", "postgresql+psycopg2://antt_reader@db:5432/antt", "pw"
    )
    with zipfile.ZipFile(with_password) as z:
        db = yaml.safe_load(z.read(f"{BUNDLE_ROOT}/{DATABASE_FILE}"))
    assert db["password"] == "pw"
    assert db["sqlalchemy_uri"] == "postgresql+psycopg2://antt_reader:XXXXXXXXXX@db:5432/antt"


def test_bundle_needs_the_database_file(tmp_path):
    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "x.yaml").write_text("slice_name: x\n")
    with pytest.raises(FileNotFoundError, match="antt_warehouse.yaml is missing"):
        build_bundle(tmp_path / "b.zip", "postgresql+psycopg2://antt_reader@h/antt", None, tmp_path)


def test_a_uri_without_a_user_cannot_carry_a_password():
    with pytest.raises(ValueError, match="no user"):
        _setup_script().masked("postgresql+psycopg2://db.internal/antt")
