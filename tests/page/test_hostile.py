"""Hostile content: text written by anyone must stay text.

* The page: article titles, text, URLs and entity names holding markup,
  ``javascript:`` URLs and template syntax are shown as written, in a real
  browser (Debian's Chromium through Playwright, as tests/test_browser.py):
  no script runs (no dialog, no injected element, no console error).
* Queries: named-query parameters are bound, never pasted: injection strings
  are values, locally and in the text sent to a SPARQL server.
* Files: what the build writes stays in its output folder whatever the
  articles are called or say; YAML is loaded safely; reading HTML fetches
  nothing.

Every article here is written for these tests.
"""

from __future__ import annotations

import json
import os
import socket
import urllib.request
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Literal
from sample_articles import write_articles

import kg
from bench.browser import launch, missing
from kg.cli.main import cli
from kg.errors import GraphError
from kg.reading.read import read_file, read_paths
from kg.records import Document, Skipped

PWN = "window.__pwned=1"
SCRIPT = "<script>window.__pwned=1;alert(1)</script>"
CLOSE = "</script><script>window.__pwned=1;alert(2)</script>"
IMG = f'"><img src=x onerror="{PWN};alert(3)">'
SVG = f"<svg/onload={PWN}>"
JS_URL = "javascript:window.__pwned=1;alert(4)"
TEMPLATE = "{{title}} {{data}} {{page_js}} ${alert(5)} <%= 7*7 %> {% raw %}"

# --------------------------------------------------------------- articles

HOSTILE_MD = f"""---
title: '{CLOSE}云溪高新区新闻{IMG}'
url: '{JS_URL}'
date: 2024-01-01
---
{IMG}科技有限公司位于云溪高新区,聚焦新材料。{TEMPLATE}

2020年，{SCRIPT}青禾新材料有限公司落户云溪高新区，聚焦新能源。{SVG}
"""

HOSTILE_HTML = f"""<html><head><title>x</title><script>{PWN}</script></head><body><article>
<h1>金湖高新区&lt;script&gt;{PWN}&lt;/script&gt;通报</h1>
<p>2019年，金湖高新区与南京大学共建金湖先进材料研究院。&lt;img src=x onerror={PWN}&gt;该院聚焦新材料和生物医药等领域，集聚人才一千余人。</p>
<p onclick="{PWN}">园区负责人表示，明年将继续扩建孵化器，进一步优化创新创业环境，&lt;/script&gt;集聚更多人才团队。</p>
</article></body></html>"""


def hostile_jsonl() -> str:
    records = [
        {
            "text": f"蓝海科技有限公司落户金湖高新区。{CLOSE}{TEMPLATE}",
            "title": f"<img src=x onerror={PWN}>",
            "url": f'https://news.example.cn/a?"><script>{PWN}</script>',
        },
        {
            "text": "远帆科技有限公司位于云溪高新区。",
            "title": TEMPLATE,
            "url": "data:text/html,<script>alert(6)</script>",
        },
    ]
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records)


def write_hostile_articles(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "news.md").write_text(HOSTILE_MD, encoding="utf-8")
    (folder / f'"><svg onload={PWN}>.md').write_text("远帆科技有限公司位于云溪高新区，聚焦新能源。", encoding="utf-8")
    (folder / "{{page_js}}.html").write_text(HOSTILE_HTML, encoding="utf-8")
    (folder / "feed.jsonl").write_text(hostile_jsonl(), encoding="utf-8")
    return folder


KGR = "https://w3id.org/zone-kg/resource/"


def hostile_network() -> nx.MultiDiGraph:
    """Entity names, aliases and facts as hostile as the articles (extraction never
    makes names of markup, so the page is also drawn from this graph)."""
    g = nx.MultiDiGraph()
    g.add_node(
        KGR + "a", label=f"{SCRIPT}甲公司", cls="Company", aliases=[IMG, CLOSE, TEMPLATE], facts=[("province", SVG)]
    )
    g.add_node(KGR + "b", label=f"{TEMPLATE}乙高新区", cls="Zone", aliases=[JS_URL])
    g.add_edge(
        KGR + "b",
        KGR + "a",
        key="hosts",
        property="hosts",
        label="承载",
        evidence=[
            {
                "sentence": f"{CLOSE}乙高新区承载甲公司。{IMG}",
                "title": SVG,
                "url": JS_URL,
                "date": "2024-01-01",
                "article": KGR + "article/x",
                "rule": TEMPLATE,
                "confidence": 0.9,
            }
        ],
    )
    return g


