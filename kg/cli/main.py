"""The ``kg`` command: build, query and evaluate knowledge graphs.

Each command is one call into the library (:func:`kg.pipeline.run.build`,
:meth:`kg.graph.knowledge.KnowledgeGraph.query`, :func:`kg.evaluation.evaluate.assess`); this
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
EXPORT_FORMATS = ("ttl", "nt", "nq", "jsonld", "graphml", "csv")   # kg.graph.export.FORMATS (a test keeps them equal)


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


class _FolderOrURL(_ExistingPath):
    """A graph folder (that must exist) or a SPARQL server's URL (kept as text)."""

    name = "folder or URL"

    def convert(self, value, param, ctx):
        from kg.graph.remote import is_url
        return str(value) if is_url(value) else super().convert(value, param, ctx)


FOLDER_OR_URL = _FolderOrURL()


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
    when stderr is not a terminal.  A call with ``done`` 0 starts a new bar
    (a later phase of the build) labelled ``item``.
    """
    err = sys.stderr
    with contextlib.ExitStack() as stack:
        bars: list = []

        def progress(done: int, total: int, item: str) -> None:
            if done == 0 or not bars:
                if bars:
                    bars[-1].render_finish()
                bars.append(stack.enter_context(click.progressbar(
                    length=total, label=item if done == 0 else label, file=err,
                    hidden=not err.isatty(), show_pos=True, item_show_func=lambda x: x)))
                if done == 0:
                    return
            bars[-1].update(done - bars[-1].pos, current_item=item)

        yield progress


class _Confidence(click.ParamType):
    """A number from 0 to 1; anything else is an InputError (one ``Error:`` line)."""

    name = "X"

    def convert(self, value, param, ctx) -> float:
        from kg.pipeline.run import check_confidence
        return check_confidence(value, param.opts[0] if param else "confidence")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=EXISTING)
@click.option("-o", "--output", default=DEFAULT_OUTPUT, show_default=True, metavar="DIR",
              help="Folder for graph.trig and graph.html (made if missing; a previous "
                   "graph there is replaced).")
@click.option("--min-confidence", type=_Confidence(), default=0.0, show_default=True,
              help="Leave out relations stated with a confidence below X (0 to 1); "
                   "the entities they name are kept.")
@click.option("--store", type=click.Choice(("auto", "memory", "oxigraph")), default="auto",
              show_default=True,
              help="memory: DIR/graph.trig; oxigraph: the graph on disk in DIR/graph.oxigraph, "
                   "updated article by article; auto: the folder's store, else oxigraph beyond "
                   "2,000 articles.")
@click.option("-j", "--jobs", type=click.IntRange(1), default=1, show_default=True, metavar="N",
              help="Extract in N processes (the graph is the same).")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Extract on a Dask cluster (pip install 'zone-kg[cluster]').")
@click.option("--cache/--no-cache", default=None,
              help="Keep every article's extraction in DIR/.kg-cache, so that a build "
                   "extracts only new and changed articles [default: with --store oxigraph, "
                   "or when DIR has a cache].")
def build(paths: tuple[Path, ...], output: str, min_confidence: float, store: str, jobs: int,
          scheduler: str | None, cache: bool | None) -> None:
    """Build the knowledge graph of the articles in PATHS (files or folders).

    Folders are read recursively (.txt, .md, .html, .jsonl).  Writes
    DIR/graph.trig (TriG, one named graph per article) and DIR/graph.html
    (interactive page), then prints what was read and found.  The exit
    status is 1 when a file had to be skipped (its name and the reason are
    printed), 0 otherwise.

    Every relation is stated by rules of some confidence (0 to 1, in the
    graph's provenance); --min-confidence keeps only those stated with at
    least X.  `kg evaluate --curve` shows what each threshold gives.

    Large corpora: with --store oxigraph the graph stays on disk and a
    build rewrites only the articles that changed (and those naming an
    entity whose class or label changed); --jobs N extracts in N
    processes, --scheduler on a Dask cluster.  With --cache (the default for
    the on-disk store) unchanged articles are never extracted twice
    (DIR/.kg-cache).

    \b
    Examples:
      kg build data/                        # into build/
      kg build news/*.md page.txt -o out/
      kg build data/ --min-confidence 0.8
      kg build archive/ -o big/ --store oxigraph --jobs 4
    """
    from kg.pipeline.run import build_into

    started = time.perf_counter()
    with _progress_bar("Extracting") as progress:
        graph = build_into(paths, output, store=store, jobs=jobs, scheduler=scheduler,
                           min_confidence=min_confidence, cache=cache, progress=progress)
    report = graph.report
    out = Path(output)
    click.echo(f"Read {_plural(report.articles, 'article')}, "
               f"skipped {_plural(len(report.skipped), 'file')}.")
    for skipped in report.skipped:
        click.echo(f"  skipped {skipped}")
    for note in report.notes:
        click.echo(f"  note: {note}")
    click.echo(f"Entities: {_counts(report.entities_by_class)}")
    click.echo(f"Relations: {_counts(report.relations_by_property)}")
    _echo_rejected(report.rejected, out)
    written = "graph.trig" if graph.store == "memory" else "graph.oxigraph"
    click.echo(f"Wrote {out / written} and {out / 'graph.html'} "
               f"in {time.perf_counter() - started:.1f} s.")
    if report.skipped:
        raise click.exceptions.Exit(1)


def _echo_rejected(rejected, out: Path) -> None:
    """The summary line of what the build kept out of the graph (distinct triples)."""
    from kg.rdf.validate import REJECTED_FILE, rejected_by_property

    counts = rejected_by_property(rejected)
    where = f", outside their property's domain or range: {out / REJECTED_FILE}" if counts else ""
    click.echo(f"Rejected: {_counts(counts)}{where}")


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
    from kg.rdf.namespace import PREFIXES

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


@cli.command()
@click.argument("folder", metavar="DIR|URL", type=FOLDER_OR_URL)
@click.argument("sparql", required=False)
@click.option("-f", "--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table",
              show_default=True, help="Output format.")
@click.option("-n", "--name", metavar="NAME",
              help="Run the named query kg/queries/NAME.rq instead of SPARQL text.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the named query, bound with initBindings (repeatable).")
def query(folder: Path, sparql: str | None, fmt: str, name: str | None,
          params: tuple[str, ...]) -> None:
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
    from kg.graph.remote import open_graph
    from kg.queries.sparql import parse_params

    if (sparql is None) == (name is None):
        raise InputError("give either SPARQL text or --name NAME, not both" if name
                         else "give SPARQL text or --name NAME")
    if params and not name:
        raise InputError("--param goes with --name")
    graph = open_graph(folder)
    result = graph.run(name, **parse_params(params)) if name else graph.query(sparql)
    click.echo(format_result(result, fmt))


# ------------------------------------------------------------------- push

def _names(iris: list[str], limit: int = 10) -> str:
    """Article graphs by document id, the first ``limit`` of them."""
    from kg.rdf.namespace import doc_id_of

    ids = [doc_id_of(i) or i for i in iris]
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


@cli.command()
@click.argument("folder", metavar="DIR", type=EXISTING)
@click.argument("url")
@click.option("--store-url", metavar="URL",
              help="Graph Store Protocol endpoint [default: store beside URL's query].")
@click.option("--query-url", metavar="URL",
              help="SPARQL query endpoint, asked for the server's graphs "
                   "[default: URL; URL's query when URL ends in /].")
@click.option("--update-url", metavar="URL",
              help="SPARQL update endpoint [default: update beside URL's query].")
@click.option("--prune", is_flag=True,
              help="Also delete the server's article graphs that DIR does not have.")
def push(folder: Path, url: str, store_url: str | None, query_url: str | None,
         update_url: str | None, prune: bool) -> None:
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
    from kg.graph.remote import push as push_graph

    with _progress_bar("Pushing") as progress:
        report = push_graph(folder, url, store_url=store_url, query_url=query_url,
                            update_url=update_url, prune=prune, progress=progress)
    parts = ", ".join([_plural(report.articles, "article"), *report.others])
    click.echo(f"Pushed {_plural(len(report.graphs), 'graph')} ({parts}), "
               f"{report.triples:,} triples, to {report.store}.")
    if report.removed:
        click.echo(f"Removed {_plural(len(report.removed), 'article graph')} that DIR does "
                   f"not have: {_names(report.removed)}.")
    if report.stale:
        n = len(report.stale)
        click.echo(f"{_plural(n, 'article graph')} on the server "
                   f"{'is' if n == 1 else 'are'} not in DIR: {_names(report.stale)} "
                   f"(--prune deletes {'it' if n == 1 else 'them'}).")


# ------------------------------------------------------------------- html

@cli.command()
@click.argument("folder", metavar="DIR", type=EXISTING)
@click.option("-o", "--output", default="graph.html", show_default=True, metavar="FILE",
              help="The page to write.")
@click.option("--focus", metavar="ENTITY", multiple=True,
              help="Draw only the entities around ENTITY (a name or alias; repeatable).")
@click.option("--depth", type=click.IntRange(0), default=1, show_default=True,
              help="With --focus: how many relations away from it.")
@click.option("--classes", metavar="CLASS,...",
              help="Draw only entities of these classes (e.g. Zone,ResearchInstitute).")
@click.option("--max-nodes", type=click.IntRange(1), default=None, metavar="N",
              help="Node budget: beyond N entities draw the most connected part "
                   "[default: 1500].")
@click.option("--communities/--no-communities", default=True, show_default=True,
              help="Offer colouring by Louvain community on the page.")
@click.option("--title", default="zone-kg", show_default=True, help="Title of the page.")
def html(folder: Path, output: str, focus: tuple[str, ...], depth: int, classes: str | None,
         max_nodes: int | None, communities: bool, title: str) -> None:
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
    from kg.network.analysis import select
    from kg.graph.knowledge import KnowledgeGraph
    from kg.page.render import MAX_NODES, write_page

    wanted = [c.strip() for c in classes.split(",") if c.strip()] if classes else None
    budget = MAX_NODES if max_nodes is None else max_nodes
    graph = KnowledgeGraph.load(folder)
    if graph.store == "oxigraph":       # read the evidence of what is drawn, not of everything
        from kg.network.views import page_network
        G = page_network(graph, focus, depth, wanted, budget)
    else:
        G = select(graph.to_networkx(), focus, depth, wanted)
    write_page(G, output, title=title, max_nodes=budget, communities=communities)
    drawn = min(G.number_of_nodes(), budget)
    click.echo(f"Wrote {output}: {drawn} entities"
               + (f" (of {G.number_of_nodes()}: the most connected)" if drawn < len(G) else "")
               + ".")


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
    from kg.evaluation.evaluate import assess, format_report

    click.echo(format_report(**assess(gold, output, explain=explain, curve=curve)))


# ---------------------------------------------------- explain, validate, export

@cli.command()
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
    from kg.rdf.provenance import explain as evidence, format_explanation

    graph = KnowledgeGraph.load(folder)
    click.echo(format_explanation(evidence(graph, subject, relation, object_)))


@cli.command()
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
    from kg.rdf.validate import format_violations, validate as check

    violations = check(KnowledgeGraph.load(folder))
    click.echo(format_violations(violations))
    if violations:
        raise click.exceptions.Exit(1)


@cli.command()
@click.argument("folder", metavar="DIR", type=EXISTING)
@click.option("-f", "--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="ttl, nt: all triples; nq, jsonld: with the named graphs; graphml: the "
                   "network (Gephi, Cytoscape); csv: one row per relation, with labels.")
@click.option("-o", "--output", metavar="FILE", default="-", show_default=True,
              help="Where to write; - is standard output.")
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


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``kg`` script."""
    cli.main(args=argv, prog_name="kg")


if __name__ == "__main__":
    main()
