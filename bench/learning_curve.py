"""The learning curve: cross-validated F1 of the learned model against the number of training articles.

usage: python bench/learning_curve.py [--corpus DIR] [--k 5] [--fractions 0.25,0.5,1] [--quality JSON]
                                      [--json OUT] [--plot docs/images/learning_curve.png]

For each fraction, every fold's model is trained (as ``kg train`` trains it) on
that fraction of the fold's training articles (the same articles at every
fraction, in a fixed order: each smaller set is part of the larger one) and
scored on the fold left out, on the saved folds of ``data/train/folds.json``:
the same held-out articles at every point.  ``--quality`` takes the point of
fraction 1 from a ``bench/quality.py --json`` file rather than training it again.

Draws entity and relation F1 (and relation precision and recall) against the
training articles per fold, with matplotlib, into ``--plot``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.quality import Model, progress_printer  # noqa: E402
from kg.evaluation.corpus import load_corpus  # noqa: E402
from kg.evaluation.crossval import cross_validate  # noqa: E402


def subset(train, fraction: float):
    """The first ``fraction`` of ``train`` in an order fixed by the article ids (not by the folds).

    >>> from types import SimpleNamespace as E
    >>> arts = [E(id=f"a{i}") for i in range(8)]
    >>> [e.id for e in subset(arts, 0.5)] == [e.id for e in subset(arts, 1.0)][:4]
    True
    """
    order = sorted(train, key=lambda e: hashlib.sha1(e.id.encode()).hexdigest())
    return order[: max(1, round(fraction * len(order)))]


def plot(points: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [p["train_articles"] for p in points]
    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=120)
    ax.plot(xs, [p["entities"]["f1"] for p in points], "o-", label="entities F1")
    ax.plot(xs, [p["relations"]["f1"] for p in points], "s-", label="relations F1")
    ax.plot(xs, [p["relations"]["precision"] for p in points], ":", marker=".", label="relations precision")
    ax.plot(xs, [p["relations"]["recall"] for p in points], "--", marker=".", label="relations recall")
    ax.set_xlabel("training articles per fold")
    ax.set_ylabel("cross-validated score (micro, all folds)")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    ax.set_title("zone-kg learned model: more articles, better extraction?", fontsize="medium")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "data/train", help="corpus folder (kg.evaluation.corpus)")
    ap.add_argument("--k", type=int, default=5, help="number of folds")
    ap.add_argument("--fractions", default="0.25,0.5,1", help="comma-separated fractions of each fold's training set")
    ap.add_argument("--quality", type=Path, help="bench/quality.py --json output: its model CV is the point at 1")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--plot", type=Path, default=ROOT / "docs/images/learning_curve.png")
    a = ap.parse_args(argv)
    corpus = load_corpus(a.corpus)
    folds = corpus.folds(a.k)
    per_fold = len(corpus.examples) * (a.k - 1) / a.k
    points = []
    tmp = tempfile.TemporaryDirectory(prefix="kg-curve-")
    model = Model(corpus, Path(tmp.name))
    for fraction in sorted(float(f) for f in a.fractions.split(",")):
        if fraction == 1 and a.quality:
            cv = json.loads(a.quality.read_text(encoding="utf-8"))["model"]["cv"]
        else:
            cv = cross_validate(
                lambda train, f=fraction: model(subset(train, f)),
                corpus,
                folds,
                a.k,
                progress=progress_printer(f"fraction {fraction}"),
            )["micro"]
        point = {"fraction": fraction, "train_articles": round(fraction * per_fold), **cv}
        points.append(point)
        print(
            f"{point['train_articles']:4} training articles per fold: entities F1 {cv['entities']['f1']:.3f}, "
            f"relations P {cv['relations']['precision']:.3f} R {cv['relations']['recall']:.3f} "
            f"F1 {cv['relations']['f1']:.3f}",
            flush=True,
        )
    tmp.cleanup()
    plot(points, a.plot)
    print(f"plot: {a.plot.relative_to(ROOT) if a.plot.is_relative_to(ROOT) else a.plot}")
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(points, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
