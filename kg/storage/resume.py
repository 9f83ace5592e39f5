"""Going on from the entity table of the last build, when articles were only added after its last one.

A build folds the entities of every article into one table, in input order
(:class:`kg.extraction.entities.EntityTable`).  Read back from the cache, the summaries
of 10,000 articles take about 0.3 s, and signing each article's graph again
0.1 s more: most of the time of a build that adds one article.  The on-disk
store's build therefore keeps the table it ended with in its manifest, with
how many articles it folded and a hash of their ids and cache keys (a
:class:`Checkpoint`).  When the next input opens with those same articles,
all in the cache (an archive whose files are named by date grows at its
end), the fold goes on from there: only the articles after them are read.

An old article's graph depends on the class and label of the entities it
names (:func:`kg.pipeline.run.signature`).  The fold notes those of the entities
the new articles name before it adds them (``Scan.changed``: the ones that
changed); when none changed, every old article keeps its signature, and
otherwise kg.pipeline.ondisk reads their summaries after all.  A key new to the table
is named by no old article: a checkpoint is kept only when every article
named just entities of its own (``closed``).

>>> c = Checkpoint.of([("a", "k1"), ("b", "k2")], EntityTable(), closed=True)
>>> c.count, c.sequence == sequence_hash([("a", "k1"), ("b", "k2"), ("c", "k3")], 2)
(2, True)
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable
from dataclasses import dataclass

from kg.extraction.entities import EntityTable

#: The manifest's meta entry that holds the pickled Checkpoint.
META = "checkpoint"


@dataclass
class Checkpoint:
    count: int  # articles folded
    sequence: str  # sequence_hash of their (doc id, cache key)
    table: EntityTable  # the table after them

    @classmethod
    def of(cls, articles, table: EntityTable, closed: bool) -> Checkpoint | None:
        """The checkpoint after ``articles``; None when one named an entity not its own."""
        return cls(len(articles), sequence_hash(articles), table) if closed else None

    def dumps(self) -> bytes:
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)


def sequence_hash(articles: Iterable[tuple[str, str]], count: int | None = None) -> str:
    """A hash of the first ``count`` (all, by default) ``(doc id, cache key)`` of ``articles``."""
    h = hashlib.sha256()
    for n, (doc_id, key) in enumerate(articles):
        if count is not None and n >= count:
            break
        h.update(f"\0{doc_id}\0{key}".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def resumable(meta: dict, found) -> Checkpoint | None:
    """The checkpoint in a manifest's ``meta`` when the Scan ``found`` opens with its
    articles, every one in the cache; else None (so is an unreadable one)."""
    raw = meta.get(META)
    if not raw:
        return None
    try:
        checkpoint = pickle.loads(raw)
    except Exception:  # noqa: BLE001 (any damage: the build folds every article, as without one)
        return None
    if not isinstance(checkpoint, Checkpoint) or not 0 < checkpoint.count <= len(found.articles):
        return None
    for n, hit in enumerate(found.hits):
        if n >= checkpoint.count:
            break
        if not hit:
            return None
    return checkpoint if sequence_hash(found.articles, checkpoint.count) == checkpoint.sequence else None
