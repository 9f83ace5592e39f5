"""kg.queries.bindings: values as escaped RDF terms in a VALUES block that opens the WHERE clause.

What the server makes of them (injection strings come back as plain values)
is tested against the real server in tests/test_remote.py.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from kg.errors import GraphError
from kg.queries.bindings import sparql_term, with_bindings
from kg.queries.sparql import named_queries
from kg.rdf.namespace import KG, PREFIXES

XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


@pytest.mark.parametrize(
    "term,text",
    [
        (Literal("溧阳高新区", lang="zh"), '"溧阳高新区"@zh'),
        (Literal('say "}" \\ \n\r'), r'"say \"}\" \\ \n\r"'),
        (Literal('x\n\\"'), r'"x\n\\\""'),  # rdflib's n3() writes """x\n\\"""" here
        (Literal("2024-03-05", datatype=XSD_DATE), f'"2024-03-05"^^<{XSD_DATE}>'),
        (Literal(3), '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        (KG.Zone, f"<{KG.Zone}>"),
    ],
)
def test_terms(term, text):
    assert sparql_term(term) == text


@pytest.mark.parametrize(
    "term,message",
    [
        (URIRef("http://x> . ?s ?p ?o"), "parameter v: 'http://x> . ?s ?p ?o' is not a valid IRI"),
        (URIRef("http://x/a b"), "parameter v: 'http://x/a b' is not a valid IRI"),
        (Literal("x", datatype=URIRef("http://x/>")), "parameter v: 'http://x/>' is not a valid IRI"),
        (BNode("b"), "parameter v: rdflib.term.BNode('b') cannot be sent to a server (an IRI or a literal expected)"),
    ],
)
def test_what_is_not_a_term_is_refused(term, message):
    with pytest.raises(GraphError) as exc:
        sparql_term(term, "v")
    assert str(exc.value) == message


def test_bindings_open_the_where_clause():
    assert (
        with_bindings("CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }", {"t": KG.Zone}, construct=True)
        == f"CONSTRUCT {{ ?s a ?t }} WHERE {{ VALUES (?t) {{ (<{KG.Zone}>) }} ?s a ?t }}"
    )
    tricky = "# where {\nSELECT (EXISTS { ?s ?p '{' } AS ?e) ?where\nFROM <http://x/#where> WHERE {\n?s ?p ?where }"
    assert with_bindings(tricky, {"s": Literal("q")}) == tricky.replace("WHERE {", 'WHERE { VALUES (?s) { ("q") }')
    assert (
        with_bindings('ASK { ?s ?p """}""" }', {"p": KG.hosts, "s": KG.Zone})
        == f'ASK {{ VALUES (?p ?s) {{ (<{KG.hosts}> <{KG.Zone}>) }} ?s ?p """}}""" }}'
    )
    assert with_bindings("SELECT * { }", {}) == "SELECT * { }"


def test_every_named_query_takes_its_parameters_at_its_where_clause():
    for name, query in named_queries().items():
        params = {p: Literal('"} . ?s ?p ?o', lang="zh") for p in query.params}
        if not params:
            continue
        text = with_bindings(query.text, params)
        values = f"VALUES ({' '.join('?' + p for p in params)})"
        assert f"WHERE {{ {values}" in text, name
        prepareQuery(text, initNs=PREFIXES)  # still one valid query


def test_bad_variable_names_and_queries_without_where():
    with pytest.raises(GraphError, match="is not a SPARQL variable name"):
        with_bindings("SELECT ?v WHERE { }", {"v) { } #": Literal("x")})
    with pytest.raises(GraphError, match=r"^cannot bind \?s: the query has no WHERE clause$"):
        with_bindings("DESCRIBE <http://x>", {"s": Literal("q")})
