"""The ``kg`` command: build, query and evaluate knowledge graphs.

Each command is one call into the library (:func:`kg.pipeline.build`,
:meth:`kg.graph.KnowledgeGraph.query`, :func:`kg.evaluate.assess`); this
module only parses arguments and prints.  Every :class:`kg.errors.KGError`
(and an operating-system error such as a folder that cannot be written)
becomes one line ``Error: <message>`` on stderr and exit status 1, handled
once in :class:`_Group`.

>>> from click.testing import CliRunner
>>> print(CliRunner().invoke(cli, ["query", "no/such/folder", "ASK {}"]).output, end="")
Error: no such file or folder: no/such/folder
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
import time
import unicodedata
from pathlib import Path

import click

from kg.errors import InputError, KGError

#: Default output folder of ``kg build``.
DEFAULT_OUTPUT = "build/"
QUERY_FORMATS = ("table", "csv", "json")


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


class _ExistingPath(click.ParamType):
    """A path that must exist; a missing one is an InputError like the readers raise."""

    name = "path"

    def convert(self, value, param, ctx) -> Path:
        path = Path(value)
        if not path.exists():
            raise InputError(f"no such file or folder: {value}")
        return path


EXISTING = _ExistingPath()


@click.group(name="kg", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="zone-kg", prog_name="kg")
def cli() -> None:
    """Knowledge graphs of high-tech zones, parks, institutes and companies
    from Chinese news articles.

    `kg build` reads articles (.txt pages, .md, .html, .jsonl) into an RDF
    dataset (build/graph.trig) and an interactive page (build/graph.html,
    works offline); `kg query` runs SPARQL over a built graph; `kg evaluate`
    scores a graph against gold annotations.

    \b
    Examples:
      kg build data/ -o build/
      kg query build/ "SELECT ?zone WHERE { ?z a kg:Zone ; rdfs:label ?zone }"
      kg evaluate data/gold/seed.json build/ --explain
    """


# ------------------------------------------------------------------ build

def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _counts(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    inner = ", ".join(f"{k} {v}" for k, v in counts.items())
    return f"{total} ({inner})" if inner else "0"


@contextlib.contextmanager
def _progress_bar(label: str):
    """A progress callback ``(done, total, item)`` drawing a bar on stderr.

    The bar is made at the first call, when the total is known; it is hidden
    when stderr is not a terminal.
    """
    err = sys.stderr
    with contextlib.ExitStack() as stack:
        bars: list = []

        def progress(done: int, total: int, item: str) -> None:
            if not bars:
                bars.append(stack.enter_context(click.progressbar(
                    length=total, label=label, file=err, hidden=not err.isatty(),
                    show_pos=True, item_show_func=lambda x: x)))
            bars[0].update(done - bars[0].pos, current_item=item)

        yield progress


class _Confidence(click.ParamType):
    """A number from 0 to 1; anything else is an InputError (one ``Error:`` line)."""

    name = "X"

    def convert(self, value, param, ctx) -> float:
        from kg.pipeline import check_confidence
        return check_confidence(value, param.opts[0] if param else "confidence")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=EXISTING)
@click.option("-o", "--output", default=DEFAULT_OUTPUT, show_default=True, metavar="DIR",
              help="Folder for graph.trig and graph.html (made if missing; a previous "
                   "graph there is replaced).")
@click.option("--min-confidence", type=_Confidence(), default=0.0, show_default=True,
              help="Leave out relations stated with a confidence below X (0 to 1); "
                   "the entities they name are kept.")
def build(paths: tuple[Path, ...], output: str, min_confidence: float) -> None:
    """Build the knowledge graph of the articles in PATHS (files or folders).

    Folders are read recursively (.txt, .md, .html, .jsonl).  Writes
    DIR/graph.trig (TriG, one named graph per article) and DIR/graph.html
    (interactive page), then prints what was read and found.  The exit
    status is 1 when a file had to be skipped (its name and the reason are
    printed), 0 otherwise.

    Every relation is stated by rules of some confidence (0 to 1, in the
    graph's provenance); --min-confidence keeps only those stated with at
    least X.  `kg evaluate --curve` shows what each threshold gives.

    \b
    Examples:
      kg build data/                        # into build/
      kg build news/*.md page.txt -o out/
      kg build data/ --min-confidence 0.8
    """
    from kg.pipeline import build as build_graph

    started = time.perf_counter()
    with _progress_bar("Extracting") as progress:
        graph = build_graph(paths, progress=progress, min_confidence=min_confidence)
    graph.save(output)
    report = graph.report
    out = Path(output)
    click.echo(f"Read {_plural(report.articles, 'article')}, "
               f"skipped {_plural(len(report.skipped), 'file')}.")
    for skipped in report.skipped:
        click.echo(f"  skipped {skipped}")
    click.echo(f"Entities: {_counts(report.entities_by_class)}")
    click.echo(f"Relations: {_counts(report.relations_by_property)}")
    click.echo(f"Wrote {out / 'graph.trig'} and {out / 'graph.html'} "
               f"in {time.perf_counter() - started:.1f} s.")
    if report.skipped:
        raise click.exceptions.Exit(1)


# ------------------------------------------------------------------ query

def _shorten(iri: str) -> str:
    """``iri`` as a prefixed name when a project prefix covers it.

    >>> _shorten("https://w3id.org/zone-kg/ontology#Zone")
    'kg:Zone'
    >>> _shorten("https://w3id.org/zone-kg/resource/e/480005c1687923bb")
    'kgr:e/480005c1687923bb'
    >>> _shorten("http://example.com/x")
    'http://example.com/x'
    """
    from kg.namespace import PREFIXES

    best = max(((p, str(ns)) for p, ns in PREFIXES.items() if iri.startswith(str(ns))),
               key=lambda pn: len(pn[1]), default=None)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else iri


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
    out.append(f"({_plural(len(rows), 'row')})")
    return "\n".join(out)


def format_result(result, fmt: str) -> str:
    """A SPARQL result (rdflib) as a table, CSV or JSON.

    SELECT gives one row per solution; ASK gives ``true`` or ``false``;
    CONSTRUCT and DESCRIBE give the triples as Turtle.
    """
    if result.type == "ASK":
        return json.dumps(bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        from kg.namespace import bind_prefixes
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


@cli.command()
@click.argument("folder", metavar="DIR", type=EXISTING)
@click.argument("sparql")
@click.option("-f", "--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table",
              show_default=True, help="Output format.")
def query(folder: Path, sparql: str, fmt: str) -> None:
    """Run a SPARQL query over the graph that `kg build` wrote to DIR.

    The prefixes kg: (ontology), kgr: (resources), rdf:, rdfs:, owl:, skos:,
    prov:, dcterms: and xsd: are bound.  The default graph is the union of
    all articles' named graphs; GRAPH ?g { ... } reaches one article's graph.
    Labels print as plain text and IRIs as kg:/kgr: names.

    \b
    Examples:
      kg query build/ "SELECT ?zone WHERE { ?z a kg:Zone ; rdfs:label ?zone }"
      kg query build/ --format csv "
        SELECT ?zone ?institute WHERE {
          ?z a kg:Zone ; rdfs:label ?zone ; kg:hosts ?i .
          ?i a kg:ResearchInstitute ; rdfs:label ?institute }"
    """
    from kg.graph import KnowledgeGraph

    click.echo(format_result(KnowledgeGraph.load(folder).query(sparql), fmt))


# --------------------------------------------------------------- evaluate

@cli.command()
@click.argument("gold", type=EXISTING)
@click.argument("output", type=EXISTING)
@click.option("--explain", is_flag=True,
              help="Also list what is wrong, grouped by cause, largest group first.")
@click.option("--curve", is_flag=True,
              help="Also show relation P/R/F1 at each minimum confidence.")
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
    from kg.evaluate import assess, format_report

    click.echo(format_report(**assess(gold, output, explain=explain, curve=curve)))


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``kg`` script."""
    cli.main(args=argv, prog_name="kg")


if __name__ == "__main__":
    main()
