"""kg.page.render.write_page: a self-contained, escaped, deterministic HTML page."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from kg.page.render import PROPERTY_LABELS, page_asset, write_page

KGR = "https://w3id.org/zone-kg/resource/"
XSS_LABEL = "<script>alert(1)</script>测试公司"
XSS_ALIAS = '"><img src=x onerror=alert(1)>'
XSS_SENTENCE = "测试</script><script>alert(2)</script>句子"
XSS_TITLE = "<b>标题</b>&amp;<!--"
XSS_PAGE_TITLE = "</title><script>alert(4)</script>图谱"
XSS_CLASS = '"><svg onload=alert(5)>'


def small_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node(KGR + "zone1", label="测试高新区", cls="Zone", aliases=["测试高新技术产业开发区"])
    g.add_node(KGR + "inst1", label="测试研究院", cls="ResearchInstitute", aliases=[])
    g.add_node(KGR + "co1", label="测试科技有限公司", cls="Company", aliases=["测试科技"])
    g.add_node(KGR + "ind1", label="新能源", cls="Industry", aliases=[])
    ev = {
        "sentence": "测试研究院位于测试高新区。",
        "title": "测试高新区新闻",
        "date": "2024-05-01",
        "url": "https://news.example.cn/a/1?x=1&y=2",
        "article": KGR + "article/a1",
        "rule": "hosts-located",
        "confidence": 0.9,
        "role": None,
    }
    g.add_edge(KGR + "zone1", KGR + "inst1", property="hosts", label="承载", evidence=[ev])
    g.add_edge(
        KGR + "co1",
        KGR + "inst1",
        property="incubatedBy",
        label="孵化于",
        evidence=[{"sentence": "测试科技由测试研究院孵化。"}],
    )
    # a second, parallel relation between the same pair, without a label: the page's table names it
    g.add_edge(KGR + "co1", KGR + "inst1", property="establishedBy", evidence=[])
    g.add_edge(KGR + "zone1", KGR + "ind1", property="focusesOn", label="聚焦")
    return g


def hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node(KGR + "x", label=XSS_LABEL, cls="Company", aliases=[XSS_ALIAS, "</script>"])
    g.add_node(KGR + "y", label="测试研究院", cls=XSS_CLASS, aliases=[])
    g.add_edge(
        KGR + "x",
        KGR + "y",
        property="incubatedBy",
        label="<i>孵化于</i>",
        evidence=[
            {
                "sentence": XSS_SENTENCE,
                "title": XSS_TITLE,
                "date": "2024-01-01",
                "url": "javascript:alert(3)//\u2028</script>",
            }
        ],
    )
    return g


def page_data(text: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S)
    assert m, "embedded data block not found"
    return json.loads(m.group(1))


def without_blocks(text: str, *ids: str) -> str:
    for i in ids:
        text, n = re.subn(rf'<(script|style)[^>]*id="{i}"[^>]*>.*?</\1>', "", text, flags=re.S)
        assert n == 1, i
    return text


class Tags(HTMLParser):
    """Every start tag and its attributes, as a browser's tokenizer would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if not self._in or self._in[-1] not in ("script", "style"):
            self.text.append(data)


def parse(text: str) -> Tags:
    p = Tags()
    p.feed(text)
    p.close()
    return p


def legend(text: str) -> list[tuple[str, str]]:
    ul = re.search(r'<ul id="kg-legend">(.*?)</ul>', text, re.S).group(1)
    return re.findall(r'<li data-cls="([^"]*)">.*?</span>([^<]*?) <span class="n">', ul, re.S)


PAGE_JS = page_asset("page.js")


# ------------------------------------------------------------------ basics


def test_writes_page_with_title_and_counts(tmp_path):
    out = write_page(small_graph(), tmp_path / "sub" / "graph.html", title="测试图谱")
    assert out == tmp_path / "sub" / "graph.html" and out.is_file()
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<title>测试图谱</title>" in text and "<h1>测试图谱</h1>" in text
    assert re.search(r'<p id="kg-count"[^>]*>4 个实体，4 条关系</p>', text)


