"""kg.rdf.dataset.to_dataset: per-article named graphs, labels, provenance, determinism."""

import dataclasses

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, SKOS

from kg.errors import GraphError
from kg.graph.knowledge import KnowledgeGraph
from kg.rdf.dataset import date_literal, to_dataset
from kg.rdf.namespace import KG, ONTOLOGY_GRAPH, XSD, article_iri, entity_iri, graph_iri, position_iri
from kg.records import CLASSES, Assertion, Document, Entity, Extraction

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

T1 = "测试高新区科技局局长王测试表示，江苏测试高新区位于测试市，孵化出测试能源公司。"
T2 = "测试能源在测试高新区落户，聚焦新能源。"

GLOBAL = {
    e.key: e
    for e in [
        Entity("测试高新区", "Zone", "测试高新区"),
        Entity("测试市", "AdminRegion", "测试市"),
        Entity("测试高新区科技局", "GovernmentBody", "测试高新区科技局"),
        Entity("王测试", "Person", "王测试"),
        Entity("测试能源公司", "Company", "测试能源公司"),
        Entity("新能源", "Industry", "新能源"),
    ]
}


def ent(key, *aliases):
    e = GLOBAL[key]
    return Entity(e.key, e.cls, e.label, set(aliases))


def sample() -> list[Extraction]:
    d1 = Document("d1", T1, source="data/d1.txt", title="测试报道", url="https://example.org/1", date="2024-03-01")
    d2 = Document("d2", T2, source="data/d2.txt")
    a1 = [
        Assertion("王测试", "worksFor", "测试高新区科技局", "d1", 0, 16, T1[:16], "role", 0.9, role="局长"),
        Assertion("测试高新区科技局", "partOf", "测试高新区", "d1", 0, 16, T1[:16], "unit"),
        Assertion("测试高新区", "locatedIn", "测试市", "d1", 16, 28, T1[16:28], "loc", date="2023"),
        Assertion("测试能源公司", "incubatedBy", "测试高新区", "d1", 16, 40, T1[16:40], "incub", 0.75),
    ]
    a2 = [
        Assertion("测试高新区", "hosts", "测试能源公司", "d2", 0, 19, T2, "host"),
        Assertion("测试高新区", "focusesOn", "新能源", "d2", 0, 19, T2, "focus"),
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


@pytest.fixture(scope="module")
def ds():
    return to_dataset(sample(), GLOBAL)


def test_one_named_graph_per_article_plus_ontology(ds):
    names = {g.identifier for g in ds.graphs() if len(g)}
    assert names == {ONTOLOGY_GRAPH, graph_iri("d1"), graph_iri("d2")}


def test_article_node(ds):
    g, art = ds.graph(graph_iri("d1")), article_iri("d1")
    assert (art, RDF.type, KG.Article) in g
    assert g.value(art, DCTERMS.title) == Literal("测试报道", lang="zh")
    assert g.value(art, DCTERMS.date) == Literal("2024-03-01", datatype=XSD.date)
    assert g.value(art, DCTERMS.source) == URIRef("https://example.org/1")
    assert g.value(art, DCTERMS.identifier) == Literal("d1")
    assert g.value(art, KG.sourceFile) == Literal("data/d1.txt")


def test_entities_typed_and_labelled_in_each_graph_that_mentions_them(ds):
    zone = entity_iri("测试高新区")
    for doc in ("d1", "d2"):
        g = ds.graph(graph_iri(doc))
        assert (zone, RDF.type, KG.Zone) in g
        assert list(g.objects(zone, RDFS.label)) == [Literal("测试高新区", lang="zh")]
    assert (entity_iri("新能源"), RDF.type, KG.Industry) in ds.graph(graph_iri("d2"))
    assert (entity_iri("新能源"), RDF.type, KG.Industry) not in ds.graph(graph_iri("d1"))


def test_exactly_one_label_per_entity(ds):
    entities = {s for c in CLASSES for s in ds.subjects(RDF.type, KG[c])}
    assert len(entities) == len(GLOBAL)
    for s in entities:
        assert len(set(ds.objects(s, RDFS.label))) == 1


def test_alt_labels_are_the_forms_each_article_uses(ds):
    company = entity_iri("测试能源公司")
    assert set(ds.graph(graph_iri("d1")).objects(company, SKOS.altLabel)) == set()
    assert set(ds.graph(graph_iri("d2")).objects(company, SKOS.altLabel)) == {Literal("测试能源", lang="zh")}
    assert set(ds.objects(entity_iri("测试高新区"), SKOS.altLabel)) == {Literal("江苏测试高新区", lang="zh")}


def test_core_triples_in_their_article_graph(ds):
    zone, company = entity_iri("测试高新区"), entity_iri("测试能源公司")
    assert (company, KG.incubatedBy, zone) in ds.graph(graph_iri("d1"))
    assert (zone, KG.hosts, company) in ds.graph(graph_iri("d2"))
    assert (zone, KG.hosts, company) not in ds.graph(graph_iri("d1"))


def test_every_core_triple_has_provenance_in_the_same_graph(ds):
    kg = KnowledgeGraph(ds)
    missing = kg.query("""
        SELECT (COUNT(*) AS ?n) WHERE {
          VALUES ?p { kg:hosts kg:incubatedBy kg:establishedBy kg:partOf kg:locatedIn
                      kg:focusesOn kg:worksFor kg:receivedAward kg:launched }
          GRAPH ?g { ?s ?p ?o }
          FILTER NOT EXISTS {
            GRAPH ?g { ?a a kg:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                          kg:article ?art ; kg:evidence ?e ; kg:start ?b ; kg:end ?x ;
                          kg:rule ?r ; kg:confidence ?c } } }""")
    assert [int(r.n) for r in missing] == [0]
    total = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Assertion, rdf:Statement }")
    assert [int(r.n) for r in total] == [6]


