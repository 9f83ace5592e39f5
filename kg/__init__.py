"""zone-kg: knowledge graphs from Chinese news about high-tech zones.

>>> import kg
>>> g = kg.build(["data/"])            # doctest: +SKIP
>>> g.query("SELECT ?z WHERE { ?z a kg:Zone }")   # doctest: +SKIP
"""

from __future__ import annotations

__all__ = ["build", "KnowledgeGraph", "KGError"]
__version__ = "0.1.0"

from kg.errors import KGError


def load_ipython_extension(ipython) -> None:
    """``%load_ext kg`` in IPython/Jupyter: the ``%%sparql`` cell magic (kg.graph.ipython)."""
    from kg.graph.ipython import load_ipython_extension as load

    load(ipython)


def __getattr__(name):  # lazy: importing kg does no work
    if name == "build":
        from kg.pipeline.run import build

        return build
    if name == "KnowledgeGraph":
        from kg.graph.knowledge import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(name)
