"""kg.graph.knowledge.KnowledgeGraph: queries, evidence, networkx view, atomic save and load."""

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from rdflib import BNode, Literal

import kg.graph.knowledge as kgraph
import kg.storage.folder as kfolder
from kg.errors import GraphError
from kg.graph.knowledge import KnowledgeGraph
from kg.rdf.namespace import KG, article_iri, entity_iri
from kg.records import Assertion, BuildReport, Document, Entity, Extraction

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parents[2]
T1 = "测试高新区科技局局长王测试表示，江苏测试高新区位于测试市，孵化出测试能源公司。"
T2 = "测试能源在测试高新区落户。"

GLOBAL = {
    e.key: e
    for e in [
        Entity("测试高新区", "Zone", "测试高新区"),
        Entity("测试市", "AdminRegion", "测试市"),
        Entity("测试高新区科技局", "GovernmentBody", "测试高新区科技局"),
        Entity("王测试", "Person", "王测试"),
        Entity("测试能源公司", "Company", "测试能源公司"),
    ]
}


def sample() -> list[Extraction]:
    def ent(key, *aliases):
        e = GLOBAL[key]
        return Entity(e.key, e.cls, e.label, set(aliases))

    d1 = Document("d1", T1, source="data/d1.txt", title="测试报道", url="https://example.org/1", date="2024-03-01")
    d2 = Document("d2", T2, source="data/d2.txt", title="第二篇", date="2024-04-02")
    a1 = [
        Assertion("王测试", "worksFor", "测试高新区科技局", "d1", 0, 16, T1[:16], "role", 0.9, role="局长"),
        Assertion("测试高新区科技局", "partOf", "测试高新区", "d1", 0, 16, T1[:16], "unit"),
        Assertion("测试高新区", "locatedIn", "测试市", "d1", 16, 28, T1[16:28], "loc"),
        Assertion("测试能源公司", "incubatedBy", "测试高新区", "d1", 16, 40, T1[16:40], "inc"),
    ]
    a2 = [
        Assertion("测试高新区", "hosts", "测试能源公司", "d2", 0, 13, T2, "host"),
        Assertion("测试高新区", "hosts", "测试能源公司", "d2", 0, 13, T2, "host2", 0.5),
    ]
    return [
        Extraction(
            d1,
            [
                ent("测试高新区", "江苏测试高新区"),
                ent("测试市"),
                ent("王测试"),
                ent("测试高新区科技局"),
                ent("测试能源公司"),
            ],
            [],
            a1,
        ),
        Extraction(d2, [ent("测试能源公司", "测试能源"), ent("测试高新区")], [], a2),
    ]


@pytest.fixture
def graph() -> KnowledgeGraph:
    return KnowledgeGraph.from_extractions(sample(), GLOBAL, BuildReport(articles=2))


@pytest.fixture
def page(monkeypatch):
    """A stand-in for kg.page.render (written elsewhere): records calls, writes a small file."""
    calls = []

    def write_page(G, path, title=""):
        calls.append((G, Path(path), title))
        Path(path).write_text(f"<html>{title} {G.number_of_nodes()}</html>", encoding="utf-8")

    monkeypatch.setitem(sys.modules, "kg.page.render", types.SimpleNamespace(write_page=write_page))
    return calls


def test_query_has_prefixes_and_bindings(graph):
    rows = graph.query("SELECT ?z WHERE { ?z a ?cls }", cls=KG.Zone)
    assert [r.z for r in rows] == [entity_iri("测试高新区")]
    rows = graph.query("SELECT ?e WHERE { ?e rdfs:label ?l }", l=Literal("测试市", lang="zh"))
    assert [r.e for r in rows] == [entity_iri("测试市")]
    rows = graph.query("SELECT ?a WHERE { ?a dcterms:identifier ?id }", id="d2")
    assert [r.a for r in rows] == [article_iri("d2")]


def test_query_syntax_error(graph):
    with pytest.raises(GraphError, match="SPARQL syntax error"):
        graph.query("SELECT ?x WHERE { ?x a }")
    with pytest.raises(GraphError, match="Unknown namespace prefix"):
        graph.query("SELECT ?x WHERE { ?x a foo:Bar }")


def test_query_file(graph):
    assert len(list(graph.query_file("evidence"))) == 6
    with pytest.raises(GraphError, match="no query named"):
        graph.query_file("../evidence")


