"""kg.evaluation.corpus (articles paired with gold, fixed folds), kg.evaluation.crossval, and what may enter data/."""

import importlib.util
import json
from pathlib import Path

import pytest

import kg
from kg.errors import DataFileError, InputError
from kg.evaluation.corpus import load_corpus, place, read_folds
from kg.evaluation.crossval import Tally, cross_validate

ROOT = Path(__file__).resolve().parents[2]
FINGERPRINT = ROOT.parent / "shared" / "tools" / "fingerprint.py"
GOLD = {
    "entities": [
        {"id": "z", "type": "Zone", "name": "云溪高新区"},
        {"id": "c", "type": "Company", "name": "青禾新材料有限公司"},
    ],
    "relations": [{"s": "z", "p": "hosts", "o": "c"}],
}


def write_corpus(top: Path, names, gold=GOLD, articles="articles", golds="gold"):
    (top / articles).mkdir(parents=True, exist_ok=True)
    (top / golds).mkdir(parents=True, exist_ok=True)
    for name in names:
        (top / articles / f"{name}.md").write_text("青禾新材料有限公司落户云溪高新区。\n", encoding="utf-8")
        (top / golds / f"{name}.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return top


def test_articles_pair_with_gold_by_name_and_lone_gold_is_reported(tmp_path):
    write_corpus(tmp_path, ["a", "b"])
    (tmp_path / "gold" / "lone.json").write_text("{}", encoding="utf-8")
    (tmp_path / "articles" / "no_gold.md").write_text("文本。", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.ids == ["a", "b"]
    assert corpus.unpaired == [tmp_path / "gold" / "lone.json"]


def test_corpus_tsv_names_sources_first_gold_folder_wins_and_absent_ones_are_listed(tmp_path):
    write_corpus(tmp_path / "far", ["t1", "t2"], golds="theirs")
    write_corpus(tmp_path / "far", ["t2"], gold={"entities": [], "relations": []}, golds="ours")
    top = tmp_path / "train"
    top.mkdir()
    (top / "corpus.tsv").write_text(
        "# comment\n../far/articles\t../far/theirs\t../far/ours\n../gone/articles\t../gone/gold\n", encoding="utf-8"
    )
    corpus = load_corpus(top)
    assert corpus.ids == ["t1", "t2"]
    assert corpus.examples[1].gold == tmp_path / "far" / "theirs" / "t2.json"
    assert corpus.absent == [tmp_path / "gone" / "articles", tmp_path / "gone" / "gold"]


def test_a_bad_sources_line_names_the_file_and_line(tmp_path):
    (tmp_path / "corpus.tsv").write_text("# sources\nonly-one-column\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"corpus.tsv.*2"):
        load_corpus(tmp_path)


def test_an_article_in_two_sources_is_an_error(tmp_path):
    write_corpus(tmp_path / "x", ["same"])
    write_corpus(tmp_path / "y", ["same"])
    (tmp_path / "corpus.tsv").write_text("x/articles\tx/gold\ny/articles\ty/gold\n", encoding="utf-8")
    with pytest.raises(InputError, match="two sources"):
        load_corpus(tmp_path)


def test_no_corpus_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such corpus folder"):
        load_corpus(tmp_path / "missing")


def test_folds_are_balanced_saved_and_kept_when_articles_are_added(tmp_path):
    write_corpus(tmp_path, [f"a{i}" for i in range(11)])
    first = load_corpus(tmp_path).folds(k=5, save=True)
    assert sorted(__import__("collections").Counter(first.values()).values()) == [2, 2, 2, 2, 3]
    assert read_folds(tmp_path / "folds.json", 5) == first
    write_corpus(tmp_path, [f"b{i}" for i in range(4)])
    second = load_corpus(tmp_path).folds(k=5, save=True)
    assert {n: second[n] for n in first} == first  # nobody moves
    assert sorted(__import__("collections").Counter(second.values()).values()) == [3, 3, 3, 3, 3]


def test_folds_made_for_another_k_are_refused(tmp_path):
    write_corpus(tmp_path, ["a", "b"])
    load_corpus(tmp_path).folds(k=5, save=True)
    with pytest.raises(DataFileError, match="k=5, not 3"):
        load_corpus(tmp_path).folds(k=3)


def test_place_does_not_depend_on_the_order_names_come_in():
    names = [f"n{i}" for i in range(20)]
    assert place({}, names, 5) == place({}, names[::-1], 5)


def test_cross_validation_trains_on_the_other_folds_and_scores_each_article_once(tmp_path):
    write_corpus(tmp_path, [f"a{i}" for i in range(6)])
    corpus = load_corpus(tmp_path)
    folds = corpus.folds(k=3)
    seen = []

    def system(train):
        seen.append(sorted(e.id for e in train))
        return lambda path: kg.build([path])

    res = cross_validate(system, corpus, folds, 3)
    assert [len(t) for t in seen] == [4, 4, 4]
    for fold, train in enumerate(seen):
        assert not set(train) & {n for n, f in folds.items() if f == fold}
    assert res["micro"]["articles"] == 6 and [f["articles"] for f in res["folds"]] == [2, 2, 2]
    assert res["micro"]["relations"]["gold_required"] == 6
    assert res["micro"]["per_property"]["hosts"]["gold_found"] == res["micro"]["relations"]["gold_found"]


def test_tally_sums_counts_not_averages():
    t = Tally()
    row = lambda c, n, f, r: {"output_correct": c, "output": n, "gold_found": f, "gold_required": r}
    t.add({"entities": row(1, 1, 1, 1), "relations": row(0, 0, 0, 1), "per_property": {}})
    t.add({"entities": row(1, 3, 1, 3), "relations": row(1, 1, 1, 1), "per_property": {}})
    fig = t.figures()
    assert (fig["entities"]["precision"], fig["entities"]["recall"]) == (0.5, 0.5)
    assert (fig["relations"]["precision"], fig["relations"]["recall"]) == (1.0, 0.5)


# --- what may enter the project's data ---------------------------------------------------------


def _fingerprint():
    if not FINGERPRINT.is_file():
        pytest.skip("../shared/tools/fingerprint.py is not beside the project")
    spec = importlib.util.spec_from_file_location("fingerprint", FINGERPRINT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _article_fields(fp, path: Path) -> list[dict]:
    """The file as fingerprint.py reads it, and each article our reader finds in it (a page holds several)."""
    from kg.pipeline.run import read_documents
    from kg.records import BuildReport

    url, title, text = fp.read_article(path)
    docs = read_documents([path], BuildReport())
    return [dict(url=url, title=title, text=text)] + [
        dict(url=d.url, title=d.title, text=d.text[len(d.title) :].lstrip() if d.title else d.text) for d in docs
    ]


def test_no_article_kept_aside_for_measurement_is_in_data_or_the_training_corpus():
    fp = _fingerprint()
    files = [p for p in (ROOT / "data").rglob("*") if p.suffix in (".md", ".txt", ".html", ".jsonl")]
    files += [e.article for e in load_corpus(ROOT / "data" / "train").examples]
    assert files
    excluded = [str(p) for p in files if any(fp.is_excluded(**f) for f in _article_fields(fp, p))]
    assert excluded == []


def test_the_fingerprint_check_can_fail(tmp_path):
    fp = _fingerprint()
    listed = fp._listed()
    text = "这是一篇专门用来测试排除名单的文章" * 5
    fields = {"url": "", "title": "", "text": text}
    planted = fp.fingerprints(**fields)
    assert not planted & listed
    fp._listed = lambda: listed | planted
    assert fp.is_excluded(**fields)
