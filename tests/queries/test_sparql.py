"""SPARQL from Python and the command line: named queries, initBindings, DataFrames, `kg html`.

The graph is built from the two articles of tests/sample_articles.py; what
each query must return follows from those articles or from the graph's own
edges.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from sample_articles import write_articles

import kg
from kg.cli.main import cli
from kg.cli.query import format_table
from kg.errors import GraphError
from kg.queries.sparql import named_queries

NAMED = ["zone_institutes", "incubated_companies", "positions", "zones_by_industry", "entity_facts", "reference_facts"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    graph = kg.build([write_articles(tmp_path_factory.mktemp("articles"))])
    out = tmp_path_factory.mktemp("built") / "build"
    graph.save(out)
    return out


@pytest.fixture(scope="module")
def graph(folder):
    return kg.KnowledgeGraph.load(folder)


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


# ------------------------------------------------------------------ library


def test_every_named_query_is_documented_and_runs(graph):
    queries = named_queries()
    assert set(NAMED) <= set(queries)
    for name in NAMED:
        q = queries[name]
        assert q.title and q.description, name
        assert all(kind in ("label", "iri", "text", "number") for kind, _, _ in q.params.values())
        for param in q.params:
            assert f"?{param}" in q.text, (name, param)  # bound, never pasted
    for name in NAMED:
        required = {p: "金湖高新区" for p, (_, need, _) in queries[name].params.items() if need}
        assert isinstance(graph.run(name, **required).to_dicts(), list)


def test_a_query_without_a_title_is_the_librarys_own_not_a_named_one(folder, graph):
    from kg.queries.sparql import QUERY_DIR, query_text

    own = {p.stem for p in QUERY_DIR.glob("*.rq")} - set(named_queries())
    assert own == {"confidence", "evidence"}  # a named query that lost its title would show here
    assert "SELECT ?s ?p ?o" in query_text("evidence")
    with pytest.raises(GraphError, match=r"no query named 'evidence' \(known: entity_facts, "):
        graph.run("evidence")
    with pytest.raises(GraphError, match=r"no query named '\.\./evidence' \(known: .*confidence"):
        query_text("../evidence")
    assert graph.query_file("evidence").to_dicts()  # run by the library as before
    result = run("query", folder, "--name", "evidence")
    assert result.exit_code == 1
    assert result.stderr == f"Error: no query named 'evidence' (known: {', '.join(named_queries())})\n"


def test_zone_institutes_by_label_matches_the_graph(graph):
    G = graph.to_networkx()
    (zone,) = [n for n, d in G.nodes(data=True) if d["label"] == "金湖高新区"]
    hosted = {
        G.nodes[v]["label"]
        for _, v, d in G.out_edges(zone, data=True)
        if d["property"] == "hosts" and G.nodes[v]["cls"] in ("ResearchInstitute", "University")
    }
    rows = graph.to_dicts("zone_institutes", zone="金湖高新区")
    assert {r["institute"] for r in rows} == hosted and hosted
    assert {r["zoneName"] for r in rows} == {"金湖高新区"}
    everything = graph.to_dicts("zone_institutes")
    assert {r["zoneName"] for r in everything} >= {"金湖高新区", "云溪高新区"}


def test_parameters_are_bound_not_pasted(graph):
    hostile = '金湖高新区"@zh } UNION { ?z ?p ?o } #'
    assert graph.to_dicts("zone_institutes", zone=hostile) == []
    with pytest.raises(GraphError, match="has no parameter 'zon' \\(parameters: zone\\)"):
        graph.run("zone_institutes", zon="金湖高新区")
    with pytest.raises(GraphError, match="needs the parameter entity"):
        graph.run("entity_facts")


def test_incubated_companies_positions_and_industries(graph):
    jinhu = {r["company"] for r in graph.to_dicts("incubated_companies", zone="金湖高新区")}
    yunxi = {r["company"] for r in graph.to_dicts("incubated_companies", zone="云溪高新区")}
    assert jinhu == {"蓝海科技有限公司", "青禾生物有限公司"}
    assert yunxi == {"远帆科技有限公司"}
    people = graph.to_dicts("positions", org="金湖高新区科技局")
    assert people == [{"personName": "王明远", "role": "局长", "organization": "金湖高新区科技局"}]
    (energy,) = graph.to_dicts("zones_by_industry", industry="新能源")
    assert energy["zones"] == 2 and set(energy["zoneNames"].split("、")) == {"金湖高新区", "云溪高新区"}


def test_entity_facts_give_evidence_with_article(graph):
    rows = graph.to_dicts("entity_facts", entity="蓝海科技有限公司")
    assert rows
    incubated = [r for r in rows if r["property"] == "incubatedBy"]
    assert incubated and incubated[0]["direction"] == "→"
    assert incubated[0]["other"] == "金湖先进材料研究院"
    for r in rows:
        assert "蓝海科技有限公司" in r["sentence"]
        assert r["title"] == "金湖高新区加快建设创新高地"
        assert str(r["date"]) == "2024-03-05" and r["url"] == "https://news.example.cn/jinhu/1"
        assert 0 < r["confidence"] <= 1
        assert r["articles"] == 1


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_entity_facts_give_one_fact_once_with_the_articles_stating_it(tmp_path, store):
    from kg.pipeline.ondisk import build_into

    src = tmp_path / "src"
    src.mkdir()
    for name, extra in (("a1", "青石高新区面积十平方公里。"), ("a2", "青石高新区成立于2001年。"), ("a3", "")):
        (src / f"{name}.txt").write_text(
            f"青石高新区位于江苏省淮安市。青石高新区重点发展新能源产业。{extra}\n", encoding="utf-8"
        )
    (src / "other.txt").write_text("白沙高新区重点发展生物医药产业。\n", encoding="utf-8")
    graph = build_into([src], tmp_path / "out", store=store)
    rows = graph.to_dicts("entity_facts", entity="青石高新区")
    focus = [r for r in rows if r["property"] == "focusesOn"]
    assert len(focus) == 1 and focus[0]["other"] == "新能源" and focus[0]["articles"] == 3
    assert focus[0]["sentence"] == "青石高新区重点发展新能源产业。"
    assert {r["entityName"] for r in rows} == {"青石高新区"} and "生物医药" not in {r["other"] for r in rows}
    assert graph.to_dicts("entity_facts", entity="黑水高新区") == []
    graph.close()


def test_to_df_has_readable_columns_and_values(graph):
    df = graph.query("SELECT ?z ?name WHERE { ?z a kg:Zone ; rdfs:label ?name } ORDER BY ?name").to_df()
    assert list(df.columns) == ["z", "name"]
    assert list(df["z"]) == list(df["name"])  # IRIs shown by their labels
    raw = graph.query("SELECT ?z WHERE { ?z a kg:Zone }").to_dicts(raw=True)
    assert all(isinstance(r["z"], URIRef) for r in raw)
    by_name = graph.to_df("zone_institutes", zone="金湖高新区")
    assert list(by_name.columns) == ["zoneName", "institute", "kind"]
    bound = graph.query(
        "SELECT ?i WHERE { ?z rdfs:label ?name ; kg:hosts ?i }", name=Literal("云溪高新区", lang="zh")
    ).to_df()
    assert "白石智能研究院" in set(bound["i"])


def test_reference_facts_reach_the_networkx_graph_and_the_page(graph):
    from rdflib import Graph

    from kg.page.render import render_page

    G = graph.to_networkx()
    (zone,) = [n for n, d in G.nodes(data=True) if d["label"] == "云溪高新区"]
    province = URIRef("https://w3id.org/zone-kg/ontology#province")
    g2 = kg.KnowledgeGraph()
    for quad in graph.dataset.quads():
        g2.dataset.add(quad)
    ref = Graph(g2.dataset.store, identifier=URIRef("https://w3id.org/zone-kg/resource/reference"))
    ref.add((URIRef(zone), province, Literal("浙江省", lang="zh")))
    H = g2.to_networkx()
    facts = dict(H.nodes[zone]["facts"])
    assert list(facts.values()) == ["浙江省"]
    page = render_page(H)
    data = json.loads(re.search(r'id="kg-data">(.*?)</script>', page, re.S).group(1))
    node = next(n for n in data["nodes"] if n["iri"] == zone)
    assert node["facts"] == [[k, v] for k, v in facts.items()]


# --------------------------------------------------------------------- cli


def test_cli_named_query_prints_the_library_rows(folder, graph):
    result = run("query", folder, "--name", "zone_institutes", "--param", "zone=金湖高新区")
    assert result.exit_code == 0, result.output
    rows = graph.run("zone_institutes", zone="金湖高新区")
    expected = format_table(["zoneName", "institute", "kind"], [[str(v) for v in r] for r in rows])
    assert result.stdout == expected + "\n"
    as_json = json.loads(
        run("query", folder, "-n", "incubated_companies", "-p", "zone=云溪高新区", "--format", "json").stdout
    )
    assert [r["company"] for r in as_json] == ["远帆科技有限公司"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--name", "nope"], "no query named 'nope' (known: {known})"),
        (["--name", "entity_facts"], "query 'entity_facts' needs the parameter entity (--param entity=…)"),
        (["--name", "zone_institutes", "--param", "zone"], "parameter 'zone' is not NAME=VALUE"),
        (["--name", "zone_institutes", "-p", "x=1"], "query 'zone_institutes' has no parameter 'x' (parameters: zone)"),
        ([], "give SPARQL text or --name NAME"),
        (["ASK {}", "--name", "positions"], "give either SPARQL text or --name NAME, not both"),
        (["ASK {}", "--param", "a=b"], "--param goes with --name"),
    ],
)
def test_cli_named_query_errors(folder, args, message):
    result = run("query", folder, *args)
    assert result.exit_code == 1
    assert result.stderr == "Error: " + message.format(known=", ".join(named_queries())) + "\n"
    assert result.stdout == ""


def page_nodes(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="kg-data">(.*?)</script>', text, re.S).group(1))
    return {n["label"] for n in data["nodes"]}


def test_cli_html_whole_focus_and_classes(folder, graph, tmp_path):
    G = graph.to_networkx()
    result = run("html", folder, "-o", tmp_path / "all.html")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {tmp_path / 'all.html'}: {len(G)} entities.\n"
    assert page_nodes(tmp_path / "all.html") == {d["label"] for _, d in G.nodes(data=True)}

    run("html", folder, "-o", tmp_path / "focus.html", "--focus", "云溪高新区", "--depth", "1")
    (zone,) = [n for n, d in G.nodes(data=True) if d["label"] == "云溪高新区"]
    near = {zone} | set(G.successors(zone)) | set(G.predecessors(zone))
    assert page_nodes(tmp_path / "focus.html") == {G.nodes[n]["label"] for n in near}

    run("html", folder, "-o", tmp_path / "cls.html", "--classes", "Zone,ResearchInstitute")
    assert page_nodes(tmp_path / "cls.html") == {
        d["label"] for _, d in G.nodes(data=True) if d["cls"] in ("Zone", "ResearchInstitute")
    }

    small = run("html", folder, "-o", tmp_path / "small.html", "--max-nodes", "3")
    assert small.stdout == f"Wrote {tmp_path / 'small.html'}: 3 entities (of {len(G)}: the most connected).\n"
    assert 'id="kg-omitted"' in (tmp_path / "small.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--classes", "Zone,Zoen"], "unknown class 'Zoen' (classes: {classes})"),
        (["--focus", "不存在的高新区"], "no entity labelled '不存在的高新区'"),
    ],
)
def test_cli_html_errors(folder, tmp_path, args, message):
    from kg.records import CLASSES

    result = run("html", folder, "-o", tmp_path / "x.html", *args)
    assert result.exit_code == 1
    assert result.stderr == "Error: " + message.format(classes=", ".join(CLASSES)) + "\n"
    assert not (tmp_path / "x.html").exists()
