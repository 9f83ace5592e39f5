"""Does the code of two commits build the same graph from the same input?

usage: python bench/same_graph.py REF [PATHS...]      (default PATHS: data/)

Checks REF out into a temporary git worktree, builds PATHS with it and with the
working tree (each `python -m kg.cli build PATHS -o DIR`, the in-memory store),
exports both graphs as sorted N-Quads (`kg export DIR --format nq`) and prints
the triples only one of them has.  Exit status 0 when the two are the same, 1
otherwise.  Literals that name a data file of the package (a reference list's
``dcterms:source``) are compared without the folder, so that moving a file
within the package is not a change of the graph.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_DATA_PATH = re.compile(r'"kg/(?:[a-z_]+/)*([a-z_]+\.(?:csv|tsv|txt))"')


def build_and_export(code: Path, paths: list[str], out: Path) -> list[str]:
    """The N-Quads of the graph the code at ``code`` builds from ``paths``, sorted."""
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONHASHSEED": "0"}
    run = [sys.executable, "-m", "kg.cli"]
    subprocess.run(
        [*run, "build", *paths, "-o", str(out / "build"), "--store", "memory", "--no-cache"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    nq = out / "graph.nq"
    subprocess.run(
        [*run, "export", str(out / "build"), "--format", "nq", "-o", str(nq)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return sorted(_DATA_PATH.sub(r'"\1"', line) for line in nq.read_text(encoding="utf-8").splitlines())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ref", help="a commit, branch or tag")
    ap.add_argument("paths", nargs="*", default=["data/"])
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(tree), a.ref], cwd=ROOT, check=True, capture_output=True
        )
        try:
            old = build_and_export(tree, a.paths, Path(tmp) / "old")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
        new = build_and_export(ROOT, a.paths, Path(tmp) / "new")
    gone, added = sorted(set(old) - set(new)), sorted(set(new) - set(old))
    for line in gone:
        print("-", line)
    for line in added:
        print("+", line)
    print(
        f"{a.ref}: {len(old):,} quads; working tree: {len(new):,} quads; "
        f"{len(gone)} only at {a.ref}, {len(added)} only in the working tree"
    )
    return 0 if not gone and not added else 1


if __name__ == "__main__":
    sys.exit(main())
