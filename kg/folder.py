"""A graph folder (``kg build -o DIR``) and how it is replaced at once.

A graph folder holds what a build writes (:data:`OUTPUTS`): the graph, as
``graph.trig`` (in-memory store) or ``graph.oxigraph`` (on-disk store, with
its ``build.sqlite`` manifest), the page ``graph.html`` and ``rejected.jsonl``;
and, left alone by every save, the build cache ``.kg-cache`` and any file of
the user's.

Writing goes to a *staging* folder: beside ``DIR`` when ``DIR`` is new,
empty or a graph folder, which then takes its place in one rename (Linux
``renameat2(RENAME_EXCHANGE)``, elsewhere two renames), so an interrupted
save leaves the previous graph whole; inside ``DIR`` when ``DIR`` is a
folder of other files, whose entries are then moved into place one by one,
the page first and the graph last.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import sys
import tempfile
from pathlib import Path

from kg.errors import GraphError

GRAPH_FILE = "graph.trig"
PAGE_FILE = "graph.html"
STORE_DIR = "graph.oxigraph"
MANIFEST_FILE = "build.sqlite"
REJECTED_FILE = "rejected.jsonl"
CACHE_DIR = ".kg-cache"
#: What a save or build writes; a staging folder holds exactly these of them.
OUTPUTS = (PAGE_FILE, REJECTED_FILE, MANIFEST_FILE, GRAPH_FILE, STORE_DIR)
#: Written by builds only: replaced whenever the graph is.
_GRAPHS = (GRAPH_FILE, STORE_DIR, MANIFEST_FILE)


def is_graph_folder(path: Path) -> bool:
    """True when ``path`` holds a graph written by ``kg build`` or ``KnowledgeGraph.save``."""
    return (path / GRAPH_FILE).is_file() or (path / STORE_DIR / "CURRENT").is_file()


def check_target(folder) -> Path:
    """``folder`` resolved; a GraphError when it is a file."""
    target = Path(folder).resolve()
    if target.exists() and not target.is_dir():
        raise GraphError(f"{target} is a file, not a folder")
    return target


def swaps(target: Path) -> bool:
    """True when ``target`` is replaced whole (new, empty or a graph folder)."""
    return not target.is_dir() or is_graph_folder(target) or not any(target.iterdir())


def staging(target: Path) -> Path:
    """A new, empty staging folder for ``target`` (see the module's documentation)."""
    if swaps(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    return Path(tempfile.mkdtemp(prefix=".kg-", suffix=".tmp", dir=target))


def publish(work: Path, target: Path) -> None:
    """Put what ``work`` (from :func:`staging`) holds at ``target``; ``work`` is gone after."""
    if work.parent == target:
        _move_entries(work, target)
        return
    written = {e.name for e in work.iterdir()}
    if target.is_dir():
        shutil.copymode(target, work)
        for entry in target.iterdir():
            if entry.name in _GRAPHS or entry.name in written or entry.name == CACHE_DIR:
                continue
            copy = shutil.copytree if entry.is_dir() else shutil.copy2
            copy(entry, work / entry.name)
    else:
        os.chmod(work, 0o755)
    _swap_in(work, target, keep=(CACHE_DIR,))


def _move_entries(work: Path, target: Path) -> None:
    try:
        for name in (CACHE_DIR, *OUTPUTS):        # the page first, the graph last
            src = work / name
            if not src.exists():
                continue
            dst = target / name
            if name == CACHE_DIR and dst.exists():
                continue
            if src.is_dir():
                if dst.exists() and _exchange(src, dst):
                    continue                      # the old one is now in work
                if dst.exists():
                    shutil.rmtree(dst)
            os.replace(src, dst)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _swap_in(new: Path, target: Path, keep: tuple[str, ...] = ()) -> None:
    """Put folder ``new`` at ``target``; the previous ``target`` stays whole until then.
    Entries named in ``keep`` move from the previous folder into the new one."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        _carry(new, target, keep)
        shutil.rmtree(new, ignore_errors=True)  # now holds the previous folder
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rename(target, old / "graph")
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old / "graph", target)  # put the previous graph back
        raise
    _carry(old / "graph", target, keep)
    shutil.rmtree(old, ignore_errors=True)


def _carry(old: Path, new: Path, names: tuple[str, ...]) -> None:
    for name in names:
        if (old / name).exists() and not (new / name).exists():
            os.rename(old / name, new / name)
