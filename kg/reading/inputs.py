"""Which files a build reads: the files and folders it is given, folders walked
in sorted order, each file once (:func:`input_files`).

Paths are plain strings here, each written as pathlib writes it
(``str(Path(p))``), and no Path is made for each file: a Path interns every
part of itself, file names included, and a build of 100,000 files would add
and remove 100,000 strings in Python's table of interned strings, which then
grows (it never shrinks).
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.spool import numbered

TEXT_EXTENSIONS = (".txt",)
MARKDOWN_EXTENSIONS = (".md", ".markdown")
HTML_EXTENSIONS = (".html", ".htm")
JSONL_EXTENSIONS = (".jsonl",)
EXTENSIONS = TEXT_EXTENSIONS + MARKDOWN_EXTENSIONS + HTML_EXTENSIONS + JSONL_EXTENSIONS


def input_files(paths: Iterable[str | Path]) -> Iterator[str]:
    """The files of ``paths`` (files, or folders walked in sorted order, leaving
    hidden files and folders out and taking only files of EXTENSIONS), each once
    however many paths name it, as strings (:func:`kg.reading.read.read_listed` reads
    them); an InputError, before any, for a missing path."""
    paths = [str(Path(p)) for p in paths]
    for p in paths:
        if not os.path.exists(p):
            raise InputError(f"no such file or folder: {p}")
    files = (f for p in paths for f in (_walk(p, set()) if os.path.isdir(p) else iter([p])))
    for f, n in numbered(files, file_identity):  # counted on disk (kg.spool): 100,000 files
        if n <= 1:
            yield f


def file_identity(path: str | Path) -> bytes | None:
    """The same bytes for every path that names one file on this machine (its
    device and inode): how a file named twice is read once."""
    try:
        st = os.stat(path)
    except OSError:
        return None  # kg.reading.read.read_file says why
    return f"{st.st_dev}:{st.st_ino}".encode()


def _walk(folder: str, visited: set[str]) -> Iterator[str]:
    real = os.path.realpath(folder)
    if real in visited:  # a symlink loop
        return
    visited.add(real)
    for name, is_dir in _listing(folder):
        if is_dir:
            yield from _walk(_join(folder, name), visited)
        else:
            yield _join(folder, name)


#: Names of a folder sorted in memory; a folder with more is sorted on disk.
IN_MEMORY = 4096


def _listing(folder: str) -> Iterator[tuple[str, bool]]:
    """``(name, is a folder)`` for what is read in ``folder`` (its folders, and
    its files of EXTENSIONS), sorted by name.  Beyond IN_MEMORY names they are
    sorted in a private temporary SQLite database with a small page cache (by
    their bytes: the order of their characters for UTF-8 names): 100,000
    names held as strings would take 7 MB, and leave Python's memory scattered
    once freed.

    >>> import shutil, tempfile
    >>> d = tempfile.mkdtemp()
    >>> for name in ("b.md", "a.txt", "c.csv", ".d.md"):
    ...     open(os.path.join(d, name), "w").close()
    >>> os.mkdir(os.path.join(d, "e"))
    >>> list(_listing(d))
    [('a.txt', False), ('b.md', False), ('e', True)]
    >>> shutil.rmtree(d)
    """
    entries = _entries(folder)
    first = []
    for entry in entries:
        first.append(entry)
        if len(first) > IN_MEMORY:
            break
    else:
        yield from sorted(first, key=lambda entry: os.fsencode(entry[0]))  # as the database would
        return
    db = sqlite3.connect("", isolation_level=None)  # "": deleted when closed
    try:
        db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-128; "
            "CREATE TABLE names (name BLOB PRIMARY KEY, dir INTEGER) WITHOUT ROWID"
        )
        db.executemany(
            "INSERT INTO names VALUES (?, ?)",
            ((os.fsencode(name), is_dir) for name, is_dir in itertools.chain(first, entries)),
        )
        for name, is_dir in db.execute("SELECT name, dir FROM names ORDER BY name"):
            yield os.fsdecode(name), bool(is_dir)
    finally:
        db.close()


def _entries(folder: str) -> Iterator[tuple[str, bool]]:
    """``(name, is a folder)`` of ``folder``'s folders and files of EXTENSIONS, unsorted."""
    try:
        with os.scandir(folder) as entries:  # each entry's kind without a stat of its own
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir():
                    yield name, True
                elif entry.is_file() and suffix(name).lower() in EXTENSIONS:
                    yield name, False
    except OSError as e:
        raise InputError(f"cannot read folder {folder}: {e.strerror or e}") from e


def _join(folder: str, name: str) -> str:
    """``str(Path(folder) / name)``, without the Path.

    >>> _join(".", "a.md"), _join("/", "a.md"), _join("in", "a.md")
    ('a.md', '/a.md', 'in/a.md')
    """
    return name if folder == os.curdir else os.path.join(folder, name)


def suffix(path: str) -> str:
    """The extension of a file name, as ``Path.suffix`` gives it.

    >>> suffix("a/b.tar.md"), suffix("a/.md"), suffix("a/b."), suffix("b")
    ('.md', '', '', '')
    """
    name = os.path.basename(path)
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def stem(path: str) -> str:
    """The file name without its extension, as ``Path.stem`` gives it.

    >>> stem("a/b.tar.md"), stem("a/.md"), stem("a/b.")
    ('b.tar', '.md', 'b.')
    """
    name = os.path.basename(path)
    return name[: len(name) - len(suffix(name))]
