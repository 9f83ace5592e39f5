"""Training: annotated articles in, a model file out (``kg train DATA_DIR -o MODEL``).

1. **Prepare** each article as extraction sees it: its tokens and their features, the
   rules' mentions and relations; the tagger's labels from the gold names
   (:mod:`kg.learning.labels`); the candidate pairs among the gold-labelled mentions and
   their labels.
2. **The tagger**: a linear-chain CRF (python-crfsuite, L-BFGS with L1 and L2 penalties).
3. **The relation classifier**: a multinomial logistic regression (scikit-learn) over the
   pairs' features (those seen at least twice).  Its probabilities are calibrated by one
   temperature, and its threshold chosen, on predictions made for each article by a
   classifier that did not see it (3 folds): the threshold is the one of best F1 of entity
   pairs whose precision is at least ``min_precision``.

The same articles, settings and seed give the same model, byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError
from kg.evaluation.corpus import Example
from kg.evaluation.gold import load_gold
from kg.extraction.extract import simplified, tagged
from kg.extraction.features import Context
from kg.extraction.learned import FEATURES, FORMAT, Model
from kg.learning.classifier import calibrate, fit_relations, pairs_of
from kg.learning.labels import GoldRelations, token_labels
from kg.learning.settings import Progress, Settings
from kg.records import BuildReport


@dataclass
class Prepared:
    """One article, ready to learn from: its documents as extraction sees them, the gold token labels
    and features (for the tagger), and its candidate pairs with their labels (for the relation
    classifier, made by :func:`pair_data` from the mentions a tagger gives)."""

    id: str
    contexts: list[tuple[str, Context]] = field(default_factory=list)  # (doc id, context) per document
    token_features: list[list[list[str]]] = field(default_factory=list)
    token_labels: list[list[str]] = field(default_factory=list)
    gold: GoldRelations | None = None
    pair_features: list[list[str]] = field(default_factory=list)
    pair_labels: list[str | None] = field(default_factory=list)
    pair_keys: list[tuple[str, str]] = field(default_factory=list)
    rule_triples: list[tuple[tuple[str, str], str, str | None]] = field(default_factory=list)  # (keys, prop, gold)


def prepare(example: Example) -> Prepared:
    """What the learned stages see of one annotated article, and the tagger's gold labels."""
    from kg.pipeline.run import read_documents

    gold = load_gold(example.gold)
    out = Prepared(example.id, gold=GoldRelations(gold))
    report = BuildReport()
    docs = read_documents([example.article], report)
    if not docs:
        raise InputError(f"{example.article}: no article to learn from ({'; '.join(map(str, report.skipped))})")
    for doc in docs:
        text = simplified(doc).text
        ctx = Context.of(text)
        out.contexts.append((doc.id, ctx))
        out.token_features.append(ctx.token_features())
        out.token_labels.append(token_labels(text, ctx.tokens, gold))
    return out


def pair_data(p: Prepared, labels: list[list[str]] | None = None, optional_positive: bool = False) -> Prepared:
    """``p`` with its candidate pairs, among the mentions of ``labels`` (a tagger's, one list per
    document; default: the gold ones), each labelled by the gold relations."""
    p.pair_features, p.pair_labels, p.pair_keys, p.rule_triples = [], [], [], []
    for (doc_id, ctx), tags in zip(p.contexts, labels or p.token_labels):
        found = tagged(doc_id, ctx, tags)
        names = {e.key: {e.key, e.label, *e.aliases} for e in found.entities}
        for a in {(a.subject, a.property, a.object) for a in found.rules}:
            gold = p.gold.label(names.get(a[0], {a[0]}), names.get(a[2], {a[2]}), optional_positive)
            p.rule_triples.append(((a[0], a[2]), a[1], gold))
        for c in found.pairs:
            p.pair_features.append(c.features)
            p.pair_labels.append(
                p.gold.label(names.get(c.s.key, {c.s.key}), names.get(c.o.key, {c.o.key}), optional_positive)
            )
            p.pair_keys.append((c.s.key, c.o.key))
    return p


def prepare_all(examples: Sequence[Example], progress: Progress | None = None) -> list[Prepared]:
    out = []
    for n, ex in enumerate(examples, 1):
        out.append(prepare(ex))
        if progress:
            progress(n, len(examples), ex.id)
    return out


