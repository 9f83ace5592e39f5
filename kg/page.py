"""An interactive, self-contained HTML page of a knowledge graph.

``write_page(graph, path)`` draws a :class:`networkx.MultiDiGraph` (as made by
``KnowledgeGraph.to_networkx()``) with vis-network, the drawing library that
pyvis ships: nodes coloured by class with a legend, sized by degree, directed
edges labelled in Chinese, tooltips with aliases and evidence sentences, and a
side panel that shows the full evidence (with links) of what was clicked.

Offline
    The vis-network script and stylesheet are read from the installed pyvis
    package and inlined; nothing else is referenced.  pyvis's own page template
    is not used: it always loads bootstrap from a CDN and puts its heading in
    unescaped.  A Content-Security-Policy (``default-src 'none'``) in the page
    also forbids the browser to fetch anything.

Escaping
    Text from articles (labels, aliases, sentences, titles, urls, ...) travels
    only as JSON inside ``<script type="application/json">``, with ``<``, ``>``
    and ``&`` written as ``\\u003c``, ``\\u003e`` and ``\\u0026`` so it can never
    close the block; the page's script puts it into the DOM with
    ``textContent`` (tooltips are DOM elements, not HTML strings) and makes a
    link only of an ``http(s)://`` url.  The few strings written as HTML (page
    title, legend) go through :func:`html.escape`.

Deterministic
    Nodes are ordered by IRI and edges by their ends, property and key; the
    ids in the page are ``n0, n1, ...`` and ``e0, e1, ...``; JSON keys are
    sorted.  The same graph gives the same bytes.

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
import json
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["write_page", "CLASS_STYLES", "PROPERTY_LABELS"]

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

CLASS_STYLES = "classes.tsv"       # in kg/data: cls, Chinese name, colour
_UNKNOWN_COLOUR = "#b0b0b0"
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_EVIDENCE_TEXT = ("sentence", "title", "date", "url", "article", "rule", "role")
_TIP_EVIDENCE = 5                  # evidence sentences shown in an edge's tooltip


def write_page(graph, path: str | Path, *, title: str = "zone-kg") -> Path:
    """Write an interactive page of ``graph`` to ``path`` and return the path.

    ``graph`` is a networkx (Multi)DiGraph: node attributes ``label``, ``cls``,
    ``aliases``; edge attributes ``property``, ``label``, ``evidence`` (a list
    of dicts with sentence, title, date, url, article, rule, confidence, role;
    any may be missing).  The page needs no network.  Parent folders are made.
    """
    from pyvis.edge import Edge
    from pyvis.node import Node

    styles = _class_styles()
    nodes = sorted(graph.nodes, key=lambda n: (str(n), type(n).__name__))

    node_items = []
    class_counts: dict[str, int] = {}
    for i, n in enumerate(nodes):
        attrs = graph.nodes[n]
        cls = _text(attrs.get("cls")) or ""
        zh, colour = styles.get(cls, (cls or "未分类", _UNKNOWN_COLOUR))
        class_counts[cls] = class_counts.get(cls, 0) + 1
        label = _text(attrs.get("label")) or _local_name(str(n))
        degree = graph.degree(n)
        item = Node(f"n{i}", "dot", label=label, color=colour,
                    size=round(min(10 + 5 * math.sqrt(degree), 60), 1)).options
        item.update(iri=str(n), cls=cls, clsZh=zh, degree=degree,
                    aliases=_aliases(attrs.get("aliases"), label))
        node_items.append(item)

    index = {n: i for i, n in enumerate(nodes)}
    edges = []
    triples = (graph.edges(keys=True, data=True) if graph.is_multigraph()
               else ((u, v, 0, d) for u, v, d in graph.edges(data=True)))
    for u, v, key, attrs in triples:
        prop = _text(attrs.get("property")) or ""
        edges.append((index[u], index[v], prop, str(key), attrs))
    edges.sort(key=lambda e: e[:4])

    # Parallel edges between one pair of nodes are curved apart.
    pair_total = Counter(frozenset(e[:2]) for e in edges)
    pair_seen: Counter = Counter()

    edge_items = []
    for i, (a, b, prop, _, attrs) in enumerate(edges):
        label = _text(attrs.get("label")) or PROPERTY_LABELS.get(prop) or prop
        item = Edge(f"n{a}", f"n{b}", directed=True, id=f"e{i}", label=label).options
        item.update(property=prop, evidence=_evidence(attrs.get("evidence")))
        pair = frozenset((a, b))
        if pair_total[pair] > 1 and a != b:
            pair_seen[pair] += 1
            item["smooth"] = {"enabled": True, "type": "curvedCW",
                              "roundness": round(0.15 * pair_seen[pair], 2)}
        edge_items.append(item)

    data = {"options": _OPTIONS, "nodes": node_items, "edges": edge_items}
    vis_js, vis_css = _vis_assets()
    html_text = _render(title=title, data=data, vis_js=vis_js, vis_css=vis_css,
                        legend=_legend(class_counts, styles),
                        n_nodes=len(node_items), n_edges=len(edge_items))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(html_text)
    return path


# --------------------------------------------------------------------- data

def _text(value: Any) -> str | None:
    """A value from the graph as text for the page (None when absent)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if hasattr(value, "isoformat"):          # date / datetime
        return value.isoformat()
    return str(value)


