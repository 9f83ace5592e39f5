"""kg.evaluate agrees number for number with ../shared/spec/score.py and score_folder.py."""
import importlib.util
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from kg.errors import GraphError, InputError
from kg.evaluate import article_graphs, evaluate, evaluate_folder, format_report, norm
from kg.graph import KnowledgeGraph
from kg.namespace import graph_iri
from kg.rdf import to_dataset
from kg.records import Assertion, Document, Entity, Extraction

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec"

ENTITIES = {e.key: e for e in [
    Entity("测试高新区", "Zone", "测试高新区"),
    Entity("测试市", "AdminRegion", "测试市"),
    Entity("测试省", "AdminRegion", "测试省"),
    Entity("测试高新区科技局", "GovernmentBody", "测试高新区科技局"),
    Entity("王测试", "Person", "王测试"),
    Entity("测试能源公司", "Company", "测试能源公司"),
    Entity("测试研究院", "Company", "测试研究院"),          # wrong type on purpose
    Entity("测试产业园", "Park", "测试产业园"),
    Entity("新能源", "Industry", "新能源"),
    Entity("本土企业", "Company", "本土企业"),              # spurious
    Entity("测试（中国）集团", "Company", "测试（中国）集团"),  # full-width brackets
]}


def sample() -> list[Extraction]:
    t = "一句证据。"

    def a(s, p, o, doc):
        return Assertion(s, p, o, doc, 0, 5, t, "r")

    def ents(*keys):
        return [ENTITIES[k] for k in keys]
    d1 = [a("测试高新区", "locatedIn", "测试市", "d1"),          # required, found
          a("测试高新区", "locatedIn", "测试省", "d1"),          # optional only: not counted
          a("测试高新区科技局", "partOf", "测试高新区", "d1"),    # required, found
          a("王测试", "worksFor", "测试高新区科技局", "d1"),      # required, found
          a("测试高新区", "hosts", "测试能源公司", "d1"),        # spurious (wrong direction)
          a("测试产业园", "partOf", "测试高新区", "d1"),          # alt reading of a hosts relation
          a("本土企业", "focusesOn", "新能源", "d1")]            # spurious
    d2 = [a("测试能源公司", "incubatedBy", "测试研究院", "d2"),  # p given as a list
          a("测试（中国）集团", "establishedBy", "测试能源公司", "d2")]  # found via NFKC
    d3 = [a("测试高新区", "focusesOn", "新能源", "d3")]
    return [Extraction(Document("d1", t, source="d1.txt"),
                       ents("测试高新区", "测试市", "测试省", "测试高新区科技局", "王测试",
                            "测试能源公司", "测试产业园", "本土企业", "新能源"), [], d1),
            Extraction(Document("d2", t, source="d2.txt"),
                       ents("测试能源公司", "测试研究院", "测试（中国）集团"), [], d2),
            Extraction(Document("d3", t, source="d3.txt"), ents("测试高新区", "新能源"), [], d3)]


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
GOLD_D4 = {"entities": [{"id": "x", "type": "Zone", "name": "缺席高新区"}],
           "relations": [{"s": "x", "p": "locatedIn", "o": "x"}]}


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
    assert r["relations"]["missed"] == ["测试能源公司 hosts 测试高新区", "测试高新区 focusesOn 新能源",
                                        "测试高新区 receivedAward 最佳测试园区"]
    assert r["relations"]["spurious"] == ["本土企业 focusesOn 新能源", "测试高新区 hosts 测试能源公司"]
    assert r["per_property"]["locatedIn"]["output"] == 1  # the optional match is not counted


def test_evaluate_agrees_on_seed_gold(score, ds):
    seed = json.loads((SPEC / "gold" / "seed.json").read_text(encoding="utf-8"))
    names = [e["name"] for e in seed["entities"]][:6]
    ents = {n: Entity(n, "Zone", n) for n in names + ["无关机构"]}
    rel = [Assertion(names[0], "locatedIn", names[1], "s", 0, 1, "x", "r"),
           Assertion(names[3], "partOf", names[0], "s", 0, 1, "x", "r"),
           Assertion(names[2], "hosts", "无关机构", "s", 0, 1, "x", "r")]
    seed_ds = to_dataset([Extraction(Document("s", "x"), list(ents.values()), [], rel)], ents)
    assert evaluate(seed, seed_ds) == score.score(seed, seed_ds)


def test_evaluate_saved_folder_and_paths(score, ds, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "kg.page", types.SimpleNamespace(
        write_page=lambda G, path, title="": Path(path).write_text("<html>", encoding="utf-8")))
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
    proc = subprocess.run([sys.executable, str(SPEC / "score_folder.py"), str(gold_dir),
                           str(tmp_path / "out"), "--json"], capture_output=True, text=True,
                          check=True, env={"PYTHONWARNINGS": "ignore", "PATH": ""})
    reference = json.loads(proc.stdout)
    mine = evaluate_folder(gold_dir, ds)
    for k in ("entities", "relations"):
        assert {m: mine["micro"][k][m] for m in ("precision", "recall", "f1")} == \
            reference["micro"][k]
    assert {s: r and {k: r[k]["f1"] for k in ("entities", "relations")}
            for s, r in mine["articles"].items()} == reference["articles"]
    assert mine["articles"]["d4"] is None
    assert mine["articles"]["d1"] == evaluate(GOLD_D1, ds.graph(graph_iri("d1")))


def test_continuation_articles_are_scored_with_their_page():
    t = "一句证据。"
    ents = {k: ENTITIES[k] for k in ("测试高新区", "测试市", "新能源")}
    first = Extraction(Document("p1", t, source="p1.html"), [ents["测试高新区"], ents["测试市"]], [],
                       [Assertion("测试高新区", "locatedIn", "测试市", "p1", 0, 5, t, "r")])
    more = Extraction(Document("p1-2", t, source="p1.html"), [ents["测试高新区"], ents["新能源"]], [],
                      [Assertion("测试高新区", "focusesOn", "新能源", "p1-2", 0, 5, t, "r")])
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
    explained = format_report(r, explain=True)
    assert "missed entities (1):\n  最佳测试园区" in explained
    assert "spurious relations (2):" in explained
    gold_dir = tmp_path / "g"
    gold_dir.mkdir()
    (gold_dir / "d1.json").write_text(json.dumps(GOLD_D1, ensure_ascii=False), encoding="utf-8")
    (gold_dir / "d9.json").write_text(json.dumps(GOLD_D4, ensure_ascii=False), encoding="utf-8")
    folder = format_report(evaluate_folder(gold_dir, ds), explain=True)
    assert "d9                no output" in folder and "micro relations" in folder
    assert "== d1" in folder


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