def test_accepts_str_path_and_default_title(tmp_path):
    out = write_page(small_graph(), str(tmp_path / "g.html"))
    assert isinstance(out, Path)
    assert "<h1>zone-kg</h1>" in out.read_text(encoding="utf-8")


def test_every_node_and_edge_once(tmp_path):
    g = small_graph()
    data = page_data(write_page(g, tmp_path / "g.html").read_text(encoding="utf-8"))
    labels = Counter(n["label"] for n in data["nodes"])
    assert labels == Counter(d["label"] for _, d in g.nodes(data=True))
    assert all(c == 1 for c in labels.values())
    assert {n["iri"] for n in data["nodes"]} == set(g.nodes)
    by_id = {n["id"]: n for n in data["nodes"]}
    assert len({n["id"] for n in data["nodes"]}) == len(data["nodes"])
    drawn = Counter((by_id[e["from"]]["iri"], by_id[e["to"]]["iri"], e["property"], e["label"]) for e in data["edges"])
    expected = Counter(
        (u, v, d["property"], d.get("label") or PROPERTY_LABELS[d["property"]]) for u, v, d in g.edges(data=True)
    )
    assert drawn == expected
    assert ("establishedBy", "设立方") in {(e["property"], e["label"]) for e in data["edges"]}
    assert all(e["arrows"] == "to" for e in data["edges"])
    assert len({e["id"] for e in data["edges"]}) == len(data["edges"])


def test_parallel_edges_are_curved_apart(tmp_path):
    data = page_data(write_page(small_graph(), tmp_path / "g.html").read_text(encoding="utf-8"))
    pair = [e for e in data["edges"] if e["property"] in ("incubatedBy", "establishedBy")]
    assert len(pair) == 2
    assert all(e["smooth"]["enabled"] for e in pair)
    assert pair[0]["smooth"]["roundness"] != pair[1]["smooth"]["roundness"]
    assert "smooth" not in next(e for e in data["edges"] if e["property"] == "hosts")


def test_colour_by_class_and_size_by_degree(tmp_path):
    data = page_data(write_page(small_graph(), tmp_path / "g.html").read_text(encoding="utf-8"))
    by_label = {n["label"]: n for n in data["nodes"]}
    inst, zone, industry = by_label["测试研究院"], by_label["测试高新区"], by_label["新能源"]
    assert inst["degree"] == 3 and industry["degree"] == 1
    assert inst["size"] > zone["size"] > industry["size"]
    assert len({n["color"] for n in data["nodes"]}) == 4  # four classes, four colours
    assert all(re.fullmatch(r"#[0-9a-f]{6}", n["color"]) for n in data["nodes"])
    assert (zone["cls"], zone["clsZh"]) == ("Zone", "高新区")


def test_legend_lists_classes_present(tmp_path):
    g = small_graph()
    g.add_node(KGR + "odd", label="测试奇物", cls="Gadget", aliases=[])
    text = write_page(g, tmp_path / "g.html").read_text(encoding="utf-8")
    rows = legend(text)
    assert [c for c, _ in rows] == ["Zone", "ResearchInstitute", "Company", "Industry", "Gadget"]
    assert dict(rows)["ResearchInstitute"] == "研究机构" and dict(rows)["Gadget"] == "Gadget"
    assert "人物" not in re.search(r'<ul id="kg-legend">(.*?)</ul>', text, re.S).group(1)
    colours = {n["cls"]: n["color"] for n in page_data(text)["nodes"]}
    for cls, _ in rows:  # the legend's swatch is the nodes' colour
        assert re.search(rf'data-cls="{cls}"><span class="swatch" style="background:{colours[cls]}"', text)


