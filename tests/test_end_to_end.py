"""The user paths on the sample page, through the real `kg` command (a subprocess).

build -> query -> evaluate -> open the page.  The build runs once per module.
"""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.evaluation.evaluate import evaluate
from kg.graph.knowledge import KnowledgeGraph

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "seed" / "000_db9541ef606ed3d2.txt"
GOLD = ROOT / "data" / "gold" / "seed.json"
SCORE_PY = ROOT.parent / "shared" / "spec" / "score.py"

ZONES_HOSTING_INSTITUTES = """
SELECT DISTINCT ?zone ?institute WHERE {
  ?z a kg:Zone ; rdfs:label ?zone ; kg:hosts ?i .
  ?i a kg:ResearchInstitute ; rdfs:label ?institute .
}
ORDER BY ?zone ?institute
"""


def kg(*args) -> subprocess.CompletedProcess:
    """Run the command line as a user would (no terminal, no stdin)."""
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        timeout=300,
    )


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    out = tmp_path_factory.mktemp("e2e") / "build"
    return out, kg("build", SEED, "-o", out)


def test_build(build):
    out, run = build
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert (out / "graph.trig").stat().st_size > 0
    assert (out / "graph.html").stat().st_size > 0
    lines = run.stdout.splitlines()
    assert re.fullmatch(r"Read \d+ articles?, skipped 0 files\.", lines[0])
    assert re.fullmatch(r"Entities: \d+ \(.*\)", lines[1])
    assert re.search(r"\bZone \d+", lines[1]) and re.search(r"\bResearchInstitute \d+", lines[1])
    assert re.fullmatch(r"Relations: \d+ \(.*\bhosts \d+.*\)", lines[2])
    assert re.fullmatch(
        rf"Rejected: (0|\d+ \(.*\), outside their property's domain or range: "
        rf"{re.escape(str(out))}/rejected\.jsonl)",
        lines[3],
    )
    assert re.fullmatch(
        rf"Wrote {re.escape(str(out))}/graph\.trig and "
        rf"{re.escape(str(out))}/graph\.html in \d+\.\d s\.",
        lines[4],
    )


def test_query(build):
    out, _ = build
    run = kg("query", out, "--format", "json", ZONES_HOSTING_INSTITUTES)
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    assert rows, "no zone hosts an institute"
    for row in rows:
        assert set(row) == {"zone", "institute"}
        assert not row["zone"].startswith(("http", "kgr:"))  # labels, not IRIs
    assert "溧阳高新区" in {row["zone"] for row in rows}
    table = kg("query", out, ZONES_HOSTING_INSTITUTES).stdout.splitlines()
    assert table[0].split() == ["zone", "institute"]
    assert table[-1] == f"({len(rows)} row{'s' if len(rows) != 1 else ''})"


def test_evaluate(build):
    out, _ = build
    run = kg("evaluate", GOLD, out)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].split() == ["P", "R", "F1", "out", "gold"]
    result = evaluate(GOLD, out)
    assert result["entities"]["f1"] >= 0.85
    if not SCORE_PY.is_file():
        pytest.skip("../shared/spec/score.py is not beside the project")
    reference = subprocess.run(
        [sys.executable, str(SCORE_PY), str(GOLD), str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    assert run.stdout == reference.stdout
    spec = importlib.util.spec_from_file_location("reference_score", SCORE_PY)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    assert result == score.score(gold, score.load(out))


def test_page(build):
    out, _ = build
    page = (out / "graph.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert found, "no embedded graph data in the page"
    data = json.loads(found.group(1))
    in_page = {n["iri"]: n for n in data["nodes"]}
    graph = KnowledgeGraph.load(out)
    nodes = graph.to_networkx().nodes
    entities = graph.entities()
    assert entities
    for iri in map(str, entities):
        assert iri in in_page, f"entity {iri} ({nodes[iri]['label']}) is not in the page"
        assert in_page[iri]["label"] == nodes[iri]["label"]
        assert in_page[iri]["cls"] == nodes[iri]["cls"]
    assert len(data["edges"]) == len(graph.core_triples())
