"""kg.rdf.reference: zone facts from the national list, division codes and the hierarchy above regions."""

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Literal

import kg.pipeline.run
from kg.extraction.lexicon import get_lexicon
from kg.graph.knowledge import KnowledgeGraph
from kg.rdf.dataset import to_dataset
from kg.rdf.namespace import KG, REFERENCE_GRAPH, XSD, division_iri, entity_iri, graph_iri
from kg.rdf.reference import reference_graph, region_of, zone_facts
from kg.records import CLASSES, Assertion, Document, Entity, Extraction

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "articles"

TEXT = "长春高新区与溧阳高新区签约，溧阳高新区位于溧阳市。"


def build() -> KnowledgeGraph:
    ents = {k: Entity(k, c, k) for k, c in [("长春高新区", "Zone"), ("溧阳高新区", "Zone"), ("溧阳市", "AdminRegion")]}
    a = Assertion("溧阳高新区", "locatedIn", "溧阳市", "d1", 14, len(TEXT), TEXT[14:], "test")
    ex = Extraction(Document("d1", TEXT), list(ents.values()), [], [a])
    return KnowledgeGraph(to_dataset([ex], ents, reference=True))


def values(g, key, prop) -> set[str]:
    return {str(x) for x in g.dataset.objects(entity_iri(key), prop)}


def test_a_national_zone_carries_the_list_facts():
    g = build()
    assert values(g, "长春高新区", KG.officialName) == {"长春高新技术产业开发区"}
    assert values(g, "长春高新区", KG.province) == {"吉林省"}
    assert values(g, "长春高新区", KG.city) == {"长春市"}
    assert values(g, "长春高新区", KG.zoneLevel) == {"national"}
    [year] = g.dataset.objects(entity_iri("长春高新区"), KG.approvalYear)
    assert len(str(year)) == 4 and year.datatype == XSD.gYear


def test_a_zone_off_the_list_is_provincial_and_has_no_list_facts():
    g = build()
    assert values(g, "溧阳高新区", KG.zoneLevel) == {"provincial"}
    assert values(g, "溧阳高新区", KG.officialName) == set()


def test_zone_facts_by_another_name_and_only_when_sure():
    assert zone_facts(Entity("某地", "Zone", "某地", {"长春高新区"}))["province"] == "吉林省"
    assert zone_facts(Entity("宁波市高新区", "Zone", "宁波市高新区"))["level"] == "national"
    assert zone_facts(Entity("火炬高新区", "Zone", "火炬高新区")) == {}  # no place: could be any
    assert zone_facts(Entity("溧阳国家高新区", "Zone", "溧阳国家高新区")) == {}  # claims national, unlisted


def test_regions_walk_up_to_their_province():
    g = build()
    rows = g.query(
        """SELECT ?name ?code WHERE {
        ?z rdfs:label ?zone ; kg:locatedIn/kg:withinRegion* ?r .
        ?r rdfs:label ?name ; kg:divisionCode ?code } ORDER BY ?code""",
        zone=Literal("溧阳高新区", lang="zh"),
    )
    assert [(str(r.name), str(r.code)) for r in rows] == [
        ("江苏省", "320000"),
        ("常州市", "320400"),
        ("溧阳市", "320481"),
    ]
    assert list(g.query_file("regions_above", entity=Literal("溧阳", lang="zh"))) == []  # no such label


def test_divisions_above_are_records_not_entities():
    g = build()
    record = division_iri("320400")
    assert set(g.dataset.objects(record, RDF.type)) == {KG.Division}
    assert set(g.dataset.objects(record, RDFS.label)) == {Literal("常州市", lang="zh")}
    assert record not in g.entities() and KG.Division not in {KG[c] for c in CLASSES}
    # what the evaluation counts as entities is unchanged by the reference graph
    assert g.stats()["entities"] == {"Zone": 2, "AdminRegion": 1}


def test_reference_facts_live_in_their_own_graph():
    g = build()
    ref = g.dataset.graph(REFERENCE_GRAPH)
    article = g.dataset.graph(graph_iri("d1"))
    assert (entity_iri("溧阳市"), KG.divisionCode, Literal("320481")) in ref
    assert not list(article.triples((None, KG.divisionCode, None)))
    assert not list(article.triples((None, KG.officialName, None)))
    assert not list(ref.triples((None, RDF.type, KG.Zone)))


def test_namesake_regions_are_told_apart_by_context_or_left_alone():
    assert region_of("朝阳区") is None  # Beijing's or Changchun's?
    assert region_of("朝阳区", {"110000"}).code.startswith("11")
    ents = {"朝阳区": Entity("朝阳区", "AdminRegion", "朝阳区")}
    assert len(reference_graph(ents)) == 0
    beijing = Extraction(
        Document("d", "北京朝阳区"),
        [Entity("北京市", "AdminRegion", "北京市"), Entity("朝阳区", "AdminRegion", "朝阳区")],
        [],
        [],
    )
    g = reference_graph({**ents, "北京市": Entity("北京市", "AdminRegion", "北京市")}, [beijing])
    assert str(g.value(entity_iri("朝阳区"), KG.divisionCode)).startswith("11")
    assert g.value(entity_iri("朝阳区"), KG.withinRegion) == division_iri("110000")  # not 北京市 → 北京市


def test_builds_carry_reference_facts(tmp_path):
    (tmp_path / "a.txt").write_text("青禾新材料有限公司落户江苏溧阳高新区。\n", encoding="utf-8")
    g = kg.pipeline.run.build(tmp_path / "a.txt")
    assert len(g.dataset.graph(REFERENCE_GRAPH)) > 0


def test_every_listed_zone_of_the_corpus_carries_official_name_and_province():
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/articles absent")
    g = kg.pipeline.run.build(CORPUS)
    listed = {name for name, ref in get_lexicon().references.items() if ref.cls == "Zone"}
    zones = {str(r.z) for r in g.query("SELECT ?z WHERE { ?z a kg:Zone }")}
    missing = [(str(r.z), str(r.name)) for r in g.query_file("zones_without_reference") if str(r.name) in listed]
    assert zones and missing == []


def test_a_bad_zone_level_rule_names_file_and_line(tmp_path, monkeypatch):
    import kg.rdf.reference
    from kg.errors import DataFileError

    (tmp_path / "levels.tsv").write_text("# comment\n.*高新区\tcity\n", encoding="utf-8")
    monkeypatch.setattr(kg.rdf.reference, "DATA", tmp_path)
    with pytest.raises(DataFileError, match=r"levels.tsv:2: unknown level 'city'"):
        kg.rdf.reference.zone_level_rules("levels.tsv")


def test_a_listed_organisation_gets_its_lists_facts():
    lex = get_lexicon()
    ref = lex.references["电子科技大学"]
    e = Entity(ref.key, "University", ref.key, facts=dict(ref.facts))
    g = reference_graph({e.key: e})
    iri = entity_iri(e.key)
    assert g.value(iri, KG.designation) == Literal("本科", lang="zh")
    assert str(g.value(iri, KG.registryCode)).startswith("41")
    assert g.value(iri, KG.province) == Literal("四川省", lang="zh")
