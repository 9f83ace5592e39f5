"""Writing article graphs into an on-disk store: bulk-loading a new one, replacing in an old one.

Both keep the store's default graph equal to the union of its named graphs
(each triple once; kg.storage.store): the N-Quads of kg.rdf.dataset.nquads state every triple
twice, in its graph and in the default graph, and :class:`Replacer` takes out
of the default graph what no named graph holds any more.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
from pathlib import Path

from kg.errors import GraphError
from kg.spool import give_back_memory

#: N-Quads bulk-loaded at once by a fresh build (bytes).  Oxigraph's bulk loader
#: takes several times a shard's size while it loads it (measured on 20,000
#: articles: a 64 MB shard about 300 MB, a 16 MB one about 110 MB, in the same
#: total time).
SHARD_BYTES = 16 << 20


class Shards:
    """Bulk-loads N-Quads into the new store in folder ``store``, a shard file at a time.

    Without ``defer``, a thread of its own loads each shard into the store,
    opened in this process (pyoxigraph lets go of the GIL while it loads),
    while the next one is written.  With ``defer`` the shards wait on disk
    until :meth:`finish`, which loads them in a process of its own
    (:func:`load_apart`), once the worker processes that wrote them have
    stopped.  What RocksDB holds while it loads grows with the store (about
    0.8 kB an article: the loading process peaked at 144 MB for 10,000
    articles, 219 MB for 100,000), and loaded here, much of it stayed once
    the store was closed: at the end of a build (the page) the build process
    was at most 303 MB for 100,000 articles (193 MB for 10,000), and is 212
    MB (168 MB) with a loading process, which takes it with it when it ends.

    Either way the store is closed once :meth:`finish` returns."""

    def __init__(self, store: Path, folder: Path, *, defer: bool = False, progress=None):
        self.store, self.folder, self.defer, self.progress = store, folder, defer, progress
        folder.mkdir()
        self.ready: list[Path] = []  # shards written, not yet loaded (defer)
        self.n, self.size, self.file = 0, 0, None
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = None
        if not defer:
            self.thread = threading.Thread(target=self._loader, name="kg-bulk-load", daemon=True)
            self.thread.start()

    def _loader(self) -> None:
        from kg.storage.oxstore import load_nquads, open_store

        db = None
        while True:
            path = self.queue.get()
            if path is None:
                return
            try:
                if self.error is None:
                    if db is None:
                        db = open_store(self.store)
                    load_nquads(db, path=path, bulk=True)
                    give_back_memory()
            except BaseException as exc:  # raised again in the building thread
                self.error = exc
            finally:
                path.unlink(missing_ok=True)

    def put(self, doc_id: str, text: str | bytes) -> None:
        self.add(text)

    def add(self, text: str | bytes) -> None:
        if self.error is not None:
            raise self.error
        data = text.encode("utf-8") if isinstance(text, str) else text
        if self.file is None:
            self.n += 1
            self.file = open(self.folder / f"part-{self.n:05d}.nq", "wb")
        self.file.write(data)
        self.size += len(data)
        if self.size >= SHARD_BYTES:
            self._ship()

    def _ship(self) -> None:
        if self.file is None:
            return
        self.file.close()
        path, self.file, self.size = Path(self.file.name), None, 0
        if self.defer:
            self.ready.append(path)
        else:
            self.queue.put(path)

    def finish(self) -> None:
        """Load what is left; raise what loading raised."""
        self._ship()
        if self.defer:
            ready, self.ready = self.ready, []
            load_apart(self.store, ready, self.progress)
        self.close()
        if self.error is not None:
            raise self.error
        shutil.rmtree(self.folder, ignore_errors=True)

    def close(self) -> None:
        """Stop the loading thread (after the shards it has)."""
        if self.thread is not None and self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.file is not None:
            self.file.close()
            self.file = None


def load_apart(store: Path, paths: list[Path], progress=None) -> None:
    """Bulk-load the N-Quads files ``paths`` (each removed once loaded) into the store
    in folder ``store``, in a process of its own (``spawn``: it imports
    pyoxigraph, not rdflib), which ends with the load; ``progress`` is called
    as kg.pipeline.run.Progress, the phase named "Loading".  The store must not be
    open elsewhere: RocksDB locks it."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if not paths:
        return
    if progress:
        progress(0, len(paths), "Loading")
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            for done, path in enumerate(paths, 1):
                pool.submit(_load_file, str(store), str(path)).result()
                if progress:
                    progress(done, len(paths), path.name)
            pool.submit(_close_loaded, str(store)).result()
    except BrokenProcessPool as exc:
        raise GraphError(f"{store}: the process loading the store stopped: {exc}") from None


_LOADING: dict[str, object] = {}  # in a loading process: its store, open from one file to the next


def _load_file(store: str, path: str) -> None:
    """Load the N-Quads file ``path`` (then removed) into ``store``, opened once per process."""
    from kg.storage.oxstore import load_nquads, open_store

    try:
        if store not in _LOADING:
            _LOADING[store] = open_store(store)
        load_nquads(_LOADING[store], path=path, bulk=True)
    finally:
        os.remove(path)


def _close_loaded(store: str) -> None:
    """Close ``store`` after :func:`_load_file` (pyoxigraph closes a store when it is dropped)."""
    db = _LOADING.pop(store, None)
    if db is not None:
        db.flush()


class Replacer:
    """Replaces named graphs of an existing store, keeping its default graph the union."""

    def __init__(self, db):
        self.db = db

    def put(self, doc_id: str, text: str | bytes) -> None:
        from kg.rdf.namespace import graph_iri

        self.replace(graph_iri(doc_id), text)

    def drop(self, doc_id: str) -> None:
        from kg.rdf.namespace import graph_iri

        self.replace(graph_iri(doc_id), None)

    def replace_reference(self, text: str) -> None:
        from kg.rdf.namespace import REFERENCE_GRAPH

        self.replace(REFERENCE_GRAPH, text)

    def replace(self, name, text: str | bytes | None) -> None:
        from kg.storage.oxstore import load_nquads
        from kg.storage.store import forget_triples, to_ox

        graph = to_ox(name)
        old = list(self.db.quads_for_pattern(None, None, None, graph))
        if old or self.db.contains_named_graph(graph):
            self.db.remove_graph(graph)
        if text:
            load_nquads(self.db, text)
        forget_triples(self.db, old)

    def add(self, text: str) -> None:
        from kg.storage.oxstore import load_nquads

        load_nquads(self.db, text)

    def finish(self) -> None:
        pass

    def close(self) -> None:
        pass
