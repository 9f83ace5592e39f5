"""kg.rdf.provenance and `kg explain`: every article, date and sentence behind a triple,
from the same query as the page's edges; builds are byte-identical."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.graph.knowledge
from kg.cli.main import cli
from kg.errors import GraphError
from kg.graph.knowledge import KnowledgeGraph
from kg.rdf.namespace import KG, entity_iri, graph_iri, local_name
from kg.rdf.provenance import Evidence, explain, find_marks, format_explanation, highlight
from kg.records import Assertion, Document, Entity, Extraction

ROOT = Path(__file__).resolve().parents[2]

T1 = "云溪高新区引进了青禾新材料有限公司。"
T2 = "据介绍，青禾公司去年落户云溪园区，"
T2 += "云溪园区内还有星河研究院。"
ENTITIES = {
    "云溪高新区": Entity("云溪高新区", "Zone", "云溪高新区", {"云溪园区"}),
    "青禾新材料有限公司": Entity("青禾新材料有限公司", "Company", "青禾新材料有限公司", {"青禾公司"}),
    "星河研究院": Entity("星河研究院", "ResearchInstitute", "星河研究院"),
}


def ex(doc_id, text, date, facts, aliases=()):
    ents = [Entity(k, e.cls, e.label, set(aliases) & e.aliases) for k, e in ENTITIES.items()]
    doc = Document(doc_id, text, title=f"{doc_id}的标题", date=date, url=f"https://example.org/{doc_id}")
    return Extraction(
        doc, ents, [], [Assertion(s, p, o, doc_id, a, b, text[a:b], rule, c) for s, p, o, a, b, rule, c in facts]
    )


def sample():
    first = len("据介绍，青禾公司去年落户云溪园区，")
    return [
        ex(
            "b",
            T2,
            "2024-05-02",
            [
                ("云溪高新区", "hosts", "青禾新材料有限公司", 0, first, "pattern:settle", 0.9),
                ("云溪高新区", "hosts", "星河研究院", first, len(T2), "pattern:inside", 0.8),
            ],
            aliases={"云溪园区", "青禾公司"},
        ),
        ex("a", T1, "2023-01-09", [("云溪高新区", "hosts", "青禾新材料有限公司", 0, len(T1), "pattern:attract", 0.9)]),
    ]


@pytest.fixture
def graph():
    return KnowledgeGraph.from_extractions(sample(), ENTITIES)


def test_every_article_date_and_sentence_in_date_order(graph):
    records = explain(graph, "云溪高新区", "hosts", "青禾新材料有限公司")
    assert [(e.doc_id, e.date, e.sentence) for e in records] == [
        ("a", "2023-01-09", T1),
        ("b", "2024-05-02", "据介绍，青禾公司去年落户云溪园区，"),
    ]
    assert all(isinstance(e, Evidence) for e in records)
    assert records[0].span == (0, len(T1)) and records[0].title == "a的标题"
    assert records[1].url == "https://example.org/b" and records[1].rule == "pattern:settle"


def test_names_in_the_sentence_are_marked_whatever_form_it_uses(graph):
    a, b = explain(graph, "云溪高新区", "hosts", "青禾新材料有限公司")
    assert a.highlighted() == "【云溪高新区】引进了【青禾新材料有限公司】。"
    assert b.highlighted("<", ">") == "据介绍，<青禾公司>去年落户<云溪园区>，"
    assert [b.sentence[s:e] for s, e in b.marks] == ["青禾公司", "云溪园区"]


def test_entities_by_any_label_and_relation_by_any_name(graph):
    by_alias = explain(graph, "云溪园区", "kg:hosts", "青禾公司")
    by_label = explain(graph, "云溪高新区", "承载", entity_iri("青禾新材料有限公司"))
    assert by_alias == by_label == explain(graph, "云溪高新区", "hosts", "青禾新材料有限公司")


def test_what_is_not_stated_is_an_error_that_says_what_is(graph):
    with pytest.raises(
        GraphError, match="does not state 青禾公司 hosts 云溪高新区; it states: 云溪高新区 hosts 青禾新材料有限公司"
    ):
        explain(graph, "青禾公司", "hosts", "云溪高新区")
    with pytest.raises(GraphError, match="no entity labelled '白云公司'"):
        explain(graph, "云溪高新区", "hosts", "白云公司")
    with pytest.raises(GraphError, match="unknown relation 'hostz'"):
        explain(graph, "云溪高新区", "hostz", "青禾公司")


def test_page_edges_and_explain_come_from_the_same_query(graph, monkeypatch):
    used = []
    real = kg.graph.knowledge.run_query_file

    def spy(g, name, **bindings):
        used.append(name)
        return real(g, name, **bindings)

    monkeypatch.setattr(kg.graph.knowledge, "run_query_file", spy)
    records = explain(graph, "云溪高新区", "hosts", "青禾新材料有限公司")
    assert set(used) == {"evidence"}
    used.clear()
    G = graph.to_networkx()
    assert "evidence" in used  # the edges' evidence (node facts may use others)
    edge = G.edges[str(entity_iri("云溪高新区")), str(entity_iri("青禾新材料有限公司")), "hosts"]
    on_page = sorted((e["doc_id"], e["start"], e["sentence"], e["rule"]) for e in edge["evidence"])
    assert on_page == sorted((e.doc_id, e.start, e.sentence, e.rule) for e in records)


def test_find_marks_and_highlight():
    assert find_marks("甲乙甲", ["甲", "甲乙"]) == ((0, 2), (2, 3))
    assert find_marks("无关", ["甲"]) == ()
    assert highlight("甲乙甲", ((0, 2), (2, 3))) == "【甲乙】【甲】"


def test_cli_explain_prints_articles_and_marked_sentences(graph, tmp_path):
    graph.save(tmp_path / "g")
    result = CliRunner().invoke(cli, ["explain", str(tmp_path / "g"), "云溪园区", "hosts", "青禾公司"])
    assert result.exit_code == 0, result.output
    assert (
        result.output
        == "\n".join(
            [
                "云溪高新区 hosts 青禾新材料有限公司: 2 sentences in 2 articles",
                "",
                "[1] a的标题",
                "    article a, 2023-01-09, https://example.org/a",
                f"    characters 0-{len(T1)}, rule pattern:attract, confidence 0.9",
                "      【云溪高新区】引进了【青禾新材料有限公司】。",
                "",
                "[2] b的标题",
                "    article b, 2024-05-02, https://example.org/b",
                "    characters 0-17, rule pattern:settle, confidence 0.9",
                "      据介绍，【青禾公司】去年落户【云溪园区】，",
            ]
        )
        + "\n"
    )
    assert format_explanation(explain(graph, "云溪高新区", "hosts", "青禾公司")) == result.output[:-1]


def test_cli_explain_of_an_unstated_triple_fails(graph, tmp_path):
    graph.save(tmp_path / "g")
    result = CliRunner().invoke(cli, ["explain", str(tmp_path / "g"), "星河研究院", "hosts", "云溪高新区"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: the graph does not state 星河研究院 hosts 云溪高新区; it states: 云溪高新区 hosts 星河研究院\n"
    )


def test_every_core_triple_has_evidence(graph):
    assert graph.core_triples() and list(graph.query_file("unevidenced")) == []
    graph.dataset.graph(graph_iri("a")).add((entity_iri("云溪高新区"), KG.hosts, entity_iri("星河研究院")))
    graph.dataset.graph(graph_iri("a")).add((entity_iri("星河研究院"), KG.partOf, entity_iri("云溪高新区")))
    assert [local_name(r.p) for r in graph.query_file("unevidenced")] == ["partOf"]  # hosts: stated in b


# --- determinism ------------------------------------------------------------------------------

ARTICLES = {
    "a.md": "---\ntitle: 青禾落户云溪\ndate: 2024-03-01\n---\n青禾新材料有限公司落户江苏云溪高新区，聚焦新材料。\n",
    "b.txt": "星河研究院位于溧阳高新区。溧阳高新区管委会主任王明介绍，园区集聚企业120家。\n",
}


def test_two_consecutive_builds_are_byte_identical(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name, text in ARTICLES.items():
        (src / name).write_text(text, encoding="utf-8")
    outs = []
    for i, seed in enumerate(("1", "2")):
        out = tmp_path / f"out{i}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONWARNINGS": "ignore"}
        run = subprocess.run(
            [sys.executable, "-m", "kg.cli", "build", str(src), "-o", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert set(outs[0]) == {"graph.trig", "graph.html", "rejected.jsonl"}
    assert outs[0] == outs[1]
    assert b"kgr:reference" in outs[0]["graph.trig"] and b"_:" not in outs[0]["graph.trig"]
