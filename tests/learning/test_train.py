"""kg.learning and kg.extraction.learned: training on articles the tests write, the model file, its errors."""

import dataclasses
import json
import zipfile

import numpy as np
import pytest
from click.testing import CliRunner

import kg
from kg.cli.main import cli
from kg.errors import ModelError
from kg.evaluation.corpus import load_corpus
from kg.evaluation.evaluate import evaluate
from kg.extraction.learned import FEATURES, FORMAT, read_model, using_model
from kg.learning.labels import GoldRelations, token_labels
from kg.learning.train import Settings, train, train_corpus

ZONES = ["云溪", "星河", "青禾", "金湖", "白鹭", "紫荆", "蓝海", "翠屏"]
FIRMS = ["远帆", "启明", "朗星", "嘉禾", "恒川", "拓维", "辰光", "博宇"]
SMALL = Settings(iterations=40, cross_fit=2, min_count=1, min_examples=1)


def article(i: int) -> tuple[str, dict]:
    zone, firm, other = ZONES[i % 8] + "高新区", FIRMS[i % 8] + "科技有限公司", FIRMS[(i + 3) % 8] + "材料有限公司"
    text = f"{firm}落户{zone}，聚焦新能源。{zone}引进{other}。"
    gold = {
        "entities": [
            {"id": "z", "type": "Zone", "name": zone},
            {"id": "f", "type": "Company", "name": firm},
            {"id": "g", "type": "Company", "name": other},
            {"id": "n", "type": "Industry", "name": "新能源"},
        ],
        "relations": [
            {"s": "z", "p": "hosts", "o": "f"},
            {"s": "z", "p": "hosts", "o": "g"},
            {"s": "f", "p": "focusesOn", "o": "n"},
        ],
    }
    return text, gold


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    top = tmp_path_factory.mktemp("corpus")
    (top / "articles").mkdir()
    (top / "gold").mkdir()
    for i in range(8):
        text, gold = article(i)
        (top / "articles" / f"a{i}.md").write_text(text, encoding="utf-8")
        (top / "gold" / f"a{i}.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return top


@pytest.fixture(scope="module")
def trained(corpus, tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "small.kgmodel"
    model = train_corpus(corpus, path, SMALL)
    return model, path


def test_gold_names_label_the_tokens_they_cover():
    from kg.extraction.tokens import Token

    toks = [Token(0, 2, "远帆", ""), Token(2, 4, "科技", ""), Token(4, 8, "有限公司", ""), Token(8, 10, "落户", "")]
    gold = {"entities": [{"id": "f", "type": ["Company", "Platform"], "name": "远帆科技有限公司"}], "relations": []}
    assert token_labels("远帆科技有限公司落户", toks, gold) == ["B-Company", "I-Company", "I-Company", "O"]


def test_a_pair_is_labelled_by_any_reading_and_optional_ones_are_left_out():
    gold = {
        "entities": [
            {"id": "z", "type": "Zone", "name": "云溪高新区", "aliases": ["云溪园区"]},
            {"id": "p", "type": "Park", "name": "星河产业园"},
            {"id": "c", "type": "Company", "name": "远帆"},
        ],
        "relations": [
            {"s": "z", "p": "hosts", "o": "p", "alt": [{"s": "p", "p": "partOf", "o": "z"}]},
            {"s": "z", "p": "hosts", "o": "c", "optional": True},
        ],
    }
    g = GoldRelations(gold)
    assert g.label({"云溪园区"}, {"星河产业园"}) == "hosts"
    assert g.label({"星河产业园"}, {"云溪高新区"}) == "partOf"
    assert g.label({"云溪高新区"}, {"远帆"}) is None
    assert g.label({"云溪高新区"}, {"远帆"}, optional_positive=True) == "hosts"
    assert g.label({"远帆"}, {"星河产业园"}) == "none"


def test_the_model_file_holds_what_it_says(trained):
    model, path = trained
    with zipfile.ZipFile(path) as z:
        assert sorted(z.namelist()) == ["meta.json", "relations.npz", "tagger.crfsuite"]
        meta = json.loads(z.read("meta.json"))
    assert (meta["format"], meta["features"], meta["articles"]) == (FORMAT, FEATURES, 8)
    assert 0.2 <= meta["threshold"] <= 0.9
    again = read_model(path)
    rows = [["sc=Zone", "oc=Company", "tb=落户"], []]
    assert np.allclose(again.relate(rows), model.relate(rows))
    assert np.allclose(again.relate(rows).sum(axis=1), 1.0)


@pytest.mark.model
def test_a_trained_model_finds_what_it_learned_in_a_new_article(trained, tmp_path):
    _, path = trained
    new = tmp_path / "new.md"
    new.write_text("博宇科技有限公司落户翠屏高新区，聚焦新能源。", encoding="utf-8")
    graph = kg.build([new], model=path)
    labels = {
        str(o) for o in graph.query("SELECT ?l WHERE { ?e rdfs:label ?l }").to_dicts(raw=True) for o in o.values()
    }
    assert {"博宇科技有限公司", "翠屏高新区"} <= labels
    hosts = graph.query("SELECT ?c WHERE { ?z kg:hosts ?x . ?x rdfs:label ?c }").to_dicts()
    assert [r["c"] for r in hosts] == ["博宇科技有限公司"]
    (conf,) = [
        r["c"]
        for r in graph.query(
            "SELECT ?c WHERE { ?a a kg:Assertion ; rdf:predicate kg:hosts ; kg:confidence ?c ; kg:rule ?r }"
        ).to_dicts()
    ]
    assert 0 < float(conf) <= 1


@pytest.mark.model
def test_training_twice_gives_the_same_scores(corpus, trained, tmp_path):
    _, first = trained
    second = train_corpus(corpus, tmp_path / "again.kgmodel", SMALL)
    assert second.meta == read_model(first).meta
    assert second.relations.to_bytes() == read_model(first).relations.to_bytes()
    gold = article(3)[1]
    text = tmp_path / "a.md"
    text.write_text(article(3)[0], encoding="utf-8")
    scores = [evaluate(gold, kg.build([text], model=m)) for m in (first, tmp_path / "again.kgmodel")]
    assert scores[0] == scores[1]


def test_a_property_with_too_few_gold_relations_is_left_to_the_rules(corpus, trained, tmp_path):
    assert read_model(trained[1]).meta["sources"]["focusesOn"] == "model"  # learned from 8 relations
    few = train_corpus(corpus, tmp_path / "few.kgmodel", dataclasses.replace(SMALL, min_examples=9))
    assert set(few.meta["sources"].values()) == {"rules"}  # 8 focusesOn are fewer than 9
    assert set(few.meta["rule_precision"]) == {"hosts"}  # the rules' precision, measured on 16 hosts
    assert few.rule_confidence("focusesOn") is None  # but not on 8: each rule's own confidence stands


def test_train_with_no_annotated_articles_is_an_input_error(tmp_path):
    (tmp_path / "articles").mkdir()
    with pytest.raises(kg.KGError, match="no annotated articles"):
        train_corpus(tmp_path, tmp_path / "m.kgmodel")
    with pytest.raises(kg.KGError, match="no annotated articles to train on"):
        train([])


def test_a_missing_or_damaged_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="cannot read the model"):
        read_model(tmp_path / "none.kgmodel")
    bad = tmp_path / "bad.kgmodel"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ModelError, match=r"bad\.kgmodel: not a zone-kg model, or a damaged one"):
        read_model(bad)
    with pytest.raises(ModelError, match="bad.kgmodel"):
        with using_model(bad):
            pass


