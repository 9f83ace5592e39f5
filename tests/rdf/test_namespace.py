"""kg.rdf.namespace and ontology.ttl: the closed namespace mirrors the ontology exactly."""

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.errors import GraphError
from kg.rdf.namespace import (
    KG,
    KG_IRI,
    KGR,
    ONTOLOGY_GRAPH,
    PREFIXES,
    TERMS,
    article_iri,
    assertion_iri,
    core_class,
    core_property,
    doc_id_of,
    entity_iri,
    graph_iri,
    kg_term,
    local_name,
    position_iri,
)
from kg.records import CLASSES, PROPERTIES, Assertion

ROOT = Path(__file__).resolve().parents[2]
VOCABULARY = ROOT.parent / "shared" / "spec" / "VOCABULARY.md"
DECLARING = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ROOT / "ontology.ttl", format="turtle")


def declared(g: Graph) -> set[str]:
    return {str(s)[len(KG_IRI) :] for t in DECLARING for s in g.subjects(RDF.type, t) if str(s).startswith(KG_IRI)}


def test_namespace_is_closed():
    assert KG.Zone == URIRef(KG_IRI + "Zone")
    with pytest.raises(AttributeError):
        _ = KG.Zoen
    with pytest.raises(KeyError):
        KG["worksfor"]
    with pytest.raises(GraphError, match="not declared in ontology.ttl"):
        kg_term("hostz")


def test_namespace_terms_equal_ontology_terms(onto):
    assert declared(onto) == set(TERMS)
    assert len(TERMS) == len(set(TERMS))


def test_package_copy_of_ontology_is_the_same_file():
    assert (ROOT / "kg" / "rdf" / "ontology.ttl").read_bytes() == (ROOT / "ontology.ttl").read_bytes()


def core_terms_of_vocabulary() -> tuple[set[str], set[str]]:
    text = VOCABULARY.read_text(encoding="utf-8")
    terms = set(re.findall(r"`kg:(\w+)`", text))
    return {t for t in terms if t[0].isupper()}, {t for t in terms if t[0].islower()}


def test_records_match_vocabulary():
    if not VOCABULARY.is_file():
        pytest.skip("../shared/spec/VOCABULARY.md absent")
    classes, props = core_terms_of_vocabulary()
    assert classes - {"Article", "Position"} == set(CLASSES)
    assert props - {"holder", "organization", "role"} == set(PROPERTIES)


@pytest.mark.parametrize("name", CLASSES + ("Article", "Position", "Assertion"))
def test_classes_declared(onto, name):
    assert (KG[name], RDF.type, OWL.Class) in onto


@pytest.mark.parametrize("name", PROPERTIES)
def test_core_properties_have_domain_and_range(onto, name):
    assert (KG[name], RDF.type, OWL.ObjectProperty) in onto
    assert onto.value(KG[name], RDFS.domain) is not None
    assert onto.value(KG[name], RDFS.range) is not None


def test_union_domains_list_core_classes(onto):
    domain = onto.value(KG.hosts, RDFS.domain)
    members = list(onto.items(onto.value(domain, OWL.unionOf)))
    assert members == [KG.Zone, KG.Park]


@pytest.mark.parametrize("name", TERMS)
def test_every_term_has_labels_and_comment(onto, name):
    labels = {lit.language for lit in onto.objects(KG[name], RDFS.label)}
    assert {"zh", "en"} <= labels
    assert onto.value(KG[name], RDFS.comment) is not None


def test_incubator_is_a_platform(onto):
    assert (KG.Incubator, RDFS.subClassOf, KG.Platform) in onto


def test_ontology_types_nothing_with_a_core_class(onto):
    for name in CLASSES:
        assert list(onto.subjects(RDF.type, KG[name])) == []


def test_ontology_graph_is_the_ontology(onto):
    assert (ONTOLOGY_GRAPH, RDF.type, OWL.Ontology) in onto


def test_entity_iri_is_stable_and_normalised():
    iri = entity_iri("溧阳高新区")
    assert str(iri).startswith(str(KGR) + "e/")
    assert iri == URIRef(
        "https://w3id.org/zone-kg/resource/e/" + __import__("hashlib").sha1("溧阳高新区".encode()).hexdigest()[:16]
    )
    assert entity_iri("中数科谷（清远）") == entity_iri("中数科谷(清远)")
    assert entity_iri("测试高新区") != entity_iri("测试市")
    with pytest.raises(GraphError):
        entity_iri(" ")


@pytest.mark.parametrize("doc_id", ["d01", "第1篇 报道", "a/b#c", "page-2"])
def test_graph_and_article_iris_invert(doc_id):
    assert doc_id_of(graph_iri(doc_id)) == doc_id
    assert doc_id_of(article_iri(doc_id)) == doc_id
    assert graph_iri(doc_id) != article_iri(doc_id)
    assert " " not in graph_iri(doc_id) and "#" not in graph_iri(doc_id)


def test_doc_id_of_other_iris():
    assert doc_id_of(entity_iri("x")) is None
    assert doc_id_of(ONTOLOGY_GRAPH) is None
    with pytest.raises(GraphError):
        graph_iri("")


def test_assertion_and_position_iris():
    a = Assertion("王测试", "worksFor", "测试局", "d1", 0, 10, "王测试任测试局局长。", "r1")
    b = Assertion("王测试", "worksFor", "测试局", "d1", 0, 10, "王测试任测试局局长。", "r2")
    assert assertion_iri(a) == assertion_iri(Assertion(**vars(a)))
    assert assertion_iri(a) != assertion_iri(b)
    assert position_iri("王测试", "测试局", "局长") != position_iri("王测试", "测试局", "副局长")


def test_core_term_helpers():
    assert core_class("Zone") == KG.Zone
    assert core_property("kg:hosts") == KG.hosts
    assert core_property(KG_IRI + "launched") == KG.launched
    with pytest.raises(GraphError, match="not a core class"):
        core_class("Article")
    with pytest.raises(GraphError, match="not a core relation"):
        core_property("holder")
    assert local_name(KG.receivedAward) == "receivedAward"
    assert local_name(KGR["e/abc"]) == "abc"


def test_prefixes():
    assert set(PREFIXES) == {"kg", "kgr", "rdf", "rdfs", "owl", "skos", "prov", "dcterms", "xsd", "schema", "org"}
    assert str(PREFIXES["kg"]) == KG_IRI
