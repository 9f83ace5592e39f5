"""kg.pipeline.ondisk: builds into a folder, incremental builds equal to clean ones, interruptions."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph
from rdflib.compare import isomorphic
from sample_articles import write_articles

import kg.pipeline.incremental as incremental
import kg.pipeline.ondisk as ondisk
from kg.errors import GraphError, InputError
from kg.pipeline.ondisk import build_into
from kg.rdf.namespace import ONTOLOGY_GRAPH
from kg.records import Assertion, Document, Entity, Extraction
from kg.storage.loaders import Replacer
from kg.storage.store import store_quads

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ADDED = """---
title: 白石高新区建设智能制造基地
date: 2024-05-01
---
白石高新区位于浙江省湖州市。白石高新区聚焦智能制造。
白石智能研究院孵化了远帆科技有限公司。
"""


def change_inputs(src: Path) -> None:
    """Add one article, change one, delete one."""
    (src / "added.md").write_text(ADDED, encoding="utf-8")
    jinhu = src / "jinhu.md"
    jinhu.write_text(
        jinhu.read_text(encoding="utf-8").replace("蓝海科技有限公司", "蓝湾科技有限公司"), encoding="utf-8"
    )
    (src / "yunxi.md").unlink()


def outputs(folder: Path) -> dict:
    """What a folder's build holds: its quads (blank nodes aside), the ontology,
    the union default graph, the page and rejected.jsonl."""
    db = ox.Store.read_only(str(folder / "graph.oxigraph"))
    quads = store_quads(db)
    ontology = Graph()
    for s, p, o, g in quads:
        if g == ONTOLOGY_GRAPH:
            ontology.add((s, p, o))
    union = {(q.subject, q.predicate, q.object) for q in db.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    named = {(q.subject, q.predicate, q.object) for q in db if not isinstance(q.graph_name, ox.DefaultGraph)}
    return {
        "quads": {q for q in quads if not any(isinstance(t, BNode) for t in q)},
        "ontology": ontology,
        "union_is_union": union == named,
        "union": len(union),
        "page": (folder / "graph.html").read_bytes(),
        "rejected": (folder / "rejected.jsonl").read_bytes(),
    }


def same(a: dict, b: dict) -> bool:
    return (
        a["quads"] == b["quads"]
        and isomorphic(a["ontology"], b["ontology"])
        and a["union_is_union"]
        and b["union_is_union"]
        and a["union"] == b["union"]
        and a["page"] == b["page"]
        and a["rejected"] == b["rejected"]
    )


def test_incremental_build_equals_a_clean_build(tmp_path, monkeypatch):
    src = write_articles(tmp_path / "src")
    out = tmp_path / "out"
    first = build_into([src], out, store="oxigraph")
    assert first.store == "oxigraph" and first.report.articles == 2
    first.close()
    change_inputs(src)
    calls = []
    real = Replacer.replace
    monkeypatch.setattr(Replacer, "replace", lambda self, name, text: calls.append(str(name)) or real(self, name, text))
    again = build_into([src], out, store="oxigraph")
    again.close()
    assert sorted(c.rsplit("/", 1)[-1] for c in calls) == ["added", "jinhu", "yunxi"]  # only those
    clean = build_into([src], tmp_path / "clean", store="oxigraph", cache=False)
    clean.close()
    assert same(outputs(out), outputs(tmp_path / "clean"))
    assert again.report.entities_by_class == clean.report.entities_by_class
    assert again.report.relations_by_property == clean.report.relations_by_property
    assert again.report.articles == 2


def test_unchanged_input_is_not_extracted_or_written(tmp_path, monkeypatch):
    src = write_articles(tmp_path / "src")
    out = tmp_path / "out"
    build_into([src], out, store="oxigraph").close()
    before = outputs(out)

    def refuse(*args, **kwargs):
        raise AssertionError("nothing should be extracted or written")

    monkeypatch.setattr("kg.pipeline.tasks.extract", refuse)
    monkeypatch.setattr(ondisk, "write_store", refuse)
    again = build_into([src], out, store="oxigraph")
    assert again.report.articles == 2 and again.report.entities_by_class
    again.close()
    assert same(outputs(out), before)


def fake_extract(doc: Document) -> Extraction:
    """A stand-in for kg.extraction.extract: each line names an entity (``key|class|label``)
    or states a relation (``subject>property>object``)."""
    entities, assertions = [], []
    for line in doc.text.splitlines():
        if "|" in line:
            key, cls, label = line.split("|")
            entities.append(Entity(key, cls, label))
        elif ">" in line:
            s, p, o = line.split(">")
            assertions.append(Assertion(s, p, o, doc.id, 0, len(line), line, "test"))
    return Extraction(doc, entities, [], assertions)


def fake_articles(folder: Path, monkeypatch, texts: dict[str, str]) -> Path:
    """``folder`` with a file ``<name>.txt`` for each of ``texts``, extracted by fake_extract."""
    monkeypatch.setattr("kg.pipeline.tasks.extract", fake_extract)
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


#: An article naming 星河 (a Company) and the zone that hosts it.
HOSTS = "星河|Company|星河\n云溪高新区|Zone|云溪高新区\n云溪高新区>hosts>星河\n"


def test_a_changed_class_or_label_rewrites_every_article_naming_the_entity(tmp_path, monkeypatch):
    src = fake_articles(
        tmp_path / "src",
        monkeypatch,
        {"a": HOSTS, "b": "星河|ResearchInstitute|星河\n", "d": "云溪高新区|Zone|云溪高新区\n"},
    )
    out = tmp_path / "out"
    first = build_into([src], out, store="oxigraph")
    assert first.report.entities_by_class == {"Company": 1, "Zone": 1}  # a tie: alphabetical
    first.close()
    (src / "c.txt").write_text("星河|ResearchInstitute|星河研究院\n", encoding="utf-8")
    calls = []
    real = Replacer.replace
    monkeypatch.setattr(Replacer, "replace", lambda self, name, text: calls.append(str(name)) or real(self, name, text))
    again = build_into([src], out, store="oxigraph")
    assert again.report.entities_by_class == {"ResearchInstitute": 1, "Zone": 1}
    again.close()
    # 星河 is now a ResearchInstitute: a and b name it (c is new); d does not
    assert sorted(c.rsplit("/", 1)[-1] for c in calls) == ["a", "b", "c"]
    build_into([src], tmp_path / "clean", store="oxigraph", cache=False).close()
    assert same(outputs(out), outputs(tmp_path / "clean"))
    (src / "a.txt").unlink()  # the label came from a: it is b's now
    build_into([src], out, store="oxigraph").close()
    build_into([src], tmp_path / "clean2", store="oxigraph", cache=False).close()
    assert same(outputs(out), outputs(tmp_path / "clean2"))


def test_articles_added_after_the_last_go_on_from_its_entity_table(tmp_path, monkeypatch):
    from kg.storage.cache import Cache

    src = fake_articles(tmp_path / "src", monkeypatch, {"a": HOSTS, "b": "星河|Company|星河科技\n"})
    out = tmp_path / "out"
    build_into([src], out, store="oxigraph").close()
    read = []
    real = Cache.summaries
    monkeypatch.setattr(Cache, "summaries", lambda self, keys: read.extend(keys) or real(self, keys))

    def built_again_and_clean(name: str) -> None:
        build_into([src], out, store="oxigraph").close()
        build_into([src], tmp_path / name, store="oxigraph", cache=False).close()
        assert same(outputs(out), outputs(tmp_path / name))

    (src / "c.txt").write_text("远帆|Company|远帆\n", encoding="utf-8")
    built_again_and_clean("clean1")
    assert read == []  # a and b were folded last time; c is extracted
    (src / "d.txt").write_text("星河|ResearchInstitute|星河\n远帆|ResearchInstitute|远帆\n", encoding="utf-8")
    for name in "ef":
        (src / f"{name}.txt").write_text("星河|ResearchInstitute|星河\n", encoding="utf-8")
    built_again_and_clean("clean2")  # 星河 is a ResearchInstitute now: a, b, c are signed anew
    assert len(read) == 3
    read.clear()
    (src / "0.txt").write_text("远帆|Company|远帆\n", encoding="utf-8")  # before the others
    built_again_and_clean("clean3")  # folded from the start: a to f from the cache
    assert len(read) == 6


def test_no_entity_table_is_kept_when_an_article_names_what_it_does_not_hold(tmp_path, monkeypatch):
    from kg.storage.manifest import Manifest
    from kg.storage.resume import META

    src = fake_articles(tmp_path / "src", monkeypatch, {"a": "星河|Company|星河\n"})
    build_into([src], tmp_path / "out", store="oxigraph").close()
    assert Manifest.open(tmp_path / "out").meta()[META]
    (src / "b.txt").write_text("云溪高新区>hosts>星河\n", encoding="utf-8")  # names entities of a's
    build_into([src], tmp_path / "out", store="oxigraph").close()
    assert Manifest.open(tmp_path / "out").meta()[META] is None


def test_memory_store_incremental_graph_is_byte_identical(tmp_path, monkeypatch):
    src = write_articles(tmp_path / "src")
    out = tmp_path / "out"
    g = build_into([src], tmp_path / "plain")  # auto: a small corpus stays in memory
    assert g.store == "memory" and not (tmp_path / "plain" / ".kg-cache").exists()
    build_into([src], out, cache=True)
    assert (out / ".kg-cache" / "cache.sqlite").is_file()
    change_inputs(src)
    build_into([src], out)  # the folder has a cache: it is used
    build_into([src], tmp_path / "clean", cache=False)
    for name in ("graph.trig", "graph.html", "rejected.jsonl"):
        assert (out / name).read_bytes() == (tmp_path / "clean" / name).read_bytes()
    monkeypatch.setattr("kg.pipeline.tasks.extract", lambda doc: (_ for _ in ()).throw(AssertionError))
    build_into([src], out)  # every extraction from the cache
    assert (out / "graph.trig").read_bytes() == (tmp_path / "clean" / "graph.trig").read_bytes()


def test_interrupted_build_leaves_the_previous_one(tmp_path, monkeypatch):
    src = write_articles(tmp_path / "src")
    out = tmp_path / "out"
    build_into([src], out, store="oxigraph").close()
    before = outputs(out)
    change_inputs(src)

    def broken(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(incremental, "_page", broken)
    with pytest.raises(KeyboardInterrupt):
        build_into([src], out, store="oxigraph")
    assert same(outputs(out), before)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]  # no staging left
    assert (out / ".kg-cache").is_dir()  # nor the cache lost


def test_switching_stores_replaces_the_graph(tmp_path):
    src = write_articles(tmp_path / "src")
    out = tmp_path / "out"
    build_into([src], out, store="memory", cache=True)
    (out / "notes.txt").write_text("keep", encoding="utf-8")
    build_into([src], out, store="oxigraph").close()
    assert sorted(p.name for p in out.iterdir()) == [
        ".kg-cache",
        "build.sqlite",
        "graph.html",
        "graph.oxigraph",
        "notes.txt",
        "rejected.jsonl",
    ]
    g = build_into([src], out)  # auto keeps the folder's on-disk store
    assert g.store == "oxigraph"
    g.close()
    build_into([src], out, store="memory")
    assert sorted(p.name for p in out.iterdir()) == [
        ".kg-cache",
        "graph.html",
        "graph.trig",
        "notes.txt",
        "rejected.jsonl",
    ]


def test_a_folder_of_other_files_gets_the_store_beside_them(tmp_path):
    src = write_articles(tmp_path / "src")
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("x", encoding="utf-8")
    build_into([src], out, store="oxigraph").close()
    assert sorted(p.name for p in out.iterdir()) == [
        ".kg-cache",
        "build.sqlite",
        "graph.html",
        "graph.oxigraph",
        "mine.txt",
        "rejected.jsonl",
    ]
    change_inputs(src)
    build_into([src], out, store="oxigraph").close()
    build_into([src], tmp_path / "clean", store="oxigraph", cache=False).close()
    assert same(outputs(out), outputs(tmp_path / "clean"))


def test_errors(tmp_path):
    src = write_articles(tmp_path / "src")
    with pytest.raises(InputError, match="store must be one of"):
        build_into([src], tmp_path / "o", store="disk")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(GraphError, match="is a file, not a folder"):
        build_into([src], tmp_path / "file")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(Exception, match="no articles found"):
        build_into([empty], tmp_path / "o2")
    assert not (tmp_path / "o2").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "file", "src"]


def test_rejected_assertions_follow_incremental_builds(tmp_path, monkeypatch):
    """The assertions kept out of the graph (kept per article in the manifest)
    after articles are deleted, changed and added: those of a clean build."""
    monkeypatch.setattr("kg.pipeline.tasks.extract", fake_extract)
    src = tmp_path / "src"
    src.mkdir()
    names = "星河|Company|星河\n云溪高新区|Zone|云溪高新区\n"
    for name in "abc":  # a company cannot host a zone
        (src / f"{name}.txt").write_text(names + "星河>hosts>云溪高新区\n", encoding="utf-8")
    out = tmp_path / "out"
    first = build_into([src], out, store="oxigraph")
    first.close()
    assert [r.assertion.doc_id for r in first.report.rejected] == ["a", "b", "c"]
    (src / "a.txt").unlink()
    (src / "b.txt").write_text(names + "云溪高新区>hosts>星河\n", encoding="utf-8")
    (src / "d.txt").write_text(names + "星河>hosts>云溪高新区\n", encoding="utf-8")
    again = build_into([src], out, store="oxigraph")
    again.close()
    assert [r.assertion.doc_id for r in again.report.rejected] == ["c", "d"]
    clean = build_into([src], tmp_path / "clean", store="oxigraph", cache=False)
    clean.close()
    assert again.report.rejected == clean.report.rejected
    assert same(outputs(out), outputs(tmp_path / "clean"))


def test_deferred_shards_wait_for_finish_and_load_in_a_process_of_their_own(tmp_path, monkeypatch):
    """A fresh store's shards can wait on disk until the workers that wrote
    them have stopped (kg.storage.loaders.Shards, defer): loaded at finish by a
    process that has ended when it returns, then removed."""
    import multiprocessing

    from kg.storage.loaders import Shards
    from kg.storage.oxstore import open_store

    monkeypatch.setattr("kg.storage.loaders.SHARD_BYTES", 10)  # a shard per line
    calls = []
    shards = Shards(tmp_path / "store", tmp_path / "shards", defer=True, progress=lambda *a: calls.append(a))
    for i in range(3):
        shards.add(f'<https://example.org/s{i}> <https://example.org/p> "{i}" <https://example.org/g> .\n')
    assert not (tmp_path / "store").exists() and len(list((tmp_path / "shards").iterdir())) == 3
    shards.finish()
    assert not multiprocessing.active_children() and not (tmp_path / "shards").exists()
    assert len(open_store(tmp_path / "store")) == 3  # loaded, and closed: RocksDB locks an open store
    assert calls == [(0, 3, "Loading"), (1, 3, "part-00001.nq"), (2, 3, "part-00002.nq"), (3, 3, "part-00003.nq")]


def test_a_bad_shard_is_a_graph_error_of_the_build_process(tmp_path):
    from kg.storage.loaders import load_apart

    bad = tmp_path / "bad.nq"
    bad.write_text("<https://example.org/s> not N-Quads .\n", encoding="utf-8")
    with pytest.raises(GraphError, match="^bad N-Quads for the on-disk store: "):
        load_apart(tmp_path / "store", [bad])
    assert not bad.exists()


def test_a_build_with_workers_opens_its_fresh_store_once_it_is_loaded(tmp_path, monkeypatch):
    # RocksDB keeps much of what the bulk load took after the store is closed (a build of
    # 100,000 articles then peaked at 303 MB, 212 MB without it): the build process leaves
    # the loading to a process of its own
    import kg.storage.loaders
    import kg.storage.oxstore

    events = []
    real_open, real_load = kg.storage.oxstore.open_store, kg.storage.loaders.load_apart
    monkeypatch.setattr(
        kg.storage.oxstore, "open_store", lambda path, **kw: events.append(("open", str(path))) or real_open(path, **kw)
    )
    monkeypatch.setattr(
        kg.storage.loaders, "load_apart", lambda store, *a: events.append(("load", str(store))) or real_load(store, *a)
    )
    build_into([write_articles(tmp_path / "src")], tmp_path / "out", store="oxigraph", jobs=2).close()
    (load, staged), again = events[:2]
    assert load == "load" and again == ("open", staged)


def test_a_build_interns_no_string_per_article(tmp_path, interned):
    # each article names entities of its own: their keys must not go through sys.intern
    # (conftest.interned), nor must the paths of the files
    marks = "金木水火土山川河湖海"

    def count(n: int) -> int:
        src = tmp_path / f"in{n}"
        src.mkdir()
        for i in range(n):
            name = marks[i // 10] + marks[i % 10]
            (src / f"a{i:03d}.md").write_text(
                f"{name}高新区位于江苏省淮安市。{name}研究院孵化了{name}科技有限公司。\n", encoding="utf-8"
            )
        built = []
        calls = interned(lambda: built.append(build_into([src], tmp_path / f"out{n}", store="oxigraph")))
        entities = sum(built[0].stats()["entities"].values())
        built[0].close()
        assert entities >= 3 * n
        return calls

    count(2)  # what a first build does once
    assert count(4) == count(40)
