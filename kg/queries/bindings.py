r"""Values bound to a query's variables, as SPARQL text for a server.

A value is never pasted into a query: :func:`sparql_term` writes it as an
RDF term (an IRI checked, a literal escaped) and :func:`with_bindings` puts
the terms in a ``VALUES`` block that opens the query's WHERE clause, where
they constrain the whole pattern as rdflib's ``initBindings`` do on a folder.

>>> print(with_bindings("SELECT ?i WHERE { ?z rdfs:label ?zone ; kg:hosts ?i }",
...                     {"zone": Literal('x"} . ?s ?p ?o', lang="zh")}))
SELECT ?i WHERE { VALUES (?zone) { ("x\"} . ?s ?p ?o"@zh) } ?z rdfs:label ?zone ; kg:hosts ?i }
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import GraphError

__all__ = ["binds_inside", "sparql_term", "with_bindings"]

_VAR = re.compile(r"\w+")
_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def sparql_term(term: Node, name: str = "value") -> str:
    r"""An IRI or literal as SPARQL text: IRIs checked, literals escaped.

    Always the short ``"…"`` form with ``\\ \" \n \r`` escaped (rdflib's
    ``Literal.n3()`` switches to ``\"\"\"…\"\"\"`` for text with a line break and
    mis-escapes a backslash and quote ending it).

    >>> print(sparql_term(Literal('a "}\n', lang="zh")))
    "a \"}\n"@zh
    >>> print(sparql_term(URIRef("https://w3id.org/zone-kg/ontology#Zone")))
    <https://w3id.org/zone-kg/ontology#Zone>
    >>> sparql_term(URIRef("http://x> . ?s ?p ?o"), "zone")
    Traceback (most recent call last):
    ...
    kg.errors.GraphError: parameter zone: 'http://x> . ?s ?p ?o' is not a valid IRI
    """
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise GraphError(f"parameter {name}: {str(term)!r} is not a valid IRI")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            if not _LANG.fullmatch(term.language):
                raise GraphError(f"parameter {name}: {term.language!r} is not a language tag")
            return f"{text}@{term.language}"
        if term.datatype:
            return f"{text}^^{sparql_term(URIRef(term.datatype), name)}"
        return text
    raise GraphError(f"parameter {name}: {term!r} cannot be sent to a server (an IRI or a literal expected)")


_TOKEN = re.compile(
    r'''
    (?P<string> """(?:(?:"|"")?(?:[^"\\]|\\.))*""" | \'\'\'(?:(?:'|'')?(?:[^'\\]|\\.))*\'\'\'
              | "(?:[^"\\\n\r]|\\.)*" | '(?:[^'\\\n\r]|\\.)*' )
  | (?P<iri> <[^<>"{}|^`\\\x00-\x20]*> )
  | (?P<comment> \#[^\n]* )
  | (?P<var> [?$]\w* )
  | (?P<word> :?\w[\w.-]*(?::[\w.%-]*)? )
  | (?P<open> [{(] )
  | (?P<close> [})] )
  | (?P<other> . )
''',
    re.X | re.S,
)


def _where_brace(sparql: str, construct: bool) -> int | None:
    """Offset just after the ``{`` that opens the query's WHERE clause, or None.

    Strings, IRIs and comments are skipped; a ``{`` inside parentheses (an
    EXISTS in the SELECT clause) and a CONSTRUCT template are not the clause.
    """
    parens = braces = 0
    seen_where = False
    for m in _TOKEN.finditer(sparql):
        kind, text = m.lastgroup, m.group()
        top = parens == 0 and braces == 0
        if kind == "word" and top and text.upper() == "WHERE":
            seen_where = True
        elif kind == "open" and text == "(":
            parens += 1
        elif kind == "open":
            if top and (seen_where or not construct):
                return m.end()
            braces += 1
        elif kind == "close" and text == ")":
            parens = max(parens - 1, 0)
        elif kind == "close":
            braces = max(braces - 1, 0)
    return None


def with_bindings(sparql: str, bindings: Mapping[str, Node], construct: bool = False) -> str:
    """``sparql`` with ``VALUES (?a ?b) { (term term) }`` opening its WHERE clause.

    As rdflib's ``initBindings`` on a local graph, the values constrain the
    whole pattern from the start (a trailing VALUES, as rdflib's SPARQLStore
    writes it, joins after GROUP BY and would not filter an aggregate query
    by a variable it groups over).  A sub-select has variables of its own:
    a bound variable that one uses gets a VALUES block in that sub-select's
    WHERE clause too, and in the outer one only when used there (or used
    nowhere).  ``construct``: the query is a CONSTRUCT, whose first ``{`` is
    its template.

    >>> q = "SELECT ?n WHERE { { SELECT ?z (COUNT(?i) AS ?n) WHERE { ?z rdfs:label ?zone ; kg:hosts ?i } GROUP BY ?z } }"
    >>> print(with_bindings(q, {"zone": Literal("甲")}))
    SELECT ?n WHERE { { SELECT ?z (COUNT(?i) AS ?n) WHERE { VALUES (?zone) { ("甲") } ?z rdfs:label ?zone ; kg:hosts ?i } GROUP BY ?z } }
    """
    if not bindings:
        return sparql
    for name in bindings:
        if not _VAR.fullmatch(name):
            raise GraphError(f"{name!r} is not a SPARQL variable name")
    at = _where_brace(sparql, construct)
    if at is None:
        raise GraphError(f"cannot bind ?{next(iter(bindings))}: the query has no WHERE clause")
    terms = {n: sparql_term(t, n) for n, t in bindings.items()}
    clauses = _clauses(sparql, at)
    places: dict[int, list[str]] = {}
    for name in bindings:
        used = [start for start, names in clauses.items() if name in names]
        for start in used or [at]:
            places.setdefault(start, []).append(name)
    for start in sorted(places, reverse=True):
        names = places[start]
        block = f" VALUES ({' '.join(f'?{n}' for n in names)}) {{ ({' '.join(terms[n] for n in names)}) }}"
        sparql = sparql[:start] + block + sparql[start:]
    return sparql


def binds_inside(sparql: str, names) -> bool:
    """True when a sub-select of ``sparql`` uses one of the variables ``names``:
    rdflib's ``initBindings`` do not reach into a sub-select, :func:`with_bindings` does.

    >>> binds_inside("SELECT * WHERE { { SELECT ?z WHERE { ?z rdfs:label ?zone } } }", ["zone"])
    True
    >>> binds_inside("SELECT * WHERE { ?z rdfs:label ?zone }", ["zone"])
    False
    """
    at = _where_brace(sparql, False)
    if at is None:
        return False
    inner = [used for start, used in _clauses(sparql, at).items() if start != at]
    return any(name in used for used in inner for name in names)


def _clauses(sparql: str, outer: int) -> dict[int, set[str]]:
    """The WHERE clauses of the query (the outer one opening at ``outer``) and of
    its sub-selects: offset after each ``{``, and the variables used in it
    outside its sub-selects (a sub-select's projection counts as the clause's)."""
    clauses: dict[int, set[str]] = {outer: set()}
    stack: list[int | None] = [outer]  # per open brace, the clause it opens (or None)
    pending_select = 0  # sub-selects whose WHERE brace is still to come
    for m in _TOKEN.finditer(sparql, outer):
        kind, text = m.lastgroup, m.group()
        if kind == "word" and text.upper() == "SELECT":
            pending_select += 1
        elif kind == "open" and text == "{":
            if pending_select:
                pending_select -= 1
                clauses[m.end()] = set()
                stack.append(m.end())
            else:
                stack.append(None)
        elif kind == "close" and text == "}":
            if len(stack) > 1:
                stack.pop()
            else:
                break
        elif kind == "var":
            owner = next((c for c in reversed(stack) if c is not None), outer)
            clauses[owner].add(text[1:])
    return clauses