# --------------------------------------------------------------- reading


def test_hostile_articles_are_read_as_text(tmp_path):
    docs = [r for r in read_paths([write_hostile_articles(tmp_path / "in")]) if isinstance(r, Document)]
    assert len(docs) == 5
    md = next(d for d in docs if d.id == "news")
    assert md.title == f"{CLOSE}云溪高新区新闻{IMG}" and md.url == JS_URL
    assert IMG in md.text and TEMPLATE in md.text and SCRIPT in md.text
    html = next(d for d in docs if d.id == "{{page_js}}")
    assert f"<script>{PWN}</script>" in html.text  # the escaped markup, now text
    assert "onclick" not in html.text


# --------------------------------------------------------------- the page in a browser

WHY_NOT = missing()
REQUIRED = bool(os.environ.get("KG_REQUIRE_BROWSER"))
browser_test = pytest.mark.skipif(WHY_NOT is not None and not REQUIRED, reason=WHY_NOT or "")

WATCH = """
window.__dialogs = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__dialogs.push([name, String(args[0])]); };
}
"""

INJECTED = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (["img", "svg", "iframe", "object", "embed", "a", "form", "base", "link", "meta"].includes(tag)
        && !(tag === "meta" && el.closest("head"))
        && !(tag === "a" && /^https?:\\/\\//.test(el.getAttribute("href") || ""))) {
      bad.push(el.outerHTML.slice(0, 120));
    }
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name) || (/^(href|src|action|formaction|data|srcdoc|xlink:href)$/i.test(attr.name)
                                     && /javascript:/i.test(attr.value))) bad.push(tag + " " + attr.name);
    }
  }
  return {bad, scripts: document.scripts.length, pwned: window.__pwned === undefined ? null : window.__pwned,
          dialogs: window.__dialogs || []};
}"""


@pytest.fixture(scope="module")
def browser():
    if WHY_NOT is not None:
        pytest.fail(f"KG_REQUIRE_BROWSER is set but {WHY_NOT}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = launch(pw)
        yield b
        b.close()


def load(browser, path: Path):
    """The page at ``path`` once its layout is stable (as bench.browser.open_page
    opens it), with every dialog, console message and request recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(WATCH)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    messages: list[tuple[str, str]] = []
    page.on("console", lambda m: messages.append((m.type, m.text)))
    page.on("pageerror", lambda e: messages.append(("pageerror", str(e))))
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("body[data-state=stable]", state="attached", timeout=60_000)
    return context, page, messages, dialogs


def assert_clean(page, messages, dialogs) -> None:
    state = page.evaluate(INJECTED)
    assert state["bad"] == [] and state["scripts"] == 3, state
    assert state["pwned"] is None and state["dialogs"] == [] and dialogs == [], state
    assert [m for m in messages if m[0] in ("error", "pageerror")] == []
    assert [u for u in page.requests if not u.startswith("file:")] == []


def hover_tooltip(page, item_id: str, edge: bool = False) -> str:
    """Move the mouse over a node (or along an edge, where no other edge or node lies: the
    middle may be a crossing) and return its tooltip's text."""
    points = page.evaluate(
        """([id, edge]) => {
        const net = kg.network;
        let on;
        if (edge) {
          const e = kg.edges.get(id), pos = net.getPositions([e.from, e.to]);
          net.fit({nodes: [e.from, e.to]});
          const at = (f) => ({x: pos[e.from].x + f * (pos[e.to].x - pos[e.from].x),
                              y: pos[e.from].y + f * (pos[e.to].y - pos[e.from].y)});
          // the point of the edge farthest from every other edge and node: vis-network's tooltip
          // goes to the edge whose line or label is nearest, not always the one highlighted
          const all = net.getPositions();
          const seg = (p, a, b) => {
            const dx = b.x - a.x, dy = b.y - a.y, n = dx * dx + dy * dy || 1;
            const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / n));
            return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
          };
          const clear = (f) => {
            const p = at(f);
            const edges = kg.edges.get().filter((o) => o.id !== id && all[o.from] && all[o.to])
              .map((o) => seg(p, all[o.from], all[o.to]));
            const nodes = Object.values(all).map((q) => Math.hypot(p.x - q.x, p.y - q.y) - 30);
            return Math.min(...edges, ...nodes);
          };
          const fs = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];
          const f = fs.reduce((best, g) => (clear(g) > clear(best) ? g : best), 0.5);
          on = [at(f - 0.04), at(f)];
        } else {
          net.focus(id, {scale: 1.0});
          const p = net.getPositions([id])[id];
          on = [{x: p.x - 3, y: p.y - 3}, p];
        }
        const box = document.getElementById("kg-network").getBoundingClientRect();
        return on.map((p) => { const d = net.canvasToDOM(p); return {x: box.left + d.x, y: box.top + d.y}; });
    }""",
        [item_id, edge],
    )
    page.mouse.move(points[0]["x"], points[0]["y"])  # on the item already: no other tooltip on the way
    page.mouse.move(points[1]["x"], points[1]["y"], steps=3)
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=10_000)
    assert tip.locator("img, svg, script, iframe").count() == 0
    return tip.inner_text()


