"""Loading a build into a SPARQL 1.1 server (``kg push``).

:func:`push` loads a build into any SPARQL 1.1 server through the Graph Store
Protocol: every named graph of the build (the ontology, one per article, the
reference facts) is replaced with ``PUT <store>?graph=<name>``, so pushing
again after an article changed leaves none of its old triples behind.  The
server's article graphs (``kgr:graph/…``) that the build no longer has are
listed in the report, and deleted with ``prune=True``.  Last, one SPARQL
Update makes the server's default graph the union of its named graphs
(:data:`kg.graph.remote.UNION_UPDATE`), as a folder's default graph is: a set
of triples, so that a label that two articles state matches once (Oxigraph's
own ``union-default-graph`` option would match it once per graph).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import GraphError
from kg.graph.endpoints import TIMEOUT
from kg.graph.knowledge import KnowledgeGraph
from kg.graph.remote import Progress, RemoteGraph, _graph_label, _is_article_graph
from kg.rdf.namespace import ONTOLOGY_GRAPH, REFERENCE_GRAPH

__all__ = ["PushReport", "push"]


@dataclass
class PushReport:
    """What :func:`push` did: the graphs it replaced and the server's other article graphs."""

    store: str  # the Graph Store Protocol endpoint
    graphs: list[str] = field(default_factory=list)  # names of the graphs replaced, in order
    triples: int = 0  # triples sent
    removed: list[str] = field(default_factory=list)  # article graphs deleted (prune)
    stale: list[str] = field(default_factory=list)  # article graphs not in the build, kept

    @property
    def articles(self) -> int:
        """How many of the graphs replaced are articles' graphs."""
        return sum(1 for g in self.graphs if _is_article_graph(g))

    @property
    def others(self) -> list[str]:
        """The graphs replaced that are not articles': ``ontology``, ``reference``…"""
        return [_graph_label(URIRef(g)) for g in self.graphs if not _is_article_graph(g)]


def push(
    source,
    url: str,
    *,
    query_url: str | None = None,
    update_url: str | None = None,
    store_url: str | None = None,
    prune: bool = False,
    progress: Progress | None = None,
    timeout: float = TIMEOUT,
) -> PushReport:
    """Load a build (a folder written by ``kg build``, or a KnowledgeGraph) into a server.

    Each named graph (the ontology, one per article, the reference facts) is
    replaced with a Graph Store Protocol ``PUT <store>?graph=<name>``.  The
    server's article graphs that the build does not have are deleted with
    ``prune``, else listed in ``report.stale``; its ontology or reference
    graph is deleted when the build has none.  Then the server's default
    graph becomes the union of its named graphs (one SPARQL Update,
    :data:`UNION_UPDATE`): what a query sees, as on a folder.
    ``progress(done, total, item)`` is called after each graph and after the
    union.
    """
    remote = RemoteGraph(url, query_url=query_url, update_url=update_url, store_url=store_url, timeout=timeout)
    return _push(remote, source, prune=prune, progress=progress)


def _push(remote: RemoteGraph, source, *, prune: bool = False, progress: Progress | None = None) -> PushReport:
    if not isinstance(source, KnowledgeGraph):
        graph = KnowledgeGraph.load(source)
        try:
            return _push(remote, graph, prune=prune, progress=progress)
        finally:
            getattr(graph, "close", lambda: None)()  # an on-disk store lets go
    graph = source
    contexts = sorted(
        (g for g in graph.dataset.graphs() if len(g)), key=lambda g: (g.identifier != ONTOLOGY_GRAPH, str(g.identifier))
    )
    outside = sum(len(g) for g in contexts if g.identifier == DATASET_DEFAULT_GRAPH_ID)
    if outside:
        raise GraphError(
            f"{outside} triples are in no named graph: kg push sends named "
            "graphs and makes the server's default graph their union"
        )
    names = {g.identifier for g in contexts}
    on_server = remote.graphs()
    stale = [g for g in on_server if _is_article_graph(g) and g not in names]
    report = PushReport(store=remote.endpoints.store)
    total = len(contexts) + 1
    for done, context in enumerate(contexts, 1):
        remote.put_graph(context.identifier, context)
        report.graphs.append(str(context.identifier))
        report.triples += len(context)
        if progress:
            progress(done, total, _graph_label(context.identifier))
    for name in (ONTOLOGY_GRAPH, REFERENCE_GRAPH):  # the build's own, empty this time
        if name in on_server and name not in names:
            remote.delete_graph(name)
    for name in stale:
        if prune:
            remote.delete_graph(name)
            report.removed.append(str(name))
        else:
            report.stale.append(str(name))
    remote.update_union()
    if progress:
        progress(total, total, "default graph")
    return report
