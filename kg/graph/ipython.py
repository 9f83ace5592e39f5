"""zone-kg in IPython and Jupyter: ``%load_ext kg``, the ``%%sparql`` magic, inline pages.

``%load_ext kg`` registers the cell magic ``%%sparql``: the cell is SPARQL
(prefixes kg:, kgr:, rdfs: ... bound) or the name of a query of
kg/queries/, run over a :class:`~kg.graph.knowledge.KnowledgeGraph`; the result is a
pandas DataFrame with entities by label::

    %%sparql g --param zone=溧阳高新区
    SELECT ?institute WHERE { ?z rdfs:label ?zone ; kg:hosts ?i . ?i rdfs:label ?institute }

    %%sparql g -p zone=溧阳高新区
    zone_institutes

The first argument names the graph: a variable of the notebook or a folder
written by ``kg build``; without it the notebook's one KnowledgeGraph is used.
``--param NAME=VALUE`` binds ``?NAME`` with ``initBindings`` (a named query
converts it as its file documents; in SPARQL text it is a label, ``"VALUE"@zh``).
``-o VAR`` also stores the DataFrame in VAR.

A KnowledgeGraph shown in a notebook (the last expression of a cell) draws
itself: a summary table and the page inline, as an ``<iframe srcdoc>`` (no
file, no server: works in JupyterLab, classic Notebook and VS Code).
:func:`page` does the same for any networkx graph of entities.

>>> from kg.network.analysis import example_graph
>>> html_text = page(example_graph(), height=300)._repr_html_()
>>> html_text.startswith("<iframe") and 'sandbox="allow-scripts' in html_text
True
"""

from __future__ import annotations

import html
import shlex

from kg.errors import GraphError

__all__ = ["load_ipython_extension", "sparql", "graph_html", "page", "Page"]

#: Node budget of pages shown inside a notebook (smaller than a page file's).
NOTEBOOK_MAX_NODES = 600


class Page:
    """A page of a graph of entities, shown inline by Jupyter (``_repr_html_``)."""

    def __init__(self, graph, title: str = "zone-kg", height: int = 640, **page_kw):
        self.graph, self.title, self.height, self.page_kw = graph, title, height, page_kw

    def _repr_html_(self) -> str:
        from kg.page.render import render_page

        self.page_kw.setdefault("max_nodes", NOTEBOOK_MAX_NODES)
        text = render_page(self.graph, title=self.title, **self.page_kw)
        return _iframe(text, self.height)


def page(graph, title: str = "zone-kg", height: int = 640, **page_kw) -> Page:
    """Show a networkx graph of entities (``to_networkx()`` or a part of it) in a notebook."""
    return Page(graph, title, height, **page_kw)


def _iframe(text: str, height: int) -> str:
    # srcdoc: the page travels inside the attribute (escaped), so nothing is fetched
    # and no file is needed; scripts run in a sandbox without the notebook's origin.
    return (
        f'<iframe srcdoc="{html.escape(text, quote=True)}" '
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
        'title="zone-kg graph"></iframe>'
    )


def summary_html(kg) -> str:
    """The summary table of a KnowledgeGraph: articles, entities by class, relations by property.

    >>> from kg.graph.knowledge import KnowledgeGraph
    >>> "<table" in summary_html(KnowledgeGraph())
    True
    """
    from kg.page.render import PROPERTY_LABELS, _class_styles

    stats = kg.stats()
    styles = _class_styles()
    rows = [("文章 articles", "", stats["articles"])]
    rows += [(f"{styles.get(c, (c,))[0]}", c, n) for c, n in stats["entities"].items()]
    rows.append(("实体合计 entities", "", sum(stats["entities"].values())))
    rows += [(PROPERTY_LABELS.get(p, p), p, n) for p, n in stats["relations"].items()]
    rows.append(("关系合计 relations", "", sum(stats["relations"].values())))
    body = "".join(
        f'<tr><td>{html.escape(a)}</td><td><code>{html.escape(b)}</code></td><td style="text-align:right">{n}</td></tr>'
        for a, b, n in rows
    )
    return (
        '<table class="kg-summary"><thead><tr><th>zone-kg</th><th></th><th>数量</th></tr>'
        f"</thead><tbody>{body}</tbody></table>"
    )


def graph_html(kg, height: int = 640) -> str:
    """A KnowledgeGraph in a notebook: its summary table and its page, inline."""
    return summary_html(kg) + page(kg.to_networkx(), height=height)._repr_html_()


# ------------------------------------------------------------------- magic


def _graph(ref: str | None, namespace: dict):
    from kg.graph.knowledge import KnowledgeGraph

    if ref:
        value = namespace.get(ref)
        if isinstance(value, KnowledgeGraph):
            return value
        if value is None:
            return KnowledgeGraph.load(ref)
        raise GraphError(f"{ref} is a {type(value).__name__}, not a KnowledgeGraph")
    found = [k for k, v in namespace.items() if isinstance(v, KnowledgeGraph) and not k.startswith("_")]
    if len(found) != 1:
        raise GraphError(
            "name the graph: %%sparql GRAPH (a variable or a folder); "
            f"this notebook has {len(found) or 'no'} KnowledgeGraph"
            + (f"s ({', '.join(sorted(found))})" if len(found) > 1 else "")
        )
    return namespace[found[0]]


def sparql(line: str, cell: str, namespace: dict):
    """What ``%%sparql LINE`` does with ``cell``: the DataFrame of the query.

    >>> from kg.graph.knowledge import KnowledgeGraph
    >>> sparql("g", "ASK { ?s ?p ?o }", {"g": KnowledgeGraph()})
       answer
    0   False
    """
    from rdflib import Literal

    from kg.queries.sparql import named_queries, parse_params

    args = shlex.split(line)
    ref, params, out = None, [], None
    while args:
        a = args.pop(0)
        if a in ("-p", "--param") and args:
            params.append(args.pop(0))
        elif a in ("-o", "--out") and args:
            out = args.pop(0)
        elif a.startswith("-") or ref is not None:
            raise GraphError(f"%%sparql: unexpected {a!r} (usage: %%sparql [GRAPH] [--param NAME=VALUE]... [-o VAR])")
        else:
            ref = a
    graph = _graph(ref, namespace)
    text = cell.strip()
    values = parse_params(params)
    if text in named_queries():
        df = graph.run(text, **values).to_df()
    else:
        df = graph.query(text, **{k: Literal(v, lang="zh") for k, v in values.items()}).to_df()
    if out:
        namespace[out] = df
    return df


def load_ipython_extension(ipython) -> None:
    """``%load_ext kg``: register ``%%sparql``."""
    from IPython.core.error import UsageError

    def sparql_magic(line, cell):
        try:
            return sparql(line, cell, ipython.user_ns)
        except GraphError as exc:  # IPython shows one line, not a traceback
            raise UsageError(str(exc)) from None

    sparql_magic.__doc__ = sparql.__doc__
    ipython.register_magic_function(sparql_magic, magic_kind="cell", magic_name="sparql")
