"""kg.evaluation.evaluate agrees number for number with ../shared/spec/score.py and score_folder.py."""

import importlib.util
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, Graph, Literal

from kg.errors import GraphError, InputError
from kg.evaluation.diagnose import CAUSES, explain, format_explanation
from kg.evaluation.evaluate import article_graphs, confidences, curve, evaluate, evaluate_folder, norm
from kg.evaluation.report import assess, format_curve, format_report
from kg.graph.knowledge import KnowledgeGraph
from kg.rdf.dataset import to_dataset
from kg.rdf.namespace import KG, entity_iri, graph_iri
from kg.records import Assertion, Document, Entity, Extraction

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec"

ENTITIES = {
    e.key: e
    for e in [
        Entity("测试高新区", "Zone", "测试高新区"),
        Entity("测试市", "AdminRegion", "测试市"),
        Entity("测试省", "AdminRegion", "测试省"),
        Entity("测试高新区科技局", "GovernmentBody", "测试高新区科技局"),
        Entity("王测试", "Person", "王测试"),
        Entity("测试能源公司", "Company", "测试能源公司"),
        Entity("测试研究院", "Company", "测试研究院"),  # wrong type on purpose
        Entity("测试产业园", "Park", "测试产业园"),
        Entity("新能源", "Industry", "新能源"),
        Entity("本土企业", "Company", "本土企业"),  # spurious
        Entity("测试（中国）集团", "Company", "测试（中国）集团"),  # full-width brackets
    ]
}


def sample() -> list[Extraction]:
    t = "一句证据。"

    def a(s, p, o, doc):
        return Assertion(s, p, o, doc, 0, 5, t, "r")

    def ents(*keys):
        return [ENTITIES[k] for k in keys]

    d1 = [
        a("测试高新区", "locatedIn", "测试市", "d1"),  # required, found
        a("测试高新区", "locatedIn", "测试省", "d1"),  # optional only: not counted
        a("测试高新区科技局", "partOf", "测试高新区", "d1"),  # required, found
        a("王测试", "worksFor", "测试高新区科技局", "d1"),  # required, found
        a("测试高新区", "hosts", "测试能源公司", "d1"),  # spurious (wrong direction)
        a("测试产业园", "partOf", "测试高新区", "d1"),  # alt reading of a hosts relation
        a("本土企业", "focusesOn", "新能源", "d1"),
    ]  # spurious
    d2 = [
        a("测试能源公司", "incubatedBy", "测试研究院", "d2"),  # p given as a list
        a("测试（中国）集团", "establishedBy", "测试能源公司", "d2"),
    ]  # found via NFKC
    d3 = [a("测试高新区", "focusesOn", "新能源", "d3")]
    return [
        Extraction(
            Document("d1", t, source="d1.txt"),
            ents(
                "测试高新区",
                "测试市",
                "测试省",
                "测试高新区科技局",
                "王测试",
                "测试能源公司",
                "测试产业园",
                "本土企业",
                "新能源",
            ),
            [],
            d1,
        ),
        Extraction(Document("d2", t, source="d2.txt"), ents("测试能源公司", "测试研究院", "测试（中国）集团"), [], d2),
        Extraction(Document("d3", t, source="d3.txt"), ents("测试高新区", "新能源"), [], d3),
    ]


