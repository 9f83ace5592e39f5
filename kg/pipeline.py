"""The whole path from files to a knowledge graph: ``build(paths) -> KnowledgeGraph``."""
from __future__ import annotations

import dataclasses
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from kg.errors import InputError, NoArticlesError
from kg.extract import extract
from kg.records import BuildReport, Document, Entity, Extraction, Skipped

Progress = Callable[[int, int, str], None]   # (done, total, current item)


def merge_entities(extractions: Iterable[Extraction]) -> dict[str, Entity]:
    """The global entity table: one entity per key, its class by majority over articles."""
    votes: dict[str, Counter] = {}
    merged: dict[str, Entity] = {}
    for ex in extractions:
        for e in ex.entities:
            votes.setdefault(e.key, Counter())[e.cls] += 1
            g = merged.setdefault(e.key, Entity(e.key, e.cls, e.label))
            g.aliases |= e.aliases
            for k, v in e.facts.items():
                g.facts.setdefault(k, v)
    for key, e in merged.items():
        e.cls = max(sorted(votes[key]), key=lambda c: votes[key][c])
    return merged


def read_documents(paths: Iterable[str | Path], report: BuildReport) -> list[Document]:
    from kg.read import read_paths
    docs = []
    for item in read_paths(paths):
        if isinstance(item, Skipped):
            report.skipped.append(item)
        else:
            docs.append(item)
    return docs


def check_confidence(value, name: str = "min_confidence") -> float:
    """``value`` as a float if it is a number from 0 to 1, else InputError.

    >>> check_confidence("0.8")
    0.8
    >>> check_confidence(1.5)
    Traceback (most recent call last):
    ...
    kg.errors.InputError: min_confidence must be a number from 0 to 1, not 1.5
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not 0.0 <= number <= 1.0:  # also rejects NaN
        raise InputError(f"{name} must be a number from 0 to 1, not {value}")
    return number


def keep_confident(extractions: Iterable[Extraction], entities: Mapping[str, Entity],
                   min_confidence: float) -> list[Extraction]:
    """The extractions without their assertions of confidence below ``min_confidence``
    (everything else an extraction holds is kept as it is).

    Entities stay: an entity that only a dropped assertion named (a discourse
    topic, say) is kept in that article with its canonical label, exactly as
    it would be written with the assertion, so the entities of the graph do
    not depend on the threshold.
    """
    out = []
    for ex in extractions:
        kept = [a for a in ex.assertions if a.confidence >= min_confidence]
        if len(kept) == len(ex.assertions):
            out.append(ex)
            continue
        known = {e.key for e in ex.entities}
        extra = {}
        for a in ex.assertions:
            for key in (a.subject, a.object):
                if key not in known and key in entities:
                    g = entities[key]
                    extra.setdefault(key, Entity(key, g.cls, g.label))
        out.append(dataclasses.replace(ex, entities=[*ex.entities, *extra.values()],
                                       assertions=kept))
    return out


def build(paths: Iterable[str | Path] | str | Path, *, progress: Progress | None = None,
          min_confidence: float = 0.0):
    """Read every article under ``paths`` and return the knowledge graph built from them.

    Files that cannot be read are listed in ``graph.report.skipped``; a build
    that finds no article at all raises :class:`kg.errors.NoArticlesError`.
    Assertions with a confidence below ``min_confidence`` (a number from 0 to
    1; 0 keeps everything) are left out of the graph; the entities they
    name are kept, since the articles mention them.  Assertions whose
    subject or object class is outside the property's domain or range
    (shapes.ttl) are left out too, and listed with the reason in
    ``graph.report.rejected``.  The graph includes the reference-list facts
    about its entities (kg.reference).
    """
    from kg.graph import KnowledgeGraph
    from kg.rdf import to_dataset
    from kg.validate import screen

    min_confidence = check_confidence(min_confidence)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = list(paths)
    started = time.perf_counter()
    report = BuildReport()
    docs = read_documents(paths, report)
    if not docs:
        why = f" ({len(report.skipped)} file(s) skipped)" if report.skipped else ""
        raise NoArticlesError(f"no articles found in {', '.join(map(str, paths))}{why}")
    extractions = []
    for i, doc in enumerate(docs):
        extractions.append(extract(doc))
        if progress:
            progress(i + 1, len(docs), doc.id)
    entities = merge_entities(extractions)
    extractions = screen(extractions, entities)     # domain and range, with the entities' final classes
    kept = keep_confident(extractions, entities, min_confidence)
    dataset = to_dataset(kept, entities, reference=True)
    report.rejected = [r for ex in extractions for r in ex.rejected]
    report.articles = len(docs)
    used = {k for ex in extractions for e in ex.entities for k in [e.key]}
    report.entities_by_class = dict(sorted(Counter(entities[k].cls for k in used).items()))
    report.relations_by_property = dict(sorted(Counter(
        p for p in {(a.subject, a.property, a.object) for ex in kept for a in ex.assertions}
        for p in [p[1]]).items()))
    report.seconds = time.perf_counter() - started
    return KnowledgeGraph(dataset, report)
