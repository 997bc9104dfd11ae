"""The pages in a real browser: Debian's Chromium, headless, opened from disk (file://).

Chromium comes from `make browser` (tests/browser.py); these tests skip only when it is missing.
Screenshots and the printed PDF go to test-artifacts/ (gitignored) for a human to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from html_tree import parse

from browser import chromium_run

pytestmark = pytest.mark.browser

A4_POINTS = (595, 842)


def dump_dom(chromium: str, tmp_path: Path, url: str, budget_ms: int = 5000) -> str:
    """The DOM after the page's scripts ran (virtual time lets timers and layout settle)."""
    return chromium_run(
        chromium, tmp_path / "profile", url, f"--virtual-time-budget={budget_ms}", "--dump-dom"
    )


def screenshot(chromium: str, tmp_path: Path, url: str, out: Path, size: str) -> Path:
    chromium_run(
        chromium,
        tmp_path / "profile",
        url,
        "--virtual-time-budget=5000",
        f"--screenshot={out}",
        f"--window-size={size}",
    )
    assert out.exists() and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 20_000  # a blank page compresses to a few KB
    return out


@pytest.fixture
def scorecard(published_module) -> tuple:
    data, root, _ = published_module
    return data, root / "84" / "2023" / "scorecard.html"


def test_scorecard_heatmap_and_reason_render(chromium, scorecard, tmp_path, artifacts):
    data, page = scorecard
    dom = dump_dom(chromium, tmp_path, page.as_uri())
    doc = parse(dom)
    html = doc.find("html")
    assert html.attrs.get("data-ready") == "1" and "js" in html.attrs.get("class", "")
    n = len(data.commune_scorecard)
    assert (
        doc.find(id="shown-count").text == f"Đang hiển thị {n}/{n} xã · Showing {n} of {n} communes"
    )
    cells = doc.find_all("td", data_criterion=True)
    assert len(cells) == len(data.commune_criteria)
    assert not [c for c in cells if "hidden" in c.attrs]
    failing = next(r for r in data.commune_criteria if r[5] == "KHONG_DAT" and r[3] == "ANTT_06")
    panel = doc.find("details", id=f"xa-{failing[2]}")
    assert panel.find("tr", data_criterion="ANTT_06").find(data_field="detail").text == failing[8]
    assert re.search(r"giảm|tăng", failing[8])
    screenshot(chromium, tmp_path, page.as_uri(), artifacts / "scorecard.png", "1280,2400")
    screenshot(
        chromium,
        tmp_path,
        page.as_uri() + "#district=847&level=NTM_NANG_CAO&open=all",
        artifacts / "scorecard-district-847-panels.png",
        "1280,4200",
    )


def test_filters_by_district_level_and_status(chromium, scorecard, tmp_path):
    data, page = scorecard
    dom = dump_dom(chromium, tmp_path, page.as_uri() + "#district=847&level=NTM&status=KHONG_DAT")
    doc = parse(dom)
    expected = sorted(
        r[2] for r in data.commune_scorecard if r[5] == "847" and r[10] == "KHONG_DAT"
    )
    assert expected, "the fixture has failing communes in district 847"
    rows = doc.find_all("tr", data_commune=True)
    shown = sorted(tr.attrs["data-commune"] for tr in rows if "hidden" not in tr.attrs)
    assert shown == expected
    assert doc.find("html").attrs["data-shown"] == str(len(expected))
    assert doc.find("select", id="f-district") is not None
    heads = {th.text: th for th in doc.find_all("th", class_="crit") if th.attrs.get("data-levels")}
    assert "hidden" not in heads["05"].attrs and "hidden" in heads["06"].attrs
    visible_blocks = [
        s.attrs["data-district"]
        for s in doc.find_all("section", data_district=True)
        if "hidden" not in s.attrs
    ]
    assert visible_blocks == ["847"]


def test_commune_link_opens_its_panel(chromium, scorecard, tmp_path):
    data, page = scorecard
    code = data.commune_scorecard[20][2]
    doc = parse(dump_dom(chromium, tmp_path, page.as_uri() + f"#xa-{code}"))
    assert "open" in doc.find("details", id=f"xa-{code}").attrs
    assert "open" not in doc.find("details", id=f"xa-{data.commune_scorecard[21][2]}").attrs


