"""The whole path from files to a knowledge graph: ``build(paths) -> KnowledgeGraph``.

Two passes over the articles:

1. **extract** (:func:`scan`): read every article, take its extraction from
   the cache (kg.storage.cache) or extract it (here, in a pool of processes or on a
   Dask cluster: kg.pipeline.parallel), and fold its entities into the global entity
   table (:class:`EntityTable`: one entity per key, its class by majority);
2. **write**: each article's named graph, from its extraction and the
   global class and label of the entities it names (:func:`article_graph`),
   into an in-memory rdflib Dataset (:func:`build`) or, incrementally, into
   the on-disk store of a folder (:func:`build_into`, kg.pipeline.ondisk).

An article's graph depends on nothing else, so :func:`signature` (a hash of
both) tells whether a graph written before is still right.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError, NoArticlesError
from kg.extraction.entities import EntityTable
from kg.pipeline.tasks import Outcome, keep_confident  # noqa: F401  (Outcome: part of this module's interface)
from kg.records import BuildReport, Document, Entity, Extraction, Skipped
from kg.spool import Spool, batched, give_back_memory

#: ``(done, total, current item)``.  kg.build calls it once per article read;
#: build_into also opens each later phase with ``(0, total, phase name)``.
Progress = Callable[[int, int, str], None]
#: Misses (articles to extract) sent to a worker at once.
BATCH = 16
#: Below this many articles to extract, a pool is not worth starting: extract here.
POOL_FROM = 48
#: Articles extracted between two calls of kg.spool.give_back_memory: untrimmed, the
#: free memory the extraction leaves in the C heap grew the build by about 2 MB over
#: 100,000 articles (measured).
TRIM_EVERY = 2000
#: Stores of build_into; "auto" is the in-memory one up to AUTO_LIMIT articles.
STORES = ("auto", "memory", "oxigraph")
AUTO_LIMIT = 2000


def read_documents(paths: Iterable[str | Path], report: BuildReport) -> list[Document]:
    from kg.reading.read import read_paths

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


# ------------------------------------------------------------- one article


def signature(key: str, refs: Iterable[str], entities: Mapping[str, Entity], min_confidence: float) -> str:
    """What an article's graph depends on, hashed: its extraction (cache ``key``),
    the threshold, and the global class and label of every entity it names."""
    h = hashlib.sha256(f"{key}\0{min_confidence!r}".encode())
    for k in refs:
        e = entities.get(k)
        h.update(f"\0{k}\x1f{e.cls}\x1f{e.label}".encode() if e else f"\0{k}\x1f?".encode())
    return h.hexdigest()


# ------------------------------------------------------------------- pass 1


@dataclass
class Scan:
    """The first pass: what was read, in input order, and the global entity table."""

    report: BuildReport
    articles: Spool = field(default_factory=Spool)  # (doc id, cache key), kept on disk (kg.spool)
    hits: Spool = field(default_factory=Spool)  # in the cache already, for each article
    pending: Spool = field(
        default_factory=Spool
    )  # the Documents or kg.storage.cached_input.ArticleRefs to extract, in order
    entities: dict[str, Entity] = field(default_factory=dict)
    refs: Spool = field(default_factory=Spool)  # the entity keys each article names (kg.spool)
    extractions: list[Extraction] | None = None  # when kept
    table: EntityTable | None = None  # what scan.entities comes from (the fold can go on: kg.storage.resume)
    closed: bool = True  # every article named only entities of its own
    changed: set[str] | None = None  # resumed: the keys whose class or label the new articles changed

    @property
    def extracted(self) -> int:
        return len(self.pending)


def survey(paths: list[Path], cache=None) -> Scan:
    """Read the inputs once: their articles and cache keys (texts are not kept
    when there is a cache: the cache gives back those to extract)."""
    from kg.reading.read import read_paths
    from kg.storage.cache import code_version, doc_key
    from kg.storage.cached_input import articles

    scan = Scan(BuildReport())
    items = read_paths(paths) if cache is None else articles(paths, cache)
    version = code_version()
    for chunk in batched(items, 500):  # the cache is asked 500 keys at a time
        found = []
        for item in chunk:
            (scan.report.skipped if isinstance(item, Skipped) else found).append(item)
        if cache is None:
            keys = [doc_key(item, version) for item in found]
            hits = [False] * len(found)
        else:
            keys = [item.key for item in found]
            hits = cache.has_extractions(keys)
        for item, key, hit in zip(found, keys, hits):
            if not hit:
                scan.pending.append(item)
            scan.articles.append((item.doc_id if cache is not None else item.id, key))
            scan.hits.append(hit)
    if not scan.articles:
        why = f" ({len(scan.report.skipped)} file(s) skipped)" if scan.report.skipped else ""
        raise NoArticlesError(f"no articles found in {', '.join(map(str, paths))}{why}")
    scan.report.articles = len(scan.articles)
    return scan


def extract_all(
    scan: Scan, *, cache=None, pool=None, progress: Progress | None = None, keep: bool = False, resume=None
) -> Scan:
    """The second pass: every article's extraction, from the cache or extracted
    (by ``pool``, when given), folded into ``scan.entities`` in input order;
    ``keep`` also keeps the extractions in ``scan.extractions``.  ``resume``, a
    kg.storage.resume.Checkpoint of the scan's first articles, has folded those
    already: their summaries are not read, and their refs are None."""
    from kg.pipeline.parallel import ordered
    from kg.storage.cache import pack, unpack

    if resume and (keep or cache is None):
        raise ValueError("a resumed fold reads its articles from a cache and keeps no extraction")

    give_back_memory()  # what reading freed, before the workers start (kg.spool)
    packed = cache is not None or pool is not None
    table = resume.table if resume else EntityTable()
    skip, closed = (resume.count if resume else 0), True
    before: dict[str, tuple | None] = {}  # resumed: class and label of what new articles name
    scan.extractions = [] if keep else None
    scan.refs = Spool()
    articles = Spool()
    total, done, trim_at = len(scan.articles), 0, TRIM_EVERY
    for segment, results in ordered(_segments(scan, cache, pool, packed), pool):
        if done >= trim_at:
            give_back_memory()
            trim_at = done + TRIM_EVERY
        answers = iter(results or ())
        kept = iter(
            cache.summaries([key for n, (_, key, hit) in enumerate(segment, done) if hit and n >= skip])
            if cache
            else ()
        )
        for doc_id, key, hit in segment:
            done += 1
            if done <= skip:  # folded already
                scan.refs.append(None)
                articles.append((doc_id, key))
                if progress:
                    progress(done, total, doc_id)
                continue
            if hit:
                summary = next(kept)
                ex = cache.extraction(key) if keep else None
            else:
                summary, payload = next(answers)
                if isinstance(summary, Skipped):  # its extraction raised (kg.pipeline.parallel.failed)
                    scan.report.skipped.append(summary)
                    if progress:
                        progress(done, total, doc_id)
                    continue
                if cache is not None:
                    cache.put_extraction(key, summary, payload if packed else pack(payload))
                ex = (unpack(payload) if packed else payload) if keep else None
            if resume:
                for e in summary.entities:
                    if e[0] not in before:
                        before[e[0]] = table.current(e[0])
            closed = closed and set(summary.refs) <= {e[0] for e in summary.entities}
            table.add_summary(summary.entities)
            # not sys.intern'd: a string interned then dropped (the spool pickles it) still
            # grows Python's table of interned strings, which never shrinks
            scan.refs.append(summary.refs)
            if keep:
                scan.extractions.append(ex)
            articles.append((doc_id, key))
            if progress:
                progress(done, total, doc_id)
    if not articles:
        raise NoArticlesError(f"no article could be extracted ({len(scan.report.skipped)} skipped)")
    scan.articles, scan.hits = articles, Spool()
    scan.report.articles = len(articles)
    scan.entities, scan.table, scan.closed = table.result(), table, closed
    scan.changed = (
        None if not resume else {k for k, was in before.items() if was is not None and was != table.current(k)}
    )
    scan.pending = Spool()
    return scan


def _segments(scan: Scan, cache, pool, packed: bool) -> Iterator[tuple[list, tuple | None]]:
    """Consecutive articles, each run with up to BATCH to extract: (articles, call or None)."""
    from kg.extraction.learned import active_setting
    from kg.pipeline.tasks import extract_batch

    setting = active_setting()
    batch = BATCH if pool is not None else 1
    segment, docs = [], []
    misses = iter(scan.pending)
    for (doc_id, key), hit in zip(scan.articles, scan.hits):
        segment.append((doc_id, key, hit))
        if not hit:
            item = next(misses)
            docs.append(item if isinstance(item, Document) else cache.document(item))
        if len(docs) >= batch or len(segment) >= 512:
            yield segment, ((extract_batch, docs, packed, setting) if docs else None)
            segment, docs = [], []
    if segment:
        yield segment, ((extract_batch, docs, packed, setting) if docs else None)


def pool_for(found: Scan, jobs: int, scheduler: str | None) -> tuple[int, str | None]:
    """(jobs, scheduler) worth starting for what ``found`` has to extract: a
    local pool for POOL_FROM articles or more, the cluster for any."""
    return (jobs if found.extracted >= POOL_FROM else 1), (scheduler if found.extracted else None)


def scan(paths, *, cache=None, pool=None, progress: Progress | None = None, keep: bool = False) -> Scan:
    """Both halves of the first pass: :func:`survey` then :func:`extract_all`."""
    return extract_all(survey(_paths(paths), cache), cache=cache, pool=pool, progress=progress, keep=keep)


def _paths(paths) -> list[Path]:
    return [Path(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]


# ------------------------------------------------------------------- builds


def build(
    paths: Iterable[str | Path] | str | Path,
    *,
    progress: Progress | None = None,
    min_confidence: float = 0.0,
    jobs: int = 1,
    scheduler: str | None = None,
    cache: str | Path | None = None,
    model: str | Path | None = None,
    rules_only: bool = False,
):
    """Read every article under ``paths`` and return the knowledge graph built from them.

    Files that cannot be read are listed in ``graph.report.skipped``; a build
    that finds no article at all raises :class:`kg.errors.NoArticlesError`.
    Assertions with a confidence below ``min_confidence`` (a number from 0 to
    1; 0 keeps everything) are left out of the graph; the entities they
    name are kept, since the articles mention them.  Assertions whose
    subject or object class is outside the property's domain or range
    (shapes.ttl) are left out too, and listed with the reason in
    ``graph.report.rejected``.  The graph includes the reference-list facts
    about its entities (kg.rdf.reference).

    ``jobs`` extracts in that many processes, ``scheduler`` (``tcp://HOST:PORT``)
    on a Dask cluster, and ``cache`` (a folder) keeps every extraction for the
    next build: the graph is the same either way.  ``model`` is a model file of
    ``kg train`` to extract with instead of the shipped one; ``rules_only``
    extracts with the rules alone (kg.extraction.learned).
    """
    from kg.extraction.learned import using_model

    with using_model(model, rules_only=rules_only):
        return _build(paths, progress, min_confidence, jobs, scheduler, cache)


def _build(paths, progress, min_confidence, jobs, scheduler, cache):
    from kg.pipeline.parallel import check_jobs

    min_confidence = check_confidence(min_confidence)
    jobs = check_jobs(jobs)
    started = time.perf_counter()
    from kg.storage.cache import rebuilt_if_damaged

    found, note = rebuilt_if_damaged(lambda: _scan_cached(paths, cache, jobs, scheduler, progress))
    graph = graph_of(found, min_confidence, started)
    if note:
        graph.report.notes.append(note)
    return graph


def _scan_cached(paths, cache, jobs: int, scheduler: str | None, progress) -> Scan:
    from kg.pipeline.parallel import executor
    from kg.storage.cache import Cache

    store = Cache(cache) if cache is not None else None
    try:
        found = survey(_paths(paths), store)
        with executor(*pool_for(found, jobs, scheduler)) as pool:
            found = extract_all(found, cache=store, pool=pool, progress=progress, keep=True)
        if store is not None:
            store.prune()
    finally:
        if store is not None:
            store.close()
    return found


def graph_of(found: Scan, min_confidence: float, started: float):
    """The in-memory KnowledgeGraph of a scan that kept its extractions."""
    from kg.graph.knowledge import KnowledgeGraph
    from kg.rdf.dataset import to_dataset
    from kg.rdf.validate import screen

    report, entities = found.report, found.entities
    extractions = screen(found.extractions, entities)  # domain and range, with the entities' final classes
    kept = keep_confident(extractions, entities, min_confidence)
    dataset = to_dataset(kept, entities, reference=True)
    report.rejected = [r for ex in extractions for r in ex.rejected]
    used = {e.key for ex in extractions for e in ex.entities}
    report.entities_by_class = dict(sorted(Counter(entities[k].cls for k in used).items()))
    report.relations_by_property = dict(
        sorted(
            Counter(
                p for p in {(a.subject, a.property, a.object) for ex in kept for a in ex.assertions} for p in [p[1]]
            ).items()
        )
    )
    report.seconds = time.perf_counter() - started
    return KnowledgeGraph(dataset, report)
