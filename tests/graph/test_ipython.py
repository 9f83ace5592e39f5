"""`%load_ext kg`, the %%sparql cell magic and a KnowledgeGraph shown in a notebook.

IPython runs in-process (InteractiveShell), as a Jupyter kernel runs it.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from sample_articles import write_articles

import kg

pytest.importorskip("pandas")
from IPython.core.error import UsageError  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    return kg.build([write_articles(tmp_path_factory.mktemp("articles"))])


@pytest.fixture()
def shell(graph):
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "kg")
    ip.user_ns.update(g=graph)
    yield ip
    for name in ("g", "g2", "df", "found"):
        ip.user_ns.pop(name, None)


def test_load_ext_registers_the_cell_magic(shell):
    assert "sparql" in shell.magics_manager.magics["cell"]


def test_sparql_cell_returns_the_dataframe_of_the_query(shell, graph):
    df = shell.run_cell_magic("sparql", "g", "SELECT ?zone WHERE { ?z a kg:Zone ; rdfs:label ?zone } ORDER BY ?zone")
    expected = graph.query("SELECT ?zone WHERE { ?z a kg:Zone ; rdfs:label ?zone } ORDER BY ?zone")
    assert list(df["zone"]) == [str(r.zone) for r in expected] and len(df) >= 2


def test_sparql_cell_runs_named_queries_with_parameters(shell, graph):
    df = shell.run_cell_magic("sparql", "g --param zone=金湖高新区 -o found", "zone_institutes\n")
    assert df.equals(graph.to_df("zone_institutes", zone="金湖高新区"))
    assert shell.user_ns["found"] is df
    bound = shell.run_cell_magic(
        "sparql",
        "-p name=云溪高新区",  # the notebook's one graph
        "SELECT ?i WHERE { ?z rdfs:label ?name ; kg:hosts ?i }",
    )
    assert "白石智能研究院" in set(bound["i"])


def test_sparql_cell_errors_are_one_line(shell, graph):
    with pytest.raises(UsageError, match="SPARQL syntax error"):
        shell.run_cell_magic("sparql", "g", "SELECT WHERE {")
    with pytest.raises(UsageError, match="has no parameter 'x'"):
        shell.run_cell_magic("sparql", "g -p x=1", "zone_institutes")
    shell.user_ns["g2"] = graph
    with pytest.raises(UsageError, match=r"name the graph: .* 2 KnowledgeGraphs \(g, g2\)"):
        shell.run_cell_magic("sparql", "", "ASK {}")
    with pytest.raises(UsageError, match="unexpected '--nope'"):
        shell.run_cell_magic("sparql", "g --nope", "ASK {}")


def test_sparql_cell_loads_a_build_folder(shell, graph, tmp_path):
    graph.save(tmp_path / "built")
    df = shell.run_cell_magic("sparql", str(tmp_path / "built"), "positions")
    assert list(df["personName"]) == ["王明远"]


def test_graph_displays_a_summary_and_the_page_inline(graph):
    text = graph._repr_html_()
    stats = graph.stats()
    table = text[: text.index("<iframe")]
    assert (
        f'<td>实体合计 entities</td><td><code></code></td><td style="text-align:right">'
        f"{sum(stats['entities'].values())}</td>" in table
    )
    for cls, n in stats["entities"].items():
        assert f'<code>{cls}</code></td><td style="text-align:right">{n}</td>' in table
    m = re.search(r'<iframe srcdoc="([^"]*)" sandbox="allow-scripts[^"]*"', text)
    assert m, "the page travels in srcdoc"
    page = html.unescape(m.group(1))
    assert page.startswith("<!DOCTYPE html>") and "default-src 'none'" in page
    data = json.loads(re.search(r'id="kg-data">(.*?)</script>', page, re.S).group(1))
    assert {n["label"] for n in data["nodes"]} == {d["label"] for _, d in graph.to_networkx().nodes(data=True)}


def test_display_in_ipython_uses_the_html_repr(shell, graph):
    fmt = shell.display_formatter.format(graph)[0]
    assert "text/html" in fmt and "<iframe srcdoc=" in fmt["text/html"]
