"""The relation classifier: a multinomial logistic regression over candidate pairs, calibrated.

:func:`fit_relations` fits it (scikit-learn) and keeps only its weights
(kg.extraction.learned.RelationWeights: numpy at run time).  :func:`calibrate`
fits it again on folds of the training articles so that each article's pairs
get probabilities from a classifier that did not see them; from these come one
temperature (least log loss), the threshold of best F1 over entity pairs among
those of precision at least ``min_precision``, and, per property, whether the
model asserts the classifier's triples, the rules' or both.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kg.extraction.learned import RelationWeights
from kg.learning.settings import CLASSES, Settings
from kg.records import PROPERTIES

# ``data`` below is a sequence of prepared articles (kg.learning.train.Prepared) with their pairs.


def vocabulary(rows: Sequence[list[str]], min_count: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for feats in rows:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    return {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}


def matrix(rows: Sequence[list[str]], vocab: dict[str, int]):
    """``rows`` as a sparse 0/1 matrix over the features of ``vocab``."""
    from scipy.sparse import csr_matrix

    indptr, indices = [0], []
    for feats in rows:
        indices.extend(sorted({vocab[f] for f in feats if f in vocab}))
        indptr.append(len(indices))
    return csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(vocab)))


def fit_relations(rows: Sequence[list[str]], labels: Sequence[str], settings: Settings) -> RelationWeights:
    """A logistic regression over ``rows`` (feature lists) and ``labels`` (classes of CLASSES)."""
    from sklearn.linear_model import LogisticRegression

    vocab = vocabulary(rows, settings.min_count)
    y = np.array([CLASSES.index(label) for label in labels])
    present = sorted(set(y.tolist()))
    lr = LogisticRegression(C=settings.C, max_iter=2000, random_state=settings.seed)
    lr.fit(matrix(rows, vocab), y)
    coef = np.zeros((len(vocab), len(CLASSES)))
    intercept = np.full(len(CLASSES), -30.0)  # a class never seen is never predicted
    if len(present) == 1:
        intercept[present[0]] = 0.0
    else:
        for j, cls in enumerate(lr.classes_):
            row = j if len(lr.classes_) > 2 else None
            if row is None:  # two classes: one weight vector for the second
                coef[:, cls] = lr.coef_[0] if j == 1 else 0.0
                intercept[cls] = lr.intercept_[0] if j == 1 else 0.0
            else:
                coef[:, cls] = lr.coef_[j]
                intercept[cls] = lr.intercept_[j]
    return RelationWeights(vocab, list(CLASSES), coef, intercept)


def pairs_of(data: Sequence):
    rows, labels, owners = [], [], []
    for n, p in enumerate(data):
        for feats, label, keys in zip(p.pair_features, p.pair_labels, p.pair_keys):
            if label is not None:
                rows.append(feats)
                labels.append(label)
                owners.append((n, keys))
    return rows, labels, owners


def calibrate(data: Sequence, settings: Settings, folds: int = 3) -> tuple[float, float, dict]:
    """(temperature, threshold, figures) from out-of-fold predictions (see the module's docstring)."""
    rows, labels, owners = pairs_of(data)
    fold_of = [n % folds for n, _ in owners]
    logits = np.zeros((len(rows), len(CLASSES)))
    for k in range(folds):
        train = [i for i, f in enumerate(fold_of) if f != k]
        test = [i for i, f in enumerate(fold_of) if f == k]
        if not train or not test or len({labels[i] for i in train}) < 2:
            continue
        w = fit_relations([rows[i] for i in train], [labels[i] for i in train], settings)
        w.temperature = 1.0
        p = w.probabilities([rows[i] for i in test])
        logits[test] = np.log(np.clip(p, 1e-12, 1.0))
    y = np.array([CLASSES.index(label) for label in labels])
    temperature = _temperature(logits, y)
    probs = _softmax(logits / temperature)
    threshold, figures = _threshold(probs, y, owners, settings.min_precision)
    figures["sources"] = _sources(data, probs, y, owners, threshold, settings)
    return temperature, threshold, figures


def _sources(data: Sequence, probs, y, owners, threshold: float, settings: Settings) -> dict:
    """Per property, whose triples the model asserts: the classifier's, the rules' or both
    (``"model"``, ``"rules"``, ``"both"``), the one of best F1 among those of precision at least
    ``min_precision`` on held-out articles (else the most precise).  The rules learn nothing, so
    their triples on the training articles are as good as held out; a property with fewer than
    ``min_examples`` gold relations is left to them (too few to learn from, or to compare on)."""
    gold: dict[str, set] = {p: set() for p in PROPERTIES}
    neutral: set = set()
    said = {name: {p: set() for p in PROPERTIES} for name in ("model", "rules")}
    for i, (n, keys) in enumerate(owners):
        if y[i] != 0:
            gold[CLASSES[y[i]]].add((n, keys))
        for j, prop in enumerate(CLASSES[1:], 1):
            if probs[i, j] >= threshold:
                said["model"][prop].add((n, keys))
    for n, p in enumerate(data):
        for keys, prop, label in p.rule_triples:
            if label is None:
                neutral.add((n, keys, prop))
            else:
                said["rules"][prop].add((n, keys))
                if label == prop:
                    gold[prop].add((n, keys))
    out, precision = {}, {}
    for prop in PROPERTIES:
        options = {
            "model": said["model"][prop],
            "rules": said["rules"][prop],
            "both": said["model"][prop] | said["rules"][prop],
        }
        scored = []
        for name, found in options.items():
            found = {k for k in found if (k[0], k[1], prop) not in neutral}
            tp = len(found & gold[prop])
            prec = tp / len(found) if found else 0.0
            rec = tp / len(gold[prop]) if gold[prop] else 0.0
            f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
            scored.append((prec >= settings.min_precision, f1, prec, name == "model", name))
            if name == "rules":
                precision[prop] = round(prec, 3)
        qualified = [s for s in scored if s[0]]
        if len(gold[prop]) < settings.min_examples:  # too few to measure the rules on either
            out[prop] = "rules"
            del precision[prop]
            continue
        out[prop] = max(qualified)[4] if qualified else max(scored, key=lambda s: (s[2], s[3]))[4]
    return {"source": out, "rule_precision": precision}


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature of least log loss, on a grid (0.5 … 3)."""
    if not len(y):
        return 1.0
    best, best_loss = 1.0, float("inf")
    for t in np.arange(0.5, 3.01, 0.05):
        p = _softmax(logits / t)
        loss = -np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1.0)))
        if loss < best_loss - 1e-12:
            best, best_loss = float(round(t, 2)), loss
    return best


def _threshold(probs: np.ndarray, y: np.ndarray, owners, min_precision: float) -> tuple[float, dict]:
    """The threshold of best F1 over entity pairs (an article's pair and property once, its best
    candidate's probability), among those of precision >= min_precision when any is."""
    best: dict[tuple, float] = {}
    gold: set[tuple] = set()
    for i, (n, keys) in enumerate(owners):
        if y[i] != 0:
            gold.add((n, keys, y[i]))
        for j in range(1, len(CLASSES)):
            k = (n, keys, j)
            best[k] = max(best.get(k, 0.0), float(probs[i, j]))
    rows = []
    for t in np.arange(0.2, 0.91, 0.02):
        said = {k for k, p in best.items() if p >= t}
        tp = len(said & gold)
        p = tp / len(said) if said else 0.0
        r = tp / len(gold) if gold else 0.0
        rows.append((round(float(t), 2), p, r, 2 * p * r / (p + r) if p + r else 0.0))
    ok = [row for row in rows if row[1] >= min_precision] or rows
    t, p, r, f = max(ok, key=lambda row: (row[3], -row[0]))
    return t, {"threshold": t, "pair_precision": round(p, 3), "pair_recall": round(r, 3), "pair_f1": round(f, 3)}
