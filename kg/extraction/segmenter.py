"""jieba's segmentation of a text with the lexicon's names in its dictionary (rjieba, a private
jieba.Tokenizer for tags and frequencies: never jieba's global one).
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Mapping
from pathlib import Path

from kg.extraction.lexicon import get_lexicon


def _load_tags(tokenizer) -> dict[str, str]:
    import jieba.posseg

    return dict(jieba.posseg.POSTokenizer(tokenizer).word_tag_tab)


class Segmenter:
    """jieba's segmentation of a text, with the lexicon's names in its dictionary.

    jieba's dictionary, frequencies and HMM for unknown words, run by rjieba
    (the Rust port of jieba, about 25 times faster than jieba's Python code on
    these articles: ``bench/throughput.py``).  jieba itself, a private
    ``jieba.Tokenizer`` (never the global one), supplies the frequencies of
    the added names and the part-of-speech tags; both are kept in a cache file
    (:func:`_jieba_facts`), so that a process that only extracts does not load
    jieba's dictionary twice.
    """

    def __init__(self, freqs: Mapping[str, int]):
        self.freqs = dict(freqs)
        self._fast = _rjieba_class()()
        for word, freq in self.freqs.items():
            self._fast.add_word(word, freq, None)

    def cut(self, text: str) -> list[str]:
        """The words of ``text`` in order; they join up to ``text``."""
        return self._fast.cut(text, True)

    @functools.cached_property
    def jieba(self):
        """A private jieba.Tokenizer with the same added words (loaded on first use)."""
        tok = _jieba_tokenizer()
        for word, freq in self.freqs.items():
            tok.add_word(word, freq=freq)
        return tok


def _rjieba_class():
    """rjieba's ``Jieba`` class, from its compiled module.  ``import rjieba`` also
    builds a process-wide dictionary for its module-level functions, which this
    project never uses (it keeps a private one, as with jieba): 0.1 s and 32 MB
    a process.  Imported as usual when the compiled module is not where rjieba
    0.2 keeps it."""
    import importlib.machinery
    import importlib.util
    import sys

    if "rjieba" in sys.modules:
        return sys.modules["rjieba"].Jieba
    spec = importlib.util.find_spec("rjieba")  # finds the package without running it
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, "rjieba" + suffix)
            if os.path.isfile(path):
                loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", path)
                module = importlib.util.module_from_spec(
                    importlib.util.spec_from_loader("rjieba.rjieba", loader, origin=path)
                )
                loader.exec_module(module)
                return module.Jieba
    import rjieba

    return rjieba.Jieba


def _jieba_tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def _jieba_facts(words: list[str]) -> tuple[dict[str, str], dict[str, int]]:
    """jieba's part-of-speech tags of its dictionary words, and the frequency each of ``words`` is
    added with (jieba's suggestion, at least 10).  Computed once per jieba version and word list
    and kept in the temporary folder, as jieba keeps its own dictionary cache there."""
    import hashlib
    import pickle
    import tempfile
    from importlib.metadata import version

    key = hashlib.sha1("\n".join([version("jieba"), *words]).encode("utf-8")).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"zone-kg-jieba-{key}.pickle"
    try:
        with path.open("rb") as f:
            tags, freqs = pickle.load(f)
        if isinstance(tags, dict) and isinstance(freqs, dict):
            return tags, freqs
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError):
        pass  # no cache yet, or a broken one: compute it again
    tok = _jieba_tokenizer()
    tags = _load_tags(tok)
    freqs = {}
    for w in words:  # each word as jieba suggests it, with those before it
        freqs[w] = max(tok.suggest_freq(w, tune=False), 10)
        tok.add_word(w, freq=freqs[w])
    try:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump((tags, freqs), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only temporary folder: no cache
    return tags, freqs


@functools.lru_cache(maxsize=1)
def get_tokenizer() -> Segmenter:
    """The process-wide segmenter that knows the lexicon's names (never jieba's global one)."""
    lex = get_lexicon()
    words = sorted({w for w in [*lex.references, *lex.industries, *lex.titles] if len(w) > 1})
    tags, freqs = _jieba_facts(words)
    segmenter = Segmenter(freqs)
    for word, tag in lex.tags.items():  # jieba's tags win, as lex.tags.update(tags) would; but its
        tags.setdefault(word, tag)  # 349,000 are not copied: the copy was a worker's highest
    lex.tags = tags  # moment, 3 MB above what it holds once loaded
    return segmenter
