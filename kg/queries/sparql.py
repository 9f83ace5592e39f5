"""SPARQL from Python: the named queries of kg/queries/ and results as dicts or DataFrames.

A named query is a ``.rq`` file whose opening comments document it::

    # title: Zones and the institutes they host
    # 高新区及其承载的研究机构和高校 ...
    # param zone: label, optional — one zone, by its name or any alias (溧阳高新区)

A ``.rq`` file without a ``# title:`` is one of the library's own queries, not
a named one: ``evidence.rq`` and ``confidence.rq`` give the provenance of
triples (bound to one triple by ``KnowledgeGraph.evidence`` and ``kg
explain``; unbound, of every triple, for the exports and ``kg evaluate``).
``query_file`` runs both kinds; ``run``, ``kg query --name`` and ``%sparql``
offer the named ones.

A parameter is bound with ``initBindings``, never pasted into the text: a
``label`` parameter becomes ``"…"@zh`` (every label and alias is), ``iri``
an IRI (``kgr:``/``kg:`` names are expanded), ``text`` a plain literal and
``number`` an integer or decimal.

>>> q = named_query("zone_institutes")
>>> q.title, list(q.params)
('Zones and the institutes they host', ['zone'])
>>> bind(q, {"zone": "溧阳高新区"})
{'zone': rdflib.term.Literal('溧阳高新区', lang='zh')}
>>> bind(q, {"zon": "溧阳高新区"})
Traceback (most recent call last):
...
kg.errors.GraphError: query 'zone_institutes' has no parameter 'zon' (parameters: zone)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pyparsing import ParseException
from rdflib import BNode, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.processor import SPARQLResult
from rdflib.term import Node

from kg.errors import GraphError


@functools.lru_cache(maxsize=64)
def prepare(sparql: str):
    """``sparql`` parsed by rdflib with the project prefixes bound (cached); a bad query is a
    GraphError with rdflib's reason, whether the graph is a folder, a store or a server."""
    from kg.rdf.namespace import PREFIXES

    try:
        return prepareQuery(sparql, initNs=PREFIXES)
    except ParseException as exc:
        raise GraphError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
    except Exception as exc:  # rdflib raises bare Exception, e.g. for an unknown prefix
        raise GraphError(f"bad SPARQL query: {exc}") from None


def as_term(value) -> Node:
    """An rdflib term as it is; any other value as a plain literal (a binding's value)."""
    return value if isinstance(value, Node) else Literal(value)


__all__ = [
    "NamedQuery",
    "named_queries",
    "named_query",
    "query_text",
    "bind",
    "parse_params",
    "readable",
    "to_dicts",
    "to_df",
    "QueryResult",
]

QUERY_DIR = Path(__file__).parent
KINDS = ("label", "iri", "text", "number")
_QUERY_NAME = re.compile(r"[A-Za-z0-9_-]+")
_PARAM = re.compile(r"#\s*param\s+(\w+)\s*:\s*(\w+)\s*(?:,\s*(required|optional))?\s*(?:[—-]+\s*(.*))?$")


@dataclass(frozen=True)
class NamedQuery:
    """A documented query of kg/queries/: name, title, description, parameters, text."""

    name: str
    title: str
    description: str
    params: dict = field(default_factory=dict)  # name -> (kind, required, help)
    text: str = ""
    titled: bool = True  # False: one of the library's own queries


