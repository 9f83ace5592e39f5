"""``kg query``: SPARQL over a built graph or a server, printed as a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import click

#: Default output folder of ``kg build``.
from kg.cli.common import FOLDER_OR_URL, plural
from kg.errors import InputError

QUERY_FORMATS = ("table", "csv", "json")


def _shorten(iri: str) -> str:
    """``iri`` as a prefixed name when a project prefix covers it.

    >>> _shorten("https://w3id.org/zone-kg/ontology#Zone")
    'kg:Zone'
    >>> _shorten("https://w3id.org/zone-kg/resource/e/480005c1687923bb")
    'kgr:e/480005c1687923bb'
    >>> _shorten("http://example.com/x")
    'http://example.com/x'
    """
    from kg.rdf.namespace import PREFIXES

    best = max(
        ((p, str(ns)) for p, ns in PREFIXES.items() if iri.startswith(str(ns))), key=lambda pn: len(pn[1]), default=None
    )
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else iri


def _cell(term) -> str:
    """A query result value as plain text: literals bare, IRIs shortened."""
    from rdflib import BNode, URIRef

    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _shorten(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """Rows as aligned columns under their header, with a row count.

    >>> print(format_table(["zone", "n"], [["溧阳高新区", "3"], ["x", "12"]]))
    zone        n
    ----------  --
    溧阳高新区  3
    x           12
    (2 rows)
    """
    rows = [[c.replace("\n", " ") for c in row] for row in rows]
    widths = [max(_width(c) for c in col) for col in zip(header, *rows)]

    def line(cells):
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()

    out = [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]
    out.append(f"({plural(len(rows), 'row')})")
    return "\n".join(out)


def format_result(result, fmt: str) -> str:
    """A SPARQL result (rdflib) as a table, CSV or JSON.

    SELECT gives one row per solution; ASK gives ``true`` or ``false``;
    CONSTRUCT and DESCRIBE give the triples as Turtle.
    """
    if result.type == "ASK":
        return json.dumps(bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        from kg.rdf.namespace import bind_prefixes

        bind_prefixes(result.graph)
        return result.graph.serialize(format="turtle").rstrip("\n")
    header = [str(v) for v in result.vars]
    rows = [[_cell(row[v]) for v in result.vars] for row in result]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return buf.getvalue().rstrip("\n")
    if fmt == "json":
        return json.dumps([dict(zip(header, r)) for r in rows], ensure_ascii=False, indent=2)
    return format_table(header, rows)


@click.command()
@click.argument("folder", metavar="DIR|URL", type=FOLDER_OR_URL)
@click.argument("sparql", required=False)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True, help="Output format."
)
@click.option("-n", "--name", metavar="NAME", help="Run the named query kg/queries/NAME.rq instead of SPARQL text.")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter of the named query, bound with initBindings (repeatable).",
)
def query(folder: Path, sparql: str | None, fmt: str, name: str | None, params: tuple[str, ...]) -> None:
    """Run a SPARQL query over the graph that `kg build` wrote to DIR, or
    over a SPARQL server that `kg push` loaded it into (URL: see `kg push`).

    The prefixes kg: (ontology), kgr: (resources), rdf:, rdfs:, owl:, skos:,
    prov:, dcterms: and xsd: are bound.  The default graph is the union of
    all articles' named graphs; GRAPH ?g { ... } reaches one article's graph.
    Labels print as plain text and IRIs as kg:/kgr: names.

    --name runs a documented query of kg/queries/ with its parameters
    (--param zone=溧阳高新区: names and aliases are matched as labels):
    zone_institutes [zone], incubated_companies [zone], positions [org,
    person], zones_by_industry [industry], entity_facts entity,
    reference_facts [entity].

    \b
    Examples:
      kg query build/ "SELECT ?zone WHERE { ?z a kg:Zone ; rdfs:label ?zone }"
      kg query build/ --format csv "
        SELECT ?zone ?institute WHERE {
          ?z a kg:Zone ; rdfs:label ?zone ; kg:hosts ?i .
          ?i a kg:ResearchInstitute ; rdfs:label ?institute }"
      kg query build/ --name zone_institutes --param zone=溧阳高新区
      kg query build/ --name entity_facts --param entity=中科海钠
      kg query http://127.0.0.1:7878/ --name zone_institutes
    """
    from kg.graph.knowledge import open_graph
    from kg.queries.sparql import parse_params

    if (sparql is None) == (name is None):
        raise InputError(
            "give either SPARQL text or --name NAME, not both" if name else "give SPARQL text or --name NAME"
        )
    if params and not name:
        raise InputError("--param goes with --name")
    graph = open_graph(folder)
    result = graph.run(name, **parse_params(params)) if name else graph.query(sparql)
    click.echo(format_result(result, fmt))


# ------------------------------------------------------------------- push
