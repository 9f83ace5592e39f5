"""``kg build``: articles -> graph and page in a folder."""

from __future__ import annotations

import time
from pathlib import Path

import click

#: Default output folder of ``kg build``.
from kg.cli.common import DEFAULT_OUTPUT, EXISTING, Confidence, count_list, plural, progress_bar


@click.command()
@click.argument("paths", nargs=-1, required=True, type=EXISTING)
@click.option(
    "-o",
    "--output",
    default=DEFAULT_OUTPUT,
    show_default=True,
    metavar="DIR",
    help="Folder for graph.trig and graph.html (made if missing; a previous graph there is replaced).",
)
@click.option(
    "--min-confidence",
    type=Confidence(),
    default=0.0,
    show_default=True,
    help="Leave out relations stated with a confidence below X (0 to 1); the entities they name are kept.",
)
@click.option(
    "--store",
    type=click.Choice(("auto", "memory", "oxigraph")),
    default="auto",
    show_default=True,
    help="memory: DIR/graph.trig; oxigraph: the graph on disk in DIR/graph.oxigraph, "
    "updated article by article; auto: the folder's store, else oxigraph beyond "
    "2,000 articles.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    metavar="N",
    help="Extract in N processes (the graph is the same).",
)
@click.option(
    "--scheduler", metavar="tcp://HOST:PORT", help="Extract on a Dask cluster (pip install 'zone-kg[cluster]')."
)
@click.option(
    "--cache/--no-cache",
    default=None,
    help="Keep every article's extraction in DIR/.kg-cache, so that a build "
    "extracts only new and changed articles [default: with --store oxigraph, "
    "or when DIR has a cache].",
)
@click.option(
    "--model",
    type=EXISTING,
    metavar="MODEL",
    help="Extract with this model of `kg train` instead of the one that comes with zone-kg.",
)
@click.option("--rules-only", is_flag=True, help="Extract with the rules alone, no learned model.")
def build(
    paths: tuple[Path, ...],
    output: str,
    min_confidence: float,
    store: str,
    jobs: int,
    scheduler: str | None,
    cache: bool | None,
    model: Path | None,
    rules_only: bool,
) -> None:
    """Build the knowledge graph of the articles in PATHS (files or folders).

    Folders are read recursively (.txt, .md, .html, .jsonl).  Writes
    DIR/graph.trig (TriG, one named graph per article) and DIR/graph.html
    (interactive page), then prints what was read and found.  The exit
    status is 1 when a file had to be skipped (its name and the reason are
    printed), 0 otherwise.

    Entities and relations come from a learned model (the rules' findings
    are among its features); every relation has a confidence (0 to 1, the
    model's calibrated probability, in the graph's provenance) and
    --min-confidence keeps only those of at least X.  `kg evaluate --curve`
    shows what each threshold gives.  --model uses a model of your own
    (`kg train`), --rules-only the rules alone.

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
      kg build news/ --model my.kgmodel
      kg build archive/ -o big/ --store oxigraph --jobs 4
    """
    from kg.pipeline.ondisk import build_into

    started = time.perf_counter()
    with progress_bar("Extracting") as progress:
        graph = build_into(
            paths,
            output,
            store=store,
            jobs=jobs,
            scheduler=scheduler,
            min_confidence=min_confidence,
            cache=cache,
            progress=progress,
            model=model,
            rules_only=rules_only,
        )
    report = graph.report
    out = Path(output)
    click.echo(f"Read {plural(report.articles, 'article')}, skipped {plural(len(report.skipped), 'file')}.")
    for skipped in report.skipped:
        click.echo(f"  skipped {skipped}")
    for note in report.notes:
        click.echo(f"  note: {note}")
    click.echo(f"Entities: {count_list(report.entities_by_class)}")
    click.echo(f"Relations: {count_list(report.relations_by_property)}")
    _echo_rejected(report.rejected, out)
    written = "graph.trig" if graph.store == "memory" else "graph.oxigraph"
    click.echo(f"Wrote {out / written} and {out / 'graph.html'} in {time.perf_counter() - started:.1f} s.")
    if report.skipped:
        raise click.exceptions.Exit(1)


def _echo_rejected(rejected, out: Path) -> None:
    """The summary line of what the build kept out of the graph (distinct triples)."""
    from kg.rdf.validate import REJECTED_FILE, rejected_by_property

    counts = rejected_by_property(rejected)
    where = f", outside their property's domain or range: {out / REJECTED_FILE}" if counts else ""
    click.echo(f"Rejected: {count_list(counts)}{where}")


# ------------------------------------------------------------------ query
