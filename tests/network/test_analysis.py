"""kg.network.analysis on a graph built from two small articles (tests/sample_articles.py).

Expectations come from the graph itself (its SPARQL answers, its edges) or
from what the articles state, never from a stored result.
"""

from __future__ import annotations

import networkx as nx
import pytest
from sample_articles import write_articles

import kg
from kg.errors import GraphError
from kg.network import analysis


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    return kg.build([write_articles(tmp_path_factory.mktemp("articles"))])


@pytest.fixture(scope="module")
def G(graph):
    return graph.to_networkx()


def test_find_by_label_and_id(G):
    (zone,) = analysis.find(G, "金湖高新区")
    assert G.nodes[zone]["cls"] == "Zone"
    assert analysis.find(G, zone) == [zone]
    assert analysis.find(G, "金湖") == []  # whole labels only


def test_zone_ranking_agrees_with_the_named_queries(graph, G):
    ranking = analysis.zone_ranking(G)
    assert [r["zone"] for r in ranking][:2] == ["金湖高新区", "云溪高新区"]
    for row in ranking:
        institutes = {r["institute"] for r in graph.to_dicts("zone_institutes", zone=row["zone"])}
        companies = {r["company"] for r in graph.to_dicts("incubated_companies", zone=row["zone"])}
        assert row["institutes"] == len(institutes)
        assert row["companies"] == len(companies)
    jinhu = ranking[0]
    assert jinhu["companies"] == 2 and jinhu["institutes"] >= 2  # the article names them
    scores = [r["institutes"] + r["companies"] for r in ranking]
    assert scores == sorted(scores, reverse=True)


def test_path_between_entities_of_two_articles(G):
    steps = analysis.path_between(G, "蓝海科技有限公司", "远帆科技有限公司")
    assert steps, "the two articles share 新能源"
    labels = {d["label"]: n for n, d in G.nodes(data=True)}
    for s, p, o in steps:  # every step is a relation
        assert p in {d["property"] for d in G.get_edge_data(labels[s], labels[o]).values()}
    chain = [steps[0][0] if steps[0][0] == "蓝海科技有限公司" else steps[0][2]]
    for s, _, o in steps:  # consecutive steps touch
        assert chain[-1] in (s, o)
        chain.append(o if chain[-1] == s else s)
    assert chain[-1] == "远帆科技有限公司"
    assert "新能源" in chain
    H = analysis.simple_graph(G)
    ends = analysis.find(G, "蓝海科技有限公司") + analysis.find(G, "远帆科技有限公司")
    assert len(steps) == nx.shortest_path_length(H, *ends)


def test_path_between_unknown_entity_is_an_error(G):
    with pytest.raises(GraphError, match="no entity labelled '不存在公司'"):
        analysis.path_between(G, "不存在公司", "金湖高新区")


def test_communities_partition_the_graph_and_are_stable(G):
    found = analysis.communities(G)
    assert sum(len(c) for c in found) == len(G)
    assert set().union(*found) == set(G)
    assert [len(c) for c in found] == sorted((len(c) for c in found), reverse=True)
    assert analysis.communities(G) == found  # seeded
    of = analysis.community_of(G)
    same = lambda a, b: of[analysis.find(G, a)[0]] == of[analysis.find(G, b)[0]]  # noqa: E731
    assert same("金湖先进材料研究院", "蓝海科技有限公司")
    assert not same("金湖先进材料研究院", "白石智能研究院")


def test_centrality_ranks_by_relations(G):
    top = analysis.centrality(G, classes=["Zone"], top=5)
    degrees = {d["label"]: G.degree(n) for n, d in G.nodes(data=True) if d["cls"] == "Zone"}
    assert [r["entity"] for r in top][0] == max(degrees, key=degrees.get)
    assert {r["class"] for r in top} == {"Zone"}
    between = analysis.centrality(G, kind="betweenness", top=3)
    assert between[0]["score"] >= between[-1]["score"]
    with pytest.raises(GraphError, match="unknown centrality"):
        analysis.centrality(G, kind="pagerankk")


def test_most_connected_keeps_the_best_linked_and_counts_the_rest(G):
    H, left = analysis.most_connected(G, 5)
    assert len(H) == 5
    kept_min = min(G.degree(n) for n in H)
    assert all(G.degree(n) <= kept_min for n in G if n not in H)
    assert left["nodes"] == len(G) - 5
    assert left["edges"] == G.number_of_edges() - H.number_of_edges()
    assert sum(left["classes"].values()) == left["nodes"]
    same, nothing = analysis.most_connected(G, len(G))
    assert same is G and nothing["nodes"] == 0


def test_select_focus_depth_and_classes(G):
    (zone,) = analysis.find(G, "云溪高新区")
    near = analysis.select(G, ["云溪高新区"], depth=1)
    assert set(near) == {zone} | set(G.successors(zone)) | set(G.predecessors(zone))
    zones_and_institutes = analysis.select(G, classes=["Zone", "ResearchInstitute"])
    assert {d["cls"] for _, d in zones_and_institutes.nodes(data=True)} == {"Zone", "ResearchInstitute"}
    both = analysis.select(G, ["蓝海科技有限公司"], depth=2, classes=["Zone", "ResearchInstitute"])
    assert "蓝海科技有限公司" in {d["label"] for _, d in both.nodes(data=True)}  # focus kept
    with pytest.raises(GraphError, match="unknown class 'Zoen'"):
        analysis.select(G, classes=["Zoen"])


def test_quiet(G, capsys):
    analysis.zone_ranking(G)
    analysis.communities(G)
    assert capsys.readouterr() == ("", "")
