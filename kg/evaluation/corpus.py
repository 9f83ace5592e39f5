"""Training corpora: articles paired with their gold annotations, and fixed folds.

A corpus folder (the project's is ``data/train/``) pairs articles with gold
files by name: ``articles/NAME.md`` (or ``.txt``, ``.html``, ``.jsonl``) with
``gold/NAME.json`` (ANNOTATION.md's format).  Or its tab-separated
``corpus.tsv`` names the sources, one line each: an articles folder, then the
gold folders to look in, first match wins; paths are relative to the corpus
folder.  A source folder that is not there (a plain clone without
``../shared``) is reported in :attr:`Corpus.absent`, never an error: the
corpus is then what is present.

Folds for cross-validation are kept in ``folds.json`` beside it, so that
every system is judged on the same split: an article keeps its fold once it
has one, and new articles fill the smallest folds in the order of a hash
of their names.

>>> import tempfile, pathlib
>>> top = pathlib.Path(tempfile.mkdtemp())
>>> for name in ("a1", "a2"):
...     _ = (top / "articles").mkdir(exist_ok=True), (top / "gold").mkdir(exist_ok=True)
...     _ = (top / "articles" / f"{name}.md").write_text("星河高新区。", encoding="utf-8")
...     _ = (top / "gold" / f"{name}.json").write_text('{"entities": [], "relations": []}')
>>> corpus = load_corpus(top)
>>> [e.id for e in corpus.examples], corpus.absent
(['a1', 'a2'], [])
>>> folds = corpus.folds(k=5)
>>> sorted(folds) == ['a1', 'a2'] and all(0 <= f < 5 for f in folds.values())
True
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import DataFileError, InputError

ARTICLE_SUFFIXES = (".md", ".txt", ".html", ".htm", ".jsonl")
SOURCES_FILE = "corpus.tsv"
FOLDS_FILE = "folds.json"


@dataclass(frozen=True)
class Example:
    """One annotated article: its name (the file stem), the article file and its gold file."""

    id: str
    article: Path
    gold: Path


@dataclass
class Corpus:
    """The annotated articles of a corpus folder, in name order."""

    folder: Path
    examples: list[Example]
    absent: list[Path] = field(default_factory=list)  # named source folders that are not there
    unpaired: list[Path] = field(default_factory=list)  # gold files whose article is not there

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.examples]

    def problems(self) -> list[str]:
        """Every problem of the gold files (:func:`kg.evaluation.gold.gold_problems`) and of the
        pairing, one line each starting with the file; empty when the corpus is fit to train on."""
        from kg.evaluation.gold import gold_problems, load_gold
        from kg.reading.read import read_paths
        from kg.records import Skipped

        out = [f"{g}: no article of this name beside it" for g in self.unpaired]
        for ex in self.examples:
            try:
                gold = load_gold(ex.gold)
            except InputError as exc:
                out.append(str(exc))
                continue
            read = list(read_paths([ex.article]))
            out += [f"{ex.article}: {item.reason}" for item in read if isinstance(item, Skipped)]
            raw = ex.article.read_bytes().decode("utf-8", errors="replace")  # front matter too (the source's name)
            text = "\n".join([raw, *(item.text for item in read if not isinstance(item, Skipped))])
            out += [f"{ex.gold}: {line}" for line in gold_problems(gold, text)]
        return out

    def folds(self, k: int = 5, save: bool = False) -> dict[str, int]:
        """Article name -> fold (0 … k-1): the saved ones kept, new ones placed by :func:`place`.
        With ``save``, ``folds.json`` is written when it gained an article."""
        path = self.folder / FOLDS_FILE
        saved = read_folds(path, k)
        folds = place({i: saved[i] for i in self.ids if i in saved}, [i for i in self.ids if i not in saved], k)
        if save and not set(folds) <= set(saved):
            write_folds(path, {**saved, **folds}, k)
        return folds

    def split(self, fold: int, folds: Mapping[str, int]) -> tuple[list[Example], list[Example]]:
        """(training examples, test examples) of ``fold``."""
        train = [e for e in self.examples if folds[e.id] != fold]
        test = [e for e in self.examples if folds[e.id] == fold]
        return train, test


def _hash(name: str) -> int:
    return int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16)


def place(folds: Mapping[str, int], new: list[str], k: int) -> dict[str, int]:
    """``folds`` with each of ``new`` added to the smallest fold (ties: the one its name hashes
    to, or the next), in the order of their hashes: the same split on every machine, folds
    that differ by one article at most when they started so.

    >>> place({}, ["a", "b", "c", "d", "e", "f"], 3) == place({}, ["f", "e", "d", "c", "b", "a"], 3)
    True
    >>> sorted(collections.Counter(place({"x": 0}, list("abcdefg"), 4).values()).values())
    [2, 2, 2, 2]
    """
    out = dict(folds)
    sizes = collections.Counter(out.values())
    for name in sorted(new, key=_hash):
        start = _hash(name) % k
        fold = min(range(k), key=lambda f: (sizes[f], (f - start) % k))
        out[name] = fold
        sizes[fold] += 1
    return out


def read_folds(path: Path, k: int) -> dict[str, int]:
    """The saved folds (name -> fold), or {} when there is no file.  A file made for another
    number of folds, or not of this shape, is an error naming it."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(path, None, f"cannot read folds: {exc}") from None
    if not isinstance(data, dict) or data.get("k") != k:
        made = data.get("k") if isinstance(data, dict) else None
        raise DataFileError(path, None, f"the folds were made for k={made}, not {k}")
    folds = data.get("folds")
    if not isinstance(folds, dict) or not all(isinstance(v, int) and 0 <= v < k for v in folds.values()):
        raise DataFileError(path, None, f"'folds' must map article names to 0 … {k - 1}")
    return folds


