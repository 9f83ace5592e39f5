"""kg.graph.export and `kg export`: RDF formats hold the same triples, GraphML the same
network, CSV one row per relation; the same graph always gives the same bytes."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.cli.export import EXPORT_FORMATS
from kg.cli.main import cli
from kg.errors import GraphError
from kg.graph.export import CSV_COLUMNS, FORMATS, export
from kg.graph.knowledge import KnowledgeGraph
from kg.rdf.dataset import to_dataset
from kg.records import Assertion, Document, Entity, Extraction

ROOT = Path(__file__).resolve().parents[2]
TEXT = "云溪高新区位于溧阳市，引进了青禾新材料有限公司，聚焦新材料。"
ENTITIES = {
    k: Entity(k, c, k, a)
    for k, c, a in [
        ("云溪高新区", "Zone", {"云溪园区"}),
        ("溧阳市", "AdminRegion", {"溧阳"}),
        ("青禾新材料有限公司", "Company", {"青禾公司", "青禾"}),
        ("新材料", "Industry", set()),
    ]
}


def sample() -> list[Extraction]:
    def fact(s, p, o, doc="d1", rule="test", c=0.9):
        return Assertion(s, p, o, doc, 0, len(TEXT), TEXT, rule, c)

    d1 = Extraction(
        Document("d1", TEXT, title="一"),
        list(ENTITIES.values()),
        [],
        [
            fact("云溪高新区", "locatedIn", "溧阳市"),
            fact("云溪高新区", "hosts", "青禾新材料有限公司"),
            fact("云溪高新区", "focusesOn", "新材料", c=0.6),
        ],
    )
    d2 = Extraction(
        Document("d2", TEXT, title="二"),
        list(ENTITIES.values()),
        [],
        [fact("云溪高新区", "hosts", "青禾新材料有限公司", doc="d2", rule="other", c=0.5)],
    )
    return [d1, d2]


@pytest.fixture
def graph():
    return KnowledgeGraph(to_dataset(sample(), ENTITIES, reference=True))


def union(ds) -> Graph:
    g = Graph()
    for t in ds.triples((None, None, None)):
        g.add(t)
    return g


def test_cli_and_library_offer_the_same_formats():
    assert EXPORT_FORMATS == FORMATS


@pytest.mark.parametrize("fmt, rdflib_format", [("ttl", "turtle"), ("nt", "nt")])
def test_triple_formats_hold_every_triple(graph, fmt, rdflib_format):
    back = Graph().parse(data=export(graph, fmt).decode("utf-8"), format=rdflib_format)
    assert isomorphic(back, union(graph.dataset))


@pytest.mark.parametrize("fmt, rdflib_format", [("nq", "nquads"), ("jsonld", "json-ld")])
def test_dataset_formats_keep_the_named_graphs(graph, fmt, rdflib_format):
    back = Dataset()
    back.parse(data=export(graph, fmt).decode("utf-8"), format=rdflib_format)
    names = lambda ds: {str(g.identifier) for g in ds.graphs() if len(g)}
    assert names(back) >= names(graph.dataset) - {"urn:x-rdflib:default"}
    for g in graph.dataset.graphs():
        if len(g):
            assert isomorphic(back.graph(g.identifier), g), g.identifier


def test_graphml_is_the_network(graph):
    G = nx.read_graphml(io.BytesIO(export(graph, "graphml")))
    N = graph.to_networkx()
    assert set(G.nodes) == set(N.nodes) and G.number_of_edges() == N.number_of_edges()
    zone = next(n for n, d in G.nodes(data=True) if d["label"] == "云溪高新区")
    assert G.nodes[zone]["cls"] == "Zone" and G.nodes[zone]["aliases"] == "云溪园区"
    [hosts] = [d for _, _, d in G.out_edges(zone, data=True) if d["property"] == "hosts"]
    assert (hosts["label"], hosts["sentences"], hosts["articles"], hosts["confidence"]) == ("承载", 2, 2, 0.9)


def test_csv_has_one_row_per_relation_with_labels(graph):
    rows = list(csv.DictReader(io.StringIO(export(graph, "csv").decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    got = {(r["subject"], r["property"], r["object"]): r for r in rows}
    assert set(got) == {
        ("云溪高新区", "locatedIn", "溧阳市"),
        ("云溪高新区", "hosts", "青禾新材料有限公司"),
        ("云溪高新区", "focusesOn", "新材料"),
    }
    hosts = got["云溪高新区", "hosts", "青禾新材料有限公司"]
    assert (hosts["subject_class"], hosts["object_class"], hosts["property_label"]) == ("Zone", "Company", "承载")
    assert (hosts["confidence"], hosts["sentences"], hosts["articles"], hosts["evidence"]) == ("0.9", "2", "2", TEXT)


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_graph_same_bytes(fmt):
    a = KnowledgeGraph(to_dataset(sample(), ENTITIES, reference=True))
    b = KnowledgeGraph(to_dataset(sample()[::-1], ENTITIES, reference=True))
    assert export(a, fmt) == export(b, fmt)


SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from test_export import ENTITIES, sample
from kg.graph.export import FORMATS, export
from kg.graph.knowledge import KnowledgeGraph
from kg.rdf.dataset import to_dataset
g = KnowledgeGraph(to_dataset(sample(), ENTITIES, reference=True))
sys.stdout.buffer.write(b"\\n=====\\n".join(export(g, f) for f in FORMATS))
"""


def test_same_bytes_across_processes():
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}
        outs.append(
            subprocess.run(
                [sys.executable, "-c", SCRIPT.format(tests=str(Path(__file__).parent))],
                env=env,
                capture_output=True,
                check=True,
                cwd=ROOT,
                timeout=300,
            ).stdout
        )
    assert outs[0] == outs[1] and outs[0].count(b"=====") == len(FORMATS) - 1


def test_unknown_format_is_an_error(graph):
    with pytest.raises(GraphError, match="unknown export format 'xml'"):
        export(graph, "xml")


def test_cli_export_to_stdout_and_to_a_file(graph, tmp_path):
    graph.save(tmp_path / "g")
    loaded = KnowledgeGraph.load(tmp_path / "g")
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "g"), "--format", "nt"])
    assert result.exit_code == 0 and result.stdout_bytes == export(loaded, "nt")
    out = tmp_path / "relations.csv"
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "g"), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {out} ({len(export(loaded, 'csv')):,} bytes, csv).\n"
    assert out.read_bytes() == b"\xef\xbb\xbf" + export(loaded, "csv")  # Excel reads it as UTF-8


def test_cli_export_needs_a_known_format(graph, tmp_path):
    graph.save(tmp_path / "g")
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "g"), "--format", "xml"])
    assert result.exit_code == 2 and "'xml' is not one of" in result.output
