"""shapes.ttl and kg.rdf.validate: every shape catches its violation, the build keeps
misfits out of the graph and reports them, and the corpus graph conforms."""

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, RDFS, Graph, Literal
from rdflib.namespace import DCTERMS

import kg.pipeline.tasks
from kg.cli.main import cli
from kg.extraction.relations import collecting_rejections, structural
from kg.graph.knowledge import KnowledgeGraph
from kg.graph.validation import format_violations, validate
from kg.rdf.dataset import add_assertion, add_entity, to_dataset
from kg.rdf.namespace import KG, article_iri, assertion_iri, division_iri, entity_iri, graph_iri
from kg.rdf.validate import REJECTED_FILE, domain_range, misfit, rejected_jsonl, screen, shape_names
from kg.records import CLASSES, PROPERTIES, Assertion, Document, Entity, Extraction, Mention, Observation, Sentence

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "articles"

TEXT = "溧阳高新区位于溧阳市，聚焦新材料。青禾新材料有限公司落户溧阳高新区。溧阳高新区管委会主任王明介绍，园区集聚企业120家。"
S1, S2, S3 = (0, 17), (17, 34), (34, len(TEXT))
ENTITIES = {
    k: Entity(k, c, k)
    for k, c in [
        ("溧阳高新区", "Zone"),
        ("溧阳市", "AdminRegion"),
        ("新材料", "Industry"),
        ("青禾新材料有限公司", "Company"),
        ("王明", "Person"),
        ("溧阳高新区管委会", "GovernmentBody"),
    ]
}


def assertion(s, p, o, span, rule="test", role=""):
    return Assertion(s, p, o, "d1", span[0], span[1], TEXT[span[0] : span[1]], rule, 0.9, role)


def extraction() -> Extraction:
    facts = [
        assertion("溧阳高新区", "locatedIn", "溧阳市", S1),
        assertion("溧阳高新区", "focusesOn", "新材料", S1),
        assertion("溧阳高新区", "hosts", "青禾新材料有限公司", S2),
        assertion("溧阳高新区管委会", "partOf", "溧阳高新区", S3),
        assertion("王明", "worksFor", "溧阳高新区管委会", S3, role="主任"),
    ]
    obs = Observation(
        "溧阳高新区", "企业", Decimal(120), "家", "120家", "d1", S3[0], S3[1], TEXT[S3[0] : S3[1]], "test"
    )
    return Extraction(
        Document("d1", TEXT, title="溧阳高新区见闻"), list(ENTITIES.values()), [], facts, observations=[obs]
    )


@pytest.fixture
def ds():
    return to_dataset([extraction()], ENTITIES, reference=True)


def shapes_violated(ds) -> set[str]:
    return {v.shape for v in validate(ds)}


# --- a deliberately broken graph for every shape ---------------------------------------------


def article_graph(ds):
    return ds.graph(graph_iri("d1"))


def zone():
    return entity_iri("溧阳高新区")


def misfit_assertion(ds, prop: str, side: str) -> None:
    """Two new entities linked by ``prop`` with provenance; the subject (domain) or
    object (range) of a class outside what ``prop`` allows."""
    allowed = domain_range()
    outside = next(c for c in CLASSES if c not in allowed[side][prop])
    subj_cls = outside if side == "domain" else allowed["domain"][prop][0]
    obj_cls = outside if side == "range" else allowed["range"][prop][0]
    g = article_graph(ds)
    add_entity(g, Entity("某甲", subj_cls, "某甲"))
    add_entity(g, Entity("某乙", obj_cls, "某乙"))
    a = Assertion("某甲", prop, "某乙", "d1", 0, 5, "某甲某乙。", "test")
    add_assertion(g, a, article_iri("d1"))


def remove(ds, s, p) -> None:
    for c in list(ds.graphs()):
        c.remove((s, p, None))


