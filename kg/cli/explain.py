"""``kg explain``: the articles and sentences behind a triple."""

from __future__ import annotations

from pathlib import Path

import click

#: Default output folder of ``kg build``.
from kg.cli.common import EXISTING


@click.command()
@click.argument("folder", metavar="DIR", type=EXISTING)
@click.argument("subject")
@click.argument("relation")
@click.argument("object_", metavar="OBJECT")
def explain(folder: Path, subject: str, relation: str, object_: str) -> None:
    """Show every article, date and sentence that states SUBJECT RELATION OBJECT.

    SUBJECT and OBJECT are entity names (any label or alias) or IRIs;
    RELATION is a core relation by name (hosts, kg:hosts) or Chinese label
    (承载).  Sentences are grouped by article, with the article's title, id,
    date and URL, the sentence's character offsets in the article, the rule
    and its confidence; the names of the subject and object are marked
    【thus】.  The evidence comes from kg/queries/evidence.rq, as on the page.
    Exit status 1 when the graph does not state the triple (the message names
    what it states between the two instead).

    \b
    Examples:
      kg explain build/ 溧阳高新区 hosts 天目湖先进储能技术研究院
      kg explain build/ 天目湖先进储能技术研究院 建立者 中国科学院物理研究所
    """
    from kg.graph.knowledge import KnowledgeGraph
    from kg.rdf.provenance import explain as evidence
    from kg.rdf.provenance import format_explanation

    graph = KnowledgeGraph.load(folder)
    click.echo(format_explanation(evidence(graph, subject, relation, object_)))