def test_tooltip_data(tmp_path):
    g = small_graph()
    g.add_edge(
        KGR + "zone1",
        KGR + "co1",
        property="hosts",
        evidence=[
            {"sentence": "日期是对象。", "date": datetime.date(2024, 3, 2), "confidence": float("nan")},
            {"title": "只有标题"},
        ],
    )
    data = page_data(write_page(g, tmp_path / "g.html").read_text(encoding="utf-8"))
    by_label = {n["label"]: n for n in data["nodes"]}
    assert by_label["测试科技有限公司"]["aliases"] == ["测试科技"]
    assert by_label["测试高新区"]["clsZh"] == "高新区"
    hosts = [e for e in data["edges"] if e["property"] == "hosts"]
    ev = next(e for e in hosts if e["to"] == by_label["测试研究院"]["id"])["evidence"]
    assert ev == [
        {
            "sentence": "测试研究院位于测试高新区。",
            "title": "测试高新区新闻",
            "date": "2024-05-01",
            "url": "https://news.example.cn/a/1?x=1&y=2",
            "article": KGR + "article/a1",
            "rule": "hosts-located",
            "confidence": 0.9,
        }
    ]
    ev2 = next(e for e in hosts if e["to"] == by_label["测试科技有限公司"]["id"])["evidence"]
    assert ev2 == [{"sentence": "日期是对象。", "date": "2024-03-02"}, {"title": "只有标题"}]


def test_minimal_attributes_and_empty_graph(tmp_path):
    g = nx.MultiDiGraph()
    g.add_edge(KGR + "a", KGR + "b")  # no attributes at all
    data = page_data(write_page(g, tmp_path / "g.html").read_text(encoding="utf-8"))
    assert sorted(n["label"] for n in data["nodes"]) == ["a", "b"]
    assert data["edges"][0]["evidence"] == []
    empty = write_page(nx.MultiDiGraph(), tmp_path / "e.html").read_text(encoding="utf-8")
    assert "0 个实体，0 条关系" in empty and legend(empty) == []
    assert page_data(empty)["nodes"] == [] and page_data(empty)["edges"] == []


def test_physics_stabilises_then_stops(tmp_path):
    text = write_page(small_graph(), tmp_path / "g.html").read_text(encoding="utf-8")
    physics = page_data(text)["options"]["physics"]
    assert physics["enabled"] and physics["stabilization"]["enabled"]
    assert re.search(
        r'once\("stabilizationIterationsDone", function \(\) \{\s*'
        r"network\.setOptions\(\{physics: \{enabled: false\}\}\)",
        text,
    )


# ------------------------------------------------------------------ offline

REMOTE = [
    r"""\b(?:src|href|action|formaction|poster|srcset|background|data|codebase|manifest)\s*=\s*["']?\s*(?:https?:)?//""",
    r"""url\(\s*["']?\s*(?:https?:)?//""",
    r"@import",
    r"<(?:link|iframe|img|object|embed|frame|base|audio|video|source)\b",
    r"sourceMappingURL",
    r"\bcdn",
    r"""\bimport\s*\(\s*["'](?:https?:)?//""",
]


def test_no_remote_assets(tmp_path):
    text = write_page(small_graph(), tmp_path / "g.html").read_text(encoding="utf-8")
    for pattern in REMOTE:
        assert not re.search(pattern, text, re.I), pattern
    assert "default-src 'none'" in text  # and the browser is told so
    assert len(text) > 300_000  # vis-network is inlined
    assert "vis.Network" in text


def test_the_policy_lets_only_the_page_scripts_run(tmp_path):
    import base64
    import hashlib

    text = write_page(hostile_graph(), tmp_path / "g.html").read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text).group(1)
    script_src = re.search(r"script-src ([^;]*);", policy).group(1).split()
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    scripts = [
        m.group(2)
        for m in re.finditer(r"<script( [^>]*)?>(.*?)</script>", text, re.S)
        if 'type="application/json"' not in (m.group(1) or "")
    ]
    assert len(scripts) == 2  # vis-network and the page's
    expected = sorted(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts
    )
    assert script_src == expected


def test_http_only_in_data_and_library_comments(tmp_path):
    text = write_page(small_graph(), tmp_path / "g.html").read_text(encoding="utf-8")
    rest = without_blocks(text, "kg-data", "vis-network-js", "vis-network-css")
    # what is left is the page itself: 'http' only in the CSP's http-equiv and the link check
    rest = rest.replace('http-equiv="Content-Security-Policy"', "").replace(r"/^https?:\/\//i", "")
    assert "http" not in rest.lower()
    assert "news.example.cn" not in without_blocks(text, "kg-data")
    lib = re.search(r'<script id="vis-network-js">(.*?)</script>', text, re.S).group(1)
    for m in re.finditer(r"https?://", lib):  # comments, svg namespace, messages
        before = lib[max(0, m.start() - 12) : m.start()]
        assert not re.search(r"""(src|href|url)\s*[=(]\s*["']?$""", before, re.I), before


