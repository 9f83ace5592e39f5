"""Keeping a build's memory flat: an append-only sequence kept in a temporary file
(:class:`Spool`), for what a build keeps per article, a counter of keys kept in a
temporary database (:class:`Tally`, :func:`numbered`), and :func:`give_back_memory`.

A build of 100,000 articles keeps a few things per article from one pass to
the next (its id, cache key, the entity keys it names, its signature); held
as Python objects they grow the build's memory with the input.  A
:class:`Spool` keeps the last CHUNK items in memory and the rest pickled in
an anonymous temporary file, read back in order by each iteration.

>>> s = Spool(range(5), chunk=2)
>>> s.append(5)
>>> len(s), list(s), list(s)[-1]
(6, [0, 1, 2, 3, 4, 5], 5)
>>> bool(Spool())
False
"""

from __future__ import annotations

import functools
import itertools
import pickle
import sqlite3
import tempfile
from collections.abc import Callable, Hashable, Iterable, Iterator

#: Items pickled together (and kept in memory until then).  A build reads and writes
#: several spools at once, a chunk of each in memory: at 1,024 (before) the build
#: process held about 3 MB more while it extracted (measured over 10,000 and 100,000
#: articles), for no measurable gain in time.
CHUNK = 128


class Spool:
    """A list that only grows (``append``/``extend``) and is read in order
    (``iter``, ``len``); several iterations may run at once."""

    def __init__(self, items: Iterable = (), *, chunk: int = CHUNK):
        self.chunk = chunk
        self._file = None
        self._end = 0  # bytes of pickled chunks in the file
        self._tail: list = []
        self._n = 0
        self.extend(items)

    def append(self, item) -> None:
        self._tail.append(item)
        self._n += 1
        if len(self._tail) >= self.chunk:
            self._spill()

    def extend(self, items: Iterable) -> None:
        for item in items:
            self.append(item)

    def _spill(self) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="kg-spool-")
        self._file.seek(self._end)
        pickle.dump(self._tail, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._end = self._file.tell()
        self._tail = []

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator:
        pos = 0
        while self._file is not None and pos < self._end:
            self._file.seek(pos)
            chunk = pickle.load(self._file)
            pos = self._file.tell()
            yield from chunk
        yield from list(self._tail)

    def close(self) -> None:
        """Drop the items (and the file)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._end, self._tail, self._n = 0, [], 0


class Tally:
    """How many times each key (a str, bytes or int below 2**63) has been met,
    kept in a private temporary SQLite database rather than in a dict: reading
    100,000 files meets 100,000 file identities and article ids, and a dict of
    them (or the scattered memory it leaves when freed) grows the build with
    its input.  Keys are counted a batch at a time (:meth:`counts`), two SQL
    statements a batch.  Its page cache is small (128 KB), full after a few
    thousand keys: a larger one kept filling up to 100,000 keys, and left the
    C heap of the build that much larger for the rest of it.

    >>> t = Tally()
    >>> t.counts(["a", "b", "a"]), t.counts(["a", "c"])
    ([1, 1, 2], [3, 1])
    >>> t.close()
    """

    def __init__(self):
        self._db = None

    def counts(self, keys: list[Hashable]) -> list[int]:
        """For each key in order, how many times it has been met, this one included."""
        if not keys:
            return []
        if self._db is None:
            self._db = sqlite3.connect("", isolation_level=None)  # "": deleted when closed
            self._db.executescript(
                "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
                "PRAGMA cache_size=-128; "
                "CREATE TABLE tally (k PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID"
            )
        met = dict(select_in(self._db, "SELECT k, n FROM tally WHERE k IN ({})", list(dict.fromkeys(keys))))
        out = []
        for k in keys:
            met[k] = met.get(k, 0) + 1
            out.append(met[k])
        self._db.executemany("INSERT OR REPLACE INTO tally VALUES (?, ?)", met.items())
        return out

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def select_in(db: sqlite3.Connection, sql: str, keys: list) -> Iterator[tuple]:
    """The rows of ``sql``, whose ``IN ({})`` takes the keys, 500 at a time (SQLite
    bounds the parameters of one statement).

    >>> db = sqlite3.connect(":memory:")
    >>> _ = db.execute("CREATE TABLE t (k, v)")
    >>> _ = db.executemany("INSERT INTO t VALUES (?, ?)", [(i, i * i) for i in range(1200)])
    >>> sum(v for _, v in select_in(db, "SELECT k, v FROM t WHERE k IN ({})", [3, 700, 1199, 5000]))
    1927610
    """
    for start in range(0, len(keys), 500):
        part = keys[start : start + 500]
        yield from db.execute(sql.format(",".join("?" * len(part))), part)


def batched(items: Iterable, n: int) -> Iterator[list]:
    """``items`` in lists of ``n`` (the last one shorter), read as they are needed
    (``itertools.batched`` from Python 3.12 on, as lists).

    >>> list(batched(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    it = iter(items)
    while chunk := list(itertools.islice(it, n)):
        yield chunk


def numbered(
    items: Iterable, key: Callable[[object], Hashable | None], batch: int = 256
) -> Iterator[tuple[object, int]]:
    """``(item, n)`` for each item, in order: ``n`` is how many times its
    ``key(item)`` has been met so far, this one included (0 for a key of None).
    Reads ``batch`` items ahead; the counts are kept in a :class:`Tally`.

    >>> [(x, n) for x, n in numbered("abaCa", lambda c: c if c.islower() else None, batch=2)]
    [('a', 1), ('b', 1), ('a', 2), ('C', 0), ('a', 3)]
    """
    tally = Tally()
    try:
        for chunk in batched(items, batch):
            keys = [key(x) for x in chunk]
            counts = iter(tally.counts([k for k in keys if k is not None]))
            for x, k in zip(chunk, keys):
                yield x, (0 if k is None else next(counts))
    finally:
        tally.close()


def give_back_memory() -> None:
    """Return the C heap's free memory to the system (glibc's ``malloc_trim``;
    elsewhere nothing).  What reading the input or a bulk load frees stays in
    the process otherwise, scattered (more of it the larger the input), and
    the workers or the next load come on top of it."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim  # the C library the process runs with
    except (OSError, AttributeError, TypeError):  # not glibc
        return None
