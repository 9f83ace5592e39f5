"""The networkx view of a graph in the on-disk store, read with a few queries.

:meth:`KnowledgeGraph.to_networkx` of an in-memory graph looks each entity
up pattern by pattern; over the on-disk store the same graph (same nodes,
attributes, edges and evidence, in the same order) comes from the queries of
``kg/queries/network/`` and ``evidence.rq``, run inside Oxigraph.

For the page, :func:`store_network` takes the node budget: every entity and
relation is in the graph (the page counts what it leaves out), but only the
relations among the ``budget`` most connected entities (ranked as
kg.network.analysis.most_connected ranks them) carry their evidence, at most
PAGE_EVIDENCE sentences each (then one line saying how many more), so a page
of a large archive reads and carries what it can show, not every sentence.
"""

from __future__ import annotations

import functools
from pathlib import Path

import networkx as nx

from kg.records import CLASSES, PROPERTIES

QUERIES = Path(__file__).parents[1] / "queries" / "network"
#: Sentences of one relation that a page of the on-disk store carries.
PAGE_EVIDENCE = 20


@functools.cache
def network_query(name: str) -> str:
    """The text of kg/queries/network/<name>.rq."""
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def store_network(graph, budget: int | None = None, known=None) -> nx.MultiDiGraph:
    """``graph.to_networkx()`` for a graph in the on-disk store; with ``budget``,
    evidence only on the relations among the ``budget`` most connected entities
    (``known(s, p, o)`` may give a relation's evidence rows already known, or
    None), and none at all with a budget of 0."""
    from kg.rdf.namespace import local_name
    from kg.rdf.provenance import evidence_row
    from kg.storage.store import native_query

    db = graph.db
    rank = {c: i for i, c in enumerate(CLASSES)}
    classes: dict[str, str] = {}
    labels: dict[str, str] = {}
    for r in native_query(db, network_query("entities")):
        e, cls = str(r.e), local_name(r.cls)
        if e not in classes or rank[cls] < rank[classes[e]]:
            classes[e] = cls
        if r.label is not None and (e not in labels or str(r.label) < labels[e]):
            labels[e] = str(r.label)
    aliases: dict[str, set[str]] = {}
    for r in native_query(db, network_query("aliases")):
        aliases.setdefault(str(r.e), set()).add(str(r.alias))
    triples = sorted({(str(r.s), local_name(r.p), str(r.o)) for r in native_query(db, network_query("relations"))})

    def attrs(iri: str) -> dict:
        if iri not in classes and iri not in labels:  # a relation's end typed with no core class
            label = graph.label_of(iri)
            if label is not None:
                labels[iri] = label
        label = labels.get(iri, local_name(iri))
        return {"label": label, "cls": classes.get(iri, ""), "aliases": sorted(aliases.get(iri, set()) - {label})}

    G = nx.MultiDiGraph()
    for iri in sorted(classes):
        G.add_node(iri, **attrs(iri))
    names = {p: graph.property_label(p) for p in PROPERTIES}
    for s, p, o in triples:
        for node in (s, o):
            if node not in G:
                G.add_node(node, **attrs(node))
        G.add_edge(s, o, key=p, property=p, label=names[p], evidence=[])
    if budget == 0:  # the structure only
        pass
    elif budget is None:  # everything: one pass over all
        for r in graph.query_file("evidence"):
            row = evidence_row(r)
            G.edges[row["subject"], row["object"], row["property"]]["evidence"].append(row)
    else:
        drawn = set(G) if len(G) <= budget else set(sorted(G.nodes, key=lambda n: (-G.degree(n), str(n)))[:budget])
        for s, p, o in triples:
            if s in drawn and o in drawn:
                rows = known(s, p, o) if known else None
                G.edges[s, o, p]["evidence"] = rows if rows is not None else _first_evidence(graph, s, p, o)
    for r in graph.query_file("reference_facts"):  # province, level, ... (reference lists)
        if str(r.s) in G:
            G.nodes[str(r.s)].setdefault("facts", []).append((str(r.propertyName or r.property), str(r.value)))
    return G


def _first_evidence(graph, s: str, p: str, o: str) -> list[dict]:
    """Up to PAGE_EVIDENCE sentences of a relation, ordered as evidence.rq orders
    them, and, when it has more, a last item saying so (``kg explain`` lists all)."""
    from rdflib import URIRef

    from kg.rdf.namespace import KG
    from kg.rdf.provenance import evidence_row
    from kg.storage.store import native_query

    result = native_query(graph.db, network_query("evidence"), {"s": URIRef(s), "p": KG[p], "o": URIRef(o)})
    rows = [evidence_row(r) for r in result]
    rows.sort(key=_evidence_order)
    if len(rows) > PAGE_EVIDENCE:
        rows = rows[:PAGE_EVIDENCE] + [{"sentence": "……另有更多证据未列出（kg explain 列出全部）"}]
    return rows


def _evidence_order(row: dict) -> tuple:
    """evidence.rq's ORDER BY ?date ?docId ?start ?rule (one relation: ?s ?p ?o fixed);
    an article without a date first, as SPARQL orders an unbound value."""
    return (row["date"] != "", row["date"], row["doc_id"], row["start"], row["rule"])


def page_network(graph, focus=(), depth: int = 1, classes=None, budget: int = 1500) -> nx.MultiDiGraph:
    """What ``kg html`` draws of a graph in the on-disk store: kg.network.analysis.select
    over the structure, then the evidence of the relations among the ``budget``
    most connected entities of what is left (at most PAGE_EVIDENCE each)."""
    from kg.network.analysis import select

    G = select(store_network(graph, budget=0), focus, depth, classes)
    drawn = set(G) if len(G) <= budget else set(sorted(G.nodes, key=lambda n: (-G.degree(n), str(n)))[:budget])
    for s, o, p, attrs in G.edges(keys=True, data=True):
        if s in drawn and o in drawn:
            attrs["evidence"] = _first_evidence(graph, s, p, o)
    return G