def _parse(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    title, lines, params = "", [], {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _PARAM.match(line)
        if m:
            name, kind, need, help_ = m.groups()
            if kind not in KINDS:
                raise GraphError(f"{path}: parameter {name}: kind {kind!r} is not one of {', '.join(KINDS)}")
            params[name] = (kind, need == "required", (help_ or "").strip())
        elif line.startswith("# title:"):
            title = line.split(":", 1)[1].strip()
        else:
            lines.append(line.lstrip("#").strip())
    description = " ".join(x for x in lines if x)
    return NamedQuery(path.stem, title or description, description, params, text, bool(title))


def named_queries() -> dict[str, NamedQuery]:
    """Every named query of kg/queries/ (a file with a ``# title:``), by name (sorted).

    >>> "entity_facts" in named_queries(), "evidence" in named_queries()
    (True, False)
    """
    queries = (_parse(p) for p in sorted(QUERY_DIR.glob("*.rq")))
    return {q.name: q for q in queries if q.titled}


def query_text(name: str) -> str:
    """The text of kg/queries/<name>.rq, a named query or one of the library's own;
    a GraphError names them all."""
    path = QUERY_DIR / f"{name}.rq"
    if not _QUERY_NAME.fullmatch(name) or not path.is_file():
        known = ", ".join(sorted(p.stem for p in QUERY_DIR.glob("*.rq")))
        raise GraphError(f"no query named {name!r} (known: {known})")
    return path.read_text(encoding="utf-8")


def named_query(name: str) -> NamedQuery:
    """The query kg/queries/<name>.rq; a GraphError names the known ones."""
    queries = named_queries()
    if name not in queries:
        raise GraphError(f"no query named {name!r} (known: {', '.join(queries)})")
    return queries[name]


def parse_params(pairs) -> dict[str, str]:
    """``["zone=溧阳高新区", ...]`` as a dict; a pair without ``=`` is an error.

    >>> parse_params(["zone=溧阳高新区", "x=a=b"])
    {'zone': '溧阳高新区', 'x': 'a=b'}
    """
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise GraphError(f"parameter {pair!r} is not NAME=VALUE")
        out[name.strip()] = value
    return out


def _convert(kind: str, name: str, value) -> object:
    if not isinstance(value, str):
        return value if isinstance(value, (URIRef, Literal)) else Literal(value)
    if kind == "label":
        return Literal(value, lang="zh")
    if kind == "text":
        return Literal(value)
    if kind == "number":
        try:
            return Literal(int(value)) if re.fullmatch(r"[+-]?\d+", value) else Literal(Decimal(value))
        except ArithmeticError:
            raise GraphError(f"parameter {name}: {value!r} is not a number") from None
    from kg.rdf.namespace import PREFIXES

    prefix, sep, rest = value.partition(":")
    if sep and prefix in PREFIXES and not rest.startswith("//"):
        return URIRef(str(PREFIXES[prefix]) + rest)
    if not re.match(r"https?://", value):
        raise GraphError(f"parameter {name}: {value!r} is not an IRI or a kg:/kgr: name")
    return URIRef(value)


def bind(query: NamedQuery, params: Mapping[str, object]) -> dict:
    """Parameters as rdflib terms for ``initBindings``, checked against the query's."""
    known = ", ".join(query.params) or "none"
    for name in params:
        if name not in query.params:
            raise GraphError(f"query {query.name!r} has no parameter {name!r} (parameters: {known})")
    for name, (_, required, _) in query.params.items():
        if required and name not in params:
            raise GraphError(f"query {query.name!r} needs the parameter {name} (--param {name}=…)")
    return {name: _convert(query.params[name][0], name, v) for name, v in params.items()}


# ------------------------------------------------------------------- results


def readable(term, labels: Callable | None = None):
    """A result value as plain Python: literals as their value (decimals as floats),
    IRIs as their label when ``labels(iri)`` knows one, else as ``kg:``/``kgr:`` names.

    >>> readable(Literal("0.9", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")))
    0.9
    >>> readable(URIRef("https://w3id.org/zone-kg/ontology#hosts")), readable(None)
    ('kg:hosts', None)
    """
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            return float(value)
        return str(value) if isinstance(value, Literal) else value
    if isinstance(term, URIRef):
        label = labels(term) if labels else None
        if label:
            return label
        from kg.rdf.namespace import PREFIXES

        iri = str(term)
        best = max(
            ((p, str(ns)) for p, ns in PREFIXES.items() if iri.startswith(str(ns))),
            key=lambda pn: len(pn[1]),
            default=None,
        )
        return f"{best[0]}:{iri[len(best[1]) :]}" if best else iri
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_dicts(result, labels: Callable | None = None, raw: bool = False) -> list[dict]:
    """SELECT rows as dicts (variable -> value), values as :func:`readable` makes them;
    ``raw`` keeps the rdflib terms.  ASK gives ``[{"answer": bool}]``."""
    if result.type == "ASK":
        return [{"answer": bool(result.askAnswer)}]
    if result.type != "SELECT":
        raise GraphError(f"a {result.type} query gives triples, not rows")
    names = [str(v) for v in result.vars]
    if raw:
        return [{n: row[v] for n, v in zip(names, result.vars)} for row in result]
    return [{n: readable(row[v], labels) for n, v in zip(names, result.vars)} for row in result]


def to_df(result, labels: Callable | None = None):
    """SELECT rows as a pandas DataFrame with readable values (pandas is the ``test``/
    ``notebook`` extra: ``pip install 'zone-kg[test]'``)."""
    try:
        import pandas as pd
    except ImportError:
        raise GraphError("to_df needs pandas: pip install pandas") from None
    rows = to_dicts(result, labels)
    columns = ["answer"] if result.type == "ASK" else [str(v) for v in result.vars]
    return pd.DataFrame(rows, columns=columns)


class QueryResult(SPARQLResult):
    """An rdflib SPARQL result that also converts itself: ``.to_dicts()``, ``.to_df()``."""

    _labels: Callable | None = None

    @classmethod
    def wrap(cls, result, labels: Callable | None = None) -> QueryResult:
        """``result`` (an rdflib SPARQLResult) with the conversions; IRIs named by ``labels``."""
        if isinstance(result, SPARQLResult) and type(result) in (SPARQLResult, cls):
            result.__class__ = cls
            result._labels = labels
        return result

    def to_dicts(self, raw: bool = False) -> list[dict]:
        """The rows as dicts of readable values (entities by label); ``raw``: rdflib terms."""
        return to_dicts(self, self._labels, raw=raw)

    def to_df(self):
        """The rows as a pandas DataFrame of readable values (entities by label)."""
        return to_df(self, self._labels)


class QueryMethods:
    """``run``, ``to_dicts`` and ``to_df`` for a graph that has ``query(sparql, **bindings)`` and
    ``query_file(name, **bindings)``: the local graph (kg.graph.knowledge) and a SPARQL server (kg.graph.remote)."""

    def run(self, name: str, **params):
        """Run kg/queries/<name>.rq with its documented parameters (see :func:`bind`)."""
        return self.query_file(name, **bind(named_query(name), params))

    def to_dicts(self, query: str, **params) -> list[dict]:
        """Rows of a named query (or of SPARQL text) as dicts, entities by label."""
        return self._rows(query, params).to_dicts()

    def to_df(self, query: str, **params):
        """Rows of a named query (or of SPARQL text) as a pandas DataFrame, entities by label."""
        return self._rows(query, params).to_df()

    def _rows(self, query: str, params: dict):
        return self.run(query, **params) if query in named_queries() else self.query(query, **params)
