"""The input files of a build read through its cache: a file whose bytes the cache has seen is
not parsed again; its articles' ids and cache keys come from the cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from kg.records import Skipped
from kg.spool import numbered
from kg.storage.cache import Cache, code_version, doc_key


class ArticleRef(NamedTuple):
    """Where an article of the input is: its id and cache key, and how to get
    its Document back (record ``n`` of the file whose records the cache keeps
    under ``file``)."""

    doc_id: str
    key: str
    file: str
    n: int


def file_id(path: str | Path, data: bytes) -> str:
    """Cache key of a file's records: its path, its bytes and the code version."""
    h = hashlib.sha256(f"{code_version()}\0{path}\0".encode("utf-8", "surrogateescape"))
    h.update(data)
    return h.hexdigest()


def articles(paths: Iterable[str | Path], cache: Cache) -> Iterator[ArticleRef | Skipped]:
    """The articles (and Skipped inputs) of ``paths``, in the order and with the ids
    :func:`kg.reading.read.read_paths` gives them (a test keeps the two equal), each
    with its cache key.  A file whose bytes the cache has seen is not parsed
    again: its ids and keys come from the cache (:meth:`Cache.document`
    gives the Document back).  A file named twice (the same device and inode)
    is read once."""
    version = code_version()
    for entry, k in numbered(_file_entries(paths, cache, version), lambda e: None if isinstance(e, Skipped) else e[0]):
        if isinstance(entry, Skipped):
            yield entry
            continue
        doc_id, key, fid, n = entry
        if k > 1:  # as read_paths: a second "a" is "a~2"
            doc_id = f"{doc_id}~{k}"
            key = doc_key(cache.document(ArticleRef(doc_id, "", fid, n)), version)
        yield ArticleRef(doc_id, key, fid, n)


#: A batch of files read before the cache is asked about them: at most this many files ...
FILES_AT_ONCE = 256


#: ... and at most this many bytes (a batch holds at least one file, however large).
BYTES_AT_ONCE = 8 << 20


def _file_entries(paths, cache: Cache, version: str) -> Iterator[tuple | Skipped]:
    """``(doc id, cache key, file id, n)`` or Skipped for each record of the files of
    ``paths``, from the cache when it has seen the file's bytes (asked for a
    batch of files at a time: :func:`_batches`)."""
    from kg.reading import read
    from kg.reading.inputs import input_files

    for batch in _batches((f, read.file_bytes(f)) for f in input_files(paths)):
        fids = [file_id(f, data) for f, data in batch if not isinstance(data, Skipped)]
        indexes = iter(cache.file_indexes(fids))
        fids = iter(fids)
        for f, data in batch:
            if isinstance(data, Skipped):
                yield data
                continue
            fid, index = next(fids), next(indexes)
            if index is None:
                records = read.read_listed(f, data)
                index = tuple(r if isinstance(r, Skipped) else (r.id, doc_key(r, version)) for r in records)
                cache.put_file(fid, index, records)
            for n, entry in enumerate(index):
                yield entry if isinstance(entry, Skipped) else (*entry, fid, n)


def _batches(files: Iterable[tuple[str, bytes | Skipped]]) -> Iterator[list[tuple[str, bytes | Skipped]]]:
    """``(path, bytes or Skipped)`` of ``files`` in lists of at most FILES_AT_ONCE
    files and BYTES_AT_ONCE bytes (or of one larger file).

    >>> [len(b) for b in _batches((str(i), b"x") for i in range(600))]
    [256, 256, 88]
    >>> [len(b) for b in _batches([("a", b"x" * BYTES_AT_ONCE), ("b", b"y"), ("c", b"z")])]
    [1, 2]
    """
    batch, size = [], 0
    for f, data in files:
        n = len(data) if isinstance(data, bytes) else 0
        if batch and (len(batch) >= FILES_AT_ONCE or size + n > BYTES_AT_ONCE):
            yield batch
            batch, size = [], 0
        batch.append((f, data))
        size += n
    if batch:
        yield batch
