"""Extraction quality, every figure in one run: cross-validation, the check articles, the sample page.

usage: python bench/quality.py [--corpus DIR] [--k 5] [--systems model,rules,baseline] [--json OUT]
                               [--no-check] [--explain]

For each system (zone-kg's learned model; its rules alone; the jieba baseline of bench/baseline.py):

* **cross-validation by article** over the training corpus (``data/train/``,
  see kg.evaluation.corpus): the system is trained on four folds (the model as
  ``kg train`` trains it) and each article of the fifth is built on its own and scored; the folds are fixed (saved in
  ``data/train/folds.json``), so that every system is judged on the same split.
  Micro-averaged over all folds, with the figures of each fold and of each
  source folder (the rules were written on the dev articles, never on the
  training articles);
* **the check articles**: ``../shared/tools/check_score`` (articles nobody
  working on the project has read; it prints totals only);
* **the sample page** against ``data/gold/seed.json``.

The check articles and the sample page are built with the model that ships
(trained on the whole corpus; neither is in it).

Every score is the reference scorer's (kg.evaluation.evaluate, which agrees with
``../shared/spec/score.py`` number for number; check_score runs score.py
itself).  Ends with a Markdown table; ``--json`` also writes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if str(ROOT) not in sys.path:  # run as a script: make bench/ importable as a package
    sys.path.insert(0, str(ROOT))

from bench.baseline import baseline_graph  # noqa: E402
from kg.evaluation.corpus import load_corpus  # noqa: E402
from kg.evaluation.crossval import cross_validate  # noqa: E402
from kg.evaluation.evaluate import evaluate, load_gold  # noqa: E402

KINDS = ("entities", "relations")
MEASURES = ("precision", "recall", "f1")
CHECK_SCORE = SHARED / "tools" / "check_score"


class Model:
    """zone-kg's learned model, trained on each fold's training articles (``kg train`` on them);
    on the check articles and the sample page, the model that ships (trained on them all)."""

    def __init__(self, corpus, folder: Path):
        self.corpus, self.prepared, self.folder, self.trained = corpus, None, folder, 0  # models go in folder

    def __call__(self, train):
        import kg
        from kg.learning.train import prepare_all
        from kg.learning.train import train as train_model

        if train is None:  # the shipped model
            return lambda path: kg.build([path])
        if self.prepared is None:
            self.prepared = {p.id: p for p in prepare_all(self.corpus.examples, progress_printer("preparing"))}
        self.trained += 1
        path = self.folder / f"model{self.trained}.kgmodel"
        train_model(train, prepared=[self.prepared[e.id] for e in train]).save(path)
        return lambda p: kg.build([p], model=path)


def rules(train):
    """zone-kg's rules alone (``kg build --rules-only``): they learn nothing from ``train``."""
    import kg

    return lambda path: kg.build([path], rules_only=True)


def baseline(train):
    return baseline_graph


def _kg_command(tmp: Path, *flags: str) -> str:
    """An executable that runs ``kg`` with ``flags`` added (check_score runs `CMD build FILE -o DIR`)."""
    kg = Path(sys.executable).parent / "kg"
    if not flags:
        return str(kg)
    path = tmp / f"kg{'-'.join(flags)}"
    path.write_text(f'#!/bin/sh\nexec "{kg}" "$@" {" ".join(flags)}\n', encoding="utf-8")
    path.chmod(0o755)
    return str(path)


# name -> (cross-validation system, the command check_score runs as `CMD build FILE -o DIR`)
SYSTEMS = {
    "model": (None, lambda tmp: _kg_command(tmp)),
    "rules": (rules, lambda tmp: _kg_command(tmp, "--rules-only")),
    "baseline": (baseline, lambda tmp: _baseline_command(tmp)),
}


def _baseline_command(tmp: Path) -> str:
    """An executable that takes check_score's `build FILE -o DIR` and runs the baseline."""
    path = tmp / "baseline-kg"
    path.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" "{ROOT / "bench" / "baseline.py"}" "$2" -o "$4"\n', encoding="utf-8"
    )
    path.chmod(0o755)
    return str(path)


def check_score(command: str) -> dict | None:
    """check_score's totals for ``command``, None when the tool is not there."""
    if not CHECK_SCORE.exists():
        return None
    proc = subprocess.run(
        [sys.executable, str(CHECK_SCORE), "--kg", command, "--json"], capture_output=True, text=True, check=True
    )
    lines = proc.stdout.splitlines()
    figures = json.loads(lines[-1])
    figures["printed"] = "\n".join(lines[:-1])
    return figures