def test_evidence_by_label_alias_and_iri(graph):
    rows = graph.evidence("测试高新区", "hosts", "测试能源")
    assert [(r["sentence"], r["start"], r["end"], r["rule"]) for r in rows] == [
        (T2, 0, 13, "host"),
        (T2, 0, 13, "host2"),
    ]
    assert rows[0]["title"] == "第二篇" and rows[0]["date"] == "2024-04-02"
    assert rows[0]["article"] == str(article_iri("d2")) and rows[0]["doc_id"] == "d2"
    assert rows[1]["confidence"] == 0.5
    by_iri = graph.evidence(entity_iri("测试高新区"), KG.hosts, str(entity_iri("测试能源公司")))
    assert by_iri == rows
    role = graph.evidence("王测试", "kg:worksFor", "测试高新区科技局")
    assert [(r["role"], r["url"], r["sentence"]) for r in role] == [("局长", "https://example.org/1", T1[:16])]
    assert graph.evidence("测试市", "hosts", "测试高新区") == []


def test_evidence_errors(graph):
    with pytest.raises(GraphError, match="no entity labelled"):
        graph.evidence("不存在", "hosts", "测试市")
    with pytest.raises(GraphError, match="not a core relation"):
        graph.evidence("测试高新区", "hostz", "测试市")


def test_entities_by_label(graph):
    assert graph.entities_by_label("江苏测试高新区") == [entity_iri("测试高新区")]
    assert graph.entities_by_label("测试报道") == []  # an article title, not an entity


def test_to_networkx(graph):
    G = graph.to_networkx()
    assert G.number_of_nodes() == 5
    assert G.number_of_edges() == 5  # the two hosts assertions are one triple
    zone = str(entity_iri("测试高新区"))
    assert G.nodes[zone] == {"label": "测试高新区", "cls": "Zone", "aliases": ["江苏测试高新区"]}
    company = str(entity_iri("测试能源公司"))
    edge = G.edges[zone, company, "hosts"]
    assert edge["property"] == "hosts" and edge["label"] == "承载"
    assert edge["evidence"] == graph.evidence("测试高新区", "hosts", "测试能源公司")
    assert {"sentence", "title", "date", "url", "article", "rule", "confidence", "role"} <= set(edge["evidence"][0])


def test_stats(graph):
    assert graph.stats() == {
        "entities": {"Zone": 1, "Company": 1, "GovernmentBody": 1, "Person": 1, "AdminRegion": 1},
        "relations": {"hosts": 1, "incubatedBy": 1, "partOf": 1, "locatedIn": 1, "worksFor": 1},
        "articles": 2,
    }
    assert graph.report.articles == 2


def test_save_and_load_round_trip(graph, page, tmp_path):
    out = tmp_path / "out"
    assert graph.save(out, title="测试") == out.resolve()
    assert sorted(p.name for p in out.iterdir()) == ["graph.html", "graph.trig", "rejected.jsonl"]
    assert (page[-1][1].name, page[-1][2]) == ("graph.html", "测试")
    assert "测试" in (out / "graph.html").read_text(encoding="utf-8")
    loaded = KnowledgeGraph.load(out)

    def ground(ds):
        return {q for q in ds.quads() if not any(isinstance(t, BNode) for t in q)}

    assert ground(loaded.dataset) == ground(graph.dataset)
    assert len(loaded) == len(graph)
    assert loaded.stats() == graph.stats()
    assert loaded.to_trig() == graph.to_trig()
    assert loaded.evidence("测试高新区", "hosts", "测试能源") == graph.evidence("测试高新区", "hosts", "测试能源")
    assert KnowledgeGraph.load(out / "graph.trig").stats() == graph.stats()
    assert [e for e in tmp_path.iterdir() if e.name != "out"] == []  # no temp folder left


def test_double_save_is_byte_identical(graph, page, tmp_path):
    graph.save(tmp_path / "a")
    KnowledgeGraph.from_extractions(list(reversed(sample())), GLOBAL).save(tmp_path / "b")
    assert (tmp_path / "a/graph.trig").read_bytes() == (tmp_path / "b/graph.trig").read_bytes()
    before = (tmp_path / "a/graph.trig").read_bytes()
    graph.save(tmp_path / "a")
    assert (tmp_path / "a/graph.trig").read_bytes() == before


SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from test_graph import GLOBAL, sample
from kg.graph.knowledge import KnowledgeGraph
sys.stdout.buffer.write(KnowledgeGraph.from_extractions(sample(), GLOBAL).to_trig())
"""


def test_serialisation_is_identical_across_processes():
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
            ).stdout
        )
    assert outs[0] == outs[1] and b"kg:Assertion" in outs[0] and b"_:" not in outs[0]


def test_failed_save_keeps_previous_graph(graph, page, tmp_path, monkeypatch):
    out = tmp_path / "out"
    graph.save(out)
    before = (out / "graph.trig").read_bytes()
    smaller = KnowledgeGraph.from_extractions(sample()[:1], GLOBAL)

    def broken(G, path, title=""):
        Path(path).write_text("<html>half", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(sys.modules["kg.page.render"], "write_page", broken)
    with pytest.raises(KeyboardInterrupt):
        smaller.save(out)
    assert (out / "graph.trig").read_bytes() == before
    assert "half" not in (out / "graph.html").read_text(encoding="utf-8")
    assert [e.name for e in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize("exchange", [True, False])
def test_save_replaces_previous_graph_and_keeps_other_files(graph, page, tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(kfolder, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    KnowledgeGraph.from_extractions(sample()[:1], GLOBAL).save(out)
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    graph.save(out)
    assert KnowledgeGraph.load(out).stats()["articles"] == 2
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(e.name for e in tmp_path.iterdir()) == ["out"]


def test_save_into_a_folder_of_other_files_leaves_them_alone(graph, page, tmp_path):
    (tmp_path / "mine.txt").write_text("x", encoding="utf-8")
    graph.save(tmp_path)
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "x"
    assert KnowledgeGraph.load(tmp_path).stats()["articles"] == 2
    assert sorted(e.name for e in tmp_path.iterdir()) == ["graph.html", "graph.trig", "mine.txt", "rejected.jsonl"]
    with pytest.raises(GraphError, match="is a file"):
        graph.save(tmp_path / "mine.txt")


def test_load_missing(tmp_path):
    with pytest.raises(GraphError, match=r"no graph in .*run `kg build` first"):
        KnowledgeGraph.load(tmp_path / "nowhere")
    with pytest.raises(GraphError, match="run `kg build` first"):
        KnowledgeGraph.load(tmp_path)
    (tmp_path / "graph.trig").write_text("<x> { broken", encoding="utf-8")
    with pytest.raises(GraphError, match="unreadable TriG"):
        KnowledgeGraph.load(tmp_path)


def test_to_html_uses_page(graph, page, tmp_path):
    graph.to_html(tmp_path / "g.html", title="T")
    G, path, title = page[-1]
    assert path == tmp_path / "g.html" and title == "T" and G.number_of_edges() == 5


def test_empty_graph():
    g = KnowledgeGraph()
    assert g.stats() == {"entities": {}, "relations": {}, "articles": 0}
    assert g.to_networkx().number_of_nodes() == 0
    assert isinstance(g.to_trig(), bytes)


def test_confidence_query_gives_the_best_assertion_of_each_triple(graph):
    rows = {(r.s, r.p, r.o): float(r.confidence) for r in graph.query_file("confidence")}
    zone, company = entity_iri("测试高新区"), entity_iri("测试能源公司")
    assert len(rows) == 5  # one row per triple, not per assertion
    assert rows[(zone, KG.hosts, company)] == 1.0  # of 1.0 (default) and 0.5
    assert rows[(entity_iri("王测试"), KG.worksFor, entity_iri("测试高新区科技局"))] == 0.9
    bound = list(graph.query_file("confidence", s=zone, p=KG.hosts))
    assert [(r.o, float(r.confidence)) for r in bound] == [(company, 1.0)]


def test_run_query_file_on_a_plain_graph(graph):
    one = graph.dataset.graph(next(g.identifier for g in graph.dataset.graphs() if str(g.identifier).endswith("/d2")))
    assert not isinstance(one, type(graph.dataset))
    rows = list(kgraph.run_query_file(one, "confidence"))
    assert [float(r.confidence) for r in rows] == [1.0]
    with pytest.raises(GraphError, match=r"no query named 'nope' \(known: .*confidence.*\)"):
        kgraph.run_query_file(one, "nope")


def test_load_of_a_url_gives_a_remote_graph():
    from kg.graph.remote import RemoteGraph

    assert isinstance(KnowledgeGraph.load("http://127.0.0.1:9/"), RemoteGraph)
