"""A SPARQL 1.1 server as the home of a built graph: query it there (:mod:`kg.graph.push` puts it there).

:class:`RemoteGraph` queries the server as :class:`kg.graph.knowledge.KnowledgeGraph`
queries a folder: ``query``, ``query_file``, ``run``, ``to_dicts``,
``to_df``, ``label_of``, with the project prefixes declared and the results
wrapped as :class:`kg.queries.sparql.QueryResult`, so tables print the same.  Bound
values travel as RDF terms in a ``VALUES`` block (:mod:`kg.queries.bindings`), never
pasted into the query as raw text.  Endpoints and errors: :mod:`kg.graph.endpoints`.
"""

from __future__ import annotations

import io
import urllib.parse
from collections.abc import Callable

from rdflib import Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node

from kg.graph.endpoints import TIMEOUT, ServerError, endpoints, is_url, send
from kg.queries.bindings import sparql_term, with_bindings
from kg.queries.sparql import QueryMethods, QueryResult, as_term, prepare
from kg.rdf.namespace import ONTOLOGY_GRAPH, PREFIXES, doc_id_of, graph_iri, local_name

__all__ = ["RemoteGraph", "ServerError", "is_url", "UNION_UPDATE"]

#: After a push: the server's default graph becomes the union of its named graphs.
UNION_UPDATE = "CLEAR SILENT DEFAULT ;\nINSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
#: IRIs per label query (RemoteGraph labels of a result).
_LABEL_BATCH = 200

Progress = Callable[[int, int, str], None]  # (done, total, current item)

_RESULT_TYPES = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml"}
_GRAPH_TYPES = {
    "application/n-triples": "nt",
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
    "application/trig": "trig",
    "application/ld+json": "json-ld",
}


_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


# ------------------------------------------------------------------ querying


class _Labels:
    """``labels(iri)`` for the IRIs of one result: fetched together, at the first call."""

    def __init__(self, remote: RemoteGraph, result: Result):
        self.remote, self.result, self.known = remote, result, None

    def __call__(self, iri) -> str | None:
        if self.known is None:
            iris = set()
            if self.result.type == "SELECT":
                iris = {t for row in self.result for t in row if isinstance(t, URIRef)}
            self.known = dict.fromkeys(iris)
            self.known.update(self.remote.labels(iris))
        iri = URIRef(str(iri))
        if iri not in self.known:
            self.known[iri] = self.remote.label_of(iri)
        return self.known[iri]


