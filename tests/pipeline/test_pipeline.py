"""The whole path: files -> KnowledgeGraph, and the merge of per-article entities."""

import dataclasses
from pathlib import Path

import pytest
from rdflib import RDF, RDFS
from rdflib.namespace import SKOS

import kg
from kg.errors import InputError, NoArticlesError
from kg.evaluation.evaluate import confidences
from kg.graph.knowledge import KnowledgeGraph
from kg.pipeline.run import build, keep_confident
from kg.rdf.dataset import to_dataset
from kg.rdf.namespace import KG
from kg.records import Assertion, Document, Entity, Extraction, Mention

A = """---
title: 青禾新材料落户云溪高新区
date: 2023-05-01
url: http://example.com/a
---

位于云溪高新区的青禾新材料科技有限公司成立于2016年。
"""

B = """---
title: 星河研究院揭牌
---

2019年，云溪高新区与星河大学共建星河研究院。该研究院聚焦新材料。
"""


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.fixture
def corpus(tmp_path):
    write(tmp_path / "a.md", A)
    write(tmp_path / "b.md", B)
    return tmp_path


def test_build_counts_articles_and_relations(corpus):
    g = build(corpus)
    assert isinstance(g, kg.KnowledgeGraph)
    r = g.report
    assert r.articles == 2
    assert r.skipped == []
    assert r.entities_by_class["Zone"] == 1  # 云溪高新区 in both articles, one entity
    assert r.entities_by_class["Company"] == 1
    assert r.entities_by_class["ResearchInstitute"] == 1
    assert r.entities_by_class["University"] == 1
    assert r.relations_by_property["establishedBy"] == 2
    assert r.relations_by_property["hosts"] >= 1
    assert r.seconds >= 0


def test_build_keeps_evidence_and_article_metadata(corpus):
    g = build([corpus])
    (ev,) = g.evidence("云溪高新区", "hosts", "青禾新材料科技有限公司")
    assert ev["sentence"] == "位于云溪高新区的青禾新材料科技有限公司成立于2016年。"
    assert ev["doc_id"] == "a"
    assert ev["title"] == "青禾新材料落户云溪高新区"
    assert ev["url"] == "http://example.com/a"
    assert ev["rule"].startswith("pattern:")


def test_build_accepts_a_single_file_and_reports_progress(corpus):
    seen = []
    g = build(corpus / "b.md", progress=lambda done, total, item: seen.append((done, total, item)))
    assert g.report.articles == 1
    assert seen == [(1, 1, "b")]


def test_a_long_extraction_gives_memory_back_as_it_goes(tmp_path, monkeypatch):
    import kg.pipeline.run as pipeline

    for i in range(7):
        write(tmp_path / f"a{i}.md", A.replace("青禾", "青禾" + "甲乙丙丁戊己庚"[i]))
    calls = []
    monkeypatch.setattr(pipeline, "TRIM_EVERY", 2)
    monkeypatch.setattr(pipeline, "give_back_memory", lambda: calls.append(1))
    assert build(tmp_path).report.articles == 7
    assert len(calls) == 1 + 3  # before the extraction, then after articles 2, 4 and 6


def test_kg_build_is_the_pipeline():
    assert kg.build is build


def test_empty_folder_raises(tmp_path):
    with pytest.raises(NoArticlesError):
        build(tmp_path)