def test_library_code_is_quiet_and_lazy(tmp_path, capsys):
    write_page(small_graph(), tmp_path / "g.html")
    assert capsys.readouterr() == ("", "")
    code = "import sys, kg.page.render; print('pyvis' in sys.modules, 'networkx' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )
    assert out.stdout.split() == ["False", "False"]


# ------------------------------------------------------------------ escaping


def test_hostile_strings_never_become_markup(tmp_path):
    text = write_page(hostile_graph(), tmp_path / "x.html", title=XSS_PAGE_TITLE).read_text(encoding="utf-8")
    assert "<script>alert" not in text and "</script><script>" not in text
    page_only = without_blocks(text, "vis-network-js", "vis-network-css")
    for raw in ("<img", "<svg", "<b>", "<i>", "<!--", "</title><script>", "onerror=alert(1)>"):
        assert raw not in page_only, raw
    assert page_only.count("<script") == 2 and page_only.count("</script>") == 2  # data, page
    assert text.count("</script>") == 3
    page = parse(text)
    tags = Counter(t for t, _ in page.tags)
    assert set(tags) <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "script",
        "body",
        "div",
        "h1",
        "h2",
        "p",
        "input",
        "span",
        "ul",
        "li",
        "label",
        "datalist",
        "select",
        "option",
    }
    assert tags["script"] == 3 and tags["title"] == 1 and tags["h1"] == 1
    for tag, attrs in page.tags:
        assert not any(a.startswith("on") for a in attrs), (tag, attrs)
    # the page title and the unknown class show as text
    assert "</title><script>alert(4)</script>图谱" in "".join(page.text)
    assert XSS_CLASS in "".join(page.text)
    assert "&lt;/title&gt;&lt;script&gt;alert(4)&lt;/script&gt;图谱" in text
    # the data keep the hostile strings exactly, as text
    data = page_data(text)
    node = next(n for n in data["nodes"] if n["iri"] == KGR + "x")
    assert node["label"] == XSS_LABEL and node["aliases"] == [XSS_ALIAS, "</script>"]
    ev = data["edges"][0]["evidence"][0]
    assert (ev["sentence"], ev["title"]) == (XSS_SENTENCE, XSS_TITLE)
    assert ev["url"] == "javascript:alert(3)//\u2028</script>"
    assert "\u2028" not in text
    assert r"\u003cscript\u003ealert(1)\u003c/script\u003e" in text


def test_a_long_evidence_sentence_is_shown_around_the_two_names(tmp_path):
    from kg.page.render import EVIDENCE_CHARS

    g = small_graph()
    filler = "持续推进高质量发展" * 5000
    long = filler + "测试高新技术产业开发区" + filler + "测试研究院" + filler  # an alias of the zone
    g.add_edge(KGR + "zone1", KGR + "inst1", property="hosts", evidence=[{"sentence": long}])
    text = write_page(g, tmp_path / "g.html").read_text(encoding="utf-8")
    base = write_page(small_graph(), tmp_path / "base.html").read_text(encoding="utf-8")
    assert len(text) < len(base) + 3 * EVIDENCE_CHARS and filler not in text
    edge = next(e for e in page_data(text)["edges"] if e["evidence"] and e["evidence"][0]["sentence"].startswith("…"))
    shown = edge["evidence"][0]["sentence"]
    assert len(shown) <= EVIDENCE_CHARS + 3 and shown.count("…") == 3
    assert "测试高新技术产业开发区" in shown and "测试研究院" in shown
    short = next(e for e in page_data(text)["edges"] if e["property"] == "hosts" and e is not edge)
    assert short["evidence"][0]["sentence"] == "测试研究院位于测试高新区。"  # kept whole


