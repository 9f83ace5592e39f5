"""``kg validate``: a graph checked against shapes.ttl (SHACL)."""

from __future__ import annotations

from pathlib import Path

import click

#: Default output folder of ``kg build``.
from kg.cli.common import EXISTING


@click.command()
@click.argument("folder", metavar="DIR", type=EXISTING)
def validate(folder: Path) -> None:
    """Check the graph in DIR against shapes.ttl (SHACL, with pySHACL).

    Prints the violations grouped by shape, each with the offending triple
    and the sentence that states it; exit status 1 when there is any.  The
    shapes: every entity has exactly one class of the ontology and one
    @zh label; the subject and object of every core relation have classes
    in its domain and range; every relation has its evidence (a kg:Assertion
    with article and sentence); assertions, positions and observations are
    complete (an observation has a numeric value); reference facts are
    well-formed.

    \b
    Examples:
      kg validate build/
    """
    from kg.graph.knowledge import KnowledgeGraph
    from kg.graph.validation import format_violations
    from kg.graph.validation import validate as check

    violations = check(KnowledgeGraph.load(folder))
    click.echo(format_violations(violations))
    if violations:
        raise click.exceptions.Exit(1)
