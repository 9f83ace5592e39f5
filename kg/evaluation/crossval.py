"""Cross-validation by article: a system trained on k-1 folds, scored on the one left out.

A *system* is a function from training examples to an extractor, and an
extractor a function from an article file to its graph (what ``kg build
FILE`` makes of it alone, as ``../shared/tools/check_score`` builds each
article).  The rules learn nothing, so their "training" ignores the examples;
a learned model trains on them.  Each test article is scored with
:func:`kg.evaluation.evaluate.evaluate` (the reference scorer's figures) and the counts
are summed over articles (micro-averaged, as ``score_folder.py`` does), per
fold and over all folds, with the figures of each property.

>>> import kg
>>> rules = lambda train: lambda path: kg.build([path])
>>> callable(rules([]))
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.evaluation.corpus import Corpus, Example
from kg.evaluation.evaluate import evaluate, load_gold, prf
from kg.records import PROPERTIES

Extractor = Callable[[Path], object]  # article file -> its graph
System = Callable[[Sequence[Example]], Extractor]  # training examples -> extractor
Progress = Callable[[int, int, str], None]  # (done, total, current item)
KINDS = ("entities", "relations")


@dataclass
class Tally:
    """Summed counts of scored articles: (output correct, output, gold found, gold required) of
    entities, relations and each property."""

    counts: dict[str, list[int]] = field(default_factory=dict)
    articles: int = 0

    def add(self, result: Mapping) -> None:
        """Add one article's :func:`kg.evaluation.evaluate.evaluate` result."""
        self.articles += 1
        rows = {**{k: result[k] for k in KINDS}, **result.get("per_property", {})}
        for name, r in rows.items():
            c = self.counts.setdefault(name, [0, 0, 0, 0])
            for i, key in enumerate(("output_correct", "output", "gold_found", "gold_required")):
                c[i] += r[key]

    def figures(self) -> dict:
        """P/R/F1 and counts of entities, relations and (under ``per_property``) each property."""
        empty = [0, 0, 0, 0]
        out = {k: prf(*self.counts.get(k, empty)) for k in KINDS}
        out["per_property"] = {p: prf(*self.counts.get(p, empty)) for p in PROPERTIES}
        out["articles"] = self.articles
        return out


def cross_validate(
    system: System, corpus: Corpus, folds: Mapping[str, int], k: int, *, progress: Progress | None = None
) -> dict:
    """``system`` trained on each k-1 folds and scored on the fold left out.

    Returns ``micro`` (all folds' articles summed), ``folds`` (the figures of each)
    and ``by_source`` (the articles of each source folder summed: the project's
    training articles apart from the articles its rules were written on)."""
    overall, by_source, per_fold = Tally(), {}, []
    total, done = len(corpus.examples), 0
    for fold in range(k):
        train, test = corpus.split(fold, folds)
        extractor = system(train)
        tally = Tally()
        for ex in test:
            res = evaluate(load_gold(ex.gold), extractor(ex.article))
            for t in (tally, overall, by_source.setdefault(str(ex.article.parent), Tally())):
                t.add(res)
            done += 1
            if progress:
                progress(done, total, ex.id)
        per_fold.append(tally.figures())
    return {
        "micro": overall.figures(),
        "folds": per_fold,
        "by_source": {s: t.figures() for s, t in sorted(by_source.items())},
    }
