"""Writing the on-disk store of a build incrementally (kg.pipeline.ondisk's second pass).

Each article's named graph (kg.pipeline.tasks.article_graph) is written only
when its signature (its extraction plus the global class and label of the
entities it names) differs from the one in the manifest ``build.sqlite``.  A
first build (or one where most graphs changed) bulk-loads a new store from
N-Quads shards; a later one starts from a copy of the previous store (hard
links: RocksDB files are immutable) and replaces the graphs that changed,
drops those of deleted articles and rewrites the reference graph if it
changed.  The page is drawn again only when the graph changed.
"""

from __future__ import annotations

import gc
import hashlib
import pickle
import shutil
import sys
import zlib
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from kg.records import BuildReport, Entity
from kg.spool import Spool, batched, give_back_memory
from kg.storage.folder import MANIFEST_FILE, PAGE_FILE, REJECTED_FILE, STORE_DIR
from kg.storage.loaders import Replacer, Shards
from kg.storage.manifest import Manifest, Totals
from kg.storage.resume import META as RESUME_META
from kg.storage.resume import Checkpoint

_FORMAT = "2"


#: A fresh store is bulk-loaded when more graphs than this (and than a quarter) changed.
FRESH_FROM = 1000


#: Articles written by one worker call.
WRITE_BATCH = 32


def write_store(
    found,
    work: Path,
    target: Path,
    *,
    cache,
    pool,
    scheduler,
    min_confidence: float,
    progress,
    title: str,
    fingerprint: str = "",
) -> BuildReport:
    """Write the on-disk store, its manifest, the page and rejected.jsonl into ``work``."""
    from kg.pipeline.run import POOL_FROM, signature
    from kg.rdf.validate import rejected_jsonl
    from kg.storage.cache import code_version
    from kg.storage.oxstore import copy_store, open_store

    version, entities = code_version(), found.entities
    old = Manifest.open(target) if target.is_dir() else None
    settings = {"format": _FORMAT, "version": version, "min_confidence": repr(min_confidence)}
    if old is not None and any(old.meta().get(k) != v for k, v in settings.items()):
        old.close()
        old = None
    manifest = Manifest(work / MANIFEST_FILE, create=True)
    loader = None
    try:
        plan, changed = Spool(), 0  # on disk: a few hundred bytes per article (kg.spool)
        page_hash = hashlib.sha256(f"{version}\0{title}".encode())
        for chunk in batched(zip(found.articles, found.refs), 500):  # the old manifest: 500 at a time
            ids = [doc_id for (doc_id, _), _ in chunk]
            befores = old.signatures(ids) if old is not None else [None] * len(ids)
            chunk = _with_refs(chunk, befores, bool(found.changed), cache)
            sigs = [
                before if refs is None else signature(key, refs, entities, min_confidence)
                for ((_, key), refs), before in zip(chunk, befores)
            ]
            for ((doc_id, key), refs), sig, before in zip(chunk, sigs, befores):
                changed += before != sig
                plan.append((doc_id, key, sig, refs, before))
                page_hash.update(f"\0{doc_id}\0{sig}".encode())
            manifest.put((doc_id, sig) for ((doc_id, _), _), sig in zip(chunk, sigs))
        fresh = old is None or changed > max(FRESH_FROM, len(plan) // 4)
        if fresh:  # loaded once the workers stop, in a process of its own (kg.storage.loaders)
            loader = Shards(work / STORE_DIR, work / "shards", defer=pool is not None, progress=progress)
        else:
            previous = open_store(target / STORE_DIR, read_only=True)
            copy_store(previous, work / STORE_DIR)
            del previous
            db = open_store(work / STORE_DIR)
            loader = Replacer(db)
        totals, todo, touched, gone = _plan(plan, old, fresh, cache, manifest)
        plan.close()
        give_back_memory()
        use = pool if (len(todo) >= POOL_FROM or scheduler) else None
        _write_articles(todo, entities, cache, use, min_confidence, loader, manifest, totals, touched, progress)
        todo.close()
        if pool is not None and not scheduler:  # its workers are done: their memory is free for the rest
            pool.shutdown()
        if not fresh:
            for doc_id in gone:
                loader.drop(doc_id)
        ref_text, ref_hash = _reference(entities, set(totals.regions))
        page_hash.update(ref_hash.encode())
        if fresh:
            from kg.rdf.dataset import nquads, ontology_lines
            from kg.rdf.namespace import ONTOLOGY_GRAPH

            loader.add(nquads(ONTOLOGY_GRAPH, ontology_lines()))
            loader.add(ref_text)
        elif old.meta().get("reference") != ref_hash:
            loader.replace_reference(ref_text)
        loader.finish()
        if fresh:
            db = open_store(work / STORE_DIR)
        report = _report(found.report, entities, totals, manifest)
        (work / REJECTED_FILE).write_bytes(rejected_jsonl(report.rejected))
        page_hash = page_hash.hexdigest()
        if old is not None and old.meta().get("page") == page_hash and (target / PAGE_FILE).is_file():
            shutil.copy2(target / PAGE_FILE, work / PAGE_FILE)
            manifest.copy_evidence(old)
        else:
            if progress:
                progress(0, 1, "Drawing")
            _page(db, work / PAGE_FILE, title, manifest, None if fresh else old, touched)
            if progress:
                progress(1, 1, PAGE_FILE)
            checkpoint = Checkpoint.of(found.articles, found.table, found.closed)
            manifest.set_meta(
                **settings,
                reference=ref_hash,
                page=page_hash,
                input=fingerprint,
                report=pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL),
                totals=pickle.dumps(totals, protocol=pickle.HIGHEST_PROTOCOL),
                **{RESUME_META: checkpoint.dumps() if checkpoint else None},
            )
        manifest.close(commit=True)
        db.flush()
        loader = None
        if sys.getrefcount(db) > 2:  # held elsewhere still (a cycle): collect it
            gc.collect()
        db = None  # pyoxigraph closes a store when it is dropped: before its folder moves
    except BaseException:
        manifest.db.close()
        if loader is not None:
            loader.close()
        raise
    finally:
        if old is not None:
            old.close()
    return report