def progress_printer(label: str):
    shown = [0.0]

    def show(done: int, total: int, item: str) -> None:
        now = time.monotonic()
        if sys.stderr.isatty() and (now - shown[0] > 0.2 or done == total):
            shown[0] = now
            print(
                f"\r{label}: {done}/{total} {item:<12}", end="" if done < total else "\n", file=sys.stderr, flush=True
            )

    return show


def row(fig: dict) -> list[str]:
    return [f"{fig[k][m]:.3f}" for k in KINDS for m in MEASURES]


def markdown_table(figures: dict, labels: dict[str, str]) -> str:
    """A row per data set (``labels``, in order) and system: P, R, F1 of entities and relations.

    ``figures[system][data]`` holds ``{"entities": {...}, "relations": {...}}``;
    a data set missing from a system is left out.
    """
    head = ["Data", "System"] + [f"{k.capitalize()} {m}" for k in KINDS for m in ("P", "R", "F1")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for data, label in labels.items():
        for system, figs in figures.items():
            if figs.get(data):
                lines.append("| " + " | ".join([label, system, *row(figs[data])]) + " |")
    return "\n".join(lines)


def recall_by_property(fig: dict) -> str:
    return ", ".join(
        f"{p} {r['gold_found']}/{r['gold_required']}" for p, r in fig["per_property"].items() if r["gold_required"]
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "data/train", help="corpus folder (kg.evaluation.corpus)")
    ap.add_argument("--k", type=int, default=5, help="number of folds")
    ap.add_argument("--seed", type=Path, default=ROOT / "data/seed/000_db9541ef606ed3d2.txt")
    ap.add_argument("--seed-gold", type=Path, default=ROOT / "data/gold/seed.json")
    ap.add_argument("--systems", default=",".join(SYSTEMS), help=f"comma-separated, of {', '.join(SYSTEMS)}")
    ap.add_argument("--no-check", action="store_true", help="leave out check_score")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--explain", action="store_true", help="print the sample page's missed and spurious items")
    a = ap.parse_args(argv)
    names = [s for s in a.systems.split(",") if s]
    unknown = [s for s in names if s not in SYSTEMS]
    if unknown:
        ap.error(f"unknown system {unknown[0]!r} (of {', '.join(SYSTEMS)})")
    corpus = load_corpus(a.corpus)
    folds = corpus.folds(a.k, save=True)
    sources = {}
    print(
        f"corpus: {len(corpus.examples)} annotated articles in {a.k} folds "
        f"({', '.join(str(sum(1 for f in folds.values() if f == i)) for i in range(a.k))})"
    )
    for path in corpus.absent:
        print(f"  not there (left out): {os.path.relpath(path, ROOT)}")
    figures: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            system, command = SYSTEMS[name]
            if system is None:
                system = Model(corpus, Path(tmp))
            figs = figures[name] = {}
            started = time.monotonic()
            cv = cross_validate(system, corpus, folds, a.k, progress=progress_printer(f"{name}: cross-validation"))
            figs["cv"] = cv["micro"]
            for source, fig in cv["by_source"].items():
                key = "cv:" + os.path.relpath(source, ROOT)
                sources[key] = f"… of which `{os.path.relpath(source, ROOT)}` ({fig['articles']} articles)"
                figs[key] = fig
            seed = evaluate(load_gold(a.seed_gold), system(None)(a.seed))
            figs["seed"] = seed
            print(f"\n== {name}: cross-validation, {a.k} folds, micro ({cv['micro']['articles']} articles)")
            for i, fold in enumerate(cv["folds"]):
                print(
                    f"  fold {i} ({fold['articles']:3} articles): "
                    + "  ".join(f"{k} F1 {fold[k]['f1']:.3f}" for k in KINDS)
                )
            print("  relation recall by property: " + recall_by_property(cv["micro"]))
            if not a.no_check:
                check = check_score(command(Path(tmp)))
                if check:
                    figs["check"] = check
                    print(f"== {name}: check_score\n{check['printed']}")
            print(f"== {name}: sample page: " + "  ".join(f"{k} F1 {seed[k]['f1']:.3f}" for k in KINDS))
            if a.explain:
                for k in KINDS:
                    print(f"  {k} missed: {seed[k]['missed']}\n  {k} spurious: {seed[k]['spurious']}")
            print(f"   ({time.monotonic() - started:.0f} s)")
    labels = {
        "cv": f"cross-validation, {a.k} folds by article, micro ({len(corpus.examples)} articles)",
        **sources,
        "check": "check articles (`check_score`)",
        "seed": "sample page (`data/seed/`)",
    }
    print()
    print(markdown_table(figures, labels))
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
