"""The README's picture of the page: data/ built, its page opened in headless Chromium, a PNG taken.

usage: python bench/screenshot.py [-o docs/images/page.png] [--focus ENTITY]

Builds the graph of data/ in memory, draws the page of the neighbourhood of
``--focus`` (default: the most connected zone), waits until its layout is
stable, selects the focus so that the side panel shows its details, and saves
a 1400x900 screenshot.  Needs Debian's Chromium (bench/browser.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.browser import launch, missing, open_page  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "images" / "page.png")
    ap.add_argument("--focus", default="", help="an entity's label (default: the most connected zone)")
    a = ap.parse_args(argv)
    why = missing()
    if why:
        print(f"screenshot: {why}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    import kg
    from kg.network import analysis
    from kg.page.render import write_page

    graph = kg.build([ROOT / "data"])
    G = graph.to_networkx()
    zones = [n for n, d in G.nodes(data=True) if d["cls"] == "Zone"]
    focus = a.focus or G.nodes[max(zones, key=lambda n: (G.degree(n), n))]["label"]
    near = analysis.select(G, [focus], depth=2)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        page_file = Path(tmp) / "page.html"
        write_page(near, page_file, title=f"zone-kg: {focus}")
        browser = launch(pw)
        page, _, _ = open_page(browser, page_file)
        page.evaluate(
            "(label) => { const id = kg.nodes.get().find((n) => n.label === label).id;"
            " kg.network.selectNodes([id]); kg.network.body.emitter.emit('click', "
            "{nodes: [id], edges: [], pointer: {DOM: {x: 0, y: 0}, canvas: {x: 0, y: 0}}}); }",
            focus,
        )
        page.wait_for_timeout(300)
        a.output.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(a.output))
        browser.close()
    print(f"Wrote {a.output} ({focus}, {near.number_of_nodes()} entities).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