def test_scorecard_prints_on_a4(chromium, scorecard, tmp_path, artifacts):
    _data, page = scorecard
    pdf = artifacts / "scorecard-print.pdf"
    chromium_run(
        chromium,
        tmp_path / "profile",
        page.as_uri(),
        "--virtual-time-budget=5000",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        timeout=240,
    )
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", raw)
    assert len(boxes) > 10  # districts and commune panels each start on their own pages
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {A4_POINTS}


def test_rejected_files_and_index_render(chromium, published_module, tmp_path, artifacts):
    _data, root, _ = published_module
    rejected = root / "84" / "2023" / "rejected_files.html"
    doc = parse(dump_dom(chromium, tmp_path, rejected.as_uri()))
    assert "CAH847_2023-06_chi_tieu.xlsx" in doc.find("table", id="rejected-summary").text
    screenshot(chromium, tmp_path, rejected.as_uri(), artifacts / "rejected_files.png", "1280,1400")
    index = parse(dump_dom(chromium, tmp_path, (root / "index.html").as_uri()))
    assert index.find("a", href="84/2023/scorecard.html")
    screenshot(
        chromium, tmp_path, (root / "index.html").as_uri(), artifacts / "index.png", "1280,700"
    )


@pytest.mark.slow
def test_dbt_docs_lineage_graph_renders(chromium, warehouse_url, tmp_path, artifacts):
    from antt import transform

    docs = Path(transform.generate_docs(tmp_path / "docs"))
    lineage = docs.as_uri() + "#!/overview?g_v=1"
    doc = parse(dump_dom(chromium, tmp_path, lineage, budget_ms=20000))
    # dbt docs draws the lineage with cytoscape: its node layer is a sized <canvas>
    node_layer = doc.find("canvas", data_id="layer2-node")
    assert int(node_layer.attrs["width"]) > 100 and int(node_layer.attrs["height"]) > 100
    ancestors, node = [], node_layer.parent
    while node is not None:
        ancestors.append(node)
        node = node.parent
    graph = next(a for a in ancestors if a.attrs.get("id") == "cy")
    assert "cytoscape_container" in graph.attrs["class"]
    assert "model.antt_warehouse.commune_scorecard" in docs.read_text(encoding="utf-8")
    chromium_run(
        chromium,
        tmp_path / "profile",
        docs.as_uri() + "#!/model/model.antt_warehouse.commune_scorecard?g_v=1",
        "--virtual-time-budget=20000",
        f"--screenshot={artifacts / 'dbt-docs-lineage.png'}",
        "--window-size=1400,900",
    )
    assert (artifacts / "dbt-docs-lineage.png").stat().st_size > 20_000


def test_2025_legend_symbol_and_status_filter_in_the_browser(
    chromium, published_2025, tmp_path, artifacts
):
    """The 2025 page in Chromium: the legend carries KHONG_SO_SANH_DUOC with its symbol, the
    status filter selects it, and the predecessors show in the opened panel."""
    root, _ = published_2025
    page = root / "86" / "2025" / "scorecard.html"
    url = page.as_uri() + "#level=NTM&status=KHONG_SO_SANH_DUOC"
    doc = parse(dump_dom(chromium, tmp_path, url))
    assert doc.find("html").attrs.get("data-ready") == "1"
    legend = doc.find(id="legend")
    kss = [
        n for n in legend.iter() if n.has_class("swatch") and n.has_class("st-KHONG_SO_SANH_DUOC")
    ]
    assert [n.text for n in kss] == ["±"]
    assert "Không so sánh được" in legend.text and "Not comparable" in legend.text
    options = [o.attrs["value"] for o in doc.find("select", id="f-status").find_all("option")]
    assert "KHONG_SO_SANH_DUOC" in options
    rows = doc.find_all("tr", data_commune=True)
    assert [tr.attrs["data-commune"] for tr in rows if "hidden" not in tr.attrs] == ["29719"]
    opened = parse(dump_dom(chromium, tmp_path, page.as_uri() + "#xa-29719"))
    panel = opened.find("details", id="xa-29719")
    assert "open" in panel.attrs
    assert "Thị trấn Tam Bình" in panel.find(data_field="lineage").text
    screenshot(chromium, tmp_path, page.as_uri(), artifacts / "scorecard-2025.png", "1280,2400")