@browser_test
def test_a_page_built_from_hostile_articles_runs_no_script_and_shows_the_text(browser, tmp_path):
    graph = kg.build([write_hostile_articles(tmp_path / "in")])
    path = tmp_path / "page.html"
    graph.to_html(path)
    context, page, messages, dialogs = load(browser, path)
    try:
        assert_clean(page, messages, dialogs)
        edges = page.evaluate("kg.edges.get().map((e) => ({id: e.id, ev: e.evidence}))")
        shown, panels = 0, []
        for edge in edges:
            page.evaluate("(id) => kg.network.selectEdges([id])", edge["id"])
            page.evaluate(
                """(id) => kg.network.body.emitter.emit("click",
                                {nodes: [], edges: [id], pointer: {DOM: {x: 0, y: 0}, canvas: {x: 0, y: 0}}})""",
                edge["id"],
            )
            text = page.inner_text("#kg-details")
            panels.append(text)
            for ev in edge["ev"]:
                assert ev["sentence"] in text
                if ev.get("title"):
                    assert f"《{ev['title']}》" in text
                if ev.get("url"):
                    assert ev["url"] in text
                shown += 1
        assert shown >= 5
        panels = "\n".join(panels)
        for text in (
            f"《{CLOSE}云溪高新区新闻{IMG}》",
            JS_URL,
            SCRIPT,
            IMG,
            f"<script>{PWN}</script>",
            f"《<img src=x onerror={PWN}>》",
            f'https://news.example.cn/a?"><script>{PWN}</script>',
        ):
            assert text in panels, text
        hostile_edge = next(e for e in edges if any(IMG in ev["sentence"] for ev in e["ev"]))
        tip = hover_tooltip(page, hostile_edge["id"], edge=True)
        assert IMG in tip and f"《{CLOSE}云溪高新区新闻{IMG}》" in tip
        assert_clean(page, messages, dialogs)
    finally:
        context.close()


@browser_test
def test_hostile_entity_names_are_text_in_tooltips_panel_and_search(browser, tmp_path):
    from kg.page.render import write_page

    path = write_page(hostile_network(), tmp_path / "names.html", title=f"{CLOSE}{TEMPLATE}")
    context, page, messages, dialogs = load(browser, path)
    try:
        assert_clean(page, messages, dialogs)
        assert page.title() == f"{CLOSE}{TEMPLATE}"
        assert page.inner_text("h1") == f"{CLOSE}{TEMPLATE}"
        ids = page.evaluate("kg.nodes.get().map((n) => [n.id, n.label])")
        company = next(i for i, label in ids if label == f"{SCRIPT}甲公司")
        tip = hover_tooltip(page, company)
        assert f"{SCRIPT}甲公司" in tip and IMG in tip and TEMPLATE in tip and SVG in tip
        # search by a hostile alias: found, and its panel shows every name as written
        page.fill("#kg-search", IMG)
        page.press("#kg-search", "Enter")
        assert page.inner_text("#kg-status") == "找到 1 个实体"
        panel = page.inner_text("#kg-details")
        for text in (f"{SCRIPT}甲公司", IMG, CLOSE, TEMPLATE, SVG):
            assert text in panel, text
        page.locator("#kg-details button.link").first.click()  # its relation
        panel = page.inner_text("#kg-details")
        assert f"{CLOSE}乙高新区承载甲公司。{IMG}" in panel and f"《{SVG}》" in panel and JS_URL in panel
        assert page.locator("#kg-details a").count() == 0  # javascript: is no link
        assert_clean(page, messages, dialogs)
    finally:
        context.close()


