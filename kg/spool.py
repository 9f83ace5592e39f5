"""Keeping a build's memory flat: an append-only sequence kept in a temporary file
(:class:`Spool`), for what a build keeps per article, and :func:`give_back_memory`.

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
import pickle
import tempfile
from collections.abc import Iterable, Iterator

#: Items pickled together (and kept in memory until then).
CHUNK = 1024


class Spool:
    """A list that only grows (``append``/``extend``) and is read in order
    (``iter``, ``len``); several iterations may run at once."""

    def __init__(self, items: Iterable = (), *, chunk: int = CHUNK):
        self.chunk = chunk
        self._file = None
        self._end = 0           # bytes of pickled chunks in the file
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
        return ctypes.CDLL(None).malloc_trim      # the C library the process runs with
    except (OSError, AttributeError, TypeError):  # not glibc
        return None
