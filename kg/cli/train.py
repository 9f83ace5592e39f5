"""``kg train``: a model learned from annotated articles."""

from __future__ import annotations

import time
from pathlib import Path

import click

from kg.cli.common import EXISTING, progress_bar


@click.command()
@click.argument("data_dir", metavar="DATA_DIR", type=EXISTING)
@click.option("-o", "--output", metavar="MODEL", help="The model file to write (a .kgmodel).")
@click.option(
    "--check", is_flag=True, help="Only check the gold files against their articles and ANNOTATION.md; train nothing."
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed of the learners (the same seed, the same model)."
)
def train(data_dir: Path, output: str | None, check: bool, seed: int) -> None:
    """Train the mention tagger and the relation classifier on the annotated articles in DATA_DIR.

    DATA_DIR holds articles/NAME.md (or .txt, .html, .jsonl) and gold/NAME.json in the format of
    ANNOTATION.md, or a corpus.tsv naming such folders.  The same articles and seed give the
    same model.  --check lists what is wrong with the gold files (a name that is not in its
    article, a class or property the vocabulary lacks, a gold file without its article) and exits
    with status 1 if anything is.  Use the model with `kg build --model MODEL`; measure it with
    bench/quality.py.

    \b
    Examples:
      kg train my_corpus/ --check
      kg train data/train -o my.kgmodel
      kg build news/ --model my.kgmodel -o build/
    """
    from kg.learning.train import Settings, train_corpus

    if check:
        from kg.evaluation.corpus import load_corpus

        corpus = load_corpus(data_dir)
        problems = corpus.problems()
        for line in problems:
            click.echo(line)
        click.echo(f"{len(corpus.examples)} annotated articles, {len(problems)} problems.")
        raise SystemExit(1 if problems else 0)
    if not output:
        raise click.UsageError("Missing option '-o' / '--output' (the model file to write).")
    started = time.perf_counter()
    with progress_bar("Reading") as progress:
        model = train_corpus(data_dir, output, Settings(seed=seed), progress)
    meta = model.meta
    cal = meta["calibration"]
    click.echo(
        f"Trained on {meta['articles']} articles ({meta['tokens']:,} tokens, {meta['pairs']:,} candidate pairs)."
    )
    click.echo(
        f"Relations: threshold {meta['threshold']}, temperature {meta['temperature']} (held-out pairs: "
        f"P {cal['pair_precision']:.3f}, R {cal['pair_recall']:.3f})."
    )
    size = Path(output).stat().st_size
    click.echo(f"Wrote {output} ({size / 1e6:.1f} MB) in {time.perf_counter() - started:.0f} s.")