@browser_test
def test_markup_slipped_into_the_page_would_still_not_run(browser, tmp_path):
    """Defence in depth: the page's policy lets only its own two scripts run, so
    markup that an escaping mistake let through stays inert."""
    from kg.page.render import write_page

    text = write_page(hostile_network(), tmp_path / "g.html").read_text(encoding="utf-8")
    slipped = (
        f'<img src=x onerror="{PWN};alert(7)"><script>{PWN};alert(8)</script>'
        f'<svg onload="{PWN}"></svg><a id="js" href="{JS_URL}">x</a>'
    )
    path = tmp_path / "slipped.html"
    path.write_text(text.replace('<div id="kg-header">', '<div id="kg-header">' + slipped, 1), encoding="utf-8")
    context, page, messages, dialogs = load(browser, path)
    try:
        page.click("#js")
        page.wait_for_timeout(200)
        assert page.evaluate("[window.__pwned === undefined, window.__dialogs]") == [True, []]
        assert dialogs == []
        blocked = [m for m in messages if m[0] == "error" and "Content Security Policy" in m[1]]
        assert len(blocked) >= 3, messages  # script, onerror, onload (and the link)
        assert page.evaluate("kg.network.body.nodeIndices.length") == 2  # the page itself still runs
    finally:
        context.close()


# --------------------------------------------------------------- queries