def cross_tagged(data: Sequence[Prepared], settings: Settings, progress: Progress | None = None) -> None:
    """Each article's candidate pairs among the mentions of a tagger that did not see it
    (``settings.cross_fit`` folds): the relation classifier learns from mentions as a tagger
    finds them, mistakes included, not from the gold ones."""
    import pycrfsuite

    k = settings.cross_fit
    if k < 2 or len(data) < k:
        for p in data:
            pair_data(p)
        return
    for fold in range(k):
        model = train_tagger([p for n, p in enumerate(data) if n % k != fold], settings)
        tagger = pycrfsuite.Tagger()
        tagger.open_inmemory(model)
        for n, p in enumerate(data):
            if n % k == fold:
                pair_data(p, [list(tagger.tag(f)) if f else [] for f in p.token_features])
        if progress:
            progress(fold + 1, k, "taggers for the relations")


def train_tagger(data: Sequence[Prepared], settings: Settings, progress: Progress | None = None) -> bytes:
    """The CRF's model file, as bytes."""
    import pycrfsuite

    class Trainer(pycrfsuite.Trainer):
        def on_iteration(self, log, info):
            if progress:
                progress(min(int(info.get("num", 0)), settings.iterations), settings.iterations, "tagger")

    trainer = Trainer(verbose=False)
    for p in data:
        for feats, labels in zip(p.token_features, p.token_labels):
            if feats:
                trainer.append(feats, labels)
    trainer.set_params(
        {
            "c1": settings.c1,
            "c2": settings.c2,
            "max_iterations": settings.iterations,
            "feature.possible_transitions": True,
        }
    )
    fd, path = tempfile.mkstemp(suffix=".crfsuite")
    os.close(fd)
    try:
        trainer.train(path)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def train(
    examples: Sequence[Example],
    settings: Settings | None = None,
    progress: Progress | None = None,
    prepared: Sequence[Prepared] | None = None,
) -> Model:
    """A model trained on ``examples`` (``prepared``: the same, made already by :func:`prepare_all`)."""
    settings = settings or Settings()
    if not examples:
        raise InputError("no annotated articles to train on")
    data = list(prepared) if prepared is not None else prepare_all(examples, _phase(progress, "reading"))
    cross_tagged(data, settings, progress)
    tagger = train_tagger(data, settings, progress)
    rows, labels, _ = pairs_of(data)
    if not rows:
        raise InputError("the annotated articles give no candidate pair of entities to learn relations from")
    if progress:
        progress(0, 2, "relations")
    relations = fit_relations(rows, labels, settings)
    temperature, threshold, figures = calibrate(data, settings)
    relations.temperature = temperature
    if progress:
        progress(2, 2, "relations")
    ids = sorted(e.id for e in examples)
    meta = {
        "format": FORMAT,
        "features": FEATURES,
        "threshold": threshold,
        "temperature": temperature,
        "settings": vars(settings),
        "articles": len(ids),
        "articles_hash": hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16],
        "tokens": sum(len(x) for p in data for x in p.token_labels),
        "pairs": len(rows),
        "calibration": figures,
        "sources": figures["sources"]["source"],
        "rule_precision": figures.pop("sources")["rule_precision"],
    }
    return Model(meta, tagger, relations)


def _phase(progress: Progress | None, name: str) -> Progress | None:
    if progress is None:
        return None
    return lambda done, total, item: progress(done, total, f"{name}: {item}")


def train_corpus(
    folder: str | os.PathLike,
    output: str | os.PathLike,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> Model:
    """Train on the annotated articles of a corpus folder (kg.evaluation.corpus) and write the
    model to ``output`` (what ``kg train`` does)."""
    from kg.evaluation.corpus import load_corpus

    corpus = load_corpus(folder)
    if not corpus.examples:
        where = ", ".join(str(p) for p in corpus.absent) or str(folder)
        raise InputError(f"{folder}: no annotated articles (articles/NAME.* with gold/NAME.json; not there: {where})")
    model = train(corpus.examples, settings, progress)
    out = Path(output)
    tmp = out.with_name(out.name + f".{os.getpid()}.tmp")
    tmp.write_bytes(model.to_bytes())
    os.replace(tmp, out)
    return model
