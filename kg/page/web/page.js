// The script of the page kg.page writes.  It reads the graph from the JSON block
// #kg-data and never writes markup: every text reaches the DOM via textContent,
// and only a web url (the regular expression below) becomes a link.
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var TIP_EVIDENCE = data.tipEvidence;
  var nodeById = {};
  var edgesOf = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; edgesOf[n.id] = []; });
  data.edges.forEach(function (e) {
    edgesOf[e.from].push(e);
    if (e.to !== e.from) { edgesOf[e.to].push(e); }
  });

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
  function button(text, onClick) {
    var b = el("button", "link", text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function nodeBox(n, full) {
    var box = el("div", "tip");
    box.appendChild(el("div", "tip-head", n.label));
    kv(box, "类别", n.cls && n.cls !== n.clsZh ? n.clsZh + "（" + n.cls + "）" : n.clsZh);
    kv(box, "别名", n.aliases.join("、"));
    (n.facts || []).forEach(function (f) { kv(box, f[0], f[1]); });
    kv(box, "关系", String(n.degree));
    if (full) {
      if (data.communities && n.community !== undefined) { kv(box, "社区", "#" + (n.community + 1)); }
      kv(box, "IRI", n.iri);
      var list = el("div", "rels");
      edgesOf[n.id].forEach(function (e) {
        var text = e.from === n.id ? "→ " + e.label + " " + nodeById[e.to].label
                                   : "← " + nodeById[e.from].label + " " + e.label;
        var row = el("div", "rel");
        row.appendChild(button(text, function () { selectEdge(e.id); }));
        row.appendChild(el("span", "muted", " " + e.evidence.length + " 条证据"));
        list.appendChild(row);
      });
      if (edgesOf[n.id].length) { box.appendChild(el("h3", null, "关系")); box.appendChild(list); }
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
    var shown = full ? e.evidence.length : Math.min(e.evidence.length, TIP_EVIDENCE);
    if (!e.evidence.length) { box.appendChild(el("div", "muted", "（无证据句）")); }
    for (var i = 0; i < shown; i++) { box.appendChild(evidenceBox(e.evidence[i], full)); }
    if (shown < e.evidence.length) {
      box.appendChild(el("div", "muted",
        "另有 " + (e.evidence.length - shown) + " 条证据，点击关系查看全部"));
    }
    return box;
  }

  data.nodes.forEach(function (n) { n.title = nodeBox(n, false); n.classColor = n.color; });
  data.edges.forEach(function (e) { e.title = edgeBox(e, false); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("kg-network"),
                                {nodes: nodes, edges: edges}, data.options);
  window.kg = {network: network, nodes: nodes, edges: edges};

  var status = document.getElementById("kg-status");
  var body = document.body;
  body.setAttribute("data-state", "layout");
  network.on("stabilizationProgress", function (p) {
    status.textContent = "布局计算中 " + Math.round(100 * p.iterations / p.total) + "%";
    if (performance.now() - started > data.layoutBudgetMs) { network.stopSimulation(); }
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({physics: {enabled: false}});
    status.textContent = "";
    body.setAttribute("data-stabilised-ms", String(Math.round(performance.now() - started)));
    body.setAttribute("data-state", "stable");
  });

  // ---------------------------------------------------------------- details
  var details = document.getElementById("kg-details");
  function show(box) {
    while (details.firstChild) { details.removeChild(details.firstChild); }
    details.appendChild(box);
    if (details.scrollIntoView) { details.scrollIntoView({block: "nearest"}); }
  }
  var hint = details.firstChild ? details.firstChild.cloneNode(true) : el("div");
  function selectNode(id, centre) {
    network.selectNodes([id]);
    if (centre) { network.focus(id, {scale: 1.2, animation: {duration: 500}}); }
    show(nodeBox(nodeById[id], true));
  }
  function selectEdge(id) {
    network.selectEdges([id]);
    show(edgeBox(edges.get(id), true));
  }
  network.on("click", function (params) {
    if (params.nodes.length) { show(nodeBox(nodeById[params.nodes[0]], true)); }
    else if (params.edges.length) { show(edgeBox(edges.get(params.edges[0]), true)); }
    else { show(hint.cloneNode(true)); }
  });

  // ----------------------------------------------------------------- search
  var search = document.getElementById("kg-search");
  var names = document.getElementById("kg-names");
  var seen = {};
  data.nodes.forEach(function (n) {
    [n.label].concat(n.aliases).forEach(function (name) {
      if (seen[name]) { return; }
      seen[name] = true;
      var o = el("option");
      o.value = name;
      names.appendChild(o);
    });
  });
  function find(q) {
    var exact = data.nodes.filter(function (n) {
      return n.label === q || n.aliases.indexOf(q) >= 0;
    });
    if (exact.length) { return exact; }
    return data.nodes.filter(function (n) {
      return n.label.indexOf(q) >= 0 || n.aliases.some(function (a) { return a.indexOf(q) >= 0; });
    });
  }
  var last = {q: null, at: 0};
  function runSearch() {
    var q = search.value.trim();
    // Enter also commits the value (a change event): one search, not two
    if (q === last.q && performance.now() - last.at < 500) { return; }
    last = {q: q, at: performance.now()};
    if (!q) { network.unselectAll(); status.textContent = ""; return; }
    var hits = find(q);
    var ids = hits.map(function (n) { return n.id; });
    var hidden = hits.filter(function (n) { return nodes.get(n.id).hidden; }).length;
    status.textContent = (hits.length ? "找到 " + hits.length + " 个实体" : "未找到") +
                         (hidden ? "（" + hidden + " 个被筛选隐藏）" : "");
    if (hits.length === 1) { selectNode(ids[0], true); return; }
    network.selectNodes(ids);
    if (hits.length) {
      network.fit({nodes: ids, animation: true});
      var box = el("div", "tip");
      box.appendChild(el("div", "tip-head", "“" + q + "”：" + hits.length + " 个实体"));
      hits.forEach(function (n) {
        var row = el("div", "rel");
        row.appendChild(button(n.label, function () { selectNode(n.id, true); }));
        row.appendChild(el("span", "muted", " " + n.clsZh));
        box.appendChild(row);
      });
      show(box);
    }
  }
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { runSearch(); } });
  search.addEventListener("change", runSearch);

  // ---------------------------------------------------------------- filters
  function checked(selector, attr) {
    var on = {};
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (box) {
      on[box.getAttribute(attr)] = box.checked;
    });
    return on;
  }
  function applyFilters() {
    var classOn = checked("#kg-legend input", "data-cls");
    var propOn = checked("#kg-relations input", "data-prop");
    var nodeHidden = {};
    nodes.update(data.nodes.map(function (n) {
      nodeHidden[n.id] = classOn[n.cls] === false;
      return {id: n.id, hidden: nodeHidden[n.id]};
    }));
    edges.update(data.edges.map(function (e) {
      return {id: e.id, hidden: propOn[e.property] === false || nodeHidden[e.from] || nodeHidden[e.to]};
    }));
    var shown = data.nodes.filter(function (n) { return !nodeHidden[n.id]; }).length;
    body.setAttribute("data-shown-nodes", String(shown));
  }
  Array.prototype.forEach.call(
    document.querySelectorAll("#kg-legend input, #kg-relations input"),
    function (box) { box.addEventListener("change", applyFilters); });

  var colour = document.getElementById("kg-colour");
  if (colour) {
    colour.addEventListener("change", function () {
      var byCommunity = colour.value === "community";
      nodes.update(data.nodes.map(function (n) {
        var c = byCommunity ? data.communities.colours[n.community % data.communities.colours.length]
                            : n.classColor;
        return {id: n.id, color: c};
      }));
      body.setAttribute("data-colour", colour.value);
    });
  }
})();