def test_folder_of_only_unreadable_files_raises_and_says_so(tmp_path):
    write(tmp_path / "x.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(NoArticlesError) as e:
        build(tmp_path)
    assert "1 file(s) skipped" in str(e.value)


def test_missing_path_raises_input_error(tmp_path):
    with pytest.raises(InputError):
        build(tmp_path / "nowhere")


def test_binary_file_is_skipped_and_the_rest_builds(corpus):
    bad = write(corpus / "c.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    g = build(corpus)
    assert g.report.articles == 2
    (skipped,) = g.report.skipped
    assert skipped.source == str(bad)
    assert "binary" in skipped.reason


# --- leaving out assertions below a confidence --------------------------------------------------


def entity_triples(graph: kg.KnowledgeGraph) -> set:
    """(graph, subject, predicate, object) of every type and label of every entity."""
    ents = set(graph.entities())
    return {
        (c, s, p, o) for s, p, o, c in graph.dataset.quads() if s in ents and p in (RDF.type, RDFS.label, SKOS.altLabel)
    }


def test_min_confidence_keeps_exactly_the_confident_triples_and_every_entity(corpus):
    full = build(corpus)
    best = confidences(full.dataset)
    levels = sorted(set(best.values()))
    assert len(levels) >= 2  # the sample has rules of several confidences
    assert build(corpus, min_confidence=0).to_trig() == full.to_trig()
    for t in [*levels, 1.0]:
        g = build(corpus, min_confidence=t)
        assert set(g.core_triples()) == {k for k, c in best.items() if c >= t}
        assert all(float(c) >= t for c in g.dataset.objects(None, KG.confidence))
        assert entity_triples(g) == entity_triples(full)
        assert g.report.entities_by_class == full.report.entities_by_class
        assert sum(g.report.relations_by_property.values()) == len(g.core_triples())


def test_min_confidence_keeps_an_entity_only_a_dropped_assertion_named():
    ents = {
        "云溪高新区": Entity("云溪高新区", "Zone", "云溪高新区", {"云溪园区"}),
        "青禾公司": Entity("青禾公司", "Company", "青禾公司", {"青禾"}),
    }
    t = "它落户园区。"
    exs = [
        Extraction(
            Document("d", t),
            [Entity("云溪高新区", "Zone", "云溪高新区", {"云溪园区"})],
            [Mention(4, 6, "园区", "Zone", "anaphor", "云溪高新区", "anaphor")],
            [
                Assertion("云溪高新区", "hosts", "青禾公司", "d", 0, 6, t, "topic", 0.5),
                Assertion("云溪高新区", "hosts", "青禾公司", "d", 0, 6, t, "weak", 0.3),
            ],
        )
    ]
    kept = keep_confident(exs, ents, 0.6)
    assert kept[0].assertions == []
    assert exs[0].assertions and len(exs[0].entities) == 1  # the input is not changed
    # whatever else an extraction holds (mentions, and any field added later) passes through
    others = [f.name for f in dataclasses.fields(Extraction) if f.name not in ("doc", "entities", "assertions")]
    marked = [dataclasses.replace(exs[0], **{f: [f"marker {f}"] for f in others})]
    assert [getattr(keep_confident(marked, ents, 0.6)[0], f) for f in others] == [[f"marker {f}"] for f in others]
    assert entity_triples(KnowledgeGraph(to_dataset(kept, ents))) == entity_triples(
        KnowledgeGraph(to_dataset(exs, ents))
    )
    half = keep_confident(exs, ents, 0.5)[0].assertions
    assert [a.rule for a in half] == ["topic"]  # the threshold itself is kept


@pytest.mark.parametrize("bad", [-0.1, 1.01, float("nan"), "high", None, True])
def test_min_confidence_must_be_a_number_from_0_to_1(corpus, bad):
    with pytest.raises(InputError, match="min_confidence must be a number from 0 to 1"):
        build(corpus, min_confidence=bad)


def test_a_rerun_asks_the_cache_in_batches_not_once_per_file_or_article(tmp_path):
    from kg.pipeline.run import survey
    from kg.storage.cache import Cache
    from kg.storage.cached_input import FILES_AT_ONCE

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(600):
        (folder / f"a{i:03}.txt").write_text(f"第{i}号公司位于某市。", encoding="utf-8")
    with Cache(tmp_path / "c") as cache:
        survey([folder], cache)
    with Cache(tmp_path / "c") as cache:
        selects: list[str] = []
        cache.db.set_trace_callback(lambda sql: selects.append(sql) if sql.startswith("SELECT") else None)
        scan = survey([folder], cache)
    assert scan.report.articles == 600 and len(scan.pending) == 600  # read from the cache, none extracted
    assert sum("FROM files" in s for s in selects) == -(-600 // FILES_AT_ONCE)
    assert sum("FROM extractions" in s for s in selects) == 2  # 500 keys a statement
