"""Network analysis of a knowledge graph with networkx: plain functions.

Every function takes the :class:`networkx.MultiDiGraph` that
``KnowledgeGraph.to_networkx()`` returns (node attributes ``label``, ``cls``,
``aliases``; edge attributes ``property``, ``label``, ``evidence``) and returns
plain Python values, so a notebook can put them into a table or a plot.
Entities are named by their labels in what comes back; nodes are IRIs.

Examples:
    >>> G = example_graph()
    >>> [label(G, n) for n in find(G, "甲高新区")]
    ['甲高新区']
    >>> zone_ranking(G)[0]
    {'zone': '甲高新区', 'institutes': 2, 'companies': 1, 'hosted': 3}
    >>> path_between(G, "甲科技公司", "乙高新区")
    [('甲科技公司', 'incubatedBy', '甲研究院'), ('甲高新区', 'hosts', '甲研究院'), ('甲高新区', 'focusesOn', '新能源'), ('乙高新区', 'focusesOn', '新能源')]
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from kg.errors import GraphError

__all__ = [
    "example_graph",
    "label",
    "find",
    "simple_graph",
    "centrality",
    "communities",
    "community_of",
    "path_between",
    "zone_ranking",
    "most_connected",
    "neighbourhood",
    "only_classes",
    "select",
]

INSTITUTE_CLASSES = ("ResearchInstitute", "University")


def example_graph() -> nx.MultiDiGraph:
    """A small graph shaped like ``KnowledgeGraph.to_networkx()``'s, for examples.

    Examples:
        >>> G = example_graph()
        >>> G.number_of_nodes(), G.number_of_edges()
        (8, 7)
    """
    G = nx.MultiDiGraph()
    for iri, name, cls, aliases in [
        ("z1", "甲高新区", "Zone", ["甲高新技术产业开发区"]),
        ("z2", "乙高新区", "Zone", []),
        ("i1", "甲研究院", "ResearchInstitute", []),
        ("i2", "乙研究所", "ResearchInstitute", []),
        ("c1", "甲科技公司", "Company", ["甲科技"]),
        ("c2", "丙公司", "Company", []),
        ("n1", "新能源", "Industry", []),
        ("p1", "张三", "Person", []),
    ]:
        G.add_node("kgr:" + iri, label=name, cls=cls, aliases=aliases)
    for s, p, o in [
        ("z1", "hosts", "i1"),
        ("z1", "hosts", "i2"),
        ("z1", "hosts", "c2"),
        ("c1", "incubatedBy", "i1"),
        ("z1", "focusesOn", "n1"),
        ("z2", "focusesOn", "n1"),
        ("p1", "worksFor", "i2"),
    ]:
        G.add_edge("kgr:" + s, "kgr:" + o, key=p, property=p, evidence=[])
    return G


def label(G: nx.Graph, node) -> str:
    """The label of ``node`` (its id when it has none).

    Examples:
        >>> label(example_graph(), "kgr:z1")
        '甲高新区'
    """
    return G.nodes[node].get("label") or str(node)


def find(G: nx.Graph, name: str) -> list:
    """Nodes whose label, any alias or id is exactly ``name``, sorted.

    Examples:
        >>> find(example_graph(), "甲高新技术产业开发区")
        ['kgr:z1']
        >>> find(example_graph(), "不存在")
        []
    """
    return sorted(
        n for n, d in G.nodes(data=True) if name == str(n) or name == d.get("label") or name in (d.get("aliases") or ())
    )


def _one(G: nx.Graph, name: str):
    found = find(G, name)
    if not found:
        raise GraphError(f"no entity labelled {name!r}")
    return found[0]


def simple_graph(G: nx.Graph) -> nx.Graph:
    """An undirected simple graph of ``G``: one edge per linked pair, ``weight`` = relations.

    Examples:
        >>> H = simple_graph(example_graph())
        >>> H.number_of_edges(), H["kgr:z1"]["kgr:i1"]["weight"]
        (7, 1)
    """
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v in G.edges():
        if u != v:
            w = H.get_edge_data(u, v, {}).get("weight", 0)
            H.add_edge(u, v, weight=w + 1)
    return H


def centrality(G: nx.Graph, classes=None, kind: str = "degree", top: int = 10) -> list[dict]:
    """The ``top`` entities of ``classes`` (all when None) by ``kind`` centrality.

    ``kind`` is ``degree`` (share of other entities linked) or ``betweenness``
    (share of shortest paths through the entity), computed on the whole graph.

    Examples:
        >>> [(r["entity"], r["score"]) for r in centrality(example_graph(), ["Zone"], top=2)]
        [('甲高新区', 0.571), ('乙高新区', 0.143)]
    """
    H = simple_graph(G)
    if kind == "degree":
        scores = nx.degree_centrality(H)
    elif kind == "betweenness":
        scores = nx.betweenness_centrality(H)
    else:
        raise GraphError(f"unknown centrality {kind!r} (known: degree, betweenness)")
    rows = [
        {"entity": label(G, n), "class": G.nodes[n].get("cls", ""), "score": round(s, 3), "relations": G.degree(n)}
        for n, s in scores.items()
        if classes is None or G.nodes[n].get("cls") in classes
    ]
    rows.sort(key=lambda r: (-r["score"], -r["relations"], r["entity"]))
    return rows[:top]


def communities(G: nx.Graph, seed: int = 1, resolution: float = 1.0) -> list[set]:
    """Louvain communities of the undirected graph, largest first (fixed seed: same result).

    Examples:
        >>> G = example_graph()
        >>> [sorted(label(G, n) for n in c) for c in communities(G)]
        [['甲研究院', '甲科技公司'], ['丙公司', '甲高新区'], ['乙研究所', '张三'], ['乙高新区', '新能源']]
    """
    H = simple_graph(G)
    found = nx.community.louvain_communities(H, weight="weight", seed=seed, resolution=resolution)
    return sorted(found, key=lambda c: (-len(c), min(map(str, c))))


def community_of(G: nx.Graph, seed: int = 1) -> dict:
    """node -> index of its community in :func:`communities` (0 = the largest).

    Examples:
        >>> c = community_of(example_graph())
        >>> c["kgr:p1"] == c["kgr:i2"], c["kgr:p1"] == c["kgr:z2"], len(set(c.values()))
        (True, False, 4)
    """
    return {n: i for i, c in enumerate(communities(G, seed=seed)) for n in c}


def path_between(G: nx.Graph, a: str, b: str) -> list[tuple[str, str, str]]:
    """A shortest chain of relations linking entities ``a`` and ``b`` (labels or ids),
    each step as (subject, property, object) in its own direction; [] when none.

    Examples:
        >>> path_between(example_graph(), "张三", "甲高新区")
        [('张三', 'worksFor', '乙研究所'), ('甲高新区', 'hosts', '乙研究所')]
    """
    s, t = _one(G, a), _one(G, b)
    try:
        nodes = nx.shortest_path(simple_graph(G), s, t)
    except nx.NetworkXNoPath:
        return []
    steps = []
    for u, v in zip(nodes, nodes[1:]):
        if G.has_edge(u, v):
            p = min(d.get("property", "") for d in G.get_edge_data(u, v).values())
            steps.append((label(G, u), p, label(G, v)))
        else:
            p = min(d.get("property", "") for d in G.get_edge_data(v, u).values())
            steps.append((label(G, v), p, label(G, u)))
    return steps


def _objects(G: nx.MultiDiGraph, node, prop: str) -> set:
    return {v for _, v, d in G.out_edges(node, data=True) if d.get("property") == prop}


def zone_ranking(G: nx.MultiDiGraph) -> list[dict]:
    """Zones by the institutes they host and the companies incubated there.

    ``institutes``: research institutes and universities the zone hosts;
    ``companies``: companies incubated (kg:incubatedBy) by the zone or by
    anything it hosts; ``hosted``: everything it hosts.  Best first.

    Examples:
        >>> [(r["zone"], r["institutes"], r["companies"]) for r in zone_ranking(example_graph())]
        [('甲高新区', 2, 1), ('乙高新区', 0, 0)]
    """
    rows = []
    for z, d in G.nodes(data=True):
        if d.get("cls") != "Zone":
            continue
        hosted = _objects(G, z, "hosts")
        institutes = {n for n in hosted if G.nodes[n].get("cls") in INSTITUTE_CLASSES}
        incubators = hosted | {z}
        companies = {
            u
            for u, v, e in G.in_edges(incubators, data=True)
            if e.get("property") == "incubatedBy" and G.nodes[u].get("cls") == "Company"
        }
        rows.append(
            {
                "zone": d.get("label") or str(z),
                "institutes": len(institutes),
                "companies": len(companies),
                "hosted": len(hosted),
            }
        )
    rows.sort(key=lambda r: (-r["institutes"] - r["companies"], -r["hosted"], r["zone"]))
    return rows


def most_connected(G: nx.Graph, max_nodes: int) -> tuple[nx.Graph, dict]:
    """The ``max_nodes`` most connected entities and the relations among them,
    and what was left out: ``{"nodes": n, "edges": m, "classes": {cls: n}}``.

    Nodes are ranked by degree (ties: by id), so the same graph always gives
    the same part.

    Examples:
        >>> H, left = most_connected(example_graph(), 3)
        >>> sorted(label(H, n) for n in H), left["nodes"], left["edges"]
        (['乙研究所', '甲研究院', '甲高新区'], 5, 5)
    """
    if max_nodes < 0:
        raise GraphError(f"the node budget must be 0 or more, not {max_nodes}")
    if G.number_of_nodes() <= max_nodes:
        return G, {"nodes": 0, "edges": 0, "classes": {}}
    ranked = sorted(G.nodes, key=lambda n: (-G.degree(n), str(n)))
    H = G.subgraph(ranked[:max_nodes]).copy()
    left = ranked[max_nodes:]
    classes = Counter(G.nodes[n].get("cls") or "" for n in left)
    return H, {
        "nodes": len(left),
        "edges": G.number_of_edges() - H.number_of_edges(),
        "classes": dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def neighbourhood(G: nx.Graph, names, depth: int = 1) -> nx.Graph:
    """The entities within ``depth`` relations (either direction) of ``names``.

    Examples:
        >>> H = neighbourhood(example_graph(), ["张三"], depth=2)
        >>> sorted(label(H, n) for n in H)
        ['乙研究所', '张三', '甲高新区']
    """
    if depth < 0:
        raise GraphError(f"the depth must be 0 or more, not {depth}")
    if isinstance(names, str):
        names = [names]
    starts = set()
    for name in names:
        starts.update(find(G, name) or [_one(G, name)])
    H = simple_graph(G)
    keep = set()
    for s in starts:
        keep.update(nx.single_source_shortest_path_length(H, s, cutoff=depth))
    return G.subgraph(keep).copy()


def only_classes(G: nx.Graph, classes, keep=()) -> nx.Graph:
    """The entities of ``classes`` (and the nodes in ``keep``) with the relations among them.

    Examples:
        >>> H = only_classes(example_graph(), ["Zone", "ResearchInstitute"])
        >>> sorted(label(H, n) for n in H), H.number_of_edges()
        (['乙研究所', '乙高新区', '甲研究院', '甲高新区'], 2)
    """
    classes = set(classes)
    keep = set(keep)
    return G.subgraph(n for n, d in G.nodes(data=True) if d.get("cls") in classes or n in keep).copy()


def select(G: nx.Graph, focus=(), depth: int = 1, classes=None) -> nx.Graph:
    """The part of ``G`` a page draws (``kg html``): only entities of ``classes``
    (None: all; the ``focus`` entities stay), then those within ``depth`` of
    ``focus`` (none given: all).

    Examples:
        >>> H = select(example_graph(), ["甲高新区"], 1, ["Zone", "ResearchInstitute"])
        >>> sorted(label(H, n) for n in H)
        ['乙研究所', '甲研究院', '甲高新区']
        >>> select(example_graph(), classes=["Zoen"])
        Traceback (most recent call last):
        ...
        kg.errors.GraphError: unknown class 'Zoen' (classes: Zone, Park, ResearchInstitute, University, Company, GovernmentBody, Association, Platform, Incubator, Person, Industry, AdminRegion, Award, Program, Event)
    """
    from kg.records import CLASSES

    if classes is not None:
        unknown = [c for c in classes if c not in CLASSES]
        if unknown:
            raise GraphError(f"unknown class {unknown[0]!r} (classes: {', '.join(CLASSES)})")
        G = only_classes(G, classes, keep=[n for f in focus for n in find(G, f)])
    return neighbourhood(G, list(focus), depth) if focus else G