def test_page_script_uses_text_only():
    assert "innerHTML" not in PAGE_JS and "outerHTML" not in PAGE_JS
    assert "insertAdjacentHTML" not in PAGE_JS and "document.write" not in PAGE_JS
    assert "eval(" not in PAGE_JS and "new Function" not in PAGE_JS


def test_deterministic(tmp_path):
    a = write_page(small_graph(), tmp_path / "a.html").read_bytes()
    b = write_page(small_graph(), tmp_path / "b.html").read_bytes()
    assert a == b
    g = small_graph()
    reordered = nx.MultiDiGraph()  # same graph, other insertion order
    reordered.add_nodes_from(reversed(list(g.nodes(data=True))))
    reordered.add_edges_from(reversed(list(g.edges(keys=True, data=True))))
    assert write_page(reordered, tmp_path / "c.html").read_bytes() == a


# ------------------------------------------------------------------ the page's script, run

NODE_HARNESS = r"""
const fs = require("fs"), vm = require("vm");
const [dataText, pageJs] = [fs.readFileSync(process.argv[2], "utf8"), fs.readFileSync(process.argv[3], "utf8")];
class El {
  constructor(tag) { this.tagName = tag; this.children = []; this.textContent = ""; this.className = ""; }
  appendChild(c) { this.children.push(c); c.parentNode = this; return c; }
  removeChild(c) { this.children.splice(this.children.indexOf(c), 1); return c; }
  get firstChild() { return this.children[0] || null; }
  cloneNode() { const e = new El(this.tagName); Object.assign(e, this); e.children = this.children.slice(); return e; }
  addEventListener(type, f) { this["on_" + type] = f; }
  set innerHTML(v) { throw new Error("innerHTML used"); }
  setAttribute(k, v) { this["attr_" + k] = String(v); }
  getAttribute(k) { return this["attr_" + k]; }
}
const byId = {"kg-data": {textContent: dataText}};
const details = new El("div"); details.appendChild(Object.assign(new El("div"), {textContent: "hint"}));
byId["kg-details"] = details;
global.window = global;
global.document = {
  getElementById: (id) => byId[id] || (byId[id] = new El("div")),
  createElement: (tag) => new El(tag),
  querySelectorAll: () => [],
  body: new El("body"),
};
let net = null;
global.vis = {
  DataSet: class { constructor(items) { this.items = items; } get(id) { return this.items.find((i) => i.id === id); } },
  Network: class {
    constructor(container, data, options) { net = this; this.data = data; this.options = options; this.handlers = {}; this.calls = []; }
    on(e, f) { this.handlers[e] = f; } once(e, f) { this.handlers[e] = f; }
    setOptions(o) { this.calls.push(o); } selectNodes(ids) { this.selected = ids; }
    selectEdges(ids) { this.selectedEdges = ids; } stopSimulation() {}
    focus() {} fit() {} unselectAll() {}
  },
};
vm.runInThisContext(pageJs);
const dump = (e) => e instanceof El ? {tag: e.tagName, cls: e.className, text: e.textContent,
  href: e.href, kids: e.children.map(dump)} : e;
const out = {nodeTips: net.data.nodes.items.map((n) => dump(n.title)),
             edgeTips: net.data.edges.items.map((e) => dump(e.title))};
net.handlers.stabilizationIterationsDone();
out.calls = net.calls;
const withUrl = net.data.edges.items.find((e) => e.evidence.some((v) => v.url));
net.handlers.click({nodes: [], edges: [withUrl.id]});
out.edgePanel = dump(details.firstChild);
net.handlers.click({nodes: [net.data.nodes.items[0].id], edges: []});
out.nodePanel = dump(details.firstChild);
net.handlers.click({nodes: [], edges: []});
out.blankPanel = dump(details.firstChild);
const search = byId["kg-search"]; search.value = "测试研究";
search.on_keydown({key: "Enter"});
out.selected = net.selected;
out.state = document.body["attr_data-state"];
out.names = byId["kg-names"].children.map((o) => o.value);
console.log(JSON.stringify(out));
"""


def texts(tree) -> list[str]:
    return [tree["text"]] + [t for k in tree["kids"] for t in texts(k)]


