"""kg.graph.remote against the real Oxigraph server on loopback (tests/sparql_server.py).

Push: one named graph per article, replaced on a second push, vanished
articles listed or pruned, the default graph the union of the named graphs.
Query: the same rows as the folder, parameters bound as RDF terms (injection
strings come back as plain values), the project prefixes declared.  Errors:
one ServerError line each.  Binding text: tests/test_bindings.py; URLs and
HTTP failures without a server: tests/test_endpoints.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from sample_articles import ARTICLES, write_articles
from sparql_server import free_port, oxigraph_server

import kg
from kg.errors import GraphError
from kg.graph.push import push
from kg.graph.remote import RemoteGraph, ServerError
from kg.rdf.namespace import ONTOLOGY_GRAPH, REFERENCE_GRAPH, graph_iri

YUNXI_INCUBATION = "落户云溪高新区的白石智能研究院孵化了远帆科技有限公司。\n"
INCUBATED = """ASK { GRAPH ?g { ?c rdfs:label "远帆科技有限公司"@zh ; kg:incubatedBy ?i .
                              ?i rdfs:label "白石智能研究院"@zh } }"""
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def build(articles: Path, out: Path) -> kg.KnowledgeGraph:
    graph = kg.build([articles])
    graph.save(out)
    return kg.KnowledgeGraph.load(out)


def local_sizes(graph: kg.KnowledgeGraph) -> dict[str, int]:
    return {str(g.identifier): len(g) for g in graph.dataset.graphs() if len(g)}


def server_sizes(remote: RemoteGraph) -> dict[str, int]:
    return {str(r.g): int(r.n) for r in remote.query(PER_GRAPH)}


def server_triples(remote: RemoteGraph, name) -> set:
    rows = remote.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", g=URIRef(name))
    return {tuple(r) for r in rows}


@pytest.fixture
def server(tmp_path):
    with oxigraph_server(tmp_path / "oxigraph") as url:
        yield url


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("remote")
    build(write_articles(root / "articles"), root / "build")
    return root / "build"


@pytest.fixture(scope="module")
def local(folder):
    return kg.KnowledgeGraph.load(folder)


@pytest.fixture(scope="module")
def remote(folder, tmp_path_factory):
    """A server holding the build of the two sample articles."""
    with oxigraph_server(tmp_path_factory.mktemp("served")) as url:
        push(folder, url)
        yield RemoteGraph(url)


# -------------------------------------------------------------------- push


def test_push_puts_one_graph_per_article(folder, local, server):
    seen = []
    report = push(folder, server, progress=lambda done, total, item: seen.append((done, total, item)))
    remote = RemoteGraph(server)
    names = [str(ONTOLOGY_GRAPH), str(graph_iri("jinhu")), str(graph_iri("yunxi")), str(REFERENCE_GRAPH)]
    assert report.graphs == names  # the ontology first, then by name
    assert (report.articles, report.others) == (2, ["ontology", "reference"])
    assert report.store == server + "store" and report.stale == report.removed == []
    assert seen == [(1, 5, "ontology"), (2, 5, "jinhu"), (3, 5, "yunxi"), (4, 5, "reference"), (5, 5, "default graph")]
    assert server_sizes(remote) == local_sizes(local)
    assert report.triples == sum(local_sizes(local).values())
    # the default graph: the union of the named graphs, each triple once (as in the folder)
    [count] = remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(count.n) == len(local.dataset) < report.triples
    assert remote.graphs() == sorted(URIRef(n) for n in names)
    for name in names[1:]:  # the ontology has blank nodes
        assert server_triples(remote, name) == set(local.dataset.graph(URIRef(name))), name
    ontology = Graph()
    for triple in remote.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", g=ONTOLOGY_GRAPH).graph:
        ontology.add(triple)
    assert isomorphic(ontology, local.dataset.graph(ONTOLOGY_GRAPH))


def test_push_again_replaces_the_graph_of_a_changed_article(tmp_path, server):
    articles = write_articles(tmp_path / "articles")
    before = build(articles, tmp_path / "build")
    push(tmp_path / "build", server)
    remote = RemoteGraph(server)
    assert remote.query(INCUBATED).askAnswer

    yunxi = articles / "yunxi.md"
    assert YUNXI_INCUBATION in yunxi.read_text(encoding="utf-8")
    yunxi.write_text(ARTICLES["yunxi.md"].replace(YUNXI_INCUBATION, ""), encoding="utf-8")
    after = build(articles, tmp_path / "build")
    push(tmp_path / "build", server)

    sizes = server_sizes(remote)
    assert sizes == local_sizes(after)
    assert sizes[str(graph_iri("yunxi"))] < local_sizes(before)[str(graph_iri("yunxi"))]
    assert server_triples(remote, graph_iri("yunxi")) == set(after.dataset.graph(graph_iri("yunxi")))
    assert not remote.query(INCUBATED).askAnswer
    assert remote.query("ASK { ?c kg:incubatedBy ?i }")  # jinhu's incubations stay


def test_push_lists_then_prunes_the_graphs_of_vanished_articles(tmp_path, server):
    articles = write_articles(tmp_path / "articles")
    build(articles, tmp_path / "build")
    push(tmp_path / "build", server)
    remote = RemoteGraph(server)
    other = URIRef("http://example.org/not-ours")
    remote.put_graph(other, Graph().parse(data='<http://example.org/a> <http://example.org/b> "1" .', format="nt"))

    (articles / "yunxi.md").unlink()
    build(articles, tmp_path / "build")
    report = push(tmp_path / "build", server)
    assert report.stale == [str(graph_iri("yunxi"))] and report.removed == []
    assert graph_iri("yunxi") in remote.graphs()

    report = push(tmp_path / "build", server, prune=True)
    assert report.removed == [str(graph_iri("yunxi"))] and report.stale == []
    assert remote.graphs() == sorted([ONTOLOGY_GRAPH, graph_iri("jinhu"), REFERENCE_GRAPH, other])
    assert not remote.query('ASK { ?z rdfs:label "云溪高新区"@zh }').askAnswer


def test_push_takes_a_knowledge_graph_of_named_graphs_only(folder, server):
    graph = kg.KnowledgeGraph.load(folder)
    assert push(graph, server).articles == 2
    graph.dataset.graph(DATASET_DEFAULT_GRAPH_ID).add(
        (URIRef("http://example.org/s"), RDFS.comment, Literal("in no named graph"))
    )
    with pytest.raises(GraphError, match="^1 triples are in no named graph: kg push sends"):
        push(graph, server)


def test_the_default_graph_follows_the_named_graphs(tmp_path, server):
    """A triple two articles state stays in the default graph while one of them does."""
    articles = write_articles(tmp_path / "articles")
    build(articles, tmp_path / "build")
    push(tmp_path / "build", server)
    remote = RemoteGraph(server)
    industry = 'ASK { ?i a kg:Industry ; rdfs:label "新能源"@zh }'  # in both articles
    (articles / "yunxi.md").unlink()
    push(build(articles, tmp_path / "build"), server, prune=True)
    assert remote.query(industry).askAnswer
    assert not remote.query('ASK { ?z rdfs:label "云溪高新区"@zh }').askAnswer
    (articles / "jinhu.md").write_text("金湖高新区位于江苏省淮安市。\n", encoding="utf-8")
    push(build(articles, tmp_path / "build"), server)
    assert not remote.query(industry).askAnswer


def test_a_build_without_reference_facts_empties_the_reference_graph(folder, tmp_path, server):
    push(folder, server)
    remote = RemoteGraph(server)
    assert REFERENCE_GRAPH in remote.graphs()
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "t.txt").write_text("位于测试高新区的测试新材料有限公司聚焦新材料。\n", encoding="utf-8")
    graph = build(tmp_path / "articles", tmp_path / "build")
    assert not len(graph.dataset.graph(REFERENCE_GRAPH))
    report = push(graph, server, prune=True)
    assert report.others == ["ontology"]
    assert remote.graphs() == [ONTOLOGY_GRAPH, graph_iri("t")]
    assert server_sizes(remote) == local_sizes(graph)


# ------------------------------------------------------------------- query

NAMED = [
    ("zone_institutes", {}),
    ("zone_institutes", {"zone": "金湖高新区"}),
    ("incubated_companies", {}),
    ("incubated_companies", {"zone": "金湖高新区"}),
    ("positions", {}),
    ("positions", {"org": "金湖高新区科技局"}),
    ("positions", {"person": "王明远"}),
    ("zones_by_industry", {}),
    ("zones_by_industry", {"industry": "新能源"}),
    ("entity_facts", {"entity": "金湖高新区"}),
    ("reference_facts", {}),
    ("regions_above", {}),
    ("unevidenced", {}),
    ("zones_without_reference", {}),
]


def _sorted_concat(rows):
    """GROUP_CONCAT's order is not defined by SPARQL: compare its items as a set."""
    return [{k: sorted(v.split("、")) if k == "zoneNames" else v for k, v in r.items()} for r in rows]


