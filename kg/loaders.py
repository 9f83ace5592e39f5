"""Writing article graphs into an on-disk store: bulk-loading a new one, replacing in an old one.

Both keep the store's default graph equal to the union of its named graphs
(each triple once; kg.store): the N-Quads of kg.rdf.nquads state every triple
twice, in its graph and in the default graph, and :class:`Replacer` takes out
of the default graph what no named graph holds any more.
"""
from __future__ import annotations

import queue
import shutil
import threading
from pathlib import Path

from kg.spool import give_back_memory

#: N-Quads bulk-loaded at once by a fresh build (bytes).  Oxigraph's bulk loader
#: takes several times a shard's size while it loads it (measured on 20,000
#: articles: a 64 MB shard about 300 MB, a 16 MB one about 110 MB, in the same
#: total time).
SHARD_BYTES = 16 << 20


class Shards:
    """Bulk-loads N-Quads into a new store, a shard file at a time, in a thread of
    its own (pyoxigraph lets go of the GIL while it loads), so that the next
    shard is written while the last one loads.

    With ``defer`` the shards wait on disk until :meth:`finish`: the worker
    processes that wrote them can be stopped first.  The store's memory grows
    with what it holds (RocksDB's indexes, about 0.7 kB an article); loaded
    while the workers run, it adds to theirs, so that a build of 100,000
    articles peaked higher than one of 10,000."""

    def __init__(self, db, folder: Path, *, defer: bool = False):
        self.db, self.folder, self.defer = db, folder, defer
        folder.mkdir()
        self.ready: list[Path] = []           # shards written, not yet loaded (defer)
        self.n, self.size, self.file = 0, 0, None
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._loader, name="kg-bulk-load", daemon=True)
        self.thread.start()

    def _loader(self) -> None:
        from kg.store import load_nquads
        while True:
            path = self.queue.get()
            if path is None:
                return
            try:
                if self.error is None:
                    load_nquads(self.db, path=path, bulk=True)
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
        for path in self.ready:
            self.queue.put(path)
        self.ready = []
        self.close()
        if self.error is not None:
            raise self.error
        shutil.rmtree(self.folder, ignore_errors=True)

    def close(self) -> None:
        """Stop the loading thread (after the shards it has)."""
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.file is not None:
            self.file.close()
            self.file = None


class Replacer:
    """Replaces named graphs of an existing store, keeping its default graph the union."""

    def __init__(self, db):
        self.db = db

    def put(self, doc_id: str, text: str | bytes) -> None:
        from kg.namespace import graph_iri
        self.replace(graph_iri(doc_id), text)

    def drop(self, doc_id: str) -> None:
        from kg.namespace import graph_iri
        self.replace(graph_iri(doc_id), None)

    def replace_reference(self, text: str) -> None:
        from kg.namespace import REFERENCE_GRAPH
        self.replace(REFERENCE_GRAPH, text)

    def replace(self, name, text: str | bytes | None) -> None:
        from kg.store import forget_triples, load_nquads, to_ox
        graph = to_ox(name)
        old = list(self.db.quads_for_pattern(None, None, None, graph))
        if old or self.db.contains_named_graph(graph):
            self.db.remove_graph(graph)
        if text:
            load_nquads(self.db, text)
        forget_triples(self.db, old)

    def add(self, text: str) -> None:
        from kg.store import load_nquads
        load_nquads(self.db, text)

    def finish(self) -> None:
        pass

    def close(self) -> None:
        pass
