"""The on-disk store's folder with pyoxigraph alone (no rdflib): open it, copy it,
load N-Quads into it.  A process that only loads (kg.storage.loaders.load_apart) imports
this module and pyoxigraph, about 24 MB, where kg.storage.store's rdflib adds 14 MB more.
"""

from __future__ import annotations

import os

from kg.errors import GraphError


def _ox():
    try:
        import pyoxigraph
    except ImportError:  # a dependency: only a broken install lacks it
        raise GraphError("the on-disk store needs pyoxigraph: pip install pyoxigraph") from None
    return pyoxigraph


def open_store(path: str | os.PathLike, *, read_only: bool = False):
    """The pyoxigraph Store in folder ``path`` (made when missing, unless ``read_only``)."""
    ox = _ox()
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise GraphError(f"{path}: cannot open the on-disk store: {first}") from None


def copy_store(db, target: str | os.PathLike) -> None:
    """A snapshot of ``db`` in the new folder ``target`` (hard links on one file system)."""
    try:
        db.flush()
    except (OSError, RuntimeError):
        pass  # a read-only store has nothing to flush
    db.backup(str(target))


def load_nquads(
    db, data: bytes | str | None = None, *, path: str | os.PathLike | None = None, bulk: bool = False
) -> None:
    """Add N-Quads text (or the file at ``path``) to ``db``; ``bulk`` skips transactions
    (much faster for a large load into a store nobody else reads)."""
    ox = _ox()
    kw = {"path": str(path)} if path is not None else {"input": data}
    try:
        (db.bulk_load if bulk else db.load)(format=ox.RdfFormat.N_QUADS, **kw)
    except (SyntaxError, ValueError) as exc:
        raise GraphError(f"bad N-Quads for the on-disk store: {exc}") from None
