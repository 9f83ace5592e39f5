"""An interactive, self-contained HTML page of a knowledge graph.

``write_page(graph, path)`` draws a :class:`networkx.MultiDiGraph` (as made by
``KnowledgeGraph.to_networkx()``) with vis-network (shipped by pyvis): nodes
coloured by class or Louvain community and sized by degree, a search box
that finds an entity by any label and centres on it, filters by class (the
legend) and relation, and a side panel: a node's class, labels, reference
facts and relations; an edge's evidence with article title, date and link.
The page's script and stylesheet are ``kg/page/web/page.js`` and ``page.css``.

Large graphs
    The layout runs a bounded number of iterations, for at most
    ``LAYOUT_BUDGET_MS``, then stops.  Beyond ``max_nodes`` nodes the page draws
    the most connected part (:func:`kg.network.analysis.most_connected`) and says
    what was left out.

Offline
    vis-network's script and stylesheet are inlined from the pyvis package;
    a Content-Security-Policy (``default-src 'none'``) forbids any fetch.
    It allows only the page's two scripts, by their SHA-256: should text
    ever become markup, no script of it (an element, an ``onerror=``) runs.

Escaping
    Text from articles (labels, aliases, sentences, titles, urls, ...) travels
    only as JSON inside ``<script type="application/json">``, with ``<``, ``>``
    and ``&`` written as ``\\u003c``, ``\\u003e`` and ``\\u0026`` so it can never
    close the block; the page's script puts it into the DOM with
    ``textContent`` and makes a link only of an ``http(s)://`` url.  The few
    strings written as HTML (page title, legend, relation names) go through
    :func:`html.escape`.

Deterministic
    Nodes are ordered by IRI and edges by their ends, property and key; the
    ids in the page are ``n0, n1, ...`` and ``e0, e1, ...``; JSON keys are
    sorted; communities come from a seeded Louvain.  The same graph gives the
    same bytes.

>>> import networkx as nx, tempfile, pathlib
>>> g = nx.MultiDiGraph()
>>> g.add_node("kgr:a", label="测试高新区", cls="Zone", aliases=[])
>>> g.add_node("kgr:b", label="测试研究院", cls="ResearchInstitute", aliases=["测试院"])
>>> g.add_edge("kgr:a", "kgr:b", property="hosts", label="承载", evidence=[])
0
>>> out = write_page(g, pathlib.Path(tempfile.mkdtemp()) / "g.html")
>>> "2 个实体，1 条关系" in out.read_text(encoding="utf-8")
True
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from pathlib import Path

from kg.page.assets import _UNKNOWN_COLOUR, CLASS_STYLES, _class_styles, _csp, _json_for_script, _vis_assets, page_asset
from kg.page.fields import EVIDENCE_CHARS, _aliases, _evidence, _facts, _local_name, _text, excerpt  # noqa: F401

__all__ = ["write_page", "render_page", "CLASS_STYLES", "PROPERTY_LABELS", "MAX_NODES"]

# Chinese labels of the core properties, used when an edge has no ``label``.
PROPERTY_LABELS = {
    "hosts": "承载",
    "incubatedBy": "孵化于",
    "establishedBy": "设立方",
    "partOf": "隶属",
    "locatedIn": "位于",
    "focusesOn": "聚焦",
    "worksFor": "任职于",
    "receivedAward": "获得",
    "launched": "发布",
}

#: Default node budget: larger graphs are drawn as their most connected part.
MAX_NODES = 1500
#: The layout stops after this long (ms) even if it has not converged.
LAYOUT_BUDGET_MS = 2000
_TIP_EVIDENCE = 5  # evidence sentences shown in an edge's tooltip
# Community colours (Tableau 20), cycled.
_COMMUNITY_COLOURS = (
    "#1f77b4 #ff7f0e #2ca02c #d62728 #9467bd #8c564b #e377c2 #7f7f7f #bcbd22 "
    "#17becf #aec7e8 #ffbb78 #98df8a #ff9896 #c5b0d5 #c49c94 #f7b6d2 "
    "#c7c7c7 #dbdb8d #9edae5"
).split()


def write_page(
    graph, path: str | Path, *, title: str = "zone-kg", max_nodes: int = MAX_NODES, communities: bool = True
) -> Path:
    """Write an interactive page of ``graph`` to ``path`` and return the path.

    ``graph`` is a networkx (Multi)DiGraph: node attributes ``label``, ``cls``,
    ``aliases``, ``facts`` (reference facts: a dict or (name, value) pairs);
    edge attributes ``property``, ``label``, ``evidence`` (a list of dicts with
    sentence, title, date, url, article, rule, confidence, role; any may be
    missing).  Beyond ``max_nodes`` nodes only the most connected part is
    drawn; ``communities`` adds colouring by Louvain community as an option
    of the page.  The page needs no network.  Parent folders are made.
    """
    text = render_page(graph, title=title, max_nodes=max_nodes, communities=communities)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return path


def render_page(graph, *, title: str = "zone-kg", max_nodes: int = MAX_NODES, communities: bool = True) -> str:
    """The HTML text :func:`write_page` writes."""
    from kg.network.analysis import community_of, most_connected

    total = (graph.number_of_nodes(), graph.number_of_edges())
    graph, omitted = most_connected(graph, max_nodes)
    styles = _class_styles()
    nodes = sorted(graph.nodes, key=lambda n: (str(n), type(n).__name__))
    community = community_of(graph) if communities and len(nodes) else {}

    node_items = []
    class_counts: dict[str, int] = {}
    for i, n in enumerate(nodes):
        attrs = graph.nodes[n]
        cls = _text(attrs.get("cls")) or ""
        zh, colour = styles.get(cls, (cls or "未分类", _UNKNOWN_COLOUR))
        class_counts[cls] = class_counts.get(cls, 0) + 1
        label = _text(attrs.get("label")) or _local_name(str(n))
        degree = graph.degree(n)
        item = {
            "id": f"n{i}",
            "shape": "dot",
            "label": label,
            "color": colour,
            "size": round(min(10 + 5 * math.sqrt(degree), 60), 1),
            "iri": str(n),
            "cls": cls,
            "clsZh": zh,
            "degree": degree,
            "aliases": _aliases(attrs.get("aliases"), label),
            "facts": _facts(attrs.get("facts")),
        }
        if n in community:
            item["community"] = community[n]
        node_items.append(item)

    index = {n: i for i, n in enumerate(nodes)}
    edges = []
    triples = (
        graph.edges(keys=True, data=True)
        if graph.is_multigraph()
        else ((u, v, 0, d) for u, v, d in graph.edges(data=True))
    )
    for u, v, key, attrs in triples:
        prop = _text(attrs.get("property")) or ""
        edges.append((index[u], index[v], prop, str(key), attrs))
    edges.sort(key=lambda e: e[:4])

    # Parallel edges between one pair of nodes are curved apart.
    pair_total = Counter(frozenset(e[:2]) for e in edges)
    pair_seen: Counter = Counter()

    edge_items = []
    relation_counts: dict[str, list] = {}
    for i, (a, b, prop, _, attrs) in enumerate(edges):
        label = _text(attrs.get("label")) or PROPERTY_LABELS.get(prop) or prop
        ends = [
            [node_items[a]["label"], *node_items[a]["aliases"]],
            [node_items[b]["label"], *node_items[b]["aliases"]],
        ]
        item = {
            "id": f"e{i}",
            "from": f"n{a}",
            "to": f"n{b}",
            "arrows": "to",
            "label": label,
            "property": prop,
            "evidence": _evidence(attrs.get("evidence"), ends),
        }
        relation_counts.setdefault(prop, [label, 0])[1] += 1
        pair = frozenset((a, b))
        if pair_total[pair] > 1 and a != b:
            pair_seen[pair] += 1
            item["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.15 * pair_seen[pair], 2)}
        edge_items.append(item)

    n_communities = len(set(community.values()))
    data = {
        "options": _options(len(node_items), len(edge_items)),
        "nodes": node_items,
        "edges": edge_items,
        "tipEvidence": _TIP_EVIDENCE,
        "layoutBudgetMs": LAYOUT_BUDGET_MS,
        "communities": ({"count": n_communities, "colours": _COMMUNITY_COLOURS} if community else None),
    }
    vis_js, vis_css = _vis_assets()
    return _render(
        title=title,
        data=data,
        vis_js=vis_js,
        vis_css=vis_css,
        legend=_legend(class_counts, styles),
        relations=_relations(relation_counts),
        omitted=_omitted(omitted, total, len(node_items), styles),
        n_communities=n_communities,
        n_nodes=len(node_items),
        n_edges=len(edge_items),
    )


# --------------------------------------------------------------------- data


# --------------------------------------------------------------------- page


def _options(n_nodes: int, n_edges: int) -> dict:
    """vis-network options; fewer layout iterations and lighter drawing for large graphs."""
    large = n_nodes + n_edges > 1500
    return {
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 20, "face": "sans-serif", "color": "#222222", "strokeWidth": 3, "strokeColor": "#ffffff"},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "color": {"color": "#9aa5b1", "highlight": "#333333", "hover": "#333333"},
            "font": {"size": 11, "align": "middle", "color": "#555555", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "width": 1.2,
            "smooth": {"enabled": False},
        },  # parallel edges: curvedCW
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 100},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "springLength": 120,
                "springConstant": 0.06,
                "avoidOverlap": 0.4,
            },
            "stabilization": {
                "enabled": True,
                "iterations": 1000 if n_nodes <= 300 else 300,
                "updateInterval": 25,
                "fit": True,
            },
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "multiselect": False,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
        },
    }


def _legend(class_counts: dict[str, int], styles: dict[str, tuple[str, str]]) -> str:
    """The legend: one checkbox (class filter), swatch, name and count per class."""
    known = [c for c in styles if c in class_counts]
    unknown = sorted(c for c in class_counts if c not in styles)
    rows = []
    for cls in known + unknown:
        zh, colour = styles.get(cls, (cls or "未分类", _UNKNOWN_COLOUR))
        c = html.escape(cls)
        rows.append(
            f'<li data-cls="{c}"><label><input type="checkbox" checked data-cls="{c}">'
            f'<span class="swatch" style="background:{colour}"></span>{html.escape(zh)} '
            f'<span class="n">{class_counts[cls]}</span></label></li>'
        )
    return "\n".join(rows)


def _relations(counts: dict[str, list]) -> str:
    """The relation filter: one checkbox per property, in the order of PROPERTY_LABELS."""
    order = list(PROPERTY_LABELS)
    rows = []
    for prop in sorted(counts, key=lambda p: (order.index(p) if p in order else len(order), p)):
        label, n = counts[prop]
        p = html.escape(prop)
        name = html.escape(label) + (f" ({p})" if prop and label != prop else "")
        rows.append(
            f'<li data-prop="{p}"><label><input type="checkbox" checked '
            f'data-prop="{p}">{name} <span class="n">{n}</span></label></li>'
        )
    return "\n".join(rows)


def _omitted(omitted: dict, total: tuple[int, int], shown: int, styles) -> str:
    """A note of what the node budget left out ('' when nothing was)."""
    if not omitted["nodes"]:
        return ""
    by_class = "、".join(f"{styles.get(c, (c or '未分类',))[0]} {n}" for c, n in list(omitted["classes"].items())[:6])
    return (
        f'<p id="kg-omitted" data-nodes="{omitted["nodes"]}" data-edges="{omitted["edges"]}">'
        f"图较大：只画出连接最多的 {shown} 个实体（共 {total[0]} 个）；"
        f"未画出 {omitted['nodes']} 个实体（{html.escape(by_class)}…）和 "
        f"{omitted['edges']} 条关系。用 kg html --focus 或 --classes 查看其余部分。</p>"
    )


def _render(
    *,
    title: str,
    data: dict,
    vis_js: str,
    vis_css: str,
    legend: str,
    relations: str,
    omitted: str,
    n_communities: int,
    n_nodes: int,
    n_edges: int,
) -> str:
    """kg/page/web/page.html with its {{slots}} filled in one pass (no slot text is read twice)."""
    colour = (
        (
            '<select id="kg-colour" aria-label="着色">'
            '<option value="class">按类别着色</option>'
            f'<option value="community">按社区着色（{n_communities} 个社区）</option>'
            "</select>"
        )
        if n_communities
        else ""
    )
    slots = {
        "csp": "{{csp}}",
        "title": html.escape(str(title)),
        "vis_css": vis_css,
        "page_css": page_asset("page.css"),
        "vis_js": vis_js,
        "n_nodes": str(n_nodes),
        "n_edges": str(n_edges),
        "omitted": omitted,
        "colour": colour,
        "legend": legend,
        "relations": relations,
        "data": _json_for_script(data),
        "page_js": page_asset("page.js"),
    }
    page = re.sub(r"\{\{(\w+)\}\}", lambda m: slots[m.group(1)], page_asset("page.html"))
    # the policy comes first in the page and names the scripts after it: filled in last
    return page.replace("{{csp}}", _csp(page), 1)
