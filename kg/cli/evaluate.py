"""``kg evaluate``: a graph scored against gold annotations."""

from __future__ import annotations

from pathlib import Path

import click

#: Default output folder of ``kg build``.
from kg.cli.common import EXISTING


@click.command()
@click.argument("gold", type=EXISTING)
@click.argument("output", type=EXISTING)
@click.option("--explain", is_flag=True, help="Also list what is wrong, grouped by cause, largest group first.")
@click.option("--curve", is_flag=True, help="Also show relation P/R/F1 at each minimum confidence.")
def evaluate(gold: Path, output: Path, explain: bool, curve: bool) -> None:
    """Score the graph OUTPUT against the gold annotation GOLD.

    Prints precision, recall and F1 of entities and relations, overall and
    per property (the same figures as ../shared/spec/score.py).  OUTPUT is a
    folder written by `kg build` or a graph file (.trig, .ttl, .nt, .nq,
    .jsonld).

    GOLD may also be a folder of gold files named after the articles
    (d01.json scores article d01 of OUTPUT): the figures are then
    micro-averaged over the articles, as score_folder.py does.

    --curve adds a table of relation P/R/F1 keeping only the triples whose
    best confidence is at least each threshold (0 and every confidence in
    the graph): what `kg build --min-confidence` would score.

    --explain adds the errors grouped by cause: missed entity, wrong class,
    wrong canonical name (matched only through an alias), missed relation
    because an entity was missed, wrong direction, spurious relation,
    spurious entity, missed relation with both entities found.

    \b
    Examples:
      kg build data/seed/ -o build/seed/
      kg evaluate data/gold/seed.json build/seed/
      kg evaluate gold/ build/ --curve --explain
    """
    from kg.evaluation.report import assess, format_report

    click.echo(format_report(**assess(gold, output, explain=explain, curve=curve)))


# ---------------------------------------------------- explain, validate, export