def write_folds(path: Path, folds: Mapping[str, int], k: int) -> None:
    data = {
        "k": k,
        "note": "fold of each article for cross-validation by article (kg.evaluation.corpus); "
        "an article keeps its fold, new ones are placed by kg.evaluation.corpus.place",
        "folds": dict(sorted(folds.items())),
    }
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _sources(folder: Path) -> list[tuple[Path, list[Path]]]:
    """(articles folder, gold folders) of ``folder``: those of ``corpus.tsv``, or else its own."""
    path = folder / SOURCES_FILE
    if not path.exists():
        return [(folder / "articles", [folder / "gold"])]
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, None, f"cannot read: {exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 2 or not all(cols):
            raise DataFileError(
                path, n, "expected an articles folder, then one or more gold folders, separated by tabs"
            )
        out.append((_under(folder, cols[0]), [_under(folder, c) for c in cols[1:]]))
    return out


def _under(folder: Path, relative: str) -> Path:
    return Path(os.path.normpath(folder / relative))


def _articles(folder: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted(folder.iterdir()) if p.suffix in ARTICLE_SUFFIXES and p.is_file()}


def load_corpus(folder: str | os.PathLike) -> Corpus:
    """The annotated articles of a corpus folder (see the module's docstring).  An article
    name found in two sources is an error: fold assignment and scores go by name."""
    top = Path(folder)
    if not top.is_dir():
        raise InputError(f"{top}: no such corpus folder")
    examples: dict[str, Example] = {}
    absent, unpaired = [], []
    for articles_dir, gold_dirs in _sources(top):
        present = [g for g in gold_dirs if g.is_dir()]
        absent += [p for p in [articles_dir, *gold_dirs] if not p.is_dir()]
        articles = _articles(articles_dir) if articles_dir.is_dir() else {}
        golds: dict[str, Path] = {}
        for g in present:
            for path in sorted(g.glob("*.json")):
                golds.setdefault(path.stem, path)
        for name, gold in sorted(golds.items()):
            if name not in articles:
                unpaired.append(gold)
                continue
            if name in examples:
                raise InputError(
                    f"{top}: article {name!r} is in two sources ({examples[name].article.parent} and {articles_dir})"
                )
            examples[name] = Example(name, articles[name], gold)
    return Corpus(top, [examples[n] for n in sorted(examples)], absent, unpaired)
