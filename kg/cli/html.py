"""``kg html``: an interactive page of a built graph, or of part of it."""

from __future__ import annotations

from pathlib import Path

import click

#: Default output folder of ``kg build``.
from kg.cli.common import EXISTING


@click.command()
@click.argument("folder", metavar="DIR", type=EXISTING)
@click.option("-o", "--output", default="graph.html", show_default=True, metavar="FILE", help="The page to write.")
@click.option(
    "--focus",
    metavar="ENTITY",
    multiple=True,
    help="Draw only the entities around ENTITY (a name or alias; repeatable).",
)
@click.option(
    "--depth",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    help="With --focus: how many relations away from it.",
)
@click.option(
    "--classes", metavar="CLASS,...", help="Draw only entities of these classes (e.g. Zone,ResearchInstitute)."
)
@click.option(
    "--max-nodes",
    type=click.IntRange(1),
    default=None,
    metavar="N",
    help="Node budget: beyond N entities draw the most connected part [default: 1500].",
)
@click.option(
    "--communities/--no-communities",
    default=True,
    show_default=True,
    help="Offer colouring by Louvain community on the page.",
)
@click.option("--title", default="zone-kg", show_default=True, help="Title of the page.")
def html(
    folder: Path,
    output: str,
    focus: tuple[str, ...],
    depth: int,
    classes: str | None,
    max_nodes: int | None,
    communities: bool,
    title: str,
) -> None:
    """Write an interactive page of the graph in DIR (or of part of it).

    The page works offline, from the disk: search by any name or alias,
    filters by class and relation, click a node for its facts and relations
    and an edge for its evidence sentences.

    \b
    Examples:
      kg html build/ -o page.html
      kg html build/ -o liyang.html --focus 溧阳高新区 --depth 2
      kg html build/ -o zones.html --classes Zone,ResearchInstitute
    """
    from kg.graph.knowledge import KnowledgeGraph
    from kg.network.analysis import select
    from kg.page.render import MAX_NODES, write_page

    wanted = [c.strip() for c in classes.split(",") if c.strip()] if classes else None
    budget = MAX_NODES if max_nodes is None else max_nodes
    graph = KnowledgeGraph.load(folder)
    if graph.store == "oxigraph":  # read the evidence of what is drawn, not of everything
        from kg.network.views import page_network

        G = page_network(graph, focus, depth, wanted, budget)
    else:
        G = select(graph.to_networkx(), focus, depth, wanted)
    write_page(G, output, title=title, max_nodes=budget, communities=communities)
    drawn = min(G.number_of_nodes(), budget)
    click.echo(
        f"Wrote {output}: {drawn} entities"
        + (f" (of {G.number_of_nodes()}: the most connected)" if drawn < len(G) else "")
        + "."
    )


# --------------------------------------------------------------- evaluate