GOLD_D1 = {
    "source": "d1.txt",
    "entities": [
        {"id": "zone", "type": "Zone", "name": "测试高新区", "aliases": ["江苏测试高新区"]},
        {"id": "city", "type": "AdminRegion", "name": "测试市", "aliases": []},
        {"id": "prov", "type": "AdminRegion", "name": "测试省", "optional": True},
        {"id": "bureau", "type": ["GovernmentBody", "Platform"], "name": "测试高新区科技局"},
        {"id": "wang", "type": "Person", "name": "王测试"},
        {"id": "co", "type": "Company", "name": "测试能源公司"},
        {"id": "park", "type": "Park", "name": "测试产业园"},
        {"id": "ind", "type": "Industry", "name": "新能源"},
        {"id": "missing", "type": "Award", "name": "最佳测试园区"},
    ],
    "relations": [
        {"s": "zone", "p": "locatedIn", "o": "city"},
        {"s": "zone", "p": "locatedIn", "o": "prov", "optional": True},
        {"s": "bureau", "p": "partOf", "o": "zone"},
        {"s": "wang", "p": "worksFor", "o": "bureau", "role": "局长"},
        {"s": "co", "p": "hosts", "o": "zone"},
        {"s": "zone", "p": "hosts", "o": "park", "alt": [{"s": "park", "p": "partOf", "o": "zone"}]},
        {"s": "zone", "p": "receivedAward", "o": "missing"},
        {"s": "zone", "p": "focusesOn", "o": "ind"},
    ],
}
GOLD_D2 = {
    "source": "d2.txt",
    "entities": [
        {"id": "co", "type": "Company", "name": "测试能源公司"},
        {"id": "ri", "type": "ResearchInstitute", "name": "测试研究院"},
        {"id": "grp", "type": "Company", "name": "测试(中国)集团"},
    ],
    "relations": [
        {"s": "co", "p": ["incubatedBy", "establishedBy"], "o": "ri"},
        {"s": "grp", "p": "establishedBy", "o": "co"},
    ],
}
GOLD_D4 = {
    "entities": [{"id": "x", "type": "Zone", "name": "缺席高新区"}],
    "relations": [{"s": "x", "p": "locatedIn", "o": "x"}],
}


