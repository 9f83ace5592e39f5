"""Which files a build reads: the files and folders it is given, folders walked
in sorted order, each file once (:func:`input_files`).

Paths are plain strings here, each written as pathlib writes it
(``str(Path(p))``), and no Path is made for each file: a Path interns every
part of itself, file names included, and a build of 100,000 files would add
and remove 100,000 strings in Python's table of interned strings, which then
grows (it never shrinks).
"""
from __future__ import annotations

import os
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
    however many paths name it, as strings (:func:`kg.read.read_listed` reads
    them); an InputError, before any, for a missing path."""
    paths = [str(Path(p)) for p in paths]
    for p in paths:
        if not os.path.exists(p):
            raise InputError(f"no such file or folder: {p}")
    files = (f for p in paths for f in (_walk(p, set()) if os.path.isdir(p) else iter([p])))
    for f, n in numbered(files, file_identity):      # counted on disk (kg.spool): 100,000 files
        if n <= 1:
            yield f


def file_identity(path: str | Path) -> bytes | None:
    """The same bytes for every path that names one file on this machine (its
    device and inode): how a file named twice is read once."""
    try:
        st = os.stat(path)
    except OSError:
        return None            # kg.read.read_file says why
    return f"{st.st_dev}:{st.st_ino}".encode()


def _walk(folder: str, visited: set[str]) -> Iterator[str]:
    real = os.path.realpath(folder)
    if real in visited:          # a symlink loop
        return
    visited.add(real)
    names, dirs = [], set()         # what is read: folders, and files of EXTENSIONS
    try:
        with os.scandir(folder) as entries:     # each entry's kind without a stat of its own
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir():
                    names.append(name)
                    dirs.add(name)
                elif entry.is_file() and suffix(name).lower() in EXTENSIONS:
                    names.append(name)
    except OSError as e:
        raise InputError(f"cannot read folder {folder}: {e.strerror or e}") from e
    names.sort()
    listing = "\0".join(names)     # one string while the folder is walked, not 100,000
    del names
    for name in _split(listing):
        if name in dirs:
            yield from _walk(_join(folder, name), visited)
        else:
            yield _join(folder, name)


def _split(listing: str) -> Iterator[str]:
    """The names of a ``"\\0".join(names)``, one at a time (no name holds a NUL).

    >>> list(_split("a.md\\0b.md")), list(_split(""))
    (['a.md', 'b.md'], [])
    """
    start = 0
    while start < len(listing):
        end = listing.find("\0", start)
        end = len(listing) if end < 0 else end
        yield listing[start:end]
        start = end + 1


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
    return name[:len(name) - len(suffix(name))]
