"""The ``kg`` command: build, query and evaluate knowledge graphs.

Each command is one call into the library (:func:`kg.pipeline.run.build`,
:meth:`kg.graph.knowledge.KnowledgeGraph.query`, :func:`kg.evaluation.report.assess`); this
module only parses arguments and prints.  Every :class:`kg.errors.KGError`
(and an operating-system error such as a folder that cannot be written)
becomes one line ``Error: <message>`` on stderr and exit status 1, handled
once in :class:`_Group`.

>>> from click.testing import CliRunner
>>> print(CliRunner().invoke(cli, ["query", "no/such/folder", "ASK {}"]).output, end="")
Error: no such file or folder: no/such/folder
"""

from __future__ import annotations

import click

from kg.cli import build, evaluate, explain, export, html, push, query, train, validate
from kg.errors import KGError

COMMANDS = (
    build.build,
    query.query,
    push.push,
    html.html,
    evaluate.evaluate,
    explain.explain,
    validate.validate,
    export.export,
    train.train,
)


class _Group(click.Group):
    """A click group that reports library errors as one line, never a traceback.

    Sub-commands (and their argument parsing) run inside ``Group.invoke``, so
    catching here covers every command.
    """

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KGError as exc:
            raise click.ClickException(str(exc)) from exc
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from exc


@click.group(name="kg", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="zone-kg", prog_name="kg")
def cli() -> None:
    """Knowledge graphs of high-tech zones, parks, institutes and companies
    from Chinese news articles.

    `kg build` reads articles (.txt pages, .md, .html, .jsonl) into an RDF
    dataset (build/graph.trig) and an interactive page (build/graph.html,
    works offline); `kg query` runs SPARQL over a built graph; `kg evaluate`
    scores a graph against gold annotations.  `kg explain` shows the
    sentences behind a triple, `kg validate` checks a graph against
    shapes.ttl (SHACL) and `kg export` writes it as Turtle, N-Triples,
    N-Quads, JSON-LD, GraphML or CSV.  `kg push` loads it into a SPARQL 1.1
    server (Oxigraph, Fuseki…), which `kg query URL` then queries.

    \b
    Examples:
      kg build data/ -o build/
      kg query build/ "SELECT ?zone WHERE { ?z a kg:Zone ; rdfs:label ?zone }"
      kg query build/ --name zone_institutes --param zone=溧阳高新区
      kg html build/ -o liyang.html --focus 溧阳高新区 --depth 2
      kg evaluate data/gold/seed.json build/ --explain
      kg explain build/ 溧阳高新区 hosts 天目湖先进储能技术研究院
      kg validate build/
      kg export build/ --format csv -o relations.csv
      kg push build/ http://127.0.0.1:7878/
      kg train data/train -o my.kgmodel
    """


for command in COMMANDS:
    cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``kg`` script."""
    cli.main(args=argv, prog_name="kg")
