"""kg.extraction.quantities: quantity facts (kg:Observation) — numbers, indicators, subjects, dates, RDF."""

from decimal import Decimal

import pytest
from rdflib import RDF, Literal

from kg.errors import DataFileError, GraphError
from kg.extraction.entities import merge_entities
from kg.extraction.extract import extract
from kg.extraction.quantities import find_indicator, find_quantities, observations, parse_quantity, to_number
from kg.extraction.quantity_words import get_quantity_lexicon, load_triggers, load_words
from kg.extraction.sentences import split_sentences
from kg.graph.knowledge import KnowledgeGraph
from kg.rdf.dataset import to_dataset
from kg.rdf.namespace import KG, XSD, graph_iri, observation_iri
from kg.records import CLASSES, PROPERTIES, Document, Entity, Extraction, Mention, Observation

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

NAMES = {
    "云溪高新区": "Zone",
    "青禾新材料有限公司": "Company",
    "禾丰科技有限公司": "Company",
    "青禾新材料产业园": "Park",
    "禾丰科技园": "Park",
    "云溪高新区管委会": "GovernmentBody",
    "王明": "Person",
    "溪口市": "AdminRegion",
    "石湾高新区": "Zone",
}


def names(text: str) -> list[Mention]:
    """Top-level mentions of the NAMES in ``text`` (longest first, no overlap); 园区 -> 云溪高新区."""
    found, taken = [], set()
    for name in sorted(NAMES, key=len, reverse=True) + ["园区"]:
        start = text.find(name)
        while start >= 0:
            span = set(range(start, start + len(name)))
            if not span & taken:
                taken |= span
                key, cls = (name, NAMES[name]) if name in NAMES else ("云溪高新区", "Zone")
                found.append(
                    Mention(start, start + len(name), name, cls, "test", key, "name" if name in NAMES else "anaphor")
                )
            start = text.find(name, start + 1)
    return sorted(found, key=lambda m: m.start)


def obs(text: str, doc_id: str = "d") -> list[Observation]:
    return observations(doc_id, split_sentences(text), names(text))


def facts(text: str) -> list[tuple]:
    return [(o.subject, o.indicator, o.value, o.unit) for o in obs(text)]


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "written, value, unit, qualifier",
    [
        ("1030人", "1030", "人", ""),
        ("1,030人", "1030", "人", ""),
        ("一千零三十人", "1030", "人", ""),
        ("两千八百家", "2800", "家", ""),
        ("十二名", "12", "名", ""),
        ("2550万元", "25500000", "元", ""),
        ("3.2亿元", "320000000", "元", ""),
        ("1.5万亿元", "1500000000000", "元", ""),
        ("三点五亿元", "350000000", "元", ""),
        ("15万平方米", "150000", "平方米", ""),
        ("44.3平方公里", "44.3", "平方公里", ""),
        ("0.75亿美元", "75000000", "美元", ""),
        ("超百亿元", "10000000000", "元", "over"),
        ("1000余家", "1000", "家", "over"),
        ("3万余人", "30000", "人", "over"),
        ("1000多万元", "10000000", "元", "over"),
        ("500亿元以上", "50000000000", "元", "over"),
        ("近200个", "200", "个", "under"),
        ("约211亩", "211", "亩", "about"),
        ("3.66%", "3.66", "%", ""),
        ("12.5％", "12.5", "%", ""),
        ("百分之三十", "30", "%", ""),
    ],
)
def test_quantities_are_normalised(written, value, unit, qualifier):
    v, u, q = parse_quantity(written)
    assert (v, u, q) == (Decimal(value), unit, qualifier)
    assert str(v) == value  # plain notation, no exponent, no trailing zeros


def test_to_number():
    assert to_number("二〇二三") == 2023
    assert to_number("千") == 1000
    with pytest.raises(ValueError):
        to_number("数十")


@pytest.mark.parametrize("text", ["第3个", "数十家企业", "3个月", "提高5个百分点", "2023年5月"])
def test_not_quantities(text):
    assert find_quantities(text) == []


def test_quantity_offsets():
    text = "占地约211亩,投资8.3亿元。"
    assert [text[s:e] for s, e, *_ in find_quantities(text)] == ["约211亩", "8.3亿元"]


# ---------------------------------------------------------------- indicators


def test_indicator_phrases_and_values():
    assert facts("云溪高新区集聚人才1030人,累计孵化企业2803家,计划总投资2550万元。") == [
        ("云溪高新区", "人才", Decimal(1030), "人"),
        ("云溪高新区", "孵化企业", Decimal(2803), "家"),
        ("云溪高新区", "总投资", Decimal(25500000), "元"),
    ]


