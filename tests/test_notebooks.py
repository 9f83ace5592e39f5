"""Every notebook in notebooks/ runs from top to bottom (nbclient, a real kernel), and
is kept in the repository without outputs.

One end-to-end test per notebook (one user path each); the executed copy is
written to build/test-artefacts/ for a look.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ARTEFACTS = ROOT / "build" / "test-artefacts"
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_there_are_notebooks():
    assert [p.name for p in ALL] == ["01_build_and_query.ipynb", "02_network_analysis.ipynb"]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:40]


def execute(path: Path):
    from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, KernelSpecManager

    nb = nbformat.read(path, as_version=4)
    # the kernel runs this interpreter (the project's venv), whatever kernels the machine has
    spec = KernelSpecManager().get_kernel_spec(NATIVE_KERNEL_NAME)
    assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve() or spec.argv[0] == "python", spec.argv
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name=NATIVE_KERNEL_NAME, resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, ARTEFACTS / path.name)
    return nb


def outputs(nb, kind: str) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if kind in o.get("data", {})]


def test_01_build_and_query():
    nb = execute(NOTEBOOKS / "01_build_and_query.ipynb")
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    html = [o["data"]["text/html"] for o in outputs(nb, "text/html")]
    assert any("<iframe srcdoc=" in h and "kg-summary" in h for h in html)  # the graph itself
    tables = [h for h in html if "dataframe" in h]
    assert len(tables) >= 8  # every query gave a DataFrame
    evidence = next(h for h in tables if "sentence" in h and "confidence" in h)
    assert "<td>" in evidence  # with at least one row


def test_02_network_analysis():
    nb = execute(NOTEBOOKS / "02_network_analysis.ipynb")
    assert len(outputs(nb, "image/png")) >= 2  # the bar chart and the drawing
    html = [o["data"]["text/html"] for o in outputs(nb, "text/html")]
    assert any("<iframe srcdoc=" in h for h in html)
    path_table = next(h for h in html if "subject" in h and "property" in h)
    assert path_table.count("<tr") >= 3  # header and two steps or more