def test_provenance_values(ds):
    rows = list(
        KnowledgeGraph(ds).query("""
        SELECT ?e ?b ?x ?c ?d ?rule WHERE { ?a rdf:predicate kg:locatedIn ; kg:evidence ?e ;
               kg:start ?b ; kg:end ?x ; kg:confidence ?c ; kg:date ?d ; kg:rule ?rule }""")
    )
    assert len(rows) == 1
    e, b, x, c, d, rule = rows[0]
    assert (str(e), e.language, int(b), int(x)) == (T1[16:28], "zh", 16, 28)
    assert c.datatype == XSD.decimal and float(c) == 1.0
    assert d == Literal("2023", datatype=XSD.gYear) and str(rule) == "loc"


def test_position_for_works_for_with_role(ds):
    pos = position_iri("王测试", "测试高新区科技局", "局长")
    g = ds.graph(graph_iri("d1"))
    assert (pos, RDF.type, KG.Position) in g
    assert g.value(pos, KG.holder) == entity_iri("王测试")
    assert g.value(pos, KG.organization) == entity_iri("测试高新区科技局")
    assert g.value(pos, KG.role) == Literal("局长", lang="zh")
    assert len(set(ds.subjects(RDF.type, KG.Position))) == 1


def test_only_entities_carry_core_classes(ds):
    typed = {s for c in CLASSES for s in ds.subjects(RDF.type, KG[c])}
    assert typed == {entity_iri(k) for k in GLOBAL}


def test_same_input_same_triples_and_bytes():
    a, b = to_dataset(sample(), GLOBAL), to_dataset(list(reversed(sample())), GLOBAL)
    assert set(a.quads()) == set(b.quads())
    assert KnowledgeGraph(a).to_trig() == KnowledgeGraph(b).to_trig()
    assert isomorphic(a.graph(graph_iri("d1")), b.graph(graph_iri("d1")))


def test_global_label_and_class_win():
    local = Entity("测试高新区", "Park", "测试园", {"测试园区"})
    ex = Extraction(Document("d9", "测试园区"), [local], [], [])
    ds = to_dataset([ex], GLOBAL)
    zone = entity_iri("测试高新区")
    assert set(ds.objects(zone, RDF.type)) == {KG.Zone}
    assert set(ds.objects(zone, RDFS.label)) == {Literal("测试高新区", lang="zh")}
    assert {str(x) for x in ds.objects(zone, SKOS.altLabel)} == {"测试园", "测试园区"}


def test_bad_input_raises_graph_error():
    ex = sample()[0]
    with pytest.raises(GraphError, match="share the document id"):
        to_dataset([ex, ex], GLOBAL)
    bad_prop = dataclasses.replace(ex.assertions[0], property="employs")
    with pytest.raises(GraphError, match="not a core relation"):
        to_dataset([Extraction(ex.doc, ex.entities, [], [bad_prop])], GLOBAL)
    bad_key = dataclasses.replace(ex.assertions[0], object="无名机构")
    with pytest.raises(GraphError, match="无名机构"):
        to_dataset([Extraction(ex.doc, ex.entities, [], [bad_key])], GLOBAL)
    other_doc = dataclasses.replace(ex.assertions[0], doc_id="d7")
    with pytest.raises(GraphError, match="d7"):
        to_dataset([Extraction(ex.doc, ex.entities, [], [other_doc])], GLOBAL)
    bad_cls = {**GLOBAL, "王测试": Entity("王测试", "Human", "王测试")}
    with pytest.raises(GraphError, match="Human"):
        to_dataset([ex], bad_cls)


def test_date_literal():
    assert date_literal("2024-03-01").datatype == XSD.date
    assert date_literal("2024-03").datatype == XSD.gYearMonth
    assert date_literal("2024-03-01T08:00:00+08:00").datatype == XSD.dateTime
    assert date_literal("2024年3月").datatype is None


def test_article_lines_are_the_triples_of_its_graph(ds):
    from rdflib import Dataset, Graph

    from kg.rdf.dataset import article_lines, nquads

    for ex in sample():
        name, lines = article_lines(ex, GLOBAL)
        g = Graph()
        g.parse(data="".join(f"{line} .\n" for line in lines), format="nt")
        assert set(g) == set(ds.graph(name))
        both = Dataset()
        both.parse(data=nquads(name, lines), format="nquads")
        assert set(both.graph(name)) == set(g)
        assert set(both.default_context) == set(g)  # and again in the default graph