@pytest.mark.parametrize("name,params", NAMED)
def test_named_queries_give_the_folders_rows(local, remote, name, params):
    rows = remote.to_dicts(name, **params)
    assert rows or name == "unevidenced", (name, params)  # a well-formed graph has none
    assert _sorted_concat(rows) == _sorted_concat(local.to_dicts(name, **params))


@pytest.mark.parametrize("name", ["confidence", "evidence"])
def test_the_librarys_own_queries_give_the_folders_rows(local, remote, name):
    rows = sorted(map(repr, remote.query_file(name).to_dicts()))  # confidence.rq has no ORDER BY
    assert rows and rows == sorted(map(repr, local.query_file(name).to_dicts()))


def test_a_parameter_filters_an_aggregate_query(remote):
    # A trailing VALUES (after GROUP BY) would not filter: every industry would come back.
    [row] = remote.to_dicts("zones_by_industry", industry="新能源")
    assert (row["industryName"], row["zones"]) == ("新能源", 2)
    assert sorted(row["zoneNames"].split("、")) == ["云溪高新区", "金湖高新区"]
    assert len(remote.to_dicts("zones_by_industry")) == 2


def test_query_text_bindings_labels_and_frames_as_on_the_folder(local, remote):
    sparql = "SELECT ?z ?i WHERE { ?z a kg:Zone ; rdfs:label ?name ; kg:hosts ?i } ORDER BY ?i"
    name = Literal("金湖高新区", lang="zh")
    assert remote.query(sparql, name=name).to_dicts() == local.query(sparql, name=name).to_dicts()
    assert [tuple(r) for r in remote.query(sparql, name=name)] == [tuple(r) for r in local.query(sparql, name=name)]
    assert remote.to_df("zone_institutes").equals(local.to_df("zone_institutes"))
    zone = next(iter(local.query(sparql, name=name))).z
    assert remote.label_of(zone) == local.label_of(zone) == "金湖高新区"
    assert remote.label_of("http://example.org/none") is None
    assert remote.query("ASK { ?z a kg:Zone }").to_dicts() == [{"answer": True}]
    construct = "CONSTRUCT { ?z a kg:Zone } WHERE { ?z a kg:Zone ; rdfs:label ?name }"
    assert set(remote.query(construct, name=name).graph) == set(local.query(construct, name=name).graph)


