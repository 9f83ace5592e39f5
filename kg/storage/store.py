"""The on-disk store: an Oxigraph database (pyoxigraph) behind rdflib's API.

``kg build --store oxigraph`` keeps the graph in ``DIR/graph.oxigraph``, a
RocksDB folder that pyoxigraph opens without reading it into memory.  Two
ways in:

* :func:`native_query` runs SPARQL inside Oxigraph (the project prefixes
  bound, the default graph the union of the named graphs, variables bound
  by a VALUES block of escaped terms, never pasted as text) and returns an
  rdflib ``SPARQLResult``, so callers of ``KnowledgeGraph.query`` see the
  same rows and terms with either store;
* :class:`OxigraphStore` is an rdflib ``Store`` over the same database, so
  ``rdflib.Dataset`` methods (``objects``, ``subjects``, ``quads``,
  ``graphs``...) that other modules call on ``KnowledgeGraph.dataset`` work
  on it as on the in-memory dataset, by pattern lookups in Oxigraph.

Terms: a literal typed ``xsd:string`` is the plain literal of rdflib (RDF 1.1
makes them one term); Oxigraph keeps numbers and dates in canonical form
(``"1.0"^^xsd:decimal`` reads back as ``"1"``), the same values.

>>> import pyoxigraph as ox
>>> from rdflib import Literal, URIRef
>>> db = ox.Store()
>>> ds = open_dataset(db)
>>> ds.graph(URIRef("https://example.org/g")).add(
...     (URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal("甲", lang="zh")))
<Graph identifier=https://example.org/g (<class 'rdflib.graph.Graph'>)>
>>> [str(o) for o in ds.objects(URIRef("https://example.org/a"), None)]
['甲']
>>> [str(r.o) for r in native_query(db, "SELECT ?o WHERE { ?s ?p ?o }", {"s": URIRef("https://example.org/a")})]
['甲']
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, Dataset
from rdflib.plugins.sparql.processor import SPARQLResult
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.store import VALID_STORE, Store

from kg.errors import GraphError
from kg.queries.bindings import binds_inside, with_bindings
from kg.queries.sparql import as_term, prepare, query_text
from kg.storage.folder import STORE_DIR  # noqa: F401  (the folder of the on-disk store in a graph folder)
from kg.storage.oxstore import _ox

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


# --------------------------------------------------------------------- terms


def to_ox(term):
    """An rdflib term (or graph, or None) as a pyoxigraph term."""
    ox = _ox()
    if term is None:
        return None
    if isinstance(term, Graph):
        term = term.identifier
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise GraphError(f"cannot store {term!r} in the on-disk store")


@functools.lru_cache(maxsize=4096)
def _iri(value: str) -> URIRef:
    return URIRef(value)


@functools.lru_cache(maxsize=65536)
def _literal(value: str, language: str | None, datatype: str) -> Literal:
    if language:
        return Literal(value, lang=language)
    return Literal(value) if datatype in (_XSD_STRING, _LANG_STRING) else Literal(value, datatype=_iri(datatype))


def from_ox(term):
    """A pyoxigraph term as the rdflib term the in-memory store would hold."""
    if term is None:
        return None
    ox = _ox()
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.language, term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.DefaultGraph):
        return DATASET_DEFAULT_GRAPH_ID
    raise GraphError(f"unexpected term in the on-disk store: {term!r}")


# ------------------------------------------------------------------- queries


def _prefixes() -> dict[str, str]:
    from kg.rdf.namespace import PREFIXES

    return {p: str(ns) for p, ns in PREFIXES.items()}


def _syntax_error(exc: Exception) -> GraphError:
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return GraphError(f"SPARQL syntax error: {first}")


def native_query(db, sparql: str, bindings: Mapping[str, object] | None = None, *, graph=None) -> SPARQLResult:
    """Run ``sparql`` inside Oxigraph and return the rows as rdflib terms.

    The default graph is the store's default graph, which ``kg build`` keeps
    equal to the union of the named graphs (each triple once, as rdflib's
    ``default_union``), or the named ``graph`` (an IRI) when given.
    ``bindings`` (variable name -> rdflib term) open the WHERE clause as a
    VALUES block of escaped terms (kg.queries.bindings.with_bindings), as they do on
    a SPARQL server: Oxigraph's own ``substitutions`` refuse a variable the
    query does not project (``?zone`` of zone_institutes) and, measured on
    evidence.rq at 10,000 articles, were 8 times slower.
    """
    ox = _ox()
    kw = {"default_graph": to_ox(graph)} if graph is not None else {}
    if bindings:
        from kg.queries.bindings import with_bindings

        sparql = with_bindings(sparql, bindings, construct=_is_construct(sparql))
    try:
        result = db.query(sparql, prefixes=_prefixes(), **kw)
    except SyntaxError as exc:
        raise _syntax_error(exc) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise GraphError(f"query failed in the on-disk store: {exc}") from None
    if isinstance(result, ox.QueryBoolean):
        return SPARQLResult({"type_": "ASK", "askAnswer": bool(result)})
    if isinstance(result, ox.QuerySolutions):
        names = [Variable(v.value) for v in result.variables]
        return SPARQLResult({"type_": "SELECT", "vars_": names, "bindings": _rows(result, names)})
    g = Graph()
    for t in result:
        g.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
    return SPARQLResult({"type_": "CONSTRUCT", "graph": g})


def _is_construct(sparql: str) -> bool:
    """True when ``sparql`` is a CONSTRUCT query (its first ``{`` is the template)."""
    from kg.queries.bindings import _TOKEN

    for m in _TOKEN.finditer(sparql):
        if m.lastgroup == "word" and m.group().upper() in ("SELECT", "ASK", "DESCRIBE", "CONSTRUCT"):
            return m.group().upper() == "CONSTRUCT"
    return False


def _rows(solutions, names: list[Variable]) -> Iterator[dict]:
    for solution in solutions:
        row = {}
        for i, name in enumerate(names):
            value = solution[i]
            if value is not None:
                row[name] = from_ox(value)
        yield row


# ------------------------------------------------------------- rdflib store


class OxigraphStore(Store):
    """An rdflib Store over a pyoxigraph ``Store`` (read through, written through).

    Oxigraph's default graph is kept equal to the union of the named graphs
    (each distinct triple once: rdflib's ``default_union``), which the
    queries read; rdflib sees only the named graphs.
    """

    context_aware = True
    graph_aware = True
    formula_aware = False
    transaction_aware = False

    def __init__(self, db, read_only: bool = False):
        super().__init__()
        self.db = db
        self.read_only = read_only
        self._ns: dict[str, URIRef] = {}

    def open(self, configuration, create: bool = False):
        return VALID_STORE

    def _writable(self) -> None:
        if self.read_only:
            raise GraphError(
                "this graph was opened read-only from its folder: build it again with `kg build` to change it"
            )

    def add(self, triple, context, quoted: bool = False) -> None:
        self.addN([(*triple, context)])

    def addN(self, quads) -> None:  # noqa: N802 (rdflib's name)
        self._writable()
        ox = _ox()
        batch = []
        for s, p, o, c in quads:
            if c is None:
                raise GraphError("the on-disk store holds triples in named graphs only")
            terms = (to_ox(s), to_ox(p), to_ox(o))
            batch += [ox.Quad(*terms, to_ox(c)), ox.Quad(*terms, ox.DefaultGraph())]
        self.db.extend(batch)

    def remove(self, triple, context=None) -> None:
        self._writable()
        s, p, o, g = _pattern(triple, context)
        quads = [q for q in self.db.quads_for_pattern(s, p, o, g) if not isinstance(q.graph_name, _ox().DefaultGraph)]
        for q in quads:
            self.db.remove(q)
        forget_triples(self.db, quads)

    def triples(self, triple, context=None):
        s, p, o, g = _pattern(triple, context)
        if g is not None:
            for q in self.db.quads_for_pattern(s, p, o, g):
                yield (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)), iter((context,))
            return
        for q in self.db.quads_for_pattern(s, p, o, _ox().DefaultGraph()):
            yield (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)), self._holders(q)

    def _holders(self, q) -> Iterator[Graph]:
        """The named graphs that hold the triple of ``q`` (looked up when asked for)."""
        for h in self.db.quads_for_pattern(q.subject, q.predicate, q.object, None):
            if not isinstance(h.graph_name, _ox().DefaultGraph):
                yield self._graph(h.graph_name)

    def _graph(self, name) -> Graph:
        return Graph(store=self, identifier=from_ox(name))

    def __len__(self, context=None) -> int:
        name = to_ox(context)
        return count(self.db, name if name is not None else _ox().DefaultGraph())

    def contexts(self, triple=None):
        if triple is None:
            names = self.db.named_graphs()
        else:
            ox = _ox()
            names = {
                q.graph_name
                for q in self.db.quads_for_pattern(*_pattern(triple, None))
                if not isinstance(q.graph_name, ox.DefaultGraph)
            }
        for name in names:
            yield self._graph(name)

    def add_graph(self, graph) -> None:
        name = to_ox(graph)
        if self.read_only or self.db.contains_named_graph(name):
            return  # an empty graph is as good as none
        self.db.add_graph(name)

    def remove_graph(self, graph) -> None:
        self.remove((None, None, None), graph)
        self.db.remove_graph(to_ox(graph))

    def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803 (rdflib's names)
        if isinstance(query, Query) or kwargs:
            raise NotImplementedError  # rdflib then evaluates it pattern by pattern
        whole = queryGraph in ("__UNION__", DATASET_DEFAULT_GRAPH_ID)
        return native_query(self.db, query, initBindings, graph=None if whole else queryGraph)

    def bind(self, prefix, namespace, override: bool = True, replace: bool = False) -> None:
        if not override and prefix in self._ns:
            return
        for p in [p for p, ns in self._ns.items() if ns == URIRef(namespace)]:
            del self._ns[p]
        self._ns[prefix] = URIRef(namespace)

    def namespace(self, prefix):
        return self._ns.get(prefix)

    def prefix(self, namespace):
        return next((p for p, ns in self._ns.items() if ns == URIRef(namespace)), None)

    def namespaces(self):
        yield from list(self._ns.items())


def count(db, graph) -> int:
    """Number of triples in ``graph`` (a pyoxigraph graph name) of ``db``."""
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    return int(next(iter(db.query(q, default_graph=graph)))[0].value)


def forget_triples(db, quads) -> None:
    """Take out of the default graph (the union) the triples of ``quads`` that no
    named graph holds any more."""
    ox = _ox()
    default = ox.DefaultGraph()
    for q in {ox.Triple(q.subject, q.predicate, q.object) for q in quads}:
        held = any(
            not isinstance(h.graph_name, ox.DefaultGraph)
            for h in db.quads_for_pattern(q.subject, q.predicate, q.object, None)
        )
        if not held:
            db.remove(ox.Quad(q.subject, q.predicate, q.object, default))


def _pattern(triple, context) -> tuple:
    s, p, o = triple
    return (_term_or_none(s), _term_or_none(p), _term_or_none(o), to_ox(context))


def _term_or_none(term):
    return None if term is None or not isinstance(term, (URIRef, BNode, Literal)) else to_ox(term)


def open_dataset(db, read_only: bool = False) -> Dataset:
    """An rdflib Dataset (default graph: the union of the named graphs) over ``db``."""
    from kg.rdf.namespace import bind_prefixes

    ds = Dataset(store=OxigraphStore(db, read_only), default_union=True)
    bind_prefixes(ds)
    return ds


# ------------------------------------------------------------------ folders
# (opening, copying and loading one: kg.storage.oxstore)


def store_quads(db) -> set[tuple]:
    """Every quad of the named graphs of ``db`` as rdflib terms (for comparisons)."""
    ox = _ox()
    return {
        (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), from_ox(q.graph_name))
        for q in db
        if not isinstance(q.graph_name, ox.DefaultGraph)
    }


def is_store(folder: str | os.PathLike) -> bool:
    """True when ``folder`` holds an on-disk store written by ``kg build``."""
    return (Path(folder) / STORE_DIR / "CURRENT").is_file()


# ------------------------------------------------- named queries on any graph


def run_query_file(graph: Graph, name: str, **bindings) -> Result:
    """Run kg/queries/<name>.rq over any rdflib Graph or Dataset, with the project
    prefixes bound; keywords bind variables (rdflib terms as they are, other
    values as plain literals).
    """
    sparql = query_text(name)
    init = {var: as_term(value) for var, value in bindings.items()}
    if _on_disk(graph):  # run inside Oxigraph, not pattern by pattern
        whole = isinstance(graph, Dataset)
        return native_query(graph.store.db, sparql, init, graph=None if whole else graph.identifier)
    return rdflib_query(graph, sparql, init)


def rdflib_query(graph: Graph, sparql: str, init: dict) -> Result:
    """``sparql`` over an rdflib graph, ``init`` bound with ``initBindings``, or, when a
    sub-select uses one of them (which initBindings do not reach), as a VALUES block
    in each clause that uses it (kg.queries.bindings.with_bindings, as on a server)."""
    if init and binds_inside(sparql, init):
        return graph.query(prepare(with_bindings(sparql, init)))
    return graph.query(prepare(sparql), initBindings=init)


def _on_disk(graph) -> bool:
    return type(getattr(graph, "store", None)).__name__ == "OxigraphStore"
