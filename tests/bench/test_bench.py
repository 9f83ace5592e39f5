"""The naive baseline of bench/baseline.py and the table of bench/quality.py."""

import importlib.util
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Literal

from bench.baseline import class_of, pair_property, pos_tokenizer, run_text, to_dataset, write_graphs
from bench.quality import markdown_table
from kg.rdf.namespace import KG, entity_iri, graph_iri

SCORER = Path(__file__).resolve().parents[3] / "shared" / "spec" / "score.py"


def test_nr_ns_nt_words_get_their_classes_and_co_occurrence_triples():
    res = run_text("t", "教授王小明在北京的清华大学工作。")
    assert res.entities == {"王小明": "Person", "北京": "AdminRegion", "清华大学": "University"}
    assert res.triples == {("王小明", "worksFor", "清华大学"), ("清华大学", "locatedIn", "北京")}


def test_pairs_without_a_core_property_are_skipped():
    res = run_text("t", "张伟和王小明在上海见面。")  # person–person, person–place
    assert set(res.entities.values()) == {"Person", "AdminRegion"}
    assert res.triples == set()


def test_co_occurrence_stays_inside_one_sentence():
    res = run_text("t", "王小明来到北京。清华大学很美。")
    assert {"王小明", "北京", "清华大学"} <= set(res.entities)
    assert res.triples == set()


def test_single_characters_are_not_entities():
    res = run_text("t", "清华大学很美。")  # jieba tags 美 as ns
    assert res.entities == {"清华大学": "University"}


def test_nt_suffix_mapping_is_tiny_and_everything_else_is_a_company():
    assert class_of("云溪高新区", "nt") == "Zone"
    assert class_of("云溪开发区", "nt") == "Zone"
    assert class_of("星河科技园", "nt") == "Park"
    assert class_of("星河研究所", "nt") == "ResearchInstitute"
    assert class_of("星河学院", "nt") == "University"
    assert class_of("云溪市科技局", "nt") == "GovernmentBody"
    assert class_of("星河孵化器", "nt") == "Company"
    assert class_of("星河研究院", "nr") == "Person"  # the tag decides first
    assert class_of("星河", "n") is None


def test_pair_property_follows_the_vocabulary_directions():
    assert pair_property("Zone", "Park") == ("hosts", False)
    assert pair_property("Park", "Zone") == ("hosts", True)
    assert pair_property("AdminRegion", "Company") == ("locatedIn", True)
    assert pair_property("Zone", "Person") == ("worksFor", True)
    assert pair_property("Park", "Person") is None
    assert pair_property("AdminRegion", "AdminRegion") is None
    assert pair_property("Company", "University") is None


def test_tokenizer_is_private():
    import jieba

    assert pos_tokenizer().tokenizer is not jieba.dt


def test_dataset_has_typed_labelled_entities_in_the_article_graph():
    ds = to_dataset(run_text("d1", "李华在复旦大学读书，复旦大学在上海。"))
    g = ds.graph(graph_iri("d1"))
    uni = entity_iri("复旦大学")
    assert (uni, RDF.type, KG.University) in g
    assert (uni, RDFS.label, Literal("复旦大学", lang="zh")) in g
    assert (entity_iri("李华"), KG.worksFor, uni) in g
    assert (uni, KG.locatedIn, entity_iri("上海")) in g