def _plan(plan, old, fresh: bool, cache, manifest):
    """What to write: ``(totals, todo, touched, gone)``.

    ``plan``: ``(doc_id, key, signature, refs, previous signature)`` of every
    article, whose signature ``manifest`` has already.  ``todo``: the articles
    whose graph is written (all of them for a fresh store); ``gone``: those of
    the previous build no longer in the input; ``totals``: the previous
    build's figures less what the changed and gone articles had (their
    outcomes, from the cache), or, when one is missing, summed again over
    every unchanged article; ``touched``: the relations the changed and gone
    articles stated (their page evidence is read again; a None in it: every
    relation's).
    """
    todo = Spool((doc_id, key, sig, refs) for doc_id, key, sig, refs, before in plan if fresh or before != sig)
    if fresh:
        return Totals(manifest), todo, {None}, []
    gone = [
        d for chunk in batched(old.doc_ids(), 500) for d, sig in zip(chunk, manifest.signatures(chunk)) if sig is None
    ]
    leaving = [(doc_id, before) for doc_id, _, sig, _, before in plan if before and before != sig]
    leaving += zip(gone, old.signatures(gone))
    try:
        totals = pickle.loads(old.meta()["totals"])
        totals.rejected = manifest
        manifest.copy_rejected(old)
    except Exception:  # none kept, or unreadable: count again below
        totals = None
    touched: set = set()
    for doc_id, sig in leaving:
        outcome = cache.outcome(sig)
        if outcome is None:
            touched.add(None)
            totals = None
        else:
            touched.update(outcome.triples)
            if totals is not None:
                totals.add(doc_id, outcome, -1)
    if totals is None:
        totals = Totals(manifest)
        manifest.drop_rejected()
        for doc_id, key, sig, refs, before in plan:
            if before == sig:
                outcome = cache.outcome(sig)
                if outcome is None:  # write it again to know it
                    todo.append((doc_id, key, sig, refs if refs is not None else cache.summaries([key])[0].refs))
                else:
                    totals.add(doc_id, outcome)
    return totals, todo, touched, gone


