"""The package's shape: no import cycle between modules, none longer than 400 lines.

The layers between the stage packages are import-linter's contract (pyproject.toml,
`lint-imports` in .ci/run); this test covers what a layers contract does not see: a
cycle between two modules of the same package.
"""

from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
grimp = pytest.importorskip("grimp", reason="pip install -e '.[test]' (import-linter brings grimp)")


def module_graph() -> nx.DiGraph:
    graph = grimp.build_graph("kg")
    out = nx.DiGraph()
    for module in graph.modules:
        out.add_node(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith("kg.") and imported != module:
                out.add_edge(module, imported)
    return out


def cycles(graph: nx.DiGraph) -> list[list[str]]:
    return sorted(sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1)


def test_no_module_imports_itself_round_a_cycle():
    assert cycles(module_graph()) == []


def test_the_cycle_check_sees_a_planted_cycle():
    graph = module_graph()
    graph.add_edge("kg.records", "kg.pipeline.run")  # records -> run -> ... -> records
    assert any("kg.records" in c for c in cycles(graph))


def test_no_module_is_longer_than_400_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / "kg").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