def test_written_graphs_parse_one_file_per_article(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.md").write_text("---\ntitle: 开学\n---\n\n教授王小明在北京的清华大学工作。\n", encoding="utf-8")
    (src / "b.md").write_text("张伟在上海的复旦大学任教。\n", encoding="utf-8")
    results = write_graphs([src], tmp_path / "out")
    assert [r.doc_id for r in results] == ["a", "b"]
    ds = Dataset(default_union=True)
    ds.parse(tmp_path / "out" / "a.trig", format="trig")
    labels = {str(o) for o in ds.objects(None, RDFS.label)}
    assert labels == {"王小明", "北京", "清华大学"}
    assert all(o.language == "zh" for o in ds.objects(None, RDFS.label))
    assert (entity_iri("王小明"), KG.worksFor, entity_iri("清华大学")) in ds
    assert (tmp_path / "out" / "b.trig").is_file()


@pytest.mark.skipif(not SCORER.is_file(), reason="needs ../shared/spec/score.py")
def test_reference_scorer_reads_the_baseline_output(tmp_path):
    spec = importlib.util.spec_from_file_location("score", SCORER)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    (tmp_path / "a.md").write_text("张伟在上海的复旦大学任教。\n", encoding="utf-8")
    write_graphs([tmp_path / "a.md"], tmp_path / "out")
    gold = {
        "entities": [
            {"id": "p", "type": "Person", "name": "张伟"},
            {"id": "u", "type": "University", "name": "复旦大学"},
            {"id": "r", "type": "AdminRegion", "name": "上海"},
        ],
        "relations": [{"s": "p", "p": "worksFor", "o": "u"}],
    }
    res = score.score(gold, score.load(tmp_path / "out"))
    assert res["entities"]["precision"] == 1.0 and res["entities"]["recall"] == 1.0
    assert res["relations"]["output"] == 2  # worksFor (right) and locatedIn (not in gold)
    assert res["relations"]["recall"] == 1.0 and res["relations"]["precision"] == 0.5


def test_markdown_table_has_a_row_per_data_set_and_system():
    fig = lambda e, r: {
        "entities": {"precision": e, "recall": e, "f1": e},
        "relations": {"precision": r, "recall": r, "f1": r},
    }
    figures = {"zone-kg": {"seed": fig(0.9, 0.7), "corpus": fig(0.8, 0.5)}, "baseline": {"seed": fig(0.4, 0.0)}}
    table = markdown_table(figures, {"seed": "sample page", "corpus": "corpus"}).splitlines()
    assert table[0] == (
        "| Data | System | Entities P | Entities R | Entities F1 | Relations P | Relations R | Relations F1 |"
    )
    assert table[2] == "| sample page | zone-kg | 0.900 | 0.900 | 0.900 | 0.700 | 0.700 | 0.700 |"
    assert table[3] == "| sample page | baseline | 0.400 | 0.400 | 0.400 | 0.000 | 0.000 | 0.000 |"
    assert table[4].startswith("| corpus | zone-kg | 0.800")
    assert len(table) == 5  # no baseline corpus figures: no row


def test_throughput_times_extraction_and_jieba_on_the_same_text():
    from bench.throughput import measure
    from kg.records import Document

    docs = [Document("a", "云溪高新区位于星河市,聚焦新材料产业。"), Document("b", "青禾科技有限公司落户云溪高新区。")]
    figures = measure(docs, rounds=2)
    assert figures["characters"] == sum(len(d.text) for d in docs)
    assert figures["extract_seconds"] > 0 and figures["jieba_seconds"] > 0
    assert figures["ratio"] == round(figures["extract_seconds"] / figures["jieba_seconds"], 2)


def test_sparql_latency_times_every_named_query_and_the_librarys_own(tmp_path):
    from sample_articles import write_articles

    from bench.sparql_latency import LIBRARY, run_all
    from kg.pipeline.ondisk import build_into
    from kg.queries.sparql import named_queries

    graph = build_into([write_articles(tmp_path / "src")], tmp_path / "out", store="oxigraph")
    try:
        rows = run_all(graph, repeat=1)
    finally:
        graph.close()
    unbound = {r["query"] for r in rows if r["kind"] == "named" and not r["params"]}
    required = {n for n, q in named_queries().items() if any(need for _, need, _ in q.params.values())}
    assert unbound == set(named_queries()) - required
    own = [(r["query"], bool(r["params"])) for r in rows if r["kind"] == "library"]
    assert own == [(name, bound) for name in LIBRARY for bound in (True, False)]
    assert all(r["ms"] >= 0 and r["rows"] >= 0 for r in rows)
    bound = {r["query"]: r["rows"] for r in rows if r["kind"] == "library" and r["params"]}
    whole = {r["query"]: r["rows"] for r in rows if r["kind"] == "library" and not r["params"]}
    assert 1 <= bound["evidence"] <= whole["evidence"] and bound["confidence"] == 1