def _with_refs(chunk: list, befores: list, changed: bool, cache) -> list:
    """``((doc_id, key), refs)`` of ``chunk``, the refs that a resumed fold left
    None (kg.storage.resume) read from the cache where the article is signed anew: every
    one when an entity ``changed``, else those with no signature ``befores``."""
    need = [refs is None and (changed or before is None) for (_, refs), before in zip(chunk, befores)]
    if not any(need):
        return chunk
    read = iter(cache.summaries([key for ((_, key), _), n in zip(chunk, need) if n]))
    return [(article, next(read).refs if n else refs) for (article, refs), n in zip(chunk, need)]


def _write_articles(todo, entities, cache, pool, min_confidence, loader, manifest, totals, touched, progress) -> None:
    from kg.pipeline.parallel import ordered
    from kg.pipeline.tasks import write_batch

    def calls():
        batch = []
        for doc_id, key, sig, refs in todo:
            table = {k: (entities[k].cls, entities[k].label) for k in refs if k in entities}
            batch.append(((doc_id, sig), (cache.extraction_blob(key), table)))
            if len(batch) >= (WRITE_BATCH if pool is not None else 1):
                yield [m for m, _ in batch], (write_batch, [i for _, i in batch], min_confidence)
                batch = []
        if batch:
            yield [m for m, _ in batch], (write_batch, [i for _, i in batch], min_confidence)

    if progress and todo:
        progress(0, len(todo), "Writing")
    done = 0
    for metas, results in ordered(calls(), pool):
        for (doc_id, sig), (packed, outcome) in zip(metas, results):
            loader.put(doc_id, zlib.decompress(packed))
            cache.put_outcome(sig, outcome)
            totals.add(doc_id, outcome)
            if None not in touched:  # None: every relation's evidence is read again
                touched.update(outcome.triples)
            done += 1
            if progress:
                progress(done, len(todo), doc_id)


def _reference(entities: dict[str, Entity], regions: set[frozenset]) -> tuple[str, str]:
    """The reference graph (kg.rdf.reference) as N-Quads, and a hash of its triples."""
    from kg.rdf.dataset import nquads, triple_lines
    from kg.rdf.namespace import REFERENCE_GRAPH
    from kg.rdf.reference import reference_graph

    articles = [
        SimpleNamespace(entities=[Entity(k, "AdminRegion", k) for k in sorted(keys)])
        for keys in sorted(regions, key=sorted)
    ]
    lines = sorted(triple_lines(reference_graph(entities, articles)))
    return nquads(REFERENCE_GRAPH, lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _report(report: BuildReport, entities: dict[str, Entity], totals: Totals, manifest: Manifest) -> BuildReport:
    report.rejected = list(manifest.rejected())  # by doc id
    report.entities_by_class = dict(sorted(Counter(entities[k].cls for k in totals.used).items()))
    report.relations_by_property = dict(sorted(Counter(p for _, p, _ in totals.triples).items()))
    return report


def _page(db, path: Path, title: str, manifest: Manifest, old: Manifest | None, touched: set) -> None:
    """Draw the page of the store; the evidence of a relation that no changed
    article states is the one the previous page had (kept in its manifest)."""
    from kg.graph.knowledge import KnowledgeGraph
    from kg.network.views import store_network
    from kg.page.render import MAX_NODES, write_page
    from kg.rdf.namespace import entity_iri

    stale = None if None in touched else {(str(entity_iri(s)), p, str(entity_iri(o))) for s, p, o in touched}

    def known(s, p, o):
        if old is None or stale is None or (s, p, o) in stale:
            return None
        return old.evidence((s, p, o))

    graph = KnowledgeGraph(db=db)
    try:
        G = store_network(graph, budget=MAX_NODES, known=known)
        for s, o, p, attrs in G.edges(keys=True, data=True):
            if attrs.get("evidence"):
                manifest.put_evidence((s, p, o), attrs["evidence"])
        write_page(G, path, title=title, max_nodes=MAX_NODES)
    finally:
        graph.close()