def test_project_prefixes_are_declared(remote):
    sparql = (
        "SELECT ?title WHERE { ?a a kg:Article ; dcterms:title ?title ; "
        "dcterms:identifier ?id . FILTER(?id = 'yunxi'^^xsd:string || STR(?id) = 'yunxi') }"
    )
    assert remote.to_dicts(sparql) == [{"title": "云溪高新区发布人才计划"}]
    assert remote.query("ASK { kg:hosts rdfs:subPropertyOf* ?p . ?p a owl:ObjectProperty }")


INJECTIONS = [
    '"}',
    "> . ?s ?p ?o",
    '" } UNION { ?s ?p ?o } #',
    "'",
    '"',
    '"""',
    "'''",
    "a\nb",
    'x\n\\"',
    "back\\",
    '\\"',
    "\r\n\t",
    "# not a comment",
    "?v",
    "} } SELECT * WHERE { ?s ?p ?o",
    "“溧阳”高新区\u2028",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_come_back_as_plain_values(remote, text):
    for term in (Literal(text), Literal(text, lang="zh"), Literal(text, datatype=URIRef("http://example.org/t"))):
        [row] = remote.query("SELECT ?v WHERE { }", v=term)
        assert row.v == term and str(row.v) == text
    assert remote.to_dicts("zone_institutes", zone=text) == []  # nothing else matched
    assert remote.to_dicts("entity_facts", entity=text) == []


def test_syntax_errors_are_the_folders(local, remote):
    sparql = "SELECT ?x WHERE { ?x a }"
    with pytest.raises(GraphError) as here:
        local.query(sparql)
    with pytest.raises(GraphError) as there:
        remote.query(sparql)
    assert str(there.value) == str(here.value)


# ------------------------------------------------------------------ errors


def test_closed_port(folder):
    port = free_port()
    with pytest.raises(ServerError) as exc:
        RemoteGraph(f"http://127.0.0.1:{port}/").query("ASK {}")
    assert str(exc.value) == f"cannot reach the SPARQL server at http://127.0.0.1:{port}/query: Connection refused"
    with pytest.raises(ServerError) as exc:
        push(folder, f"http://127.0.0.1:{port}/")
    assert str(exc.value).startswith("cannot reach the SPARQL server")


def test_http_errors_name_status_and_message(folder, remote):
    base = remote.endpoints.query[: -len("query")]
    with pytest.raises(ServerError) as exc:
        push(folder, base, store_url=base + "nope")
    assert str(exc.value) == f"{base}nope: the server answered 404 Not Found: PUT /nope is not supported by this server"
    assert exc.value.status == 404
    with pytest.raises(ServerError) as exc:
        push(folder, base, update_url=base + "query")
    assert str(exc.value).startswith(f"{base}query: the server answered 400 Bad Request: ")
    with pytest.raises(ServerError) as exc:
        RemoteGraph(base, query_url=base + "store").query("ASK {}")
    assert str(exc.value).startswith(f"{base}store: the server answered 4")
