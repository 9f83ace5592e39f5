"""``kg push``: a built graph into a SPARQL 1.1 server."""

from __future__ import annotations

from pathlib import Path

import click

#: Default output folder of ``kg build``.
from kg.cli.common import EXISTING, plural, progress_bar


def _names(iris: list[str], limit: int = 10) -> str:
    """Article graphs by document id, the first ``limit`` of them."""
    from kg.rdf.namespace import doc_id_of

    ids = [doc_id_of(i) or i for i in iris]
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


@click.command()
@click.argument("folder", metavar="DIR", type=EXISTING)
@click.argument("url")
@click.option("--store-url", metavar="URL", help="Graph Store Protocol endpoint [default: store beside URL's query].")
@click.option(
    "--query-url",
    metavar="URL",
    help="SPARQL query endpoint, asked for the server's graphs [default: URL; URL's query when URL ends in /].",
)
@click.option("--update-url", metavar="URL", help="SPARQL update endpoint [default: update beside URL's query].")
@click.option("--prune", is_flag=True, help="Also delete the server's article graphs that DIR does not have.")
def push(
    folder: Path, url: str, store_url: str | None, query_url: str | None, update_url: str | None, prune: bool
) -> None:
    """Load the graph in DIR into a SPARQL 1.1 server at URL.

    Every named graph (the ontology, one per article, the reference facts)
    replaces the server's graph of the same name (Graph Store Protocol: PUT
    ?graph=NAME), so pushing again after an article changed leaves none of
    its old triples.  The server's article graphs that DIR does not have (an
    article removed since) are listed; --prune deletes them.  Last, one
    SPARQL Update makes the server's default graph the union of its named
    graphs, so that `kg query URL` gives what `kg query DIR` gives.

    URL is the server's base, ending in / (Oxigraph's /query, /update and
    /store under it), or its query endpoint (any other URL; update and store
    beside it).  Other servers name their endpoints: --store-url,
    --query-url, --update-url.

    \b
    Examples:
      oxigraph serve --location kgdb/ --bind 127.0.0.1:7878 &
      kg push build/ http://127.0.0.1:7878/
      kg push build/ http://127.0.0.1:7878/ --prune
      kg push build/ http://localhost:3030/ds/sparql \\
          --store-url http://localhost:3030/ds/data      # Fuseki
    """
    from kg.graph.push import push as push_graph

    with progress_bar("Pushing") as progress:
        report = push_graph(
            folder, url, store_url=store_url, query_url=query_url, update_url=update_url, prune=prune, progress=progress
        )
    parts = ", ".join([plural(report.articles, "article"), *report.others])
    click.echo(
        f"Pushed {plural(len(report.graphs), 'graph')} ({parts}), {report.triples:,} triples, to {report.store}."
    )
    if report.removed:
        click.echo(
            f"Removed {plural(len(report.removed), 'article graph')} that DIR does not have: {_names(report.removed)}."
        )
    if report.stale:
        n = len(report.stale)
        click.echo(
            f"{plural(n, 'article graph')} on the server "
            f"{'is' if n == 1 else 'are'} not in DIR: {_names(report.stale)} "
            f"(--prune deletes {'it' if n == 1 else 'them'})."
        )


# ------------------------------------------------------------------- html
