"""The whole path from files to a knowledge graph: ``build(paths) -> KnowledgeGraph``."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from kg.errors import NoArticlesError
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


def build(paths: Iterable[str | Path] | str | Path, *, progress: Progress | None = None):
    """Read every article under ``paths`` and return the knowledge graph built from them.

    Files that cannot be read are listed in ``graph.report.skipped``; a build
    that finds no article at all raises :class:`kg.errors.NoArticlesError`.
    """
    from kg.graph import KnowledgeGraph
    from kg.rdf import to_dataset

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
    dataset = to_dataset(extractions, entities)
    report.articles = len(docs)
    used = {k for ex in extractions for e in ex.entities for k in [e.key]}
    report.entities_by_class = dict(sorted(Counter(entities[k].cls for k in used).items()))
    report.relations_by_property = dict(sorted(Counter(
        p for p in {(a.subject, a.property, a.object) for ex in extractions for a in ex.assertions}
        for p in [p[1]]).items()))
    report.seconds = time.perf_counter() - started
    return KnowledgeGraph(dataset, report)