def load_spec(name: str) -> types.ModuleType:
    path = SPEC / f"{name}.py"
    if not path.is_file():
        pytest.skip(f"{path} absent")
    spec = importlib.util.spec_from_file_location(f"spec_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def score():
    return load_spec("score")


@pytest.fixture(scope="module")
def ds():
    return to_dataset(sample(), ENTITIES)


@pytest.mark.parametrize("gold", [GOLD_D1, GOLD_D2, GOLD_D4], ids=["d1", "d2", "d4"])
def test_evaluate_agrees_with_score_py(score, ds, gold):
    assert evaluate(gold, ds) == score.score(gold, ds)


def test_evaluate_values(ds):
    r = evaluate(GOLD_D1, ds.graph(graph_iri("d1")))
    assert r["entities"]["missed"] == ["最佳测试园区"]
    assert r["relations"]["missed"] == [
        "测试能源公司 hosts 测试高新区",
        "测试高新区 focusesOn 新能源",
        "测试高新区 receivedAward 最佳测试园区",
    ]
    assert r["relations"]["spurious"] == ["本土企业 focusesOn 新能源", "测试高新区 hosts 测试能源公司"]
    assert r["per_property"]["locatedIn"]["output"] == 1  # the optional match is not counted


def test_evaluate_agrees_on_seed_gold(score, ds):
    seed = json.loads((SPEC / "gold" / "seed.json").read_text(encoding="utf-8"))
    names = [e["name"] for e in seed["entities"]][:6]
    ents = {n: Entity(n, "Zone", n) for n in names + ["无关机构"]}
    rel = [
        Assertion(names[0], "locatedIn", names[1], "s", 0, 1, "x", "r"),
        Assertion(names[3], "partOf", names[0], "s", 0, 1, "x", "r"),
        Assertion(names[2], "hosts", "无关机构", "s", 0, 1, "x", "r"),
    ]
    seed_ds = to_dataset([Extraction(Document("s", "x"), list(ents.values()), [], rel)], ents)
    assert evaluate(seed, seed_ds) == score.score(seed, seed_ds)


def test_evaluate_saved_folder_and_paths(score, ds, tmp_path, monkeypatch):
    monkeypatch.setitem(
        sys.modules,
        "kg.page.render",
        types.SimpleNamespace(write_page=lambda G, path, title="": Path(path).write_text("<html>", encoding="utf-8")),
    )
    KnowledgeGraph(ds).save(tmp_path / "out")
    (tmp_path / "gold.json").write_text(json.dumps(GOLD_D1, ensure_ascii=False), encoding="utf-8")
    expected = score.score(GOLD_D1, score.load(tmp_path / "out"))
    assert evaluate(tmp_path / "gold.json", tmp_path / "out") == expected
    assert evaluate(GOLD_D1, KnowledgeGraph.load(tmp_path / "out")) == expected
    assert evaluate(GOLD_D1, str(tmp_path / "out" / "graph.trig")) == expected


def write_per_article_outputs(ds, folder: Path) -> None:
    """What score_folder.py reads: one graph file per article, named by its stem."""
    folder.mkdir()
    for doc in ("d1", "d2", "d3"):
        ds.graph(graph_iri(doc)).serialize(folder / f"{doc}.ttl", format="turtle")


def test_evaluate_folder_agrees_with_score_folder(ds, tmp_path):
    load_spec("score_folder")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for stem, gold in [("d1", GOLD_D1), ("d2", GOLD_D2), ("d4", GOLD_D4)]:
        (gold_dir / f"{stem}.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    write_per_article_outputs(ds, tmp_path / "out")
    proc = subprocess.run(
        [sys.executable, str(SPEC / "score_folder.py"), str(gold_dir), str(tmp_path / "out"), "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONWARNINGS": "ignore", "PATH": ""},
    )
    reference = json.loads(proc.stdout)
    mine = evaluate_folder(gold_dir, ds)
    for k in ("entities", "relations"):
        assert {m: mine["micro"][k][m] for m in ("precision", "recall", "f1")} == reference["micro"][k]
    assert {
        s: r and {k: r[k]["f1"] for k in ("entities", "relations")} for s, r in mine["articles"].items()
    } == reference["articles"]
    assert mine["articles"]["d4"] is None
    assert mine["articles"]["d1"] == evaluate(GOLD_D1, ds.graph(graph_iri("d1")))


def test_continuation_articles_are_scored_with_their_page():
    t = "一句证据。"
    ents = {k: ENTITIES[k] for k in ("测试高新区", "测试市", "新能源")}
    first = Extraction(
        Document("p1", t, source="p1.html"),
        [ents["测试高新区"], ents["测试市"]],
        [],
        [Assertion("测试高新区", "locatedIn", "测试市", "p1", 0, 5, t, "r")],
    )
    more = Extraction(
        Document("p1-2", t, source="p1.html"),
        [ents["测试高新区"], ents["新能源"]],
        [],
        [Assertion("测试高新区", "focusesOn", "新能源", "p1-2", 0, 5, t, "r")],
    )
    other = Extraction(Document("p1-3", t, source="other.html"), [ents["新能源"]], [], [])
    ds = to_dataset([first, more, other], ents)
    assert article_graphs(ds, "p1") == [graph_iri("p1"), graph_iri("p1-2")]
    assert article_graphs(ds, "p1", continuations=False) == [graph_iri("p1")]
    assert article_graphs(ds, "p9") == []


def test_format_report(ds, tmp_path):
    r = evaluate(GOLD_D1, ds.graph(graph_iri("d1")))
    text = format_report(r)
    assert text.splitlines()[1].startswith("entities") and "  worksFor" in text
    assert "最佳测试园区" not in text
    explained = format_report(r, explain(GOLD_D1, ds.graph(graph_iri("d1"))))
    assert text in explained
    assert "\nmissed entity: 1\n  最佳测试园区 (Award)" in explained
    assert "\nwrong direction (the reversed triple is in gold): 1\n" in explained
    gold_dir = tmp_path / "g"
    gold_dir.mkdir()
    (gold_dir / "d1.json").write_text(json.dumps(GOLD_D1, ensure_ascii=False), encoding="utf-8")
    (gold_dir / "d9.json").write_text(json.dumps(GOLD_D4, ensure_ascii=False), encoding="utf-8")
    folder = format_report(evaluate_folder(gold_dir, ds), explain(gold_dir, ds), curve(gold_dir, ds))
    assert "d9                no output" in folder and "micro relations" in folder
    assert "\n  d9: 缺席高新区 (Zone)\n" in folder  # the absent article: all missed
    assert "\nrelations by minimum confidence" in folder
    assert format_report(**assess(gold_dir, ds, explain=True, curve=True)) == folder
    assert format_report(**assess(gold_dir, ds)) == format_report(evaluate_folder(gold_dir, ds))


def test_bad_inputs(ds, tmp_path):
    with pytest.raises(InputError, match="'entities' and 'relations'"):
        evaluate({"entities": []}, ds)
    with pytest.raises(InputError, match="unknown entity 'nobody'"):
        evaluate({"entities": [], "relations": [{"s": "nobody", "p": "hosts", "o": "x"}]}, ds)
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read gold file"):
        evaluate(tmp_path / "bad.json", ds)
    (tmp_path / "empty").mkdir()
    with pytest.raises(GraphError, match="no graph in"):
        evaluate(GOLD_D1, tmp_path / "empty")
    with pytest.raises(InputError, match="no gold files"):
        evaluate_folder(tmp_path / "empty", ds)


def test_norm():
    assert norm("测试（中国） 集团\u3000") == "测试(中国)集团"


# --------------------------------------------------------------- confidence


def conf_sample() -> list[Extraction]:
    """d1: locatedIn at 0.9, focusesOn twice (0.5 and 0.7), hosts at 0.5; d2: hosts at 0.95."""
    t = "一句证据。"

    def a(s, p, o, doc, conf, start=0):
        return Assertion(s, p, o, doc, start, 5, t, f"r{conf}", conf)

    ents = [ENTITIES[k] for k in ("测试高新区", "测试市", "测试能源公司", "新能源")]
    d1 = [
        a("测试高新区", "locatedIn", "测试市", "d1", 0.9),
        a("测试高新区", "focusesOn", "新能源", "d1", 0.5),
        a("测试高新区", "focusesOn", "新能源", "d1", 0.7, start=1),
        a("测试高新区", "hosts", "测试能源公司", "d1", 0.5),
    ]
    d2 = [a("测试高新区", "hosts", "测试能源公司", "d2", 0.95)]
    return [
        Extraction(Document("d1", t, source="d1.txt"), ents, [], d1),
        Extraction(Document("d2", t, source="d2.txt"), ents[:3:2], [], d2),
    ]


CONF_GOLD = {
    "entities": [
        {"id": "z", "type": "Zone", "name": "测试高新区"},
        {"id": "c", "type": "AdminRegion", "name": "测试市"},
        {"id": "co", "type": "Company", "name": "测试能源公司"},
        {"id": "i", "type": "Industry", "name": "新能源"},
    ],
    "relations": [
        {"s": "z", "p": "locatedIn", "o": "c"},
        {"s": "z", "p": "focusesOn", "o": "i"},
        {"s": "co", "p": "hosts", "o": "z"},
    ],  # so our hosts triple is spurious
}


@pytest.fixture(scope="module")
def conf_ds():
    return to_dataset(conf_sample(), ENTITIES)


def test_confidences_are_the_best_assertion_per_triple(conf_ds):
    z, c, co, i = (entity_iri(k) for k in ("测试高新区", "测试市", "测试能源公司", "新能源"))
    assert confidences(conf_ds) == {(z, "locatedIn", c): 0.9, (z, "focusesOn", i): 0.7, (z, "hosts", co): 0.95}
    assert confidences(conf_ds.graph(graph_iri("d1")))[(z, "hosts", co)] == 0.5


def test_evaluate_with_min_confidence_drops_weaker_triples(conf_ds):
    d1 = conf_ds.graph(graph_iri("d1"))
    assert evaluate(CONF_GOLD, d1)["relations"]["output"] == 3
    r = evaluate(CONF_GOLD, d1, min_confidence=0.6)
    assert (r["relations"]["output"], r["relations"]["spurious"]) == (2, [])
    assert r["relations"]["precision"] == 1.0
    r = evaluate(CONF_GOLD, d1, min_confidence=0.8)
    assert r["relations"]["missed"] == ["测试能源公司 hosts 测试高新区", "测试高新区 focusesOn 新能源"]
    assert r["entities"] == evaluate(CONF_GOLD, d1)["entities"]  # entities stay
    # over the union, hosts is held up by d2's 0.95
    assert evaluate(CONF_GOLD, conf_ds, min_confidence=0.9)["relations"]["output"] == 2


def test_bad_thresholds_and_confidences(conf_ds, tmp_path):
    with pytest.raises(InputError, match="min_confidence must be a number from 0 to 1, not 2"):
        evaluate(CONF_GOLD, conf_ds, min_confidence=2)
    with pytest.raises(InputError, match="min_confidence must be a number from 0 to 1, not -1"):
        evaluate_folder(tmp_path, conf_ds, min_confidence=-1)
    g = Graph().parse(
        data="""
        @prefix kg: <https://w3id.org/zone-kg/ontology#> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        <http://example.org/a> a kg:Assertion ; rdf:subject <http://example.org/z> ;
          rdf:predicate kg:hosts ; rdf:object <http://example.org/c> ; kg:confidence "high" .
        """,
        format="turtle",
    )
    with pytest.raises(GraphError, match="confidence .*'high'.* is not a number"):
        confidences(g)


def test_triples_without_provenance_are_kept_at_every_threshold():
    g = Graph()
    z, c = entity_iri("测试高新区"), entity_iri("测试市")
    g.add((z, RDF.type, KG.Zone)).add((z, RDFS.label, Literal("测试高新区", lang="zh")))
    g.add((c, RDF.type, KG.AdminRegion)).add((c, RDFS.label, Literal("测试市", lang="zh")))
    g.add((z, KG.locatedIn, c))
    assert confidences(g) == {}
    assert evaluate(CONF_GOLD, g, min_confidence=1.0)["relations"]["output_correct"] == 1
    assert [p["min_confidence"] for p in curve(CONF_GOLD, g)["points"]] == [0.0]


def test_curve_points_are_evaluate_at_each_threshold(conf_ds):
    d1 = conf_ds.graph(graph_iri("d1"))
    points = curve(CONF_GOLD, d1)["points"]
    assert [p["min_confidence"] for p in points] == [0.0, 0.5, 0.7, 0.9]
    for p in points:
        expected = evaluate(CONF_GOLD, d1, min_confidence=p["min_confidence"])["relations"]
        assert p["relations"] == {k: expected[k] for k in p["relations"]}
    assert [p["relations"]["output"] for p in points] == [3, 3, 2, 1]
    assert [p["relations"]["precision"] for p in points] == [0.667, 0.667, 1.0, 1.0]
    assert [p["relations"]["recall"] for p in points] == [0.667, 0.667, 0.667, 0.333]
    fixed = curve(CONF_GOLD, d1, thresholds=[1, 0.6, 0.6])["points"]
    assert [(p["min_confidence"], p["relations"]["output"]) for p in fixed] == [(0.6, 2), (1.0, 0)]
    with pytest.raises(InputError, match="threshold must be a number from 0 to 1, not 2"):
        curve(CONF_GOLD, d1, thresholds=[0.5, 2])


def test_curve_over_a_gold_folder_is_micro_averaged(conf_ds, tmp_path):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for stem in ("d1", "d2", "d9"):  # d9: no such article, all missed
        (gold_dir / f"{stem}.json").write_text(json.dumps(CONF_GOLD, ensure_ascii=False), encoding="utf-8")
    points = curve(gold_dir, conf_ds)["points"]
    assert [p["min_confidence"] for p in points] == [0.0, 0.5, 0.7, 0.9, 0.95]
    for p in points:
        micro = evaluate_folder(gold_dir, conf_ds, min_confidence=p["min_confidence"])["micro"]
        assert p["relations"] == micro["relations"]
    assert points[0]["relations"]["gold_required"] == 9
    assert [p["relations"]["output"] for p in points] == [4, 4, 3, 2, 1]  # d2's hosts lasts longest


def test_format_curve(conf_ds):
    text = format_curve(curve(CONF_GOLD, conf_ds.graph(graph_iri("d1"))))
    assert text.splitlines() == [
        "relations by minimum confidence (entities do not depend on it):",
        "min confidence        P      R     F1   out  gold",
        "  >= 0            0.667  0.667  0.667     3     3",
        "  >= 0.5          0.667  0.667  0.667     3     3",
        "  >= 0.7          1.000  0.667  0.800     2     3",
        "  >= 0.9          1.000  0.333  0.500     1     3",
    ]


# ----------------------------------------------------------- explain by cause

EXPLAIN_GOLD = {
    "entities": [
        {"id": "z", "type": "Zone", "name": "测试高新区", "aliases": ["江苏测试高新区"]},
        {"id": "co", "type": "Company", "name": "测试能源有限公司", "aliases": ["测试能源公司"]},
        {"id": "ri", "type": "ResearchInstitute", "name": "测试研究院"},
        {"id": "park", "type": "Park", "name": "测试产业园"},
        {"id": "ind", "type": "Industry", "name": "新能源"},
        {"id": "city", "type": "AdminRegion", "name": "测试市", "optional": True},
        {"id": "award", "type": "Award", "name": "最佳测试园区"},
    ],
    "relations": [
        {"s": "z", "p": "hosts", "o": "co"},  # found
        {"s": "z", "p": "hosts", "o": "park", "alt": [{"s": "park", "p": "partOf", "o": "z"}]},  # found by its alt
        {"s": "co", "p": "incubatedBy", "o": "ri"},  # we reversed it
        {"s": "z", "p": "receivedAward", "o": "award"},  # award not found
        {"s": "z", "p": "focusesOn", "o": "ind"},  # plainly missed
        {"s": "z", "p": "locatedIn", "o": "city", "optional": True},  # optional: no error
    ],
}
EXPLAIN_TTL = """\
@prefix kg: <https://w3id.org/zone-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix : <http://example.org/> .
:z a kg:Zone ; rdfs:label "江苏测试高新区"@zh ; skos:altLabel "测试高新区"@zh ;
   kg:hosts :co ; kg:locatedIn :city .
:co a kg:Company ; rdfs:label "测试能源公司"@zh .
:ri a kg:Company ; rdfs:label "测试研究院"@zh ; kg:incubatedBy :co .
:park a kg:Park ; rdfs:label "测试产业园"@zh ; kg:partOf :z .
:ind a kg:Industry ; rdfs:label "新能源"@zh .
:city a kg:AdminRegion ; rdfs:label "测试市"@zh .
:x1 a kg:Company ; rdfs:label "本土企业"@zh ; kg:focusesOn :ind .
:x2 a kg:Company , kg:Platform ; rdfs:label "科创平台"@zh ; kg:focusesOn :ind .
:x3 a kg:Person ; rdfs:label "记者"@zh .
"""


@pytest.fixture(scope="module")
def explain_graph():
    return Graph().parse(data=EXPLAIN_TTL, format="turtle")


def test_explain_groups_every_cause_largest_first(explain_graph):
    groups = explain(EXPLAIN_GOLD, explain_graph)
    assert [(g["cause"], g["count"]) for g in groups] == [
        ("spurious_entity", 3),
        ("wrong_name", 2),
        ("spurious_relation", 2),  # a tie keeps the order of CAUSES
        ("missed_entity", 1),
        ("wrong_class", 1),
        ("missed_relation_entity", 1),
        ("wrong_direction", 1),
        ("missed_relation", 1),
    ]
    items = {g["cause"]: g["items"] for g in groups}
    assert items == {
        "spurious_entity": ["本土企业 (Company)", "科创平台 (Company/Platform)", "记者 (Person)"],
        "wrong_name": [
            "江苏测试高新区 (gold name 测试高新区)",  # our label is a gold alias
            "测试能源公司 (gold name 测试能源有限公司)",
        ],  # matched only by an alias
        "spurious_relation": ["本土企业 focusesOn 新能源", "科创平台 focusesOn 新能源"],
        "missed_entity": ["最佳测试园区 (Award)"],
        "wrong_class": ["测试研究院: Company (gold ResearchInstitute)"],
        "missed_relation_entity": ["测试高新区 receivedAward 最佳测试园区 (not found: 最佳测试园区)"],
        "wrong_direction": ["测试研究院 incubatedBy 测试能源公司 (gold: 测试能源有限公司 incubatedBy 测试研究院)"],
        "missed_relation": ["测试高新区 focusesOn 新能源"],
    }
    assert all(g["title"] == CAUSES[g["cause"]] and g["count"] == len(g["items"]) for g in groups)


def test_explain_accounts_for_what_evaluate_counts(explain_graph):
    r = evaluate(EXPLAIN_GOLD, explain_graph)
    count = {g["cause"]: g["count"] for g in explain(EXPLAIN_GOLD, explain_graph)}
    assert len(r["entities"]["missed"]) == count["missed_entity"]
    assert len(r["entities"]["spurious"]) == count["spurious_entity"]
    assert len(r["relations"]["spurious"]) == count["wrong_direction"] + count["spurious_relation"]
    # the reversed relation is missed too, but explained once, under wrong direction
    assert (
        len(r["relations"]["missed"])
        == count["missed_relation_entity"] + count["missed_relation"] + count["wrong_direction"]
    )
    assert r["entities"]["type_accuracy"] == round(1 - count["wrong_class"] / 6, 3)


def test_explain_a_matching_graph_has_nothing_to_say():
    gold = {"entities": [{"id": "z", "type": "Zone", "name": "测试(中国)高新区"}], "relations": []}
    g = Graph()
    z = entity_iri("z")
    g.add((z, RDF.type, KG.Zone)).add((z, RDFS.label, Literal("测试（中国） 高新区", lang="zh")))
    assert explain(gold, g) == []  # NFKC: the same name, not a wrong one
    assert format_explanation([]).startswith("nothing to explain")


def test_explain_a_relation_found_both_ways_is_a_wrong_direction_only_once(explain_graph):
    g = Graph()
    for t in explain_graph:
        g.add(t)
    co, ri = (rdflib.URIRef(f"http://example.org/{x}") for x in ("co", "ri"))
    g.add((co, KG.incubatedBy, ri))  # the right direction as well
    items = {x["cause"]: x["items"] for x in explain(EXPLAIN_GOLD, g)}
    assert len(items["wrong_direction"]) == 1
    assert all("incubatedBy" not in x for x in items.get("missed_relation", []))


def test_explain_a_gold_folder_prefixes_items_with_the_article(ds, tmp_path):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    for stem, gold in [("d1", GOLD_D1), ("d9", GOLD_D4)]:
        (gold_dir / f"{stem}.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    groups = {g["cause"]: g["items"] for g in explain(gold_dir, ds)}
    assert groups["missed_entity"] == ["d1: 最佳测试园区 (Award)", "d9: 缺席高新区 (Zone)"]
    assert groups["missed_relation_entity"] == [
        "d1: 测试高新区 receivedAward 最佳测试园区 (not found: 最佳测试园区)",
        "d9: 缺席高新区 locatedIn 缺席高新区 (not found: 缺席高新区)",
    ]
    assert groups["wrong_direction"] == ["d1: 测试高新区 hosts 测试能源公司 (gold: 测试能源公司 hosts 测试高新区)"]
    assert groups["missed_relation"] == ["d1: 测试高新区 focusesOn 新能源"]


def test_a_build_in_the_on_disk_store_is_scored_like_one_in_graph_trig(tmp_path):
    from kg.evaluation.evaluate import load_graph
    from kg.pipeline.ondisk import build_into

    art = tmp_path / "a.txt"
    art.write_text("云溪高新区位于云溪市,聚焦新材料产业。", encoding="utf-8")
    build_into([art], tmp_path / "mem", store="memory")
    build_into([art], tmp_path / "disk", store="oxigraph")

    def named(folder):  # blank nodes (the ontology's owl:unionOf lists) get new labels on each read
        return {
            q
            for q in load_graph(folder).quads((None, None, None, None))
            if not any(isinstance(t, rdflib.BNode) for t in q[:3])
        }

    on_disk, in_memory = named(tmp_path / "disk"), named(tmp_path / "mem")
    assert on_disk == in_memory and len(on_disk) > 50
