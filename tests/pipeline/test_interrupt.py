"""Builds killed with SIGKILL at random points (kg.storage.folder: staging, atomic swap, lock).

Each store is built from input A, then built again and again, alternately
from input B and A, each run killed (with its worker processes) at a random
point of a full build's duration.  After every kill the output folder must
hold exactly the graph and page of A or exactly those of B, never a mix;
a last build, not killed, must recover by itself and leave nothing behind.

KILL_POINTS (environment ``KG_KILL_POINTS``, default 10) kills per store;
the seed is fixed, so a failure can be replayed.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sample_articles import ARTICLES

KILL_POINTS = int(os.environ.get("KG_KILL_POINTS", "10"))
COPIES = 12  # articles of input A: the sample articles, copied with other place names
KG = [sys.executable, "-c", "from kg.cli.main import main; main()"]


def write_input(folder: Path, variant: str) -> Path:
    """COPIES x the sample articles (their zones renamed per copy); variant B also
    changes one article and adds one."""
    folder.mkdir(parents=True)
    for i in range(COPIES):
        for name, text in ARTICLES.items():
            text = text.replace("金湖", f"金{i}湖").replace("云溪", f"云{i}溪")
            (folder / f"c{i:02d}_{name}").write_text(text, encoding="utf-8")
    if variant == "B":
        first = folder / "c00_jinhu.md"
        first.write_text(first.read_text(encoding="utf-8") + "金0湖高新区还引进了北辰材料研究院。\n", encoding="utf-8")
        (folder / "added.txt").write_text(
            "石桥高新区位于安徽省合肥市。石桥高新区聚焦集成电路产业。\n", encoding="utf-8"
        )
    return folder


def build(inp: Path, out: Path, store: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*KG, "build", str(inp), "-o", str(out), "--store", store],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )  # its own group: kill the workers too


def finish(proc: subprocess.Popen) -> None:
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode("utf-8", "replace")


def state(out: Path) -> tuple[str, str]:
    """What a reader of ``out`` sees: a hash of its graph and one of its page."""
    from kg.storage.folder import GRAPH_FILE, PAGE_FILE, STORE_DIR

    page = hashlib.sha256((out / PAGE_FILE).read_bytes()).hexdigest()
    if (out / GRAPH_FILE).is_file():
        return hashlib.sha256((out / GRAPH_FILE).read_bytes()).hexdigest(), page
    from rdflib import BNode

    from kg.storage.oxstore import open_store
    from kg.storage.store import store_quads

    db = open_store(out / STORE_DIR, read_only=True)
    try:  # blank nodes (the ontology's class unions) are named anew by each store
        quads = sorted(str(tuple("_" if isinstance(t, BNode) else t for t in q)) for q in store_quads(db))
    finally:
        del db
    return hashlib.sha256("\n".join(quads).encode()).hexdigest(), page


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_a_killed_build_leaves_a_whole_output_and_the_next_one_recovers(tmp_path, store):
    inputs = {v: write_input(tmp_path / f"in{v}", v) for v in "AB"}
    expected = {}
    started = time.perf_counter()
    for v in "AB":  # reference outputs, and a full build's duration
        finish(build(inputs[v], tmp_path / f"ref{v}", store))
        expected[state(tmp_path / f"ref{v}")] = v
    duration = (time.perf_counter() - started) / 2
    assert len(expected) == 2  # A and B give different graphs

    out = tmp_path / "out"
    finish(build(inputs["A"], out, store))
    rng = random.Random(7)
    seen = []
    for i in range(KILL_POINTS):
        v = "B" if i % 2 == 0 else "A"
        proc = build(inputs[v], out, store)
        time.sleep(rng.uniform(0.0, 1.1 * duration))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
        got = expected.get(state(out))
        assert got is not None, f"kill {i} ({v}, returncode {proc.returncode}): a mixed output"
        seen.append((v, proc.returncode, got))

    finish(build(inputs["B"], out, store))  # recovers by itself
    assert expected.get(state(out)) == "B"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert not list(out.glob(".kg-*.tmp"))  # no staging inside either
    assert any(code == -signal.SIGKILL for _, code, _ in seen), seen  # some runs were killed
