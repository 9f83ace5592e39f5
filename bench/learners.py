"""Which learners: the mention tagger and the relation classifier, each against an alternative, on the saved folds.

usage: python bench/learners.py [--corpus DIR] [--k 5] [--folds 0,1,2,3,4] [--json OUT]

Both comparisons use the articles of the training corpus (``data/train/``), the
folds of ``data/train/folds.json`` (the ones ``bench/quality.py`` uses) and the
features the shipped model uses (kg.extraction.features); only the learner changes.

* **Tagger**: the linear-chain CRF (python-crfsuite, as ``kg train`` trains it)
  against a logistic regression that tags each token on its own (the same token
  features, hashed; fitted by stochastic gradient descent; no transitions).  Scored on mentions: exact span and class,
  micro over the held-out articles.
* **Relation classifier**: the logistic regression ``kg train`` fits against
  LightGBM's gradient-boosted trees, over the candidate pairs among the gold
  mentions (so that the tagger's mistakes do not blur the comparison).  Scored
  on (article, pair, property) at the threshold of best F1 among those of
  precision ≥ 0.75 (how ``kg train`` picks its threshold).

Prints a Markdown table with training time; ``--json`` also writes the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.quality import progress_printer  # noqa: E402
from kg.evaluation.corpus import load_corpus  # noqa: E402
from kg.extraction.pairs import tagged_spans  # noqa: E402
from kg.extraction.tokens import Token  # noqa: E402
from kg.learning.classifier import _threshold, fit_relations, matrix, pairs_of, vocabulary  # noqa: E402
from kg.learning.settings import CLASSES, Settings  # noqa: E402
from kg.learning.train import pair_data, prepare_all, train_tagger  # noqa: E402


def spans(labels) -> set[tuple[int, int, str]]:
    """BIO labels to (start, end, class) over token indices (kg.extraction.pairs.tagged_spans on
    tokens one offset wide).

    >>> sorted(spans(["B-Zone", "I-Zone", "O", "I-Company"]))
    [(0, 2, 'Zone'), (3, 4, 'Company')]
    """
    return set(tagged_spans([Token(i, i + 1, "", "") for i in range(len(labels))], labels))


def prf(tp: int, said: int, gold: int) -> dict:
    p, r = (tp / said if said else 0.0), (tp / gold if gold else 0.0)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3)}


def crf(train, settings):
    import pycrfsuite

    model = train_tagger(train, settings)  # kept: crfsuite reads the model from these bytes while tagging
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(model)
    return lambda feats, model=model: list(tagger.tag(feats)) if feats else []


def token_lr(train, settings):
    from sklearn.feature_extraction import FeatureHasher
    from sklearn.linear_model import SGDClassifier

    hasher = FeatureHasher(n_features=2**20, input_type="string", alternate_sign=False)
    feats = [f for p in train for doc in p.token_features for f in doc]
    labels = [label for p in train for doc in p.token_labels for label in doc]
    # logistic loss by stochastic gradient descent: lbfgs over 2**20 features and 19 labels took
    # over 20 minutes a fold
    lr = SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=20, tol=None, random_state=settings.seed)
    lr.fit(hasher.transform(feats), labels)
    return lambda doc: list(lr.predict(hasher.transform(doc))) if doc else []


def lightgbm_relations(rows, labels, settings):
    import lightgbm as lgb

    vocab = vocabulary(rows, settings.min_count)
    y = np.array([CLASSES.index(label) for label in labels])
    trees = lgb.LGBMClassifier(
        n_estimators=300,
        learning_rate=0.05,
        num_leaves=15,
        colsample_bytree=0.3,
        verbose=-1,
        random_state=settings.seed,
        deterministic=True,
        force_col_wise=True,
        n_jobs=2,
    ).fit(matrix(rows, vocab).astype(np.float32), y)

    def probabilities(test):
        out = np.zeros((len(test), len(CLASSES)))
        out[:, trees.classes_] = trees.predict_proba(matrix(test, vocab).astype(np.float32))
        return out

    return probabilities


def lr_relations(rows, labels, settings):
    return fit_relations(rows, labels, settings).probabilities


TAGGERS = {"CRF (python-crfsuite)": crf, "token-wise logistic regression": token_lr}
CLASSIFIERS = {
    "logistic regression (scikit-learn)": lr_relations,
    "gradient-boosted trees (LightGBM)": lightgbm_relations,
}


def compare(prepared, folds: dict, fold_ids, settings: Settings) -> dict:
    out = {"tagger": {}, "relations": {}}
    for name, learner in TAGGERS.items():
        tp = said = gold = 0
        started = time.monotonic()
        for k in fold_ids:
            tag = learner([p for p in prepared if folds[p.id] != k], settings)
            for p in (p for p in prepared if folds[p.id] == k):
                for feats, labels in zip(p.token_features, p.token_labels):
                    found, truth = spans(tag(feats)), spans(labels)
                    tp, said, gold = tp + len(found & truth), said + len(found), gold + len(truth)
        out["tagger"][name] = {**prf(tp, said, gold), "seconds": round(time.monotonic() - started, 1)}
        print(f"  tagger {name}: {out['tagger'][name]}", file=sys.stderr)
    for p in prepared:
        pair_data(p)  # the candidate pairs among the gold mentions
    for name, learner in CLASSIFIERS.items():
        probs, ys, owners = [], [], []
        started = time.monotonic()
        for k in fold_ids:
            rows, labels, _ = pairs_of([p for p in prepared if folds[p.id] != k])
            predict = learner(rows, labels, settings)
            test = [p for p in prepared if folds[p.id] == k]
            t_rows, t_labels, t_owners = pairs_of(test)
            probs.append(predict(t_rows))
            ys += [CLASSES.index(label) for label in t_labels]
            owners += [(test[n].id, keys) for n, keys in t_owners]
        seconds = round(time.monotonic() - started, 1)
        threshold, fig = _threshold(np.vstack(probs), np.array(ys), owners, settings.min_precision)
        out["relations"][name] = {
            "precision": fig["pair_precision"],
            "recall": fig["pair_recall"],
            "f1": fig["pair_f1"],
            "threshold": threshold,
            "seconds": seconds,
        }
        print(f"  relations {name}: {out['relations'][name]}", file=sys.stderr)
    return out


def table(figures: dict) -> str:
    lines = ["| Stage | Learner | P | R | F1 | Training time, all folds |", "|---|---|---|---|---|---|"]
    for stage, label in (("tagger", "mention tagger"), ("relations", "relation classifier")):
        for name, f in figures[stage].items():
            lines.append(
                f"| {label} | {name} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} | {f['seconds']:.0f} s |"
            )
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "data/train", help="corpus folder (kg.evaluation.corpus)")
    ap.add_argument("--k", type=int, default=5, help="number of folds")
    ap.add_argument("--folds", default=None, help="comma-separated held-out folds to run (default: all)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args(argv)
    corpus = load_corpus(a.corpus)
    folds = corpus.folds(a.k)
    fold_ids = [int(f) for f in a.folds.split(",")] if a.folds else list(range(a.k))
    prepared = prepare_all(corpus.examples, progress_printer("preparing"))
    figures = compare(prepared, folds, fold_ids, Settings())
    figures["folds"] = fold_ids
    figures["articles"] = len(prepared)
    print(f"{len(prepared)} articles, held-out folds {fold_ids} of {a.k}\n")
    print(table(figures))
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