def _local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri


def _aliases(value: Any, label: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    elif isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)
    out: list[str] = []
    for a in value:
        a = _text(a)
        if a and a != label and a not in out:
            out.append(a)
    return out


def _evidence(value: Any) -> list[dict]:
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]
    out = []
    for ev in value:
        if not isinstance(ev, dict):
            ev = {"sentence": ev}
        item: dict[str, Any] = {}
        for k in _EVIDENCE_TEXT:
            t = _text(ev.get(k))
            if t:
                item[k] = t
        c = ev.get("confidence")
        if isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c):
            item["confidence"] = round(float(c), 4)
        elif c is not None and not isinstance(c, (int, float)):
            item["confidence"] = _text(c)
        out.append(item)
    return out


@lru_cache(maxsize=1)
def _class_styles() -> dict[str, tuple[str, str]]:
    """cls -> (Chinese name, colour), in the order of kg/data/classes.tsv."""
    from importlib.resources import files

    from kg.errors import DataFileError

    resource = files("kg") / "data" / CLASS_STYLES
    styles: dict[str, tuple[str, str]] = {}
    for no, line in enumerate(resource.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if cols[0] == "cls":
            continue                      # header
        if len(cols) != 3 or not _COLOUR.fullmatch(cols[2].strip()):
            raise DataFileError(resource, no, "expected: class<TAB>中文名<TAB>#rrggbb")
        styles[cols[0].strip()] = (cols[1].strip(), cols[2].strip().lower())
    return styles


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's minified script and stylesheet from the pyvis package."""
    import pyvis

    from kg.errors import KGError

    root = Path(pyvis.__file__).parent
    found = []
    for lib in (root / "templates" / "lib", root / "lib"):
        for d in lib.glob("vis-*"):
            js, css = d / "vis-network.min.js", d / "vis-network.css"
            version = tuple(int(x) for x in re.findall(r"\d+", d.name))
            if js.is_file() and css.is_file():
                found.append((version, js, css))
    if not found:
        raise KGError(f"vis-network is missing from the pyvis package at {root}")
    _, js, css = max(found, key=lambda f: f[0])
    js_text = js.read_text(encoding="utf-8")
    css_text = css.read_text(encoding="utf-8")
    # No source-map fetch, and nothing that could end the inline element early.
    js_text = re.sub(r"^//# sourceMappingURL=.*$", "", js_text, flags=re.M)
    js_text = re.sub(r"</(script)", r"<\\/\1", js_text, flags=re.I)
    css_text = re.sub(r"</(style)", r"<\\/\1", css_text, flags=re.I)
    return js_text.strip(), css_text.strip()


def _json_for_script(obj: Any) -> str:
    """JSON that is safe verbatim inside a <script> element."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, allow_nan=False,
                      separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# --------------------------------------------------------------------- page

_OPTIONS = {
    "nodes": {"shape": "dot", "borderWidth": 1,
              "font": {"size": 14, "face": "sans-serif", "color": "#222222"}},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
              "color": {"color": "#9aa5b1", "highlight": "#333333", "hover": "#333333"},
              "font": {"size": 11, "align": "middle", "color": "#555555",
                       "strokeWidth": 3, "strokeColor": "#ffffff"},
              "width": 1.2, "smooth": {"enabled": False}},   # parallel edges: curvedCW
    "physics": {"enabled": True, "solver": "forceAtlas2Based",
                "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120,
                                     "springConstant": 0.06, "avoidOverlap": 0.4},
                "stabilization": {"enabled": True, "iterations": 1000,
                                  "updateInterval": 25, "fit": True}},
    "interaction": {"hover": True, "tooltipDelay": 150, "multiselect": False},
}

_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; base-uri 'none'; form-action 'none'")

_PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; color: #222; }
#kg-header { padding: 8px 16px; border-bottom: 1px solid #ddd; display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
#kg-header h1 { font-size: 20px; margin: 0; }
#kg-count { margin: 0; color: #555; }
#kg-status { color: #888; font-size: 13px; }
#kg-search { padding: 3px 6px; min-width: 14em; }
#kg-main { display: flex; height: calc(100% - 50px); }
#kg-network { flex: 1; min-width: 0; height: 100%; }
#kg-side { width: 320px; border-left: 1px solid #ddd; overflow-y: auto; padding: 8px 12px; font-size: 13px; }
#kg-side h2 { font-size: 15px; margin: 8px 0; }
#kg-legend { list-style: none; padding: 0; margin: 0; }
#kg-legend li { margin: 3px 0; }
#kg-legend .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 6px; margin-right: 6px; vertical-align: middle; border: 1px solid #888; }
#kg-legend .n { color: #888; }
div.vis-tooltip { white-space: normal; max-width: 420px; font-family: inherit; font-size: 13px; }
.tip-head { font-weight: bold; margin-bottom: 4px; }
.kv .k { color: #777; margin-right: 6px; }
.ev { border-top: 1px dashed #ccc; padding-top: 4px; margin-top: 4px; }
.ev-src { color: #555; }
.url { color: #36c; word-break: break-all; }
.muted { color: #888; }
"""

# The page's own script.  It never assigns innerHTML: text reaches the DOM via textContent.
_PAGE_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var nodeById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function kv(parent, key, value) {
    if (value === undefined || value === null || value === "") { return; }
    var row = el("div", "kv");
    row.appendChild(el("span", "k", key));
    row.appendChild(el("span", "v", value));
    parent.appendChild(row);
  }
  function urlElement(url, link) {
    if (link && /^https?:\/\//i.test(url)) {
      var a = el("a", "url", url);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      var wrap = el("div");
      wrap.appendChild(a);
      return wrap;
    }
    return el("div", "url", url);
  }
  function nodeBox(n, full) {
    var box = el("div", "tip");
    box.appendChild(el("div", "tip-head", n.label));
    kv(box, "类别", n.cls && n.cls !== n.clsZh ? n.clsZh + "（" + n.cls + "）" : n.clsZh);
    kv(box, "别名", n.aliases.join("、"));
    kv(box, "关系", String(n.degree));
    if (full) {
      kv(box, "IRI", n.iri);
      data.edges.forEach(function (e) {
        if (e.from === n.id) { kv(box, "→", e.label + " " + nodeById[e.to].label); }
        if (e.to === n.id && e.from !== n.id) { kv(box, "←", nodeById[e.from].label + " " + e.label); }
      });
    }
    return box;
  }
  function evidenceBox(ev, full) {
    var box = el("div", "ev");
    if (ev.sentence) { box.appendChild(el("div", "ev-s", ev.sentence)); }
    var source = [];
    if (ev.title) { source.push("《" + ev.title + "》"); }
    if (ev.date) { source.push(ev.date); }
    if (source.length) { box.appendChild(el("div", "ev-src", source.join(" "))); }
    if (ev.url) { box.appendChild(urlElement(ev.url, full)); }
    if (full) {
      kv(box, "文章", ev.article);
      kv(box, "规则", ev.rule);
      kv(box, "置信度", ev.confidence);
      kv(box, "角色", ev.role);
    }
    return box;
  }
  function edgeBox(e, full) {
    var box = el("div", "tip");
    box.appendChild(el("div", "tip-head",
      nodeById[e.from].label + " —" + e.label + "→ " + nodeById[e.to].label));
    var shown = full ? e.evidence.length : Math.min(e.evidence.length, __TIP_EVIDENCE__);
    if (!e.evidence.length) { box.appendChild(el("div", "muted", "（无证据句）")); }
    for (var i = 0; i < shown; i++) { box.appendChild(evidenceBox(e.evidence[i], full)); }
    if (shown < e.evidence.length) {
      box.appendChild(el("div", "muted",
        "另有 " + (e.evidence.length - shown) + " 条证据，点击关系查看全部"));
    }
    return box;
  }

  data.nodes.forEach(function (n) { n.title = nodeBox(n, false); });
  data.edges.forEach(function (e) { e.title = edgeBox(e, false); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("kg-network"),
                                {nodes: nodes, edges: edges}, data.options);

  var status = document.getElementById("kg-status");
  network.on("stabilizationProgress", function (p) {
    status.textContent = "布局计算中 " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: {enabled: false}});
    status.textContent = "";
  });

  var details = document.getElementById("kg-details");
  function show(box) {
    while (details.firstChild) { details.removeChild(details.firstChild); }
    details.appendChild(box);
  }
  var hint = details.firstChild ? details.firstChild.cloneNode(true) : el("div");
  network.on("click", function (params) {
    if (params.nodes.length) { show(nodeBox(nodeById[params.nodes[0]], true)); }
    else if (params.edges.length) { show(edgeBox(edges.get(params.edges[0]), true)); }
    else { show(hint.cloneNode(true)); }
  });

  var search = document.getElementById("kg-search");
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") { return; }
    var q = search.value.trim();
    if (!q) { network.unselectAll(); return; }
    var hits = data.nodes.filter(function (n) {
      return n.label.indexOf(q) >= 0 || n.aliases.some(function (a) { return a.indexOf(q) >= 0; });
    }).map(function (n) { return n.id; });
    network.selectNodes(hits);
    status.textContent = hits.length ? "找到 " + hits.length + " 个实体" : "未找到";
    if (hits.length === 1) {
      network.focus(hits[0], {scale: 1.2, animation: true});
      show(nodeBox(nodeById[hits[0]], true));
    } else if (hits.length) {
      network.fit({nodes: hits, animation: true});
    }
  });
})();
""".replace("__TIP_EVIDENCE__", str(_TIP_EVIDENCE))


def _legend(class_counts: dict[str, int], styles: dict[str, tuple[str, str]]) -> str:
    known = [c for c in styles if c in class_counts]
    unknown = sorted(c for c in class_counts if c not in styles)
    rows = []
    for cls in known + unknown:
        zh, colour = styles.get(cls, (cls or "未分类", _UNKNOWN_COLOUR))
        rows.append(
            f'<li data-cls="{html.escape(cls)}"><span class="swatch" '
            f'style="background:{colour}"></span>{html.escape(zh)} '
            f'<span class="n">{class_counts[cls]}</span></li>')
    return "\n".join(rows)


def _render(*, title: str, data: dict, vis_js: str, vis_css: str, legend: str,
            n_nodes: int, n_edges: int) -> str:
    t = html.escape(str(title))
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{t}</title>",
        f'<style id="vis-network-css">\n{vis_css}\n</style>',
        f"<style>{_PAGE_CSS}</style>",
        f'<script id="vis-network-js">\n{vis_js}\n</script>',
        "</head>",
        "<body>",
        '<div id="kg-header">',
        f"<h1>{t}</h1>",
        f'<p id="kg-count" data-entities="{n_nodes}" data-relations="{n_edges}">'
        f"{n_nodes} 个实体，{n_edges} 条关系</p>",
        '<input id="kg-search" type="search" placeholder="查找实体（回车）" aria-label="查找实体">',
        '<span id="kg-status"></span>',
        "</div>",
        '<div id="kg-main">',
        '<div id="kg-network"></div>',
        '<div id="kg-side">',
        "<h2>图例</h2>",
        f'<ul id="kg-legend">\n{legend}\n</ul>',
        "<h2>详情</h2>",
        '<div id="kg-details"><div class="muted">点击实体或关系查看详情与证据。</div></div>',
        "</div>",
        "</div>",
        f'<script type="application/json" id="kg-data">{_json_for_script(data)}</script>',
        f"<script>{_PAGE_JS}</script>",
        "</body>",
        "</html>",
        "",
    ])
