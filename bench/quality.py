"""Extraction quality against gold annotations, scored by the reference scorer.

usage: python bench/quality.py [--corpus DIR --gold DIR] [--seed FILE --seed-gold FILE] [--json OUT]

Builds all corpus articles together (one build), writes each article's named
graph to its own file and micro-averages with ../shared/spec/score_folder.py;
builds the sample page and scores it with ../shared/spec/score.py.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def per_article_graphs(paths: list[Path], out: Path) -> None:
    from kg.pipeline import merge_entities, read_documents
    from kg.extract import extract
    from kg.rdf import to_dataset
    from kg.records import BuildReport
    docs = read_documents(paths, BuildReport())
    exs = [extract(d) for d in docs]
    entities = merge_entities(exs)
    for ex in exs:
        to_dataset([ex], entities).serialize(out / f"{ex.doc.id}.trig", format="trig")


def run(cmd: list[str]) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus/articles")
    ap.add_argument("--gold", type=Path, default=SHARED / "corpus/gold")
    ap.add_argument("--seed", type=Path, default=ROOT / "data/seed/000_db9541ef606ed3d2.txt")
    ap.add_argument("--seed-gold", type=Path, default=ROOT / "data/gold/seed.json")
    ap.add_argument("--scorer", type=Path, default=SHARED / "spec")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--explain", action="store_true", help="print missed and spurious items")
    a = ap.parse_args(argv)
    py = sys.executable
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        seed_out = Path(tmp) / "seed"
        seed_out.mkdir()
        per_article_graphs([a.seed], seed_out)
        res = json.loads(run([py, str(a.scorer / "score.py"), str(a.seed_gold), str(seed_out), "--json"]))
        figures["seed"] = {k: res[k]["f1"] for k in ("entities", "relations")}
        print(run([py, str(a.scorer / "score.py"), str(a.seed_gold), str(seed_out)]))
        if a.explain:
            for k in ("entities", "relations"):
                print(k, "MISSED", res[k]["missed"])
                print(k, "SPURIOUS", res[k]["spurious"])
        if a.corpus.exists():
            corpus_out = Path(tmp) / "corpus"
            corpus_out.mkdir()
            per_article_graphs([a.corpus], corpus_out)
            res = json.loads(run([py, str(a.scorer / "score_folder.py"), str(a.gold), str(corpus_out), "--json"]))
            figures["corpus"] = res["micro"]
            print(run([py, str(a.scorer / "score_folder.py"), str(a.gold), str(corpus_out)]))
            if a.explain:
                for g in sorted(a.gold.glob("*.json")):
                    r = json.loads(run([py, str(a.scorer / "score.py"), str(g), str(corpus_out / (g.stem + ".trig")), "--json"]))
                    for k in ("entities", "relations"):
                        print(g.stem, k, "MISSED", r[k]["missed"])
                        print(g.stem, k, "SPURIOUS", r[k]["spurious"])
    if a.json:
        a.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
