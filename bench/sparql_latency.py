"""Latency of every query of kg/queries/ on the on-disk store, at 100k and 1M triples.

Builds (with `kg build --store oxigraph`) a store from the articles of a
folder, replicated until the named graphs hold about each --triples target,
then times every named query of kg/queries/ through KnowledgeGraph.run, the
rows read to the end and turned into Python values (``to_dicts``): without
parameters, and with one (EXAMPLES: names of the corpus that give rows).
The library's own queries (LIBRARY: the provenance of triples) are timed
too, as the library runs them: bound to one triple (``KnowledgeGraph.evidence``)
and unbound (every triple: the exports, ``kg evaluate``).
Each figure is the median of --repeat runs after one warm-up run.  With
--memory, the same queries on the in-memory rdflib store too (slow).
Prints a table and writes the figures as JSON (--json).

    .venv/bin/python bench/sparql_latency.py --triples 100000 1000000
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from build_scale import replicate, write_figures  # noqa: E402

#: A parameter for each query that has one: names of ../shared/corpus/articles that give rows.
EXAMPLES = {
    "zone_institutes": {"zone": "西安高新区"},
    "incubated_companies": {"zone": "西安高新区"},
    "positions": {"org": "上海交通大学"},
    "zones_by_industry": {"industry": "新能源"},
    "entity_facts": {"entity": "苏州工业园区"},
    "reference_facts": {"entity": "西安高新区"},
    "regions_above": {"entity": "溧阳高新区"},
}
#: Queries of kg/queries/ without a title: not named queries, but the library's own.
LIBRARY = ("confidence", "evidence")
QUADS_PER_ARTICLE = 185  # measured on ../shared/corpus: used to size the input, then counted


def timed(fn, repeat: int) -> tuple[float, int]:
    rows = fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        rows = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, len(rows)


def queries(graph) -> list[tuple[str, dict]]:
    from kg.queries.sparql import named_queries

    out = []
    for name, q in named_queries().items():
        required = {p for p, (_, req, _) in q.params.items() if req}
        if not required:
            out.append((name, {}))
        if name in EXAMPLES:
            out.append((name, EXAMPLES[name]))
    return out


def run_all(graph, repeat: int) -> list[dict]:
    rows = []
    for name, params in queries(graph):
        ms, n = timed(lambda: graph.to_dicts(name, **params), repeat)  # noqa: B023 (called at once)
        rows.append({"query": name, "kind": "named", "params": params, "ms": round(ms, 1), "rows": n})
    first = next(iter(graph.query_file("confidence")))  # one triple, to bind as the library does
    one = {"s": first.s, "p": first.p, "o": first.o}
    for name in LIBRARY:
        for params in (one, {}):
            ms, n = timed(lambda: graph.query_file(name, **params).to_dicts(), repeat)  # noqa: B023 (called at once)
            shown = {k: graph.label_of(v) if k != "p" else str(v).rsplit("#", 1)[-1] for k, v in params.items()}
            rows.append({"query": name, "kind": "library", "params": shown, "ms": round(ms, 1), "rows": n})
    return rows


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", default=str(ROOT.parent / "shared/corpus/articles"))
    ap.add_argument("--triples", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--memory", action="store_true", help="also time the in-memory rdflib store")
    ap.add_argument("--work", help="folder for inputs and stores (default: temporary, removed)")
    ap.add_argument("--json", default=str(ROOT / "build/bench/sparql_latency.json"))
    args = ap.parse_args(argv)

    from kg.graph.knowledge import KnowledgeGraph
    from kg.pipeline.ondisk import build_into
    from kg.storage.store import count

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="kg-sparql-"))
    figures = {"when": time.strftime("%Y-%m-%d %H:%M"), "repeat": args.repeat, "sizes": []}
    try:
        for target in args.triples:
            articles = max(1, round(target / QUADS_PER_ARTICLE))
            inp, out = work / f"in-{target}", work / f"out-{target}"
            if not inp.exists():
                replicate(Path(args.source), inp, articles)
            started = time.perf_counter()
            build_into([inp], out, store="oxigraph", jobs=args.jobs).close()
            built = time.perf_counter() - started
            graph = KnowledgeGraph.load(out)
            import pyoxigraph as ox

            named = sum(1 for q in graph.db if not isinstance(q.graph_name, ox.DefaultGraph))
            size = {
                "target": target,
                "articles": articles,
                "quads": named,
                "union_triples": count(graph.db, ox.DefaultGraph()),
                "build_seconds": round(built, 1),
                "oxigraph": run_all(graph, args.repeat),
            }
            graph.close()
            if args.memory:
                mem = build_into([inp], work / f"mem-{target}", store="memory", jobs=args.jobs)
                size["memory"] = run_all(mem, max(1, args.repeat // 2))
            figures["sizes"].append(size)
            print(
                f"\n{named:,} quads in named graphs ({size['union_triples']:,} distinct triples), "
                f"{articles:,} articles, built in {built:.1f} s"
            )
            print(
                f"{'query':<26} {'':<8} {'parameters':<28} {'oxigraph ms':>12} {'rows':>7}"
                + (f" {'rdflib ms':>10}" if args.memory else "")
            )
            for i, r in enumerate(size["oxigraph"]):
                p = ", ".join(f"{k}={v}" for k, v in r["params"].items())
                line = f"{r['query']:<26} {r['kind']:<8} {p:<28} {r['ms']:>12.1f} {r['rows']:>7}"
                if args.memory:
                    line += f" {size['memory'][i]['ms']:>10.1f}"
                print(line)
        print()
        write_figures(args.json, figures)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
