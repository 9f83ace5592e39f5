"""Extraction speed next to jieba's, on the same text, in the same run, on one core.

usage: python bench/throughput.py [--source DIR ...] [--rounds N] [--json OUT] [--profile] [--rules-only]

Reads the articles under ``--source`` (default: the sample page in ``data/``
and ``../shared/corpus/articles``), warms both up once (dictionaries, lexicons,
compiled patterns: per-process costs), then times ``kg.extraction.extract.extract`` over
every article and ``jieba.lcut`` (a fresh private ``jieba.Tokenizer``) over the
same texts, alternating, ``--rounds`` times, and keeps the best round of each.
Prints characters per second of both and their ratio (extraction time /
jieba time, the figure that counts: issue 6 asked the rules for at most 2.0, issue 21
the learned model for at most 2.5), ``--rules-only`` for the rules alone, and with
``--profile`` the ten functions of kg/ that take the most time of their own.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SOURCES = [ROOT / "data" / "seed", ROOT.parent / "shared" / "corpus" / "articles"]


def measure(texts_docs, rounds: int) -> dict:
    """Best-of-``rounds`` seconds of extraction and of jieba.lcut over the same documents."""
    import logging

    import jieba

    from kg.extraction.extract import extract

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for doc in texts_docs:  # warm-up: every per-process cost paid once
        extract(doc)
        tokenizer.lcut(doc.text)
    best_extract = best_jieba = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for doc in texts_docs:
            extract(doc)
        best_extract = min(best_extract, time.perf_counter() - started)
        started = time.perf_counter()
        for doc in texts_docs:
            tokenizer.lcut(doc.text)
        best_jieba = min(best_jieba, time.perf_counter() - started)
    chars = sum(len(d.text) for d in texts_docs)
    return {
        "articles": len(texts_docs),
        "characters": chars,
        "rounds": rounds,
        "extract_seconds": best_extract,
        "jieba_seconds": best_jieba,
        "extract_chars_per_second": round(chars / best_extract),
        "jieba_chars_per_second": round(chars / best_jieba),
        "ratio": round(best_extract / best_jieba, 2),
    }


def profile(docs, top: int = 10) -> list[tuple[str, float]]:
    """(function, seconds of its own) of the kg/ functions that take the most time in one pass."""
    from kg.extraction.extract import extract

    prof = cProfile.Profile()
    prof.enable()
    for doc in docs:
        extract(doc)
    prof.disable()
    stats = pstats.Stats(prof).stats
    own = [(f"{Path(f).name}:{line}({name})", s[2]) for (f, line, name), s in stats.items()]
    return sorted(own, key=lambda x: -x[1])[:top]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", action="append", type=Path, help="folder or file of articles (repeatable)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--profile", action="store_true", help="list where extraction spends its time")
    ap.add_argument("--rules-only", action="store_true", help="extract with the rules alone (no learned model)")
    args = ap.parse_args(argv)
    from kg.extraction.learned import use_model
    from kg.pipeline.run import read_documents
    from kg.records import BuildReport

    use_model(rules_only=args.rules_only)
    docs = read_documents(args.source or [p for p in DEFAULT_SOURCES if p.exists()], BuildReport())
    figures = measure(docs, args.rounds)
    print("rules alone" if args.rules_only else "the learned model (the default)")
    print(f"{figures['articles']} articles, {figures['characters']:,} characters, best of {args.rounds}")
    print(f"  extraction   {figures['extract_chars_per_second']:>10,} chars/s")
    print(f"  jieba.lcut   {figures['jieba_chars_per_second']:>10,} chars/s")
    print(f"  ratio        {figures['ratio']:>10} (extraction time / jieba time)")
    if args.profile:
        figures["profile"] = profile(docs)
        print("  own time by function (one pass, under cProfile):")
        for name, seconds in figures["profile"]:
            print(f"    {seconds:7.3f} s  {name}")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