def set_value(ds, s, p, value) -> None:
    remove(ds, s, p)
    ds.graph(graph_iri("d1")).add((s, p, value))


def first_assertion_node():
    return assertion_iri(extraction().assertions[0])


BREAKERS = {
    "EntityClass": lambda ds: article_graph(ds).add((zone(), RDF.type, KG.Park)),
    "EntityLabel": lambda ds: set_value(ds, zone(), RDFS.label, Literal("溧阳高新区")),
    "Evidence": lambda ds: article_graph(ds).add((zone(), KG.hosts, entity_iri("溧阳高新区管委会"))),
    "Assertion": lambda ds: set_value(ds, first_assertion_node(), KG.confidence, Literal(Decimal("1.5"))),
    "Article": lambda ds: (
        set_value(ds, article_iri("d1"), DCTERMS.identifier, Literal("d1"))
        or article_graph(ds).add((article_iri("d1"), DCTERMS.identifier, Literal("d2")))
    ),
    "Position": lambda ds: [remove(ds, s, KG.holder) for s in list(ds.subjects(KG.holder, None))],
    "Observation": lambda ds: [
        set_value(ds, s, KG.value, Literal("很多")) for s in list(ds.subjects(RDF.type, KG.Observation))
    ],
    "ZoneLevel": lambda ds: set_value(ds, zone(), KG.zoneLevel, Literal("municipal")),
    "DivisionCode": lambda ds: set_value(ds, entity_iri("溧阳市"), KG.divisionCode, Literal("3204")),
    "withinRegionDomain": lambda ds: article_graph(ds).add((zone(), KG.withinRegion, division_iri("320400"))),
    "withinRegionRange": lambda ds: article_graph(ds).add((entity_iri("溧阳市"), KG.withinRegion, zone())),
    **{f"{p}Domain": (lambda p: lambda ds: misfit_assertion(ds, p, "domain"))(p) for p in PROPERTIES},  # noqa: B023
    **{f"{p}Range": (lambda p: lambda ds: misfit_assertion(ds, p, "range"))(p) for p in PROPERTIES},  # noqa: B023
}


def test_the_sample_graph_conforms(ds):
    assert validate(ds) == []
    assert {str(x) for x in ds.objects(zone(), KG.zoneLevel)} == {"provincial"}  # reference facts are in


def test_every_shape_has_a_breaking_case():
    assert set(BREAKERS) == set(shape_names())


@pytest.mark.parametrize("shape", sorted(BREAKERS))
def test_each_shape_catches_its_violation(ds, shape):
    BREAKERS[shape](ds)
    assert shapes_violated(ds) == {shape}


@pytest.mark.parametrize("prop, value", [(KG.rule, None), (KG.start, Literal(99)), (KG.evidence, None)])
def test_assertion_shape_needs_every_part(ds, prop, value):
    node = first_assertion_node()
    remove(ds, node, prop)
    if value is not None:
        article_graph(ds).add((node, prop, value))
    violated = shapes_violated(ds)
    assert "Assertion" in violated and violated <= {"Assertion", "Evidence"}


def test_an_assertion_whose_triple_is_missing(ds):
    for c in ds.graphs():
        c.remove((zone(), KG.hosts, entity_iri("青禾新材料有限公司")))
    assert shapes_violated(ds) == {"Assertion"}


def test_shapes_domain_and_range_equal_the_ontology():
    onto = Graph().parse(ROOT / "ontology.ttl", format="turtle")

    def members(node) -> set[str]:
        union = onto.value(node, OWL.unionOf)
        classes = set(onto.items(union)) if union is not None else {node}
        classes |= {s for c in classes for s in onto.subjects(RDFS.subClassOf, c)}
        return {str(c).split("#")[1] for c in classes if str(c).startswith(str(KG.Zone)[:-4])}

    shapes = domain_range()
    for p in PROPERTIES + ("withinRegion",):
        assert set(shapes["domain"][p]) == members(onto.value(KG[p], RDFS.domain)), p
        assert set(shapes["range"][p]) == members(onto.value(KG[p], RDFS.range)), p


