"""``kg export``: a built graph in another format."""

from __future__ import annotations

from pathlib import Path

import click

#: Default output folder of ``kg build``.
from kg.cli.common import EXISTING

EXPORT_FORMATS = ("ttl", "nt", "nq", "jsonld", "graphml", "csv")  # kg.graph.export.FORMATS (a test keeps them equal)


@click.command()
@click.argument("folder", metavar="DIR", type=EXISTING)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="ttl, nt: all triples; nq, jsonld: with the named graphs; graphml: the "
    "network (Gephi, Cytoscape); csv: one row per relation, with labels.",
)
@click.option(
    "-o", "--output", metavar="FILE", default="-", show_default=True, help="Where to write; - is standard output."
)
def export(folder: Path, fmt: str, output: str) -> None:
    """Write the graph in DIR in another format.

    RDF formats come from rdflib, GraphML from networkx (nodes with label,
    class and aliases; edges with property, Chinese label, best confidence,
    numbers of sentences and articles, first sentence), CSV has one row per
    core relation with the labels and classes of both ends and its evidence.
    The same graph always gives the same bytes.  A CSV written to a file
    starts with a byte-order mark, so that Excel reads the Chinese.

    \b
    Examples:
      kg export build/ --format ttl -o graph.ttl
      kg export build/ --format graphml -o graph.graphml
      kg export build/ --format csv > relations.csv
    """
    from kg.graph.export import export as convert
    from kg.graph.knowledge import KnowledgeGraph

    data = convert(KnowledgeGraph.load(folder), fmt)
    if output == "-":
        click.get_binary_stream("stdout").write(data)
        return
    Path(output).write_bytes((b"\xef\xbb\xbf" if fmt == "csv" else b"") + data)
    click.echo(f"Wrote {output} ({len(data):,} bytes, {fmt}).")
