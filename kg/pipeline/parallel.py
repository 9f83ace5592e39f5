"""Work spread over processes: a local pool (``--jobs N``) or a Dask cluster (``--scheduler``).

A build hands batches of articles to :func:`extract_batch` (extraction) and
:func:`write_batch` (the article's named graph as N-Quads), both plain
functions of their arguments, so where they run changes nothing in the
result: :func:`ordered` gives the answers back in the order of the input.

* ``jobs=1`` and no scheduler: everything runs in this process;
* ``jobs=N``: a pool of N worker processes (``spawn``: each loads the
  lexicons once, none inherits the parent's open files);
* ``scheduler="tcp://HOST:PORT"``: a ``dask.distributed`` cluster (install
  the ``cluster`` extra); every worker needs zone-kg installed, at the same
  version.  The answers come back to this process, which writes the cache,
  the N-Quads shards and the store.

>>> list(ordered([("a", None), ("b", (abs, -2))], None))
[('a', None), ('b', 2)]
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor

from kg.errors import InputError

#: Answers waiting to be consumed, per worker (bounds the memory of a streaming build).
WINDOW_PER_WORKER = 4
#: Tasks each worker of a local pool runs before fresh processes take over
#: (:class:`Recycled`): 4,800 articles extracted.  Measured: a worker extracting
#: the same articles over and over holds its memory flat for 300 to 400 tasks,
#: then grows about 1 MB by 1,000 (its allocator touching more of its heap).
RECYCLE_AFTER = 300
#: How long to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT = "10s"


def check_jobs(jobs) -> int:
    """``jobs`` as a positive int, else InputError.

    >>> check_jobs("2")
    2
    >>> check_jobs(0)
    Traceback (most recent call last):
    ...
    kg.errors.InputError: jobs must be a whole number of at least 1, not 0
    """
    try:
        n = int(jobs)
    except (TypeError, ValueError):
        n = 0
    if isinstance(jobs, bool) or n < 1 or str(n) != str(jobs).strip():
        raise InputError(f"jobs must be a whole number of at least 1, not {jobs}")
    return n


@contextlib.contextmanager
def executor(jobs: int = 1, scheduler: str | None = None) -> Iterator[Executor | None]:
    """The executor of a build: None (this process), a process pool or a Dask client's."""
    if scheduler:
        client = _dask_client(scheduler)
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
        return
    if jobs <= 1:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = Recycled(lambda: ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")))
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


class Recycled(Executor):
    """A process pool that is replaced by a fresh one after every ``after`` tasks
    (default: RECYCLE_AFTER for each of its workers), once the old one has
    finished them (its futures keep their answers).
    Whatever a worker keeps from task to task (a heap that only grows, caches
    that fill) thus stays what ``after`` tasks leave, however long the build:
    a worker is about 130 MB, and 100,000 articles are about 9,000 tasks.  The
    standard library's ``max_tasks_per_child`` does the same but can hang on
    Python 3.11 to 3.14 (CPython issue gh-115634).

    >>> from concurrent.futures import ThreadPoolExecutor
    >>> pool = Recycled(lambda: ThreadPoolExecutor(1), after=2)
    >>> [pool.submit(abs, -i).result() for i in range(5)], pool.replaced
    ([0, 1, 2, 3, 4], 2)
    >>> pool.shutdown()
    """

    def __init__(self, make, after: int = 0):
        self._make = make
        self._pool, self._count, self.replaced = make(), 0, 0
        self._max_workers = getattr(self._pool, "_max_workers", 1)
        self._after = after or RECYCLE_AFTER * self._max_workers

    def submit(self, fn, /, *args, **kwargs):
        if self._count >= self._after:
            self.renew()
        self._count += 1
        return self._pool.submit(fn, *args, **kwargs)

    def renew(self) -> None:
        """Stop the workers once their tasks are done; fresh ones start with the
        next task (a pool that has run none is kept)."""
        if self._count:
            self._pool.shutdown(wait=True)  # the workers end before new ones start
            self._pool, self._count = self._make(), 0
            self.replaced += 1

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def _dask_client(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise InputError("--scheduler needs dask.distributed: pip install 'zone-kg[cluster]'") from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def renew(pool: Executor | None) -> None:
    """Fresh workers for the next phase of a build, when ``pool`` is a local one
    (:meth:`Recycled.renew`): the extraction's workers hold its lexicons and
    tokenizer (about 130 MB each), which writing the graphs does not need."""
    if isinstance(pool, Recycled):
        pool.renew()


def workers(pool: Executor | None) -> int:
    """How many tasks ``pool`` runs at once (1 for this process)."""
    if pool is None:
        return 1
    n = getattr(pool, "_max_workers", None)
    if n is None and hasattr(pool, "_client"):  # a Dask client's executor
        n = sum(w.get("nthreads", 1) for w in pool._client.scheduler_info().get("workers", {}).values())
    return max(int(n or 1), 1)


def ordered(
    items: Iterable[tuple[object, tuple | None]], pool: Executor | None, window: int | None = None
) -> Iterator[tuple[object, object]]:
    """``(meta, answer)`` in input order for ``(meta, call)`` items: ``call`` is
    ``(fn, *args)``, computed by ``pool`` (at most ``window`` calls ahead of the
    reader), or None (answer None)."""
    if pool is None:
        for meta, call in items:
            yield meta, (None if call is None else call[0](*call[1:]))
        return
    window = window or WINDOW_PER_WORKER * workers(pool)
    pending: deque = deque()
    calls = 0
    for meta, call in items:
        pending.append((meta, None if call is None else pool.submit(*call)))
        calls += call is not None
        while pending and (calls >= window or pending[0][1] is None or pending[0][1].done()):
            meta0, future = pending.popleft()
            calls -= future is not None
            yield meta0, (None if future is None else future.result())
    while pending:
        meta0, future = pending.popleft()
        yield meta0, (None if future is None else future.result())


# -------------------------------------------------------------- the tasks
