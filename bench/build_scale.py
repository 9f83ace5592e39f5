"""Build time and peak memory of `kg build` at scale, and of its incremental re-runs.

Replicates the articles of a folder (each file copied under new names, so
every copy is an article with its own id) until there are --count of them,
then runs, each as a fresh `kg build` process:

1. a first build into an empty folder;
2. the same build again (nothing changed: nothing is extracted);
3. a build after adding one article (a copy of a source file, slightly changed).

For each: wall time and the peak resident memory of the whole process tree
(the build and its worker processes, sampled every 50 ms with psutil).
Prints the figures and writes them as JSON (--json).

    .venv/bin/python bench/build_scale.py --source ../shared/corpus/articles --count 10000 \\
        --jobs 2 --store oxigraph
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def replicate(source: Path, target: Path, count: int) -> int:
    """Copy the files of ``source`` into ``target`` (r<copy>_<name>) until ``count`` files;
    returns the characters per file on average."""
    from kg.reading.inputs import input_files  # the files a build of ``source`` reads

    files = [Path(f) for f in input_files([source])]
    if not files:
        sys.exit(f"no article files in {source}")
    target.mkdir(parents=True)
    chars = 0
    for i in range(count):
        src = files[i % len(files)]
        dst = target / f"r{i // len(files):05d}_{src.name}"
        shutil.copyfile(src, dst)
        if i < len(files):
            chars += len(src.read_text(encoding="utf-8", errors="replace"))
    return chars // min(count, len(files))


def write_figures(path: str, figures: dict) -> None:
    """Write ``figures`` as JSON to ``path`` (folders made) and say where."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"figures: {path}")


def tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(cmd: list[str]) -> dict:
    """Run ``cmd``; its wall time, peak RSS of its process tree and output."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(proc.pid))
            done.wait(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = proc.communicate()
    done.set()
    thread.join()
    seconds = time.perf_counter() - started
    if proc.returncode not in (0,):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak[0] / 2**20, 1), "output": out.strip().splitlines()}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--source", default=str(ROOT.parent / "shared/corpus/articles"), help="folder of articles to replicate"
    )
    ap.add_argument("--count", type=int, default=10000, help="articles to build")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--store", default="oxigraph", choices=("auto", "memory", "oxigraph"))
    ap.add_argument("--work", help="folder for the input and output (default: a temporary one, removed)")
    ap.add_argument("--json", default=str(ROOT / "build/bench/build_scale.json"), help="where to write the figures")
    ap.add_argument("--no-reruns", action="store_true", help="only the first build")
    ap.add_argument("--rules-only", action="store_true", help="build with the rules alone (kg build --rules-only)")
    args = ap.parse_args(argv)

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="kg-scale-"))
    try:
        inp, out = work / "input", work / "out"
        shutil.rmtree(inp, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        chars = replicate(Path(args.source), inp, args.count)
        kg = [
            str(Path(sys.executable).with_name("kg")),
            "build",
            str(inp),
            "-o",
            str(out),
            "--store",
            args.store,
            "--jobs",
            str(args.jobs),
            *(["--rules-only"] if args.rules_only else []),
        ]
        figures = {
            "count": args.count,
            "chars_per_article": chars,
            "jobs": args.jobs,
            "rules_only": args.rules_only,
            "store": args.store,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "when": time.strftime("%Y-%m-%d %H:%M"),
        }
        print(f"{args.count} articles (~{chars} characters each) in {inp}")
        first = run(kg)
        figures["first"] = first
        print(
            f"first build:   {first['seconds']:7.1f} s, peak {first['peak_rss_mb']:7.1f} MB  "
            f"({first['output'][0] if first['output'] else ''})"
        )
        if not args.no_reruns:
            again = run(kg)
            figures["unchanged"] = again
            print(
                f"unchanged:     {again['seconds']:7.1f} s, peak {again['peak_rss_mb']:7.1f} MB  "
                f"({100 * again['seconds'] / first['seconds']:.1f}% of the first build)"
            )
            sample = sorted(inp.iterdir())[0]
            text = sample.read_text(encoding="utf-8")
            (inp / f"zz_added{sample.suffix}").write_text(
                text + "\n新增一句：测试高新区位于测试市。\n", encoding="utf-8"
            )
            added = run(kg)
            figures["add_one"] = added
            print(f"add one:       {added['seconds']:7.1f} s, peak {added['peak_rss_mb']:7.1f} MB")
        write_figures(args.json, figures)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