def test_verb_and_noun_around_the_quantity():
    assert facts("云溪高新区已孵化了100多家企业。") == [("云溪高新区", "孵化企业", Decimal(100), "家")]
    assert obs("云溪高新区已孵化了100多家企业。")[0].qualifier == "over"


def test_chinese_numerals_and_percentages_in_sentences():
    assert facts("云溪高新区集聚院士十二人,研发投入强度达3.5%。") == [
        ("云溪高新区", "院士", Decimal(12), "人"),
        ("云溪高新区", "研发投入强度", Decimal("3.5"), "%"),
    ]


def test_grade_becomes_part_of_the_indicator():
    assert facts("云溪高新区拥有省级以上众创空间12家。") == [("云溪高新区", "省级以上众创空间", Decimal(12), "家")]


@pytest.mark.parametrize(
    "text",
    [
        "云溪高新区有3个出口,距溪口市中心20公里。",  # no indicator
        "云溪高新区现有员工食堂2个。",  # unit the indicator does not take
        "云溪高新区省创新型领军企业5家。",  # 企业 inside a longer noun: no phrase start
        "云溪高新区投资30亿元以上项目5个。",  # the amount describes the projects
        "云溪高新区产值将达2000亿元。",  # a forecast
        "到2030年,云溪高新区新增高新技术企业50家。",  # a target
        "云溪高新区计划在5年内投入100亿元。",  # a plan
    ],
)
def test_no_observation(text):
    assert obs(text) == []


def test_unit_must_fit_the_indicator():
    assert find_indicator("入驻企业300家", 4, 8, "家").label == "企业"
    assert find_indicator("入驻企业3亿元", 4, 8, "元") is None
    assert find_indicator("营收3亿元", 2, 6, "元").label == "营收"


# ---------------------------------------------------------------- subjects


def test_nearest_name_in_the_clause():
    (o,) = obs("云溪高新区的青禾新材料有限公司营业收入达3.2亿元。")
    assert (o.subject, o.rule, o.confidence) == ("青禾新材料有限公司", "quantity.clause:营业收入", 0.8)


def test_sentence_subject_when_the_clause_names_nobody():
    (o,) = obs("云溪高新区引进青禾新材料有限公司,集聚人才1030人。")
    assert (o.subject, o.rule, o.confidence) == ("云溪高新区", "quantity.sentence:集聚人才", 0.7)


def test_place_partner_and_list_items_are_not_subjects():
    assert facts("青禾新材料有限公司在云溪高新区投资5亿元。") == [
        ("青禾新材料有限公司", "投资", Decimal(500000000), "元")
    ]
    assert facts("园区培育了青禾新材料有限公司、禾丰科技有限公司等高新技术企业120家。") == [
        ("云溪高新区", "高新技术企业", Decimal(120), "家")
    ]


def test_name_after_the_amount_owns_it():
    assert facts("包括总投资50亿元的青禾新材料产业园、总投资3000万元的禾丰科技园。") == [
        ("青禾新材料产业园", "总投资", Decimal(5000000000), "元"),
        ("禾丰科技园", "总投资", Decimal(30000000), "元"),
    ]
    assert obs("云溪高新区开工总投资20亿元的厂房。") == []


def test_main_zone_only_when_the_sentence_names_nothing():
    text = "云溪高新区位于溪口市。云溪高新区聚焦新材料。全年专利申请量1679件。"
    (o,) = obs(text)
    assert (o.subject, o.indicator, o.value, o.rule) == (
        "云溪高新区",
        "专利申请",
        Decimal(1679),
        "quantity.article:专利申请量",
    )
    assert o.confidence == 0.6
    assert obs("云溪高新区聚焦新材料。青禾新材料有限公司和禾丰科技有限公司专利申请量共1679件。") == []


def test_no_guess_without_a_main_zone():
    assert obs("云溪高新区与石湾高新区签约。全年专利申请量1679件。") == []


def test_speaker_affiliation_is_not_the_subject():
    assert obs("云溪高新区管委会主任王明介绍,集聚人才1030人。") == []
    (o,) = obs("云溪高新区管委会主任王明介绍,园区集聚人才1030人。")
    assert o.subject == "云溪高新区"


# ---------------------------------------------------------------- dates and provenance


def test_year_of_the_sentence():
    text = "云溪高新区成立于2012年。2023年,云溪高新区产值突破1000亿元。"
    (o,) = obs(text)
    assert (o.date, o.value, o.qualifier, o.surface) == ("2023", Decimal(10**11), "over", "突破1000亿元")
    assert text[o.start : o.end] == o.evidence == "2023年,云溪高新区产值突破1000亿元。"
    assert obs("云溪高新区产值1000亿元。")[0].date == ""


