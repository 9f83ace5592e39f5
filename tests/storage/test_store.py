"""kg.storage.store: the on-disk store behind rdflib's API, and queries run inside Oxigraph."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDFS, BNode, Literal, URIRef
from rdflib.graph import Dataset
from sample_articles import write_articles

import kg
from kg.errors import GraphError
from kg.graph.knowledge import KnowledgeGraph
from kg.pipeline.ondisk import build_into
from kg.queries.sparql import named_queries
from kg.rdf.namespace import KG, entity_iri, graph_iri
from kg.storage.store import from_ox, native_query, open_dataset, store_quads, to_ox

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

EX = "https://example.org/"
A, B, P = URIRef(EX + "a"), URIRef(EX + "b"), URIRef(EX + "p")


@pytest.fixture
def ds():
    return open_dataset(ox.Store())


def test_terms_round_trip_as_rdflib_holds_them():
    for term in (
        URIRef(EX + "x"),
        Literal("甲", lang="zh"),
        Literal("plain"),
        Literal("5", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")),
    ):
        assert from_ox(to_ox(term)) == term
    # xsd:string is the plain literal (RDF 1.1), as rdflib's in-memory store has it
    typed = ox.Literal("x", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#string"))
    assert from_ox(typed) == Literal("x")


def test_default_graph_is_the_union_with_each_triple_once(ds):
    for g in ("g1", "g2", "g3"):
        ds.graph(URIRef(EX + g)).add((A, P, Literal("v")))
    ds.graph(URIRef(EX + "g1")).add((B, P, Literal("w")))
    assert len(ds) == 2
    assert sorted(str(o) for o in ds.objects(A, P)) == ["v"]
    rows = native_query(ds.store.db, "SELECT ?o WHERE { ?s ?p ?o }")
    assert sorted(str(r.o) for r in rows) == ["v", "w"]  # not v three times
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == {EX + "g1", EX + "g2", EX + "g3"}
    assert len(list(ds.quads((A, P, None, None)))) == 3


def test_removing_a_graph_keeps_triples_other_graphs_hold(ds):
    for g in ("g1", "g2"):
        ds.graph(URIRef(EX + g)).add((A, P, Literal("v")))
    ds.graph(URIRef(EX + "g2")).add((B, P, Literal("w")))
    ds.remove_graph(URIRef(EX + "g2"))
    assert [str(o) for o in ds.objects(A, P)] == ["v"]
    assert list(ds.objects(B, P)) == []
    ds.graph(URIRef(EX + "g1")).remove((A, P, None))
    assert len(ds) == 0


def test_bindings_are_values_never_text(ds):
    ds.graph(URIRef(EX + "g")).add((A, RDFS.label, Literal('x"} . ?s ?p ?o', lang="zh")))
    ds.graph(URIRef(EX + "g")).add((B, RDFS.label, Literal("y", lang="zh")))
    q = "SELECT ?s WHERE { ?s rdfs:label ?name }"  # ?name is not projected
    rows = native_query(ds.store.db, q, {"name": Literal('x"} . ?s ?p ?o', lang="zh")})
    assert [r.s for r in rows] == [A]
    assert list(native_query(ds.store.db, q, {"name": Literal("x", lang="zh")})) == []


def test_syntax_errors_are_graph_errors(ds):
    with pytest.raises(GraphError, match="SPARQL syntax error"):
        native_query(ds.store.db, "SELECT ?x WHERE { ?x a }")


def test_read_only_store_refuses_writes(tmp_path):
    db = ox.Store(str(tmp_path / "s"))
    db.add(ox.Quad(to_ox(A), to_ox(P), to_ox(B), to_ox(URIRef(EX + "g"))))
    del db
    ro = open_dataset(ox.Store.read_only(str(tmp_path / "s")), read_only=True)
    assert [g.identifier for g in ro.graphs() if len(g)] == [URIRef(EX + "g")]
    with pytest.raises(GraphError, match="read-only"):
        ro.graph(URIRef(EX + "g")).add((A, P, A))


# --- a build in both stores ---------------------------------------------------------


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    root = tmp_path_factory.mktemp("both")
    src = write_articles(root / "src")
    memory = build_into([src], root / "memory", store="memory")
    disk = build_into([src], root / "disk", store="oxigraph")
    return root, memory, disk


def ground(quads) -> set:
    return {q for q in quads if not any(isinstance(t, BNode) for t in q)}


def canonical(quads) -> set:
    """Quads as Oxigraph keeps them (numbers and dates in canonical form)."""
    db = ox.Store()
    db.extend([ox.Quad(*(to_ox(t) for t in q)) for q in quads])
    return store_quads(db)


def test_both_stores_hold_the_same_quads(both):
    _, memory, disk = both
    assert disk.store == "oxigraph" and memory.store == "memory"
    mem = canonical(ground(memory.dataset.quads()))
    assert mem == ground(store_quads(disk.db))
    assert len(memory) == len(disk)
    assert disk.report.entities_by_class == memory.report.entities_by_class
    assert disk.report.relations_by_property == memory.report.relations_by_property


def test_both_stores_draw_the_same_page_and_network(both):
    root, memory, disk = both
    assert (root / "memory/graph.html").read_bytes() == (root / "disk/graph.html").read_bytes()
    a, b = memory.to_networkx(), disk.to_networkx()
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def readable(rows):
    return sorted(tuple(sorted((k, repr(v)) for k, v in r.items())) for r in rows)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_queries_give_the_same_rows(both, name):
    _, memory, disk = both
    params = {p: "金湖高新区" for p, (_, required, _) in named_queries()[name].params.items() if required}
    assert readable(disk.to_dicts(name, **params)) == readable(memory.to_dicts(name, **params))


@pytest.mark.parametrize("name", ["confidence", "evidence"])
def test_the_librarys_own_queries_give_the_same_rows(both, name):
    _, memory, disk = both
    rows = readable(disk.query_file(name).to_dicts())
    assert rows and rows == readable(memory.query_file(name).to_dicts())


def test_bound_parameters_filter_on_both(both):
    _, memory, disk = both
    for g in (memory, disk):
        rows = g.to_dicts("zone_institutes", zone="金湖高新区")
        assert rows and {r["zoneName"] for r in rows} == {"金湖高新区"}
        industries = g.to_dicts("zones_by_industry", industry="新能源")
        assert [(r["industryName"], r["zones"]) for r in industries] == [("新能源", 2)]


def test_evidence_explain_and_labels_work_on_disk(both):
    _, memory, disk = both
    args = ("金湖高新区", "hosts", "金湖先进材料研究院")
    assert disk.evidence(*args) == memory.evidence(*args)
    assert disk.stats() == memory.stats()
    assert disk.label_of(entity_iri("金湖高新区")) == "金湖高新区"
    assert disk.entities_by_label("金湖高新区") == memory.entities_by_label("金湖高新区")


def test_load_opens_the_store_read_only(both):
    root, memory, _ = both
    loaded = KnowledgeGraph.load(root / "disk")
    assert loaded.store == "oxigraph" and loaded.stats() == memory.stats()
    assert isinstance(loaded.dataset, Dataset)
    assert [r.s for r in loaded.query("SELECT ?s WHERE { ?s a ?c }", c=KG.Zone)]
    loaded.close()


def test_save_copies_the_store(both, tmp_path):
    root, memory, disk = both
    out = disk.save(tmp_path / "copy")
    assert sorted(p.name for p in out.iterdir()) == ["graph.html", "graph.oxigraph", "rejected.jsonl"]
    copy = KnowledgeGraph.load(out)
    assert ground(store_quads(copy.db)) == ground(store_quads(disk.db))
    copy.close()


def test_export_works_on_disk(both):
    from kg.graph.export import export

    _, memory, disk = both
    assert export(disk, "csv") == export(memory, "csv")
    assert export(disk, "graphml") == export(memory, "graphml")


def test_article_graphs_are_named_as_in_memory(both):
    _, memory, disk = both
    names = {g.identifier for g in disk.dataset.graphs() if len(g)}
    assert graph_iri("jinhu") in names and names == {g.identifier for g in memory.dataset.graphs() if len(g)}
    assert kg.KnowledgeGraph is KnowledgeGraph


# --- the command line on a folder with the on-disk store ------------------------------


def test_cli_builds_and_reads_the_on_disk_store(tmp_path):
    import re

    from click.testing import CliRunner

    from kg.cli.main import cli

    src = write_articles(tmp_path / "src")
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["build", str(src), "-o", str(out), "--store", "oxigraph", "--jobs", "2"])
    assert run.exit_code == 0, run.output
    lines = run.stdout.splitlines()
    assert lines[0] == "Read 2 articles, skipped 0 files."
    assert re.fullmatch(
        rf"Wrote {re.escape(str(out / 'graph.oxigraph'))} and "
        rf"{re.escape(str(out / 'graph.html'))} in \d+\.\d s\.",
        lines[-1],
    )
    again = CliRunner().invoke(cli, ["build", str(src), "-o", str(out)])  # auto keeps the store
    assert again.stdout.splitlines()[:-1] == lines[:-1] and "graph.oxigraph" in again.stdout
    build_into([src], tmp_path / "mem", store="memory")
    q = [
        CliRunner().invoke(cli, ["query", str(d), "--name", "zone_institutes", "--param", "zone=金湖高新区"])
        for d in (out, tmp_path / "mem")
    ]
    assert q[0].exit_code == 0 and "金湖先进材料研究院" in q[0].stdout and q[0].stdout == q[1].stdout
    html = CliRunner().invoke(
        cli, ["html", str(out), "-o", str(tmp_path / "p.html"), "--focus", "金湖高新区", "--depth", "1"]
    )
    assert html.exit_code == 0 and "金湖高新区" in (tmp_path / "p.html").read_text(encoding="utf-8")
    explain = CliRunner().invoke(cli, ["explain", str(out), "金湖高新区", "hosts", "金湖先进材料研究院"])
    assert explain.exit_code == 0 and "【金湖高新区】" in explain.stdout
    nq = [CliRunner().invoke(cli, ["export", str(d), "--format", "nq"]) for d in (out, tmp_path / "mem")]
    assert nq[0].exit_code == 0 and nq[0].stdout_bytes.count(b"\n") == nq[1].stdout_bytes.count(b"\n")


ORIGINAL_UNEVIDENCED = """SELECT ?s ?p ?o WHERE {
  ?s ?p ?o .
  FILTER (?p IN (kg:hosts, kg:incubatedBy, kg:establishedBy, kg:partOf, kg:locatedIn,
                 kg:focusesOn, kg:worksFor, kg:receivedAward, kg:launched))
  FILTER NOT EXISTS { ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                         kg:article ?article ; kg:evidence ?sentence . }
} ORDER BY ?s ?p ?o"""


def test_unevidenced_rewritten_for_speed_gives_the_same_rows(both):
    from rdflib import RDF

    _, built, _ = both
    memory, disk = KnowledgeGraph(), KnowledgeGraph(db=ox.Store())  # copies, changed below
    for s, p, o, c in built.dataset.quads():
        memory.dataset.graph(c).add((s, p, o))
        disk.dataset.graph(c).add((s, p, o))
    zone, institute = entity_iri("金湖高新区"), entity_iri("金湖先进材料研究院")
    for g in (memory, disk):
        art = g.dataset.graph(graph_iri("jinhu"))
        art.add((institute, KG.partOf, zone))  # no assertion at all
        a = min(g.dataset.subjects(RDF.subject, zone))  # an assertion loses its sentence
        for ctx in g.dataset.graphs():
            ctx.remove((a, KG.evidence, None))
    rows = [sorted((str(r.s), str(r.p), str(r.o)) for r in g.query_file("unevidenced")) for g in (memory, disk)]
    before = sorted((str(r.s), str(r.p), str(r.o)) for r in memory.query(ORIGINAL_UNEVIDENCED))
    assert len(rows[0]) == 2 and rows[0] == rows[1] == before


def test_network_queries_match_the_vocabulary_and_evidence_rq():
    import re

    from kg.network.views import PAGE_EVIDENCE, network_query
    from kg.records import CLASSES, PROPERTIES

    names = lambda text: re.findall(r"kg:(\w+)", text)  # noqa: E731
    assert [n for n in names(network_query("entities")) if n in CLASSES] == list(CLASSES)
    assert [n for n in names(network_query("relations"))] == list(PROPERTIES)
    evidence = (Path(kg.__file__).parent / "queries" / "evidence.rq").read_text(encoding="utf-8")
    page = network_query("evidence")
    body = lambda text: text[text.index("SELECT") :]  # noqa: E731
    assert body(page) == body(evidence)[: body(evidence).index("ORDER BY")] + f"LIMIT {PAGE_EVIDENCE + 1}\n"
