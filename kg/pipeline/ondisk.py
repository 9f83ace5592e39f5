"""``kg build`` into a folder, and the incremental build of the on-disk store.

:func:`build_folder` reads and extracts (kg.pipeline.run.scan, with the cache of
kg.storage.cache and the workers of kg.pipeline.parallel), then writes the folder's graph:

* in memory (``graph.trig``): the whole dataset, as kg.build makes it;
* on disk (``graph.oxigraph``): each article's named graph as N-Quads
  (kg.pipeline.tasks.article_graph), written only when its signature (its
  extraction plus the global class and label of the entities it names)
  differs from the one in the manifest ``build.sqlite``.  A first build (or
  one where most graphs changed) bulk-loads a new store from N-Quads shards;
  a later one starts from a copy of the previous store (hard links: RocksDB
  files are immutable) and replaces the graphs that changed, drops those of
  deleted articles and rewrites the reference graph if it changed.  The
  store's default graph is kept equal to the union of the named graphs
  (kg.storage.store).  The page is drawn again only when the graph changed.

Either way the new folder is written beside the old one and takes its place
at once (kg.storage.folder), so an interrupted build leaves the previous build whole.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from kg.errors import InputError
from kg.pipeline.incremental import _FORMAT, write_store
from kg.pipeline.run import STORES, Progress, _paths, check_confidence
from kg.records import BuildReport
from kg.storage.folder import (
    CACHE_DIR,
    PAGE_FILE,
    REJECTED_FILE,
    STORE_DIR,
    check_target,
    discard,
    publish,
    staging,
    writing,
)
from kg.storage.manifest import Manifest
from kg.storage.resume import resumable


def build_into(
    paths: Iterable[str | Path] | str | Path,
    folder: str | Path,
    *,
    store: str = "auto",
    jobs: int = 1,
    scheduler: str | None = None,
    min_confidence: float = 0.0,
    cache: bool | None = None,
    progress: Progress | None = None,
    title: str = "zone-kg",
    model: str | Path | None = None,
    rules_only: bool = False,
):
    """Build the graph of ``paths`` into ``folder`` (what ``kg build`` does) and return it.

    ``store``: "memory" writes ``graph.trig`` (rdflib, byte-identical for the
    same input), "oxigraph" keeps the graph on disk in ``graph.oxigraph``
    (kg.storage.store) and rewrites only the named graphs that changed since the
    last build; "auto" keeps the folder's store, or picks "oxigraph" beyond
    AUTO_LIMIT articles.  With ``cache`` the extractions are kept in
    ``folder/.kg-cache`` (kg.storage.cache), so an unchanged article is never
    extracted again; by default (None) the on-disk store keeps a cache, the
    in-memory one only when the folder has one already.  The folder is
    replaced at once, as KnowledgeGraph.save does: an interrupted build
    leaves the previous one whole.  ``model`` and ``rules_only``: as for
    :func:`kg.pipeline.run.build`.
    """
    from kg.extraction.learned import using_model

    with using_model(model, rules_only=rules_only):
        return build_folder(
            _paths(paths),
            Path(folder),
            store=store,
            jobs=jobs,
            scheduler=scheduler,
            min_confidence=check_confidence(min_confidence),
            cache=cache,
            progress=progress,
            title=title,
        )


def build_folder(paths: list[Path], folder: Path, **settings):
    """See :func:`build_into`.  One build at a time writes into a folder
    (kg.storage.folder.writing); a damaged build cache is deleted and the build run
    again, with a note in the report."""
    from kg.storage.cache import rebuilt_if_damaged

    target = check_target(folder)
    with writing(target):
        graph, note = rebuilt_if_damaged(lambda: _build_folder(paths, target, **settings))
    if note:
        graph.report.notes.append(note)
    return graph


def _build_folder(
    paths: list[Path],
    target: Path,
    *,
    store: str,
    jobs: int,
    scheduler: str | None,
    min_confidence: float,
    cache: bool | None,
    progress,
    title: str,
):
    from kg.graph.knowledge import KnowledgeGraph
    from kg.pipeline.parallel import check_jobs, executor, renew
    from kg.pipeline.run import POOL_FROM, extract_all, graph_of, survey
    from kg.pipeline.tasks import EXTRACTION_FAILED
    from kg.storage.cache import Cache

    if store not in STORES:
        raise InputError(f"store must be one of {', '.join(STORES)}, not {store!r}")
    jobs = check_jobs(jobs)
    started = time.perf_counter()
    work = staging(target)
    scratch = None
    kept = None
    resume = None
    try:
        here = target / CACHE_DIR if (target / CACHE_DIR).is_dir() else work / CACHE_DIR
        if cache or (cache is None and (store == "oxigraph" or here.parent == target)):
            kept = Cache(here)  # the folder's cache, or a new one that comes with the new folder
        found = survey(paths, kept)
        kind = _choose(store, target, len(found.articles))
        if kind == "oxigraph" and kept is None and cache is None:
            kept = Cache(here)
        if kind == "oxigraph":
            meta = _previous_meta(target)
            fingerprint = input_fingerprint(found, min_confidence, title)
            report = unchanged(target, fingerprint, meta)
            if report is not None:  # the same input as last time: nothing to write
                shutil.rmtree(work, ignore_errors=True)
                report.skipped = found.report.skipped + [  # and the articles whose extraction raised
                    s for s in report.skipped if s.reason.startswith(EXTRACTION_FAILED)
                ]
                report.seconds = time.perf_counter() - started
                graph = KnowledgeGraph.load(target)
                graph.report = report
                return graph
            resume = resumable(meta, found) if meta.get("format") == _FORMAT else None
            meta = None  # its pickles (report, totals, checkpoint) are not kept while extracting
        if kind == "oxigraph" and kept is None:  # the second pass streams through a cache
            scratch = Path(tempfile.mkdtemp(prefix="kg-cache-"))
            kept = Cache(scratch)
        with executor(jobs, scheduler) as pool:
            big = found.extracted >= POOL_FROM or scheduler
            found = extract_all(
                found, cache=kept, pool=pool if big else None, progress=progress, keep=kind == "memory", resume=resume
            )
            if kind == "memory":
                graph = graph_of(found, min_confidence, started)
                graph.write_into(work, title)
            else:
                renew(pool)
                report = write_store(
                    found,
                    work,
                    target,
                    cache=kept,
                    pool=pool,
                    scheduler=scheduler,
                    min_confidence=min_confidence,
                    progress=progress,
                    title=title,
                    fingerprint=fingerprint,
                )
        if kept is not None:
            kept.prune()
            kept.close()
            kept = None
        publish(work, target)
    except BaseException:
        discard(work)
        raise
    finally:
        if kept is not None:
            kept.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    if kind == "memory":
        graph.report.seconds = time.perf_counter() - started
        return graph
    graph = KnowledgeGraph.load(target)
    report.seconds = time.perf_counter() - started
    graph.report = report
    return graph


def input_fingerprint(found, min_confidence: float, title: str) -> str:
    """A hash of everything a build's output depends on: the code, the settings
    and every article (its id and cache key, in input order)."""
    from kg.storage.cache import code_version

    h = hashlib.sha256(f"{_FORMAT}\0{code_version()}\0{min_confidence!r}\0{title}".encode())
    for doc_id, key in found.articles:
        h.update(f"\0{doc_id}\0{key}".encode())
    return h.hexdigest()


def _previous_meta(target: Path) -> dict:
    """The manifest's meta of the build in ``target`` ({} when there is none): what
    :func:`unchanged` and kg.storage.resume read."""
    old = Manifest.open(target)
    if old is None:
        return {}
    try:
        return old.meta()
    finally:
        old.close()


def unchanged(target: Path, fingerprint: str, meta: dict) -> BuildReport | None:
    """The report of the build in ``target`` (its manifest's ``meta``) when it was
    made from the same input (``fingerprint``) and is whole, else None."""
    if not all((target / name).exists() for name in (PAGE_FILE, REJECTED_FILE)):
        return None
    if meta.get("input") != fingerprint or not meta.get("report"):
        return None
    try:
        return pickle.loads(meta["report"])
    except Exception:  # an unreadable report: build again
        return None


def _choose(store: str, target: Path, articles: int) -> str:
    from kg.pipeline.run import AUTO_LIMIT

    if store != "auto":
        return store
    if (target / STORE_DIR / "CURRENT").is_file() or articles > AUTO_LIMIT:
        return "oxigraph"
    return "memory"


# ------------------------------------------------------------------- store
