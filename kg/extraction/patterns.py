"""Trigger patterns (``data/patterns.tsv``) compiled against sentence skeletons.

A skeleton is a sentence with every mention replaced by a code of its class
(:func:`skeleton`); a pattern line names the property, its slots by class and
the words between them, and compiles to a regular expression over skeletons.
Adding a relation pattern is a line of the data file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kg.errors import DataFileError
from kg.extraction.lexicon import DATA, data_lines, get_lexicon
from kg.records import CLASSES, ORGANISATIONS, PROPERTIES, Mention, Sentence

#: Organisation-like classes: a slot written ORG takes any of them.
ORG = ORGANISATIONS
OPEN, CLOSE = "\ue000", "\ue001"


CODE = dict(zip(CLASSES, "ZPRUCGAFIHNLWME"))


SLOT = re.compile(r"\{(\w+?)(\+?):([\w|]+)\}|\{role\}")


ITEM = re.compile(OPEN + r".(\d+)" + CLOSE)


SEP = r"(?:[、,，和及与]|以及)“?"


@dataclass(frozen=True)
class Pattern:
    id: str
    property: str
    confidence: float
    regex: re.Pattern


def _slot(name: str, plural: bool, classes: str) -> str:
    names = [
        c for part in classes.split("|") for c in (ORG if part == "ORG" else CLASSES if part == "ANY" else (part,))
    ]
    one = OPEN + "[" + "".join(CODE[c] for c in names) + r"]\d+" + CLOSE
    body = f"{one}”?(?:{SEP}{one}”?)*" if plural else one
    return f"(?P<{name}>{body})"


def compile_pattern(pid: str, prop: str, confidence: float, source: str) -> Pattern:
    titles = "|".join(sorted(get_lexicon().titles, key=len, reverse=True))

    def slot(m: re.Match) -> str:
        if m.group(0) == "{role}":
            return f"(?P<role>(?:{titles})+)"
        return _slot(m.group(1), bool(m.group(2)), m.group(3))

    rx = SLOT.sub(slot, source)
    rx = rx.replace("…", f"[^{OPEN}{CLOSE}。！？]{{0,12}}?").replace("~", "[^。！？]{0,60}?")
    return Pattern(pid, prop, confidence, re.compile(rx))


@functools.lru_cache(maxsize=1)
def load_patterns(name: str = "patterns.tsv") -> tuple[Pattern, ...]:
    out = []
    for path, n, line in data_lines(DATA / name):
        cols = line.split("\t")
        if len(cols) != 4:
            raise DataFileError(path, n, f"expected 4 tab-separated columns, got {len(cols)}")
        pid, prop, conf, source = cols
        if prop not in PROPERTIES:
            raise DataFileError(path, n, f"unknown property {prop!r}")
        try:
            out.append(compile_pattern(pid, prop, float(conf), source))
        except (re.error, KeyError, ValueError) as e:
            raise DataFileError(path, n, f"bad pattern: {e}") from e
    return tuple(out)


def skeleton(sentence: Sentence, mentions: list[Mention]) -> tuple[str, list[Mention]]:
    """The sentence with its top-level mentions replaced by class-coded placeholders."""
    parts, slots, pos = [], [], sentence.start
    for m in mentions:
        if m.start < pos or m.end > sentence.end or m.start < sentence.start or m.rule == "alias:defined":
            continue
        parts.append(sentence.text[pos - sentence.start : m.start - sentence.start])
        parts.append(f"{OPEN}{CODE[m.cls]}{len(slots)}{CLOSE}")
        slots.append(m)
        pos = m.end
    parts.append(sentence.text[pos - sentence.start :])
    return "".join(parts), slots