INJECTIONS = [
    '金湖高新区" } UNION { ?z ?p ?i } #',
    '金湖高新区"@zh . ?z ?p ?i } #',
    "金湖高新区' || true || '",
    '金湖高新区"^^<http://www.w3.org/2001/XMLSchema#string>',
    '") } ; DROP ALL ; INSERT DATA { <x:a> <x:b> <x:c> } #',
    '\\" } UNION { ?z ?p ?i } #',
    "金湖高新区\n} UNION {\n?z ?p ?i",
    "?zone",
    "$zone",
    "*",
    "FILTER(true)",
    "<https://w3id.org/zone-kg/resource/x>",
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    graph = kg.build([write_articles(tmp_path_factory.mktemp("articles"))])
    out = tmp_path_factory.mktemp("built") / "build"
    graph.save(out)
    return graph, out


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_strings_in_parameters_are_values(sample, value):
    graph, _ = sample
    assert graph.to_dicts("zone_institutes", zone="金湖高新区")  # the real name has rows
    triples = len(graph.dataset)
    for name, param in (
        ("zone_institutes", "zone"),
        ("entity_facts", "entity"),
        ("positions", "org"),
        ("zones_by_industry", "industry"),
    ):
        assert graph.to_dicts(name, **{param: value}) == [], (name, value)
    assert len(graph.dataset) == triples  # nothing was changed


def test_a_label_that_looks_like_an_injection_is_found_as_written(sample):
    from kg.rdf.namespace import KG, KGR, graph_iri

    graph, _ = sample
    g = graph.dataset.graph(graph_iri("injected"))
    zone, inst = KGR["e/injected-zone"], KGR["e/injected-institute"]
    g.add((zone, RDF.type, KG.Zone))
    g.add((zone, RDFS.label, Literal(INJECTIONS[0], lang="zh")))
    g.add((zone, KG.hosts, inst))
    g.add((inst, RDF.type, KG.ResearchInstitute))
    g.add((inst, RDFS.label, Literal("注入研究院", lang="zh")))
    try:
        rows = graph.to_dicts("zone_institutes", zone=INJECTIONS[0])
        assert [r["institute"] for r in rows] == ["注入研究院"]
    finally:
        graph.dataset.remove_graph(g)


@pytest.mark.parametrize("value", INJECTIONS[:6])
def test_bound_values_sent_to_a_server_are_values_too(sample, value):
    """The text kg push/kg query URL send (kg.queries.bindings) gives what initBindings give."""
    from kg.queries.bindings import with_bindings
    from kg.queries.sparql import bind, named_query

    graph, _ = sample
    for name, param in (("zone_institutes", "zone"), ("entity_facts", "entity")):
        for v in (value, "金湖高新区"):
            q = named_query(name)
            text = with_bindings(q.text, bind(q, {param: v}))
            assert sorted(map(str, graph.query(text).to_dicts())) == sorted(
                map(str, graph.to_dicts(name, **{param: v}))
            ), (name, v)


def test_the_command_line_binds_parameters_and_names_only_known_queries(sample):
    _, folder = sample
    runner = CliRunner()

    def query(*args):
        return runner.invoke(cli, ["query", str(folder), *args])

    nothing = query("--name", "zone_institutes", "--param", "zone=不存在的高新区")
    assert nothing.exit_code == 0 and nothing.output.endswith("(0 rows)\n")
    for value in INJECTIONS:
        result = query("--name", "zone_institutes", "--param", f"zone={value}")
        assert (result.exit_code, result.output) == (0, nothing.output), value
    for name in ("../../etc/passwd", "zone_institutes.rq", "/etc/passwd", "..\\x"):
        result = query("--name", name)
        assert result.exit_code == 1 and result.output.startswith(f"Error: no query named {name!r}")
        with pytest.raises(GraphError):
            kg.KnowledgeGraph.load(folder).run(name)


# --------------------------------------------------------------- files


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_what_the_build_writes_stays_in_its_folder(tmp_path):
    src = write_hostile_articles(tmp_path / "in")
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-42", encoding="utf-8")
    (src / "paths.jsonl").write_text(
        "\n".join(
            json.dumps(r, ensure_ascii=False)
            for r in [
                {"text": "远帆科技有限公司位于云溪高新区。", "title": "../../../../pwned", "url": secret.as_uri()},
                {"text": "蓝海科技有限公司落户金湖高新区。", "title": "/tmp/pwned", "url": "../pwned"},
            ]
        ),
        encoding="utf-8",
    )
    (src / "..md").write_text("甲园区开园。", encoding="utf-8")
    (src / "line\nbreak.txt").write_text("", encoding="utf-8")
    before = tree(tmp_path)
    out = tmp_path / "deep" / "out"
    result = CliRunner().invoke(cli, ["build", str(src), "-o", str(out)])
    assert result.exit_code == 1, result.output  # the empty file is skipped
    assert f"  skipped {src}/line break.txt: empty file" in result.output.splitlines()
    made = tree(tmp_path) - before
    assert made and all(p == "deep" or p.startswith("deep/out") for p in made), made
    page = tmp_path / "page.html"
    result = CliRunner().invoke(cli, ["html", str(out), "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert tree(tmp_path) - before - made == {"page.html"}
    text = page.read_text(encoding="utf-8")
    assert secret.as_uri() in text and "SECRET-42" not in text  # a file: url is not read


TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.check_call [['touch', '{marker}']]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/object:kg.records.Document {{id: x, text: y}}",
    "!local {marker}",
]


@pytest.mark.parametrize("tag", TAGS)
def test_front_matter_is_loaded_safely(tmp_path, tag):
    marker = tmp_path / "MARKER"
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: {tag.format(marker=marker)}\n---\n甲园区开园。", encoding="utf-8")
    (skipped,) = read_file(path)
    assert isinstance(skipped, Skipped), skipped
    assert skipped.reason.startswith("front matter is not valid YAML: could not determine a constructor for the tag")
    (tmp_path / "b.md").write_text("乙园区开园。", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"  skipped {path}: {skipped.reason}" in result.output.splitlines()
    assert not marker.exists()


EXTERNAL_HTML = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://127.0.0.1:9/x.dtd" [
  <!ENTITY secret SYSTEM "file://{secret}">
  <!ENTITY remote SYSTEM "http://127.0.0.1:9/entity">
]>
<html><head><title>外部资源</title>
<link rel="stylesheet" href="http://127.0.0.1:9/style.css">
<script src="http://127.0.0.1:9/app.js"></script>
<meta http-equiv="refresh" content="0; url=http://127.0.0.1:9/">
<base href="http://127.0.0.1:9/"></head>
<body><article><h1>云溪高新区新建孵化器</h1>
<img src="http://127.0.0.1:9/a.png"><iframe src="http://127.0.0.1:9/frame"></iframe>
<p>12月20日,云溪高新区新建孵化器一座,已入驻企业十家。&secret;&remote;</p>
<p>青禾新材料有限公司位于云溪高新区,聚焦新材料,园区负责人表示明年将继续扩建孵化器。</p>
<object data="http://127.0.0.1:9/o"></object><video src="http://127.0.0.1:9/v"></video>
</article></body></html>"""


def test_reading_html_fetches_nothing_and_resolves_no_entity(tmp_path, monkeypatch):
    calls: list = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-42", encoding="utf-8")
    path = tmp_path / "external.html"
    path.write_text(EXTERNAL_HTML.format(secret=secret), encoding="utf-8")
    (doc,) = read_file(path)
    assert isinstance(doc, Document) and "青禾新材料有限公司位于云溪高新区" in doc.text
    assert "SECRET-42" not in doc.text
    graph = kg.build([path])
    assert "云溪高新区" in {str(x) for x in graph.dataset.objects(None, RDFS.label)}
    assert calls == []
