"""The work a build hands to its workers, one plain function per task: an article's extraction
(:func:`extract_batch`) and its named graph as N-Quads (:func:`write_batch`, :func:`article_graph`).

They run in this process or in the workers of kg.pipeline.parallel (a local pool or a Dask
cluster): their arguments and answers are plain, picklable values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kg.extraction.extract import extract
from kg.extraction.learned import use_model
from kg.records import Entity, Extraction, Rejection


def keep_confident(
    extractions: Iterable[Extraction], entities: Mapping[str, Entity], min_confidence: float
) -> list[Extraction]:
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
        out.append(dataclasses.replace(ex, entities=[*ex.entities, *extra.values()], assertions=kept))
    return out


@dataclass(frozen=True)
class Outcome:
    """What the build made of one article, for its report: the entities its
    graph names, the distinct triples it keeps and the assertions it rejected."""

    used: tuple[str, ...]
    triples: tuple[tuple[str, str, str], ...]
    rejected: tuple[Rejection, ...]
    regions: frozenset = frozenset()  # its AdminRegion entities, when two or more (kg.rdf.reference)


def article_graph(ex: Extraction, table: Mapping[str, tuple[str, str]], min_confidence: float) -> tuple[str, Outcome]:
    """An article's named graph as N-Quads (kg.rdf.dataset.nquads) and its :class:`Outcome`.

    ``table``: key -> (class, label) over the whole build, for (at least) every
    entity the article names.  The triples are those :func:`build` writes.
    """
    from kg.rdf.dataset import article_lines, nquads
    from kg.rdf.validate import screen

    entities = {k: Entity(k, cls, label) for k, (cls, label) in table.items()}
    [screened] = screen([ex], entities)
    [kept] = keep_confident([screened], entities, min_confidence)
    name, lines = article_lines(kept, entities)
    regions = frozenset(e.key for e in kept.entities if e.cls == "AdminRegion")
    outcome = Outcome(
        used=tuple(sorted({e.key for e in screened.entities})),
        triples=tuple(sorted({(a.subject, a.property, a.object) for a in kept.assertions})),
        rejected=tuple(screened.rejected),
        regions=regions if len(regions) > 1 else frozenset(),
    )
    return nquads(name, lines), outcome


#: The start of the reason of a Skipped article whose extraction raised.
EXTRACTION_FAILED = "extraction failed"


def extract_batch(docs: list, packed: bool, setting: tuple[str | None, bool]) -> list[tuple]:
    """Extract each Document: ``[(summary, extraction), ...]``, the extraction
    packed (kg.storage.cache.pack) unless ``packed`` is false.  An article whose
    extraction raises gives ``(Skipped, None)`` instead (:func:`failed`): one
    article a rule cannot read must not stop a build of thousands.  ``setting``
    (kg.extraction.learned.active_setting of the build) is the model to use: a
    worker process learns it with its task."""
    from kg.storage.cache import pack, summarize

    use_model(setting[0], rules_only=setting[1])
    out = []
    for doc in docs:
        try:
            ex = extract(doc)
        except Exception as exc:  # noqa: BLE001 (any bug in a rule: the article is reported, not the build stopped)
            out.append((failed(doc, exc), None))
            continue
        out.append((summarize(ex), pack(ex) if packed else ex))
    return out


def failed(doc, exc: BaseException):
    """The Skipped line of an article whose extraction raised ``exc``.

    >>> from kg.records import Document
    >>> print(failed(Document("a", "x", source="news.jsonl", line=3), KeyError("k")))
    news.jsonl:3: extraction failed (KeyError: 'k'); the rest was built, please report this article
    """
    from kg.records import Skipped

    what = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    return Skipped(
        doc.source or doc.id, f"{EXTRACTION_FAILED} ({what}); the rest was built, please report this article", doc.line
    )


def write_batch(items: list[tuple], min_confidence: float) -> list[tuple]:
    """The named graph of each article as N-Quads, and its outcome.

    ``items``: ``(packed extraction, {key: (class, label)})``, the global class
    and label of every entity the article names.  Gives ``[(nquads, outcome)]``
    (:func:`article_graph`), the N-Quads UTF-8 and zlib-compressed
    (a tenth of the size to send back).
    """
    import zlib

    from kg.storage.cache import unpack

    out = []
    for blob, table in items:
        text, outcome = article_graph(unpack(blob), table, min_confidence)
        out.append((zlib.compress(text.encode("utf-8"), 1), outcome))
    return out