# --- the report ---------------------------------------------------------------------------------


def test_report_groups_by_shape_with_triple_and_sentence(ds):
    article_graph(ds).remove((zone(), RDF.type, KG.Zone))
    article_graph(ds).add((zone(), RDF.type, KG.Company))
    text = format_violations(validate(ds))
    lines = text.splitlines()
    assert lines[0] == f"2 violations of 2 shapes (of {len(shape_names())} in shapes.ttl)"
    block = lines[lines.index("kgsh:hostsDomain (1): the subject of kg:hosts must be one of: Zone, Park") :]
    assert block[1:3] == [
        "  溧阳高新区 hosts 青禾新材料有限公司  (溧阳高新区: rdf:type kg:Company)",
        f"    d1: {TEXT[S2[0] : S2[1]]}",
    ]
    assert "kgsh:ZoneLevel (1): only a kg:Zone has a zone level" in text  # a company has no zone level


def test_cli_validate(ds, tmp_path):
    KnowledgeGraph(ds).save(tmp_path / "ok")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "ok")])
    assert result.exit_code == 0, result.output
    assert result.output == f"The graph conforms to shapes.ttl: no violations of its {len(shape_names())} shapes.\n"
    set_value(ds, zone(), RDFS.label, Literal("溧阳高新区", lang="en"))
    KnowledgeGraph(ds).save(tmp_path / "bad")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "bad")])
    assert result.exit_code == 1
    assert result.output.splitlines()[2:] == [
        "kgsh:EntityLabel (1): an entity has exactly one rdfs:label, in Chinese (@zh)",
        '  溧阳高新区: rdfs:label "溧阳高新区"@en',
    ]


# --- the build keeps misfits out and says so ---------------------------------------------------

WRONG = [
    assertion("青禾新材料有限公司", "hosts", "溧阳高新区", S2, rule="wrong:domain"),
    assertion("溧阳高新区", "focusesOn", "青禾新材料有限公司", S2, rule="wrong:range"),
]


def test_misfit_names_the_class_and_what_is_allowed():
    assert misfit("locatedIn", "甲", "Zone", "乙", "Company") == (
        "range",
        "乙 is a Company; the object of locatedIn must be one of: AdminRegion",
    )
    assert misfit("worksFor", "甲", "Person", "乙", "Company") is None


def test_screen_rejects_wrong_assertions_and_keeps_the_rest():
    ex = extraction()
    ex = replace(ex, assertions=ex.assertions + WRONG)
    out = screen([ex], ENTITIES)[0]
    assert out.assertions == extraction().assertions
    assert [(r.assertion.rule, r.check, r.stage) for r in out.rejected] == [
        ("wrong:domain", "domain", "build"),
        ("wrong:range", "range", "build"),
    ]
    assert "青禾新材料有限公司 is a Company" in out.rejected[0].reason
    assert ex.assertions[-2:] == WRONG  # the input is not changed
    assert screen([extraction()], ENTITIES)[0] == extraction()


def test_screen_uses_the_global_class():
    a = assertion("溧阳高新区", "hosts", "青禾新材料有限公司", S2)
    local = Extraction(Document("d1", TEXT), [Entity("溧阳高新区", "Zone", "溧阳高新区")], [], [a])
    as_park = {**ENTITIES, "溧阳高新区": Entity("溧阳高新区", "Industry", "溧阳高新区")}
    out = screen([local], as_park)[0]
    assert out.assertions == [] and out.rejected[0].check == "domain"
    assert {e.key for e in out.entities} == {"溧阳高新区", "青禾新材料有限公司"}  # still named here


