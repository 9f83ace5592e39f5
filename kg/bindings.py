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
from typing import Mapping

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import GraphError

__all__ = ["sparql_term", "with_bindings"]

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
    raise GraphError(f"parameter {name}: {term!r} cannot be sent to a server "
                     "(an IRI or a literal expected)")


_TOKEN = re.compile(r'''
    (?P<string> """(?:(?:"|"")?(?:[^"\\]|\\.))*""" | \'\'\'(?:(?:'|'')?(?:[^'\\]|\\.))*\'\'\'
              | "(?:[^"\\\n\r]|\\.)*" | '(?:[^'\\\n\r]|\\.)*' )
  | (?P<iri> <[^<>"{}|^`\\\x00-\x20]*> )
  | (?P<comment> \#[^\n]* )
  | (?P<var> [?$]\w* )
  | (?P<word> :?\w[\w.-]*(?::[\w.%-]*)? )
  | (?P<open> [{(] )
  | (?P<close> [})] )
  | (?P<other> . )
''', re.X | re.S)


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
    by a variable it groups over).  ``construct``: the query is a CONSTRUCT,
    whose first ``{`` is its template.
    """
    if not bindings:
        return sparql
    for name in bindings:
        if not _VAR.fullmatch(name):
            raise GraphError(f"{name!r} is not a SPARQL variable name")
    at = _where_brace(sparql, construct)
    if at is None:
        raise GraphError(f"cannot bind ?{next(iter(bindings))}: the query has no WHERE clause")
    names = " ".join(f"?{n}" for n in bindings)
    terms = " ".join(sparql_term(t, n) for n, t in bindings.items())
    return f"{sparql[:at]} VALUES ({names}) {{ ({terms}) }}{sparql[at:]}"