def links(tree) -> list[str]:
    own = [tree["href"]] if tree["tag"] == "a" else []
    return own + [h for k in tree["kids"] for h in links(k)]


def run_page_script(tmp_path, graph):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    text = write_page(graph, tmp_path / "g.html").read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S)
    (tmp_path / "data.json").write_text(m.group(1), encoding="utf-8")
    (tmp_path / "page.js").write_text(PAGE_JS, encoding="utf-8")
    (tmp_path / "harness.js").write_text(NODE_HARNESS, encoding="utf-8")
    res = subprocess.run(
        [node, str(tmp_path / "harness.js"), str(tmp_path / "data.json"), str(tmp_path / "page.js")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def test_page_script_builds_tooltips_and_panel(tmp_path):
    out = run_page_script(tmp_path, small_graph())
    node_text = [" ".join(texts(t)) for t in out["nodeTips"]]
    assert any("测试科技有限公司" in t and "测试科技" in t and "企业" in t for t in node_text)
    edge_text = " ".join(" ".join(texts(t)) for t in out["edgeTips"])
    for part in (
        "测试研究院位于测试高新区。",
        "《测试高新区新闻》 2024-05-01",
        "https://news.example.cn/a/1?x=1&y=2",
        "（无证据句）",
    ):
        assert part in edge_text
    assert out["calls"] == [{"physics": {"enabled": False}}]
    assert links(out["edgePanel"]) == ["https://news.example.cn/a/1?x=1&y=2"]
    assert "hosts-located" in texts(out["edgePanel"])
    assert "→ 孵化于 测试研究院" in texts(out["nodePanel"])  # its relations, in the panel
    assert "→ 设立方 测试研究院" in texts(out["nodePanel"])
    assert out["state"] == "stable"
    assert {"测试高新区", "测试高新技术产业开发区", "测试科技"} <= set(out["names"])  # search list
    assert texts(out["blankPanel"]) == ["hint"]
    assert len(out["selected"]) == 1


def test_page_script_keeps_hostile_text_as_text(tmp_path):
    out = run_page_script(tmp_path, hostile_graph())
    assert XSS_LABEL in texts(out["nodeTips"][0])
    assert XSS_SENTENCE in texts(out["edgeTips"][0])
    assert links(out["edgePanel"]) == []  # javascript: never becomes a link
    assert "javascript:alert(3)//\u2028</script>" in texts(out["edgePanel"])


def test_plain_digraph_is_accepted(tmp_path):
    g = nx.DiGraph()
    g.add_edge(KGR + "a", KGR + "b", property="locatedIn")
    data = page_data(write_page(g, tmp_path / "g.html").read_text(encoding="utf-8"))
    assert [e["label"] for e in data["edges"]] == ["位于"]


# ------------------------------------------------------------------ large graphs, filters, communities


def star_graph(leaves: int) -> nx.MultiDiGraph:
    """A hub zone hosting ``leaves`` companies, plus two isolated industries."""
    g = nx.MultiDiGraph()
    g.add_node(KGR + "hub", label="中心高新区", cls="Zone", aliases=[])
    for i in range(leaves):
        g.add_node(KGR + f"c{i}", label=f"第{i}号公司", cls="Company", aliases=[])
        g.add_edge(KGR + "hub", KGR + f"c{i}", property="hosts")
    for i in range(2):
        g.add_node(KGR + f"i{i}", label=f"孤立产业{i}", cls="Industry", aliases=[])
    return g


def test_node_budget_draws_the_most_connected_part_and_says_what_is_left(tmp_path):
    g = star_graph(8)  # 11 nodes, 8 edges
    text = write_page(g, tmp_path / "g.html", max_nodes=5).read_text(encoding="utf-8")
    data = page_data(text)
    assert len(data["nodes"]) == 5 and "中心高新区" in {n["label"] for n in data["nodes"]}
    assert not {n["label"] for n in data["nodes"]} & {"孤立产业0", "孤立产业1"}
    assert len(data["edges"]) == 4  # the hub's edges to the 4 kept
    note = re.search(r'<p id="kg-omitted" data-nodes="(\d+)" data-edges="(\d+)">(.*?)</p>', text)
    assert note and note.group(1, 2) == ("6", "4")
    assert "只画出连接最多的 5 个实体（共 11 个）" in note.group(3)
    assert "企业 4、产业领域 2" in note.group(3)
    assert '<p id="kg-count" data-entities="5"' in text
    whole = write_page(g, tmp_path / "all.html").read_text(encoding="utf-8")
    assert 'id="kg-omitted"' not in whole and len(page_data(whole)["nodes"]) == 11


def test_layout_is_bounded_and_lighter_for_large_graphs(tmp_path):
    small = page_data(write_page(star_graph(3), tmp_path / "s.html").read_text(encoding="utf-8"))
    big = page_data(write_page(star_graph(1600), tmp_path / "b.html", max_nodes=2000).read_text(encoding="utf-8"))
    s_it = small["options"]["physics"]["stabilization"]["iterations"]
    b_it = big["options"]["physics"]["stabilization"]["iterations"]
    assert b_it < s_it
    assert big["layoutBudgetMs"] == small["layoutBudgetMs"] > 0
    assert big["options"]["interaction"]["hideEdgesOnDrag"] is True
    assert small["options"]["interaction"]["hideEdgesOnDrag"] is False


def test_relation_filter_lists_each_property_with_its_count(tmp_path):
    text = write_page(small_graph(), tmp_path / "g.html").read_text(encoding="utf-8")
    ul = re.search(r'<ul id="kg-relations">(.*?)</ul>', text, re.S).group(1)
    rows = re.findall(
        r'<li data-prop="(\w+)"><label><input type="checkbox" checked '
        r'data-prop="\1">([^<]*?) <span class="n">(\d+)</span>',
        ul,
    )
    counts = Counter(d["property"] for *_, d in small_graph().edges(data=True))
    assert {p: int(n) for p, _, n in rows} == dict(counts)
    assert [p for p, _, _ in rows] == [p for p in PROPERTY_LABELS if p in counts]  # fixed order
    assert dict((p, name) for p, name, _ in rows)["establishedBy"] == "设立方 (establishedBy)"


def test_communities_are_optional_and_seeded(tmp_path):
    g = small_graph()
    g.add_edge(KGR + "ind1", KGR + "co1", property="focusesOn")
    on = write_page(g, tmp_path / "on.html").read_text(encoding="utf-8")
    data = page_data(on)
    assert all(isinstance(n["community"], int) for n in data["nodes"])
    assert data["communities"]["count"] == len({n["community"] for n in data["nodes"]})
    assert f"按社区着色（{data['communities']['count']} 个社区）" in on
    assert write_page(g, tmp_path / "again.html").read_bytes() == on.encode("utf-8")
    off = write_page(g, tmp_path / "off.html", communities=False).read_text(encoding="utf-8")
    assert 'id="kg-colour"' not in off and page_data(off)["communities"] is None
    assert all("community" not in n for n in page_data(off)["nodes"])


def test_reference_facts_travel_as_pairs(tmp_path):
    g = small_graph()
    g.nodes[KGR + "zone1"]["facts"] = {"所在省份": "江苏省", "级别": "provincial", "空": ""}
    g.nodes[KGR + "inst1"]["facts"] = [("正式名称", "测试研究院正式名")]
    data = page_data(write_page(g, tmp_path / "g.html").read_text(encoding="utf-8"))
    by_label = {n["label"]: n for n in data["nodes"]}
    assert by_label["测试高新区"]["facts"] == [["所在省份", "江苏省"], ["级别", "provincial"]]
    assert by_label["测试研究院"]["facts"] == [["正式名称", "测试研究院正式名"]]
    assert by_label["新能源"]["facts"] == []


def test_page_script_shows_reference_facts_in_the_node_panel(tmp_path):
    g = small_graph()
    first = sorted(g.nodes)[0]  # the node the harness clicks
    g.nodes[first]["facts"] = [("所在省份", "江苏省")]
    out = run_page_script(tmp_path, g)
    panel = texts(out["nodePanel"])
    assert panel[panel.index("所在省份") + 1] == "江苏省"