class RemoteGraph(QueryMethods):
    """A zone-kg graph on a SPARQL 1.1 server, queried like a built folder.

    ``url``: the server's base (``http://127.0.0.1:7878/``) or its query
    endpoint; ``query_url``, ``update_url`` and ``store_url`` name the
    endpoints explicitly.  Queries see the server's default graph, which
    :meth:`push` keeps the union of the named graphs.
    """

    def __init__(
        self,
        url: str,
        *,
        query_url: str | None = None,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = TIMEOUT,
    ):
        self.url = str(url)
        self.endpoints = endpoints(self.url, query_url=query_url, update_url=update_url, store_url=store_url)
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"RemoteGraph({self.url!r})"

    # ------------------------------------------------------------- queries

    def query(self, sparql: str, **bindings) -> QueryResult:
        """Run SPARQL on the server with the project prefixes; keywords bind variables.

        rdflib terms are bound as they are, other values as plain literals,
        in a VALUES block (:func:`with_bindings`), never pasted as text.
        """
        parsed = prepare(sparql)
        form = parsed.algebra.name
        text = with_bindings(sparql, {n: as_term(v) for n, v in bindings.items()}, construct=form == "ConstructQuery")
        graph_form = {"ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}.get(form)
        return self._post(text, graph_form)

    def _post(self, text: str, graph_form: str | None = None) -> QueryResult:
        """Send a query (checked, values bound) with the project prefixes; its result.

        ``graph_form``: CONSTRUCT or DESCRIBE for a query whose result is a graph.
        """
        fields = {"query": _PROLOGUE + text}
        accept = (
            "application/n-triples, text/turtle;q=0.9"
            if graph_form
            else "application/sparql-results+json, application/sparql-results+xml;q=0.9"
        )
        where = self.endpoints.query
        ctype, body = send(
            "POST",
            where,
            where=where,
            timeout=self.timeout,
            data=urllib.parse.urlencode(fields).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        result = self._result(ctype, body, graph_form)
        result._labels = _Labels(self, result)
        return result

    def _result(self, ctype: str, body: bytes, graph_form: str | None) -> QueryResult:
        where = self.endpoints.query
        fmt = (_GRAPH_TYPES if graph_form else _RESULT_TYPES).get(ctype)
        if fmt is None:
            raise ServerError(
                f"{where}: the server answered with {ctype}, not SPARQL results: is it a SPARQL query endpoint?"
            )
        try:
            if graph_form:
                graph = Graph()
                graph.parse(data=body, format=fmt)
                return QueryResult({"type_": graph_form, "graph": graph})
            parsed = Result.parse(io.BytesIO(body), format=fmt)
        except Exception as exc:  # rdflib's parsers raise many types
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise ServerError(f"{where}: unreadable {ctype} answer: {first}") from None
        if parsed.type == "ASK":
            return QueryResult({"type_": "ASK", "askAnswer": bool(parsed.askAnswer)})
        return QueryResult({"type_": "SELECT", "vars_": list(parsed.vars or []), "bindings": list(parsed.bindings)})

    def query_file(self, name: str, **bindings) -> QueryResult:
        """Run kg/queries/<name>.rq; keywords bind variables as in ``query``."""
        from kg.queries.sparql import query_text

        return self.query(query_text(name), **bindings)

    def labels(self, iris) -> dict[URIRef, str]:
        """The rdfs:label of each IRI that has one (the smallest, as label_of)."""
        iris = sorted({URIRef(str(i)) for i in iris})
        found: dict[URIRef, str] = {}
        for start in range(0, len(iris), _LABEL_BATCH):
            batch = iris[start : start + _LABEL_BATCH]
            values = " ".join(sparql_term(i, "iri") for i in batch)
            result = self._post("SELECT ?iri ?label WHERE { VALUES ?iri { " + values + " } ?iri rdfs:label ?label }")
            for row in result:
                label = str(row[1])
                found[row[0]] = min(found.get(row[0], label), label)
        return found

    def label_of(self, iri) -> str | None:
        """The rdfs:label of ``iri`` (the smallest, as the page shows it), or None."""
        return self.labels([iri]).get(URIRef(str(iri)))

    def graphs(self) -> list[URIRef]:
        """Names of the server's named graphs, sorted."""
        result = self._post("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(row[0] for row in result if isinstance(row[0], URIRef))

    # ---------------------------------------------------------------- push

    def _store(self, name: Node) -> str:
        """The Graph Store Protocol URL of the named graph ``name`` (indirect identification)."""
        sep = "&" if "?" in self.endpoints.store else "?"
        return f"{self.endpoints.store}{sep}graph={urllib.parse.quote(str(name), safe='')}"

    def put_graph(self, name: Node, graph: Graph) -> None:
        """Replace the server's named graph ``name`` with the triples of ``graph``."""
        data = graph.serialize(format="nt", encoding="utf-8")
        send(
            "PUT",
            self._store(name),
            where=self.endpoints.store,
            data=data,
            timeout=self.timeout,
            headers={"Content-Type": "application/n-triples"},
        )

    def delete_graph(self, name: Node) -> None:
        """Delete the server's graph ``name``; one that is not there is no error."""
        try:
            send("DELETE", self._store(name), where=self.endpoints.store, timeout=self.timeout)
        except ServerError as exc:
            if exc.status != 404:
                raise

    def update_union(self) -> None:
        """Make the server's default graph the union of its named graphs (UNION_UPDATE)."""
        where = self.endpoints.update
        send(
            "POST",
            where,
            where=where,
            timeout=self.timeout,
            data=urllib.parse.urlencode({"update": UNION_UPDATE}).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )


def _is_article_graph(iri) -> bool:
    """True for the name of an article's graph (kgr:graph/<doc id>)."""
    doc_id = doc_id_of(iri)
    return bool(doc_id) and graph_iri(doc_id) == URIRef(str(iri))


def _graph_label(iri) -> str:
    if iri == ONTOLOGY_GRAPH:
        return "ontology"
    return doc_id_of(iri) if _is_article_graph(iri) else local_name(iri)
