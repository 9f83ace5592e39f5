"""Extraction quality of zone-kg and of a naive baseline, scored by the reference scorer.

usage: python bench/quality.py [--corpus DIR --gold DIR] [--seed FILE --seed-gold FILE] [--json OUT] [--explain]

Builds the sample page and scores it with ../shared/spec/score.py; builds all
corpus articles together (one build), writes each article's named graph to
its own file and micro-averages with ../shared/spec/score_folder.py.  The
baseline (bench/baseline.py: jieba nt/ns/nr tags plus same-sentence
co-occurrence) runs on the same articles and is scored the same way.  Ends
with a Markdown table for the README.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

if str(ROOT) not in sys.path:   # run as a script: make bench/ importable as a package
    sys.path.insert(0, str(ROOT))

from bench.baseline import write_graphs as baseline_graphs  # noqa: E402

KINDS = ("entities", "relations")
MEASURES = ("precision", "recall", "f1")


def per_article_graphs(paths: list[Path], out: Path) -> None:
    """zone-kg: build ``paths`` together and write ``out/<doc id>.trig`` per article."""
    from kg.entities import merge_entities
    from kg.pipeline import read_documents
    from kg.extract import extract
    from kg.rdf import to_dataset
    from kg.records import BuildReport
    docs = read_documents(paths, BuildReport())
    exs = [extract(d) for d in docs]
    entities = merge_entities(exs)
    for ex in exs:
        to_dataset([ex], entities).serialize(out / f"{ex.doc.id}.trig", format="trig")


SYSTEMS = {"zone-kg": per_article_graphs, "baseline": baseline_graphs}


def run(cmd: list[str]) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def prf(res: dict) -> dict:
    """Precision, recall and F1 of entities and relations from a scorer's JSON."""
    return {k: {m: res[k][m] for m in MEASURES} for k in KINDS}


def explain(res: dict, prefix: str = "") -> None:
    for k in KINDS:
        print(f"{prefix}{k} MISSED", res[k]["missed"])
        print(f"{prefix}{k} SPURIOUS", res[k]["spurious"])


def shown(path: Path) -> str:
    """``path`` as the README writes it: relative to the project."""
    return Path(os.path.relpath(path, ROOT)).as_posix()


def markdown_table(figures: dict, labels: dict[str, str]) -> str:
    """The README's quality table: a row per data set (``labels``) and system.

    ``figures[system][data]`` holds ``{"entities": {...}, "relations": {...}}``
    with precision, recall and f1; a data set missing from a system is left out.
    """
    head = ["Data", "System"] + [f"{k.capitalize()} {m}" for k in KINDS for m in ("P", "R", "F1")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for data, label in labels.items():
        for system in SYSTEMS:
            fig = figures.get(system, {}).get(data)
            if fig:
                cells = [f"{fig[k][m]:.3f}" for k in KINDS for m in MEASURES]
                lines.append("| " + " | ".join([label, system, *cells]) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus/articles")
    ap.add_argument("--gold", type=Path, default=SHARED / "corpus/gold")
    ap.add_argument("--seed", type=Path, default=ROOT / "data/seed/000_db9541ef606ed3d2.txt")
    ap.add_argument("--seed-gold", type=Path, default=ROOT / "data/gold/seed.json")
    ap.add_argument("--scorer", type=Path, default=SHARED / "spec")
    ap.add_argument("--json", type=Path, help="also write the figures here (the baseline's under \"baseline\")")
    ap.add_argument("--explain", action="store_true", help="print missed and spurious items (zone-kg only)")
    a = ap.parse_args(argv)
    py = sys.executable
    score, score_folder = str(a.scorer / "score.py"), str(a.scorer / "score_folder.py")
    figures: dict[str, dict] = {s: {} for s in SYSTEMS}
    labels = {"seed": f"sample page (`{shown(a.seed.parent)}`, `{shown(a.seed_gold)}`)"}
    with tempfile.TemporaryDirectory() as tmp:
        for system, write in SYSTEMS.items():
            out = Path(tmp) / system / "seed"
            out.mkdir(parents=True)
            write([a.seed], out)
            res = json.loads(run([py, score, str(a.seed_gold), str(out), "--json"]))
            figures[system]["seed"] = prf(res)
            print(f"== {system}: sample page ({shown(a.seed)})")
            print(run([py, score, str(a.seed_gold), str(out)]))
            if a.explain and system == "zone-kg":
                explain(res)
        if a.corpus.exists():
            labels["corpus"] = f"corpus, micro-averaged (`{shown(a.corpus.parent)}`)"
            for system, write in SYSTEMS.items():
                out = Path(tmp) / system / "corpus"
                out.mkdir(parents=True)
                write([a.corpus], out)
                res = json.loads(run([py, score_folder, str(a.gold), str(out), "--json"]))
                figures[system]["corpus"] = res["micro"]
                print(f"== {system}: corpus ({shown(a.corpus)}), micro-averaged")
                print(run([py, score_folder, str(a.gold), str(out)]))
                if a.explain and system == "zone-kg":
                    for g in sorted(a.gold.glob("*.json")):
                        explain(json.loads(run([py, score, str(g), str(out / (g.stem + ".trig")), "--json"])),
                                prefix=f"{g.stem} ")
    print(markdown_table(figures, labels))
    if a.json:
        data = {**figures["zone-kg"], "baseline": figures["baseline"]}
        a.json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