def test_relation_rules_record_what_they_drop_for_its_classes():
    text = "溧阳高新区人才计划发布。"
    sent = Sentence(0, len(text), text)
    program = Mention(0, 9, "溧阳高新区人才计划", "Program", "test", "溧阳高新区人才计划")
    zone_m = Mention(0, 5, "溧阳高新区", "Zone", "test", "溧阳高新区")
    assert structural("d", text, sent, [program], [zone_m]) == []  # outside: as before
    with collecting_rejections() as rejected:
        assert structural("d", text, sent, [program], [zone_m]) == []
    assert [(r.assertion.property, r.check, r.stage) for r in rejected] == [("hosts", "range", "extract")]
    assert "溧阳高新区人才计划 is a Program" in rejected[0].reason


def test_rejected_jsonl_is_sorted_and_distinct():
    rs = screen([replace(extraction(), assertions=WRONG[::-1] + WRONG)], ENTITIES)[0].rejected
    lines = rejected_jsonl(rs).decode("utf-8").splitlines()
    assert sorted(json.loads(x)["rule"] for x in lines) == ["wrong:domain", "wrong:range"]
    assert rejected_jsonl(rs) == rejected_jsonl(rs[::-1])
    assert set(json.loads(lines[0])) >= {"subject", "property", "object", "reason", "check", "evidence", "doc_id"}


@pytest.fixture
def wrong_build(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("青禾新材料有限公司落户云溪高新区，聚焦新材料。\n", encoding="utf-8")
    real = kg.pipeline.tasks.extract

    def with_wrong(doc):
        ex = real(doc)
        sent = ex.assertions[0]
        bad = [replace(sent, subject=sent.object, object=sent.subject, rule="wrong:reversed")]
        return replace(ex, assertions=ex.assertions + bad)

    monkeypatch.setattr(kg.pipeline.tasks, "extract", with_wrong)
    return tmp_path


def test_build_rejects_and_reports_wrong_assertions(wrong_build):
    graph = kg.build(wrong_build / "in")
    [r] = graph.report.rejected
    a = r.assertion
    assert a.rule == "wrong:reversed" and r.stage == "build"
    assert (entity_iri(a.subject), KG[a.property], entity_iri(a.object)) not in graph.dataset
    assert validate(graph) == []
    graph.save(wrong_build / "out")
    [line] = (wrong_build / "out" / REJECTED_FILE).read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["rule"] == "wrong:reversed" and json.loads(line)["reason"] == r.reason


def test_build_summary_counts_rejections(wrong_build):
    out = wrong_build / "out"
    result = CliRunner().invoke(cli, ["build", str(wrong_build / "in"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    [line] = [x for x in result.output.splitlines() if x.startswith("Rejected:")]
    prop = json.loads((out / REJECTED_FILE).read_text(encoding="utf-8"))["property"]
    assert line == f"Rejected: 1 ({prop} 1), outside their property's domain or range: {out / REJECTED_FILE}"


def test_a_clean_build_writes_an_empty_rejected_list(tmp_path):
    (tmp_path / "a.txt").write_text("青禾新材料有限公司落户云溪高新区。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out")])
    assert "Rejected: 0" in result.output.splitlines()
    assert (tmp_path / "out" / REJECTED_FILE).read_bytes() == b""


# --- the corpus (../shared/corpus/articles) --------------------------------------------------


@pytest.fixture(scope="module")
def corpus_graph():
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/articles absent")
    return kg.build(CORPUS)


def test_corpus_graph_conforms_to_the_shapes(corpus_graph):
    assert format_violations(validate(corpus_graph)).startswith("The graph conforms")


def test_every_core_triple_of_the_corpus_has_evidence(corpus_graph):
    assert len(corpus_graph.core_triples()) > 100
    assert list(corpus_graph.query_file("unevidenced")) == []


def test_package_copy_of_shapes_is_the_same_file():
    assert (ROOT / "kg" / "rdf" / "shapes.ttl").read_bytes() == (ROOT / "shapes.ttl").read_bytes()
