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

One build or save at a time writes into a folder: :func:`writing` holds an
OS lock on a file beside it (``.DIR.lock``, released by the system when the
process dies, even by SIGKILL) and refuses a second writer with a clear message.
Holding it, it tidies what an interrupted writer left: staging folders
are removed, and a previous graph that a killed two-rename swap had moved
aside is put back.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
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
#: In a staging folder inside the target: its outputs are whole and being moved into place.
_READY = ".ready"


def is_graph_folder(path: Path) -> bool:
    """True when ``path`` holds a graph written by ``kg build`` or ``KnowledgeGraph.save``."""
    return (path / GRAPH_FILE).is_file() or (path / STORE_DIR / "CURRENT").is_file()


def check_target(folder) -> Path:
    """``folder`` resolved; a GraphError when it is a file."""
    target = Path(folder).resolve()
    if target.exists() and not target.is_dir():
        raise GraphError(f"{target} is a file, not a folder")
    return target


def lock_path(target: Path) -> Path:
    """The lock file of graph folder ``target``: beside it, since the folder itself is swapped."""
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def writing(target: Path) -> Iterator[Path]:
    """Hold the write lock of graph folder ``target`` (resolved) while the block runs.

    Another build or save into the same folder, in this process or another,
    raises a GraphError at once.  Once the lock is held, what an interrupted
    writer left is tidied (:func:`recover`).  The lock file is removed when
    done (filelock notices a lock file removed under it, so this is safe); a
    killed writer leaves it, unlocked, for the next one to take.
    """
    from filelock import FileLock, Timeout

    target.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_path(target), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise GraphError(f"another build is writing into {target}; run this one again when it has finished") from None
    except OSError as exc:
        raise GraphError(f"cannot lock {target} for writing: {exc.strerror or exc}") from None
    try:
        recover(target)
        yield target
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock.lock_file)  # while held: a writer waiting on this file sees it gone and stops
        lock.release()


def recover(target: Path) -> list[Path]:
    """Tidy what an interrupted writer left around ``target``; call it holding the lock.

    A graph folder that a two-rename swap (:func:`_swap_in`, where Linux's
    atomic exchange is missing) had moved aside when it was killed is put
    back; the moves of a writer killed while moving whole outputs into a
    folder of other files are finished; other staging folders and the
    leftovers of a swap are removed (a build cache in them is kept).
    Returns the paths removed, restored or finished.
    """
    done = []
    for old in _beside(target, "old"):
        if not target.exists() and (old / "graph").is_dir():
            os.rename(old / "graph", target)
        shutil.rmtree(old, ignore_errors=True)
        done.append(old)
    stale = _beside(target, "tmp")
    if target.is_dir():
        for work in target.glob(".kg-*.tmp"):
            if (work / _READY).exists():  # killed while moving whole outputs: finish
                _move_entries(work, target)
                done.append(work)
            else:
                stale.append(work)
    for path in stale:
        if target.is_dir() and (path / CACHE_DIR).is_dir() and not (target / CACHE_DIR).exists():
            os.rename(path / CACHE_DIR, target / CACHE_DIR)  # a cache a swap had not carried over yet
        shutil.rmtree(path, ignore_errors=True)
        done.append(path)
    return done


def _beside(target: Path, suffix: str) -> list[Path]:
    """The folders :func:`staging` or :func:`_swap_in` made beside ``target`` (not
    those of a folder whose name merely starts as ``target``'s)."""
    own = re.compile(rf"\.{re.escape(target.name)}\.[a-z0-9_]{{8}}\.{suffix}")
    return sorted(
        p for p in target.parent.glob(f".{glob.escape(target.name)}.*.{suffix}") if own.fullmatch(p.name) and p.is_dir()
    )


def swaps(target: Path) -> bool:
    """True when ``target`` is replaced whole (new, empty or a graph folder)."""
    return not target.is_dir() or is_graph_folder(target) or not any(target.iterdir())


def staging(target: Path) -> Path:
    """A new, empty staging folder for ``target`` (see the module's documentation)."""
    if swaps(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    return Path(tempfile.mkdtemp(prefix=".kg-", suffix=".tmp", dir=target))


def discard(work: Path) -> None:
    """Remove staging folder ``work`` after a failed write, unless its outputs
    were being moved into place already (:func:`recover` finishes those)."""
    if not (work / _READY).exists():
        shutil.rmtree(work, ignore_errors=True)


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
    """Move the outputs in ``work`` (a staging folder inside ``target``) into place.

    ``work`` is marked ready first, and every step can be taken again, so
    :func:`recover` finishes the moves of a writer killed half-way.
    """
    (work / _READY).touch()
    for name in (CACHE_DIR, *OUTPUTS):  # the page first, the graph last
        src, dst = work / name, target / name
        if not src.exists() or (name == CACHE_DIR and dst.exists()):
            continue
        if src.is_dir() and dst.exists():
            os.rename(dst, work / f"{name}.replaced")  # a folder cannot replace a folder in one rename
        os.replace(src, dst)
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