def test_extract_finds_observations_and_quotes_traditional_text():
    ex = extract(Document("t", "雲溪高新區集聚人才1030人。"))
    (o,) = ex.observations
    assert (o.subject, o.indicator, o.value, o.evidence) == (
        "云溪高新区",
        "人才",
        Decimal(1030),
        "雲溪高新區集聚人才1030人。",
    )


# ---------------------------------------------------------------- data files


def test_data_files_load():
    lex = get_quantity_lexicon()
    labels = {t.label for t in lex.triggers}
    assert {"人才", "孵化企业", "总投资", "产值", "营收", "面积", "高新技术企业"} <= labels
    assert lex.multipliers["万"] == 10000 and lex.units["％"] == "%"


def test_bad_data_lines_name_file_and_line(tmp_path):
    bad = tmp_path / "indicators.tsv"
    bad.write_text("# comment\n人才\t人\t集聚人才\n产值\t斤\t产值\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"indicators.tsv:3: unknown unit"):
        load_triggers(bad, {"人", "元"})
    bad.write_text("人才\t人\t…人才\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"indicators.tsv:1: bad trigger"):
        load_triggers(bad, {"人"})
    words = tmp_path / "quantity_words.tsv"
    words.write_text("unit\t家\nsize\t大\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"quantity_words.tsv:2: unknown kind 'size'"):
        load_words(words)


# ---------------------------------------------------------------- RDF

DOC = Document("q1", "云溪高新区集聚人才1030人。2023年,青禾新材料有限公司营收达3.2亿元。", title="测试")


def dataset():
    entities = [Entity(k, NAMES[k], k) for k in ("云溪高新区", "青禾新材料有限公司")]
    ex = Extraction(DOC, entities, [], [], obs(DOC.text, DOC.id))
    return ex, to_dataset([ex], merge_entities([ex]))


def test_sparql_finds_observations_with_numeric_values():
    _, ds = dataset()
    rows = list(
        KnowledgeGraph(ds).query("""
        SELECT ?name ?indicator ?value ?unit ?date ?sentence WHERE {
          GRAPH ?g { ?o a kg:Observation ; kg:observationOf ?e ; kg:indicator ?indicator ;
                        kg:value ?value ; kg:unit ?unit ; kg:evidence ?sentence ;
                        kg:article ?article ; kg:start ?s ; kg:end ?x ; kg:rule ?r ;
                        kg:confidence ?c . }
          ?e rdfs:label ?name .
          ?article dcterms:identifier "q1" .
          OPTIONAL { ?o kg:date ?date }
          FILTER (?value > 1000)
        } ORDER BY ?value""")
    )
    assert [(str(r.name), str(r.indicator), r.value.datatype, int(r.value), str(r.unit)) for r in rows] == [
        ("云溪高新区", "人才", XSD.decimal, 1030, "人"),
        ("青禾新材料有限公司", "营收", XSD.decimal, 320000000, "元"),
    ]
    assert rows[1].date == Literal("2023", datatype=XSD.gYear)
    assert str(rows[0].sentence) == "云溪高新区集聚人才1030人。"


def test_observations_live_in_the_article_graph_and_are_deterministic():
    ex, ds = dataset()
    g = ds.graph(graph_iri("q1"))
    for o in ex.observations:
        assert (observation_iri(o), KG.value, None) in g
    _, again = dataset()
    assert KnowledgeGraph(ds).to_trig() == KnowledgeGraph(again).to_trig()


def test_observations_add_no_entities_and_no_core_triples():
    ex, ds = dataset()
    plain = to_dataset([Extraction(ex.doc, ex.entities, [], [])], merge_entities([ex]))

    def core(d):
        return (
            {s for c in CLASSES for s in d.subjects(RDF.type, KG[c])},
            {t for p in PROPERTIES for t in d.triples((None, KG[p], None))},
        )

    assert core(ds) == core(plain)


def test_observation_of_another_article_is_an_error():
    ex, _ = dataset()
    ex.observations[0] = Observation(**{**vars(ex.observations[0]), "doc_id": "q9"})
    with pytest.raises(GraphError, match="q9"):
        to_dataset([ex], merge_entities([ex]))


def test_observation_iri_is_stable():
    a, b = obs("云溪高新区集聚人才1030人,引进人才200人。")
    assert observation_iri(a) == observation_iri(Observation(**vars(a)))
    assert observation_iri(a) != observation_iri(b)
