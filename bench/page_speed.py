"""How fast the page loads and stabilises in headless Chromium.

usage: python bench/page_speed.py [--corpus DIR] [--synthetic N] [--max-nodes N] [--json OUT]

Builds the graph of the corpus articles (``../shared/corpus/articles``) plus
the sample page (``data/seed``) and a synthetic graph of N entities (5,000 by
default), writes each page with ``kg.page.render.write_page``, opens it from file://
in Debian's Chromium (Playwright with ``executable_path``) and reports, per
page: entities drawn and left out by the node budget, the page's size, the
seconds from navigation to a stable layout, and the page's own figure
(``body[data-stabilised-ms]``: script start to layout done).  For the
synthetic graph it also times the page with the node budget lifted.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.browser import launch, missing, open_page  # noqa: E402

CLASSES = [
    "Zone",
    "Park",
    "ResearchInstitute",
    "University",
    "Company",
    "GovernmentBody",
    "Platform",
    "Incubator",
    "Person",
    "Industry",
    "AdminRegion",
]
PROPS = ["hosts", "incubatedBy", "establishedBy", "partOf", "locatedIn", "focusesOn", "worksFor"]


def synthetic_graph(n: int, seed: int = 5):
    """A graph of ``n`` entities shaped like ours: a few hubs, many leaves, one evidence per edge."""
    import networkx as nx

    rng = random.Random(seed)
    skeleton = nx.barabasi_albert_graph(n, 1, seed=seed)
    skeleton.add_edges_from((rng.randrange(n), rng.randrange(n)) for _ in range(n // 5))
    G = nx.MultiDiGraph()
    for i in skeleton:
        G.add_node(f"kgr:e/{i}", label=f"实体{i}号", cls=rng.choice(CLASSES), aliases=[f"别名{i}"])
    for k, (u, v) in enumerate(skeleton.edges()):
        if u != v:
            p = rng.choice(PROPS)
            G.add_edge(
                f"kgr:e/{u}",
                f"kgr:e/{v}",
                key=p,
                property=p,
                evidence=[
                    {
                        "sentence": f"第{k}句：实体{u}号与实体{v}号有关。",
                        "title": "合成文章",
                        "date": "2024-01-01",
                        "url": f"https://example.org/{k}",
                        "rule": "synthetic",
                        "confidence": 0.9,
                    }
                ],
            )
    return G


def measure(browser, G, path: Path, **kw) -> dict:
    from kg.page.render import write_page

    write_page(G, path, **kw)
    page, messages, seconds = open_page(browser, path, timeout_ms=120_000)
    drawn = page.evaluate("kg.network.body.nodeIndices.length")
    row = {
        "entities": G.number_of_nodes(),
        "drawn": drawn,
        "page_kb": round(path.stat().st_size / 1024),
        "stable_s": round(seconds, 2),
        "page_ms": int(page.evaluate("document.body.getAttribute('data-stabilised-ms')")),
        "console": [m for m in messages if m[0] in ("error", "pageerror", "warning")],
        "requests": [u for u in page.requests if not u.startswith(("file:", "data:"))],
    }
    page.close()
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "articles")
    ap.add_argument("--synthetic", type=int, default=5000)
    ap.add_argument("--max-nodes", type=int, default=None, help="node budget (default: the page's)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    why = missing()
    if why:
        sys.exit(f"page_speed: {why}")
    from playwright.sync_api import sync_playwright

    import kg

    kw = {} if args.max_nodes is None else {"max_nodes": args.max_nodes}
    paths = [p for p in (args.corpus, ROOT / "data" / "seed") if p.exists()]
    corpus = kg.build(paths).to_networkx()
    synthetic = synthetic_graph(args.synthetic)
    results = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = launch(pw)
        results["corpus + sample page"] = measure(browser, corpus, Path(tmp) / "corpus.html", **kw)
        results[f"synthetic {args.synthetic}"] = measure(browser, synthetic, Path(tmp) / "s.html", **kw)
        results[f"synthetic {args.synthetic}, no budget"] = measure(
            browser, synthetic, Path(tmp) / "s_all.html", max_nodes=args.synthetic
        )
        browser.close()
    print(f"{'page':34} {'entities':>8} {'drawn':>6} {'KiB':>6} {'stable s':>9} {'page ms':>8}")
    for name, r in results.items():
        print(
            f"{name:34} {r['entities']:>8} {r['drawn']:>6} {r['page_kb']:>6} "
            f"{r['stable_s']:>9} {r['page_ms']:>8}  {r['console'] or ''}{r['requests'] or ''}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
