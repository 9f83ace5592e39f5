"""The manifest of an on-disk store (``DIR/build.sqlite``) and the report's running totals.

The manifest says what the store in the same folder holds: the signature of
every article's named graph (kg.pipeline.run.signature), what the build was made
with (code version, threshold, input fingerprint), the report and its
:class:`Totals`, the assertions each article's graph left out (the report's
``rejected``, kept here rather than in memory: they grow with the input), and
the page's evidence of each relation (so that the next page reads again only
the relations a changed article states).
"""

from __future__ import annotations

import pickle
import sqlite3
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from kg.spool import select_in
from kg.storage.folder import MANIFEST_FILE, STORE_DIR


class Manifest:
    """``build.sqlite``: the signature of every article graph in the store, and
    what the build was made with (code version, threshold, reference graph, page)."""

    def __init__(self, path: Path, *, create: bool = False):
        self.path = path
        uri = f"{path.as_uri()}?mode={'rwc' if create else 'ro'}"
        self.db = sqlite3.connect(uri, uri=True, isolation_level=None)
        if create:
            self.db.executescript(
                "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);"
                "CREATE TABLE articles (doc_id TEXT PRIMARY KEY, signature TEXT);"
                "CREATE TABLE evidence (relation TEXT PRIMARY KEY, rows BLOB);"
                "CREATE TABLE rejected (doc_id TEXT PRIMARY KEY, rows BLOB);"
                "BEGIN;"
            )

    @classmethod
    def open(cls, folder: Path) -> Manifest | None:
        """The manifest of a previous build in ``folder``, None when there is none."""
        path = folder / MANIFEST_FILE
        if not path.is_file() or not (folder / STORE_DIR / "CURRENT").is_file():
            return None
        try:
            m = cls(path)
            m.meta()
            return m
        except sqlite3.DatabaseError:
            return None

    def meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT name, value FROM meta"))

    def signatures(self, doc_ids: list[str]) -> list[str | None]:
        """The signature of each of ``doc_ids`` (None: not in this store)."""
        found = dict(select_in(self.db, "SELECT doc_id, signature FROM articles WHERE doc_id IN ({})", doc_ids))
        return [found.get(d) for d in doc_ids]

    def put(self, rows: Iterable[tuple[str, str]]) -> None:
        """Store the ``(doc_id, signature)`` of articles."""
        self.db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?)", rows)

    def set_meta(self, **values) -> None:
        self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values.items())

    def evidence(self, relation: tuple) -> list | None:
        """The page's evidence of ``relation`` (s, p, o) in this build, if kept."""
        row = self.db.execute("SELECT rows FROM evidence WHERE relation=?", ("\t".join(relation),)).fetchone()
        return None if row is None else pickle.loads(row[0])

    def put_evidence(self, relation: tuple, rows: list) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO evidence VALUES (?, ?)",
            ("\t".join(relation), pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)),
        )

    def copy_evidence(self, other: Manifest) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO evidence VALUES (?, ?)", other.db.execute("SELECT relation, rows FROM evidence")
        )

    def doc_ids(self):
        return (r[0] for r in self.db.execute("SELECT doc_id FROM articles"))

    def put_rejected(self, doc_id: str, rejected: tuple) -> None:
        """Keep the assertions ``doc_id``'s graph left out (kg.records.Rejection)."""
        self.db.execute(
            "INSERT OR REPLACE INTO rejected VALUES (?, ?)",
            (doc_id, pickle.dumps(tuple(rejected), protocol=pickle.HIGHEST_PROTOCOL)),
        )

    def drop_rejected(self, doc_id: str | None = None) -> None:
        """Forget the rejected assertions of ``doc_id`` (of every article: None)."""
        if doc_id is None:
            self.db.execute("DELETE FROM rejected")
        else:
            self.db.execute("DELETE FROM rejected WHERE doc_id=?", (doc_id,))

    def copy_rejected(self, other: Manifest) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO rejected VALUES (?, ?)", other.db.execute("SELECT doc_id, rows FROM rejected")
        )

    def rejected(self):
        """Every rejected assertion, by doc id (then as the article gave them)."""
        for (rows,) in self.db.execute("SELECT rows FROM rejected ORDER BY doc_id"):
            yield from pickle.loads(rows)

    def close(self, commit: bool = False) -> None:
        if commit:
            self.db.execute("COMMIT")
        self.db.close()


# ------------------------------------------------------------------- store


class Totals:
    """The report's figures, as counts over the article graphs, so that a build
    can take out what a changed or deleted article had and add what it has.

    Their size is that of the graph's entities and relations, not of the
    input; the rejected assertions, one list per article, are in the
    manifest (``rejected``, given here)."""

    def __init__(self, rejected: Manifest | None = None):
        self.used: Counter = Counter()  # entity key -> articles whose graph names it
        self.triples: Counter = Counter()  # (s, p, o) -> articles that keep it
        self.regions: Counter = Counter()  # AdminRegion keys named together (kg.rdf.reference)
        self.rejected = rejected  # doc id -> its rejected assertions (not pickled)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "rejected": None}

    def add(self, doc_id: str, outcome, sign: int = 1) -> None:
        for counter, items in (
            (self.used, outcome.used),
            (self.triples, outcome.triples),
            (self.regions, [outcome.regions] if outcome.regions else []),
        ):
            for item in items:
                counter[item] += sign
                if counter[item] <= 0:
                    del counter[item]
        if sign < 0:
            self.rejected.drop_rejected(doc_id)
        elif outcome.rejected:
            self.rejected.put_rejected(doc_id, outcome.rejected)