def test_a_model_of_other_features_is_refused(trained, tmp_path):
    model, _ = trained
    model.meta["features"] = FEATURES + 1
    old = tmp_path / "old.kgmodel"
    model.save(old)
    model.meta["features"] = FEATURES
    with pytest.raises(ModelError, match="train it again"):
        read_model(old)


def test_cli_build_with_a_damaged_or_missing_model_says_so_in_one_line(tmp_path):
    src = tmp_path / "a.md"
    src.write_text(article(0)[0], encoding="utf-8")
    bad = tmp_path / "bad.kgmodel"
    bad.write_bytes(b"PK\x03\x04 broken")
    r = CliRunner().invoke(cli, ["build", str(src), "-o", str(tmp_path / "out"), "--model", str(bad)])
    assert r.exit_code == 1
    assert r.output.startswith(f"Error: {bad}: not a zone-kg model, or a damaged one")
    r = CliRunner().invoke(cli, ["build", str(src), "-o", str(tmp_path / "out"), "--model", str(tmp_path / "no")])
    assert (r.exit_code, r.output) == (1, f"Error: no such file or folder: {tmp_path / 'no'}\n")


def test_cli_train_reports_and_writes_the_model(corpus, tmp_path):
    out = tmp_path / "cli.kgmodel"
    r = CliRunner().invoke(cli, ["train", str(corpus), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("Trained on 8 articles (")
    assert f"Wrote {out} (" in r.output
    assert read_model(out).meta["articles"] == 8


def test_cli_train_check_lists_what_is_wrong_with_the_gold_and_trains_nothing(corpus, tmp_path):
    r = CliRunner().invoke(cli, ["train", str(corpus), "--check"])
    assert (r.exit_code, r.output) == (0, "8 annotated articles, 0 problems.\n")
    bad = tmp_path / "bad"
    (bad / "articles").mkdir(parents=True)
    (bad / "gold").mkdir()
    (bad / "articles" / "a.md").write_text("---\nsource: 云溪日报\n---\n远帆科技落户云溪高新区。", encoding="utf-8")
    gold = {
        "entities": [
            {"id": "z", "type": "Zone", "name": "云溪高新区"},
            {"id": "c", "type": "Firm", "name": "远帆科技"},
            {"id": "n", "type": "Organization", "name": "云溪日报"},
            {"id": "x", "type": "Company", "name": "启明材料"},
        ],
        "relations": [{"s": "z", "p": "hosts", "o": "c"}, {"s": "z", "p": "houses", "o": "x"}],
    }
    (bad / "gold" / "a.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    (bad / "gold" / "b.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    r = CliRunner().invoke(cli, ["train", str(bad), "--check"])
    g = bad / "gold"
    assert r.exit_code == 1
    assert r.output == (
        f"{g / 'b.json'}: no article of this name beside it\n"
        f"{g / 'a.json'}: entity 'c' (远帆科技): unknown class 'Firm'\n"
        f"{g / 'a.json'}: entity 'n' (云溪日报): unknown class 'Organization'\n"
        f"{g / 'a.json'}: entity 'x': neither its name '启明材料' nor an alias is in the article\n"
        f"{g / 'a.json'}: relation z houses x: unknown property 'houses'\n"
        "1 annotated articles, 5 problems.\n"
    )
    assert not list(tmp_path.glob("**/*.kgmodel"))


def test_cli_train_without_output_or_check_is_a_usage_error(corpus):
    r = CliRunner().invoke(cli, ["train", str(corpus)])
    assert r.exit_code == 2
    assert "Missing option '-o' / '--output'" in r.output


def test_the_corpus_folder_the_project_trains_on_pairs_articles_with_gold():
    corpus = load_corpus("data/train")
    if not corpus.examples:
        pytest.skip("../shared/corpus is not beside the project")
    assert len(corpus.examples) >= 271


TRAIN_IN_A_PROCESS = """
import sys
from kg.evaluation.corpus import load_corpus
from kg.learning.settings import Settings
from kg.learning.train import train
model = train(load_corpus("data/train").examples[:30], Settings(iterations=20))
sys.stdout.buffer.write(model.to_bytes())
"""


def test_training_gives_the_same_model_file_whatever_the_processs_hash_seed():
    """Sets iterate in an order that changes with PYTHONHASHSEED: no feature, label or file may follow it."""
    import os
    import subprocess
    import sys

    if not load_corpus("data/train").examples:
        pytest.skip("../shared/corpus is not beside the project")
    files = [
        subprocess.run(
            [sys.executable, "-c", TRAIN_IN_A_PROCESS],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert files[0] == files[1]
