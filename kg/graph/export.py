"""A built graph in other formats: RDF for RDF tools, GraphML for Gephi and
Cytoscape, CSV for spreadsheets.

:func:`export` returns the bytes of one format (UTF-8); the same graph always
gives the same bytes (sorted lines and nodes, blank nodes given canonical
labels).

* ``ttl``, ``nt``: every triple (articles, reference facts, ontology), no named graphs;
* ``nq``, ``jsonld``: the dataset with its named graphs (one per article);
* ``graphml``: the network of :meth:`KnowledgeGraph.to_networkx`, one node per
  entity (label, class, aliases) and one edge per triple (property, its
  Chinese label, best confidence, number of sentences and articles, first
  sentence);
* ``csv``: one row per core triple with the labels and classes of both ends.

>>> from kg.graph.knowledge import KnowledgeGraph
>>> from kg.records import Assertion, Document, Entity, Extraction
>>> text = "测试高新区位于测试市。"
>>> ents = {k: Entity(k, c, k) for k, c in [("测试高新区", "Zone"), ("测试市", "AdminRegion")]}
>>> a = Assertion("测试高新区", "locatedIn", "测试市", "d1", 0, 11, text, "demo")
>>> g = KnowledgeGraph.from_extractions([Extraction(Document("d1", text), list(ents.values()), [], [a])], ents)
>>> print(export(g, "csv").decode("utf-8").splitlines()[1].split(",")[:5])
['测试高新区', 'Zone', 'locatedIn', '位于', '测试市']
"""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
from rdflib import BNode, Dataset, Graph
from rdflib.compare import to_canonical_graph

from kg.errors import GraphError
from kg.rdf.namespace import bind_prefixes

FORMATS = ("ttl", "nt", "nq", "jsonld", "graphml", "csv")
CSV_COLUMNS = (
    "subject",
    "subject_class",
    "property",
    "property_label",
    "object",
    "object_class",
    "confidence",
    "sentences",
    "articles",
    "evidence",
    "subject_iri",
    "object_iri",
)


def _canonical(dataset: Dataset) -> Dataset:
    """A copy of ``dataset`` whose blank nodes have labels that depend only on the triples."""
    out = Dataset(default_union=True)
    bind_prefixes(out)
    for g in dataset.graphs():
        if not len(g):
            continue
        target = out.graph(g.identifier)
        has_bnodes = any(isinstance(t, BNode) for triple in g for t in triple)
        for triple in to_canonical_graph(g) if has_bnodes else g:
            target.add(triple)
    return out


def _union(dataset: Dataset) -> Graph:
    g = Graph()
    bind_prefixes(g)
    for triple in dataset.triples((None, None, None)):
        g.add(triple)
    return g


def _sorted_lines(text: str) -> bytes:
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def _sort_sets(node, ordered: bool = False):
    """JSON-LD arrays are sets (but for @list): sort them, recursively, for stable output."""
    if isinstance(node, dict):
        return {k: _sort_sets(v, k == "@list") for k, v in node.items()}
    if isinstance(node, list):
        items = [_sort_sets(v) for v in node]
        return items if ordered else sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def _jsonld(dataset: Dataset) -> bytes:
    from kg.rdf.namespace import PREFIXES

    context = {p: str(ns) for p, ns in sorted(PREFIXES.items())}
    doc = json.loads(dataset.serialize(format="json-ld", context=context, auto_compact=True))
    return (json.dumps(_sort_sets(doc), ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def _flat_network(graph) -> nx.MultiDiGraph:
    """to_networkx with GraphML-friendly attributes (strings and numbers only)."""
    G = graph.to_networkx()
    out = nx.MultiDiGraph()
    for node, attrs in G.nodes(data=True):
        out.add_node(
            node, label=attrs.get("label", ""), cls=attrs.get("cls", ""), aliases="; ".join(attrs.get("aliases", []))
        )
    for s, o, key, attrs in G.edges(keys=True, data=True):
        ev = attrs.get("evidence", [])
        out.add_edge(
            s,
            o,
            key=key,
            property=attrs.get("property", ""),
            label=attrs.get("label", ""),
            confidence=max((e["confidence"] for e in ev), default=0.0),
            sentences=len(ev),
            articles=len({e["article"] for e in ev}),
            evidence=ev[0]["sentence"] if ev else "",
        )
    return out


def _graphml(graph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(_flat_network(graph), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def triple_rows(graph) -> list[dict]:
    """One dict per core triple (columns of CSV_COLUMNS), in the order of core_triples."""
    G = graph.to_networkx()
    rows = []
    for s, o, key, attrs in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        ev = attrs.get("evidence", [])
        first = min(ev, key=lambda e: (e["date"], e["doc_id"], e["start"]), default=None)
        rows.append(
            {
                "subject": G.nodes[s]["label"],
                "subject_class": G.nodes[s]["cls"],
                "property": key,
                "property_label": attrs.get("label", ""),
                "object": G.nodes[o]["label"],
                "object_class": G.nodes[o]["cls"],
                "confidence": f"{max((e['confidence'] for e in ev), default=0.0):g}",
                "sentences": len(ev),
                "articles": len({e["article"] for e in ev}),
                "evidence": first["sentence"] if first else "",
                "subject_iri": s,
                "object_iri": o,
            }
        )
    return rows


def _csv(graph) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(triple_rows(graph))
    return buf.getvalue().encode("utf-8")


def export(graph, fmt: str) -> bytes:
    """The graph (a KnowledgeGraph) in format ``fmt`` (one of FORMATS), as UTF-8 bytes."""
    if fmt not in FORMATS:
        raise GraphError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "graphml":
        return _graphml(graph)
    if fmt == "csv":
        return _csv(graph)
    dataset = _canonical(graph.dataset)
    if fmt == "ttl":
        return _union(dataset).serialize(format="turtle", encoding="utf-8")
    if fmt == "nt":
        return _sorted_lines(_union(dataset).serialize(format="nt", encoding="utf-8").decode("utf-8"))
    if fmt == "nq":
        return _sorted_lines(dataset.serialize(format="nquads", encoding="utf-8").decode("utf-8"))
    return _jsonld(dataset)
