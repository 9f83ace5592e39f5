"""What the learned stages see: features of tokens (for the mention tagger) and of entity pairs
(for the relation classifier), made from the text, jieba's words and tags, the lexicons and
reference lists, and the firings of the rules.  Plain strings; the models give them weights.

>>> from kg.extraction.tokens import Token
>>> ctx = Context.of("溧阳高新区聚焦新能源。")
>>> [t.text for t in ctx.tokens][:2], ctx.token_features()[0][:3]
(['溧阳', '高新区'], ['w=溧阳', 't=ns', 'l=2'])
>>> [f for f in ctx.token_features()[0] if f.startswith(("r=", "w+1"))]     # the rules: a zone starts here
['r=B-Zone', 'w+1=高新区']
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.extraction.lexicon import Lexicon, get_lexicon, load_words
from kg.extraction.mentions import find_candidates
from kg.extraction.overlaps import select
from kg.extraction.sentences import split_sentences
from kg.extraction.tokens import Token, generic_words, tokenize
from kg.records import ORGANISATIONS, Mention, Sentence

#: Classes that hold or host things: a zone or park between two names changes what is related.
AREAS = frozenset({"Zone", "Park"})
ORGS = frozenset(ORGANISATIONS) - AREAS
#: Tokens of context taken on each side of a pair, and between its two mentions at most.
SIDE, BETWEEN = 3, 12


def _kind(text: str) -> str:
    c = text[0]
    if c.isdigit():
        return "digit"
    if c.isascii() and c.isalpha():
        return "latin"
    if "\u4e00" <= c <= "\u9fff":
        return "han"
    return "punct"


def _bio(tokens: list[Token], spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """B-/I-class of the tokens each span covers (spans in text offsets), O elsewhere."""
    out = ["O"] * len(tokens)
    starts = {t.start: i for i, t in enumerate(tokens)}
    for start, end, cls in spans:
        i = starts.get(start)
        if i is None:
            continue
        out[i] = "B-" + cls
        i += 1
        while i < len(tokens) and tokens[i].end <= end:
            out[i] = "I-" + cls
            i += 1
    return out


@functools.lru_cache(maxsize=1)
def _region_levels(lex_id: int) -> dict[str, int]:
    lex = get_lexicon()
    return {form: min(r.level for r in regions) for form, regions in lex.regions.items()}


class _Prefixed(dict):
    """prefix + label, made once per label."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def __missing__(self, label: str) -> str:
        self[label] = value = self.prefix + label
        return value


_R, _REF, _R1, _R2 = _Prefixed("r="), _Prefixed("ref="), _Prefixed("r-1="), _Prefixed("r+1=")


@functools.lru_cache(maxsize=200_000)
def _context(offset: int, word: str) -> str:
    return f"w{offset:+d}={word}"


@functools.lru_cache(maxsize=200_000)
def word_features(word: str, tag: str) -> tuple[str, ...]:
    """A word's own features: itself, its tag, length, script, ends, and what the lexicons say of it."""
    lex = get_lexicon()
    f = [
        "w=" + word,
        "t=" + tag,
        "l=" + str(min(len(word), 6)),
        "k=" + _kind(word),
        "a=" + word[0],
        "z=" + word[-1],
        "z2=" + word[-2:],
    ]
    suffix = lex.suffix_of(word)
    if suffix is not None:
        f.append("sx=" + suffix.cls)
    levels = _region_levels(id(lex))
    if word in levels:
        f.append("reg=" + str(levels[word]))
    if word in lex.industries:
        f.append("ind")
    if word in lex.titles:
        f.append("title")
    if word in generic_words():
        f.append("gen")
    if word in lex.boundaries:
        f.append("bnd")
    if len(word) in (2, 3) and word[0] in lex.surnames:
        f.append("sur")
    return tuple(f)


@dataclass
class Context:
    """One article as the learned stages see it: its text, tokens, sentences and what the rules found."""

    text: str
    tokens: list[Token]
    sentences: list[Sentence]
    rule_mentions: list[Mention]  # the rules' mentions, overlaps resolved (kg.extraction.overlaps.select)
    lex: Lexicon = field(repr=False, default=None)
    candidates: list[Mention] = field(default_factory=list)  # every rule's mentions, overlapping

    @classmethod
    def of(cls, text: str) -> Context:
        cands = find_candidates(text)
        return cls(text, tokenize(text), split_sentences(text), select(cands), get_lexicon(), cands)

    def rule_spans(self) -> list[tuple[int, int, str]]:
        """The rules' top-level name mentions as (start, end, class)."""
        out, end = [], -1
        for m in sorted(self.rule_mentions, key=lambda m: (m.start, -(m.end - m.start))):
            if m.kind == "name" and m.start >= end:
                out.append((m.start, m.end, m.cls))
                end = m.end
        return out

    def token_features(self) -> list[list[str]]:
        """The tagger's features of each token: the word's own (:func:`word_features`, computed once
        per word and process), the rules' and reference lists' labels, the neighbouring words."""
        toks = self.tokens
        rules = _bio(toks, self.rule_spans())
        refs = _bio(toks, self._reference_spans())
        starts = {t.start: i for i, t in enumerate(toks)}
        covering: list[list[str]] = [[] for _ in toks]
        for m in self.candidates:
            i = starts.get(m.start)
            if i is None or m.kind != "name":
                continue
            covering[i].append("rc=B-" + m.cls)
            i += 1
            while i < len(toks) and toks[i].end <= m.end:
                covering[i].append("rc=I-" + m.cls)
                i += 1
        n = len(toks)
        words = [t.text for t in toks]
        own = [word_features(t.text, t.tag) for t in toks]
        out = []
        for i in range(n):
            f = [
                *own[i],
                _R[rules[i]],
                _REF[refs[i]],
                *sorted(set(covering[i])),
            ]  # sorted: the same CRF in every process
            f.append(_context(-1, words[i - 1]) if i > 0 else "w-1=#")
            f.append(_context(1, words[i + 1]) if i + 1 < n else "w+1=#")
            f.append(_context(-2, words[i - 2]) if i > 1 else "w-2=#")
            f.append(_context(2, words[i + 2]) if i + 2 < n else "w+2=#")
            f.append(_R1[rules[i - 1]] if i > 0 else "r-1=#")
            f.append(_R2[rules[i + 1]] if i + 1 < n else "r+1=#")
            out.append(f)
        return out

    def _reference_spans(self) -> list[tuple[int, int, str]]:
        out = []
        refs = self.lex.references
        for m in self.rule_mentions:
            if m.kind == "name" and m.rule == "lexicon:reference" and m.text in refs:
                out.append((m.start, m.end, refs[m.text].cls))
        return out


@functools.lru_cache(maxsize=1)
def trigger_words() -> frozenset[str]:
    """Words that state relations (``data/relation_triggers.txt``), marked where they stand."""
    return load_words("relation_triggers.txt")


def pair_features(
    ctx: Context,
    s: Mention,
    o: Mention,
    sent: Sentence,
    between: list[Token],
    around: tuple[list[Token], list[Token]],
    mentions_between: list[Mention],
    fired: Iterable[str],
    topic: str,
    title_keys: set[str],
    cross: bool,
    runs: tuple[int, int] = (1, 1),
    sentence_words: Iterable[str] = (),
) -> list[str]:
    """The relation classifier's features of one ordered pair of mentions (``s`` first in the triple)."""
    order = "so" if s.start < o.start else "os"
    f = [
        "sc=" + s.cls,
        "oc=" + o.cls,
        "pair=" + s.cls + ">" + o.cls,
        "ord=" + order,
        "po=" + s.cls + ">" + o.cls + "|" + order,
        "d=" + str(min(len(between), 8) if not cross else 99),
        "sk=" + s.kind,
        "ok=" + o.kind,
    ]
    if cross:
        f.append("cross")
    triggers = trigger_words()
    pair = s.cls + ">" + o.cls + "|" + order
    for t in between[:BETWEEN]:
        f.append("b=" + t.text)
        if t.text in triggers:
            f.append("tb=" + t.text)
            f.append("tbp=" + t.text + "|" + pair)
        elif t.tag.startswith("v"):
            f.append("vbp=" + t.text + "|" + pair)
    if len(between) > BETWEEN:
        f.append("far")
    if runs[0] > 1:
        f.append("s_in_list")
    if runs[1] > 1:
        f.append("o_in_list")
        f.append("o_list|" + pair)
    if cross:
        for w in sentence_words:
            f.append("st=" + w)
            f.append("stp=" + w + "|" + pair)
    if between:
        f.append("b0=" + between[0].text)
        f.append("b1=" + between[-1].text)
    if not between and not cross:
        f.append("adjacent")
    before, after = around
    for t in before:
        f.append("pre=" + t.text)
        if t.text in triggers:
            f.append("tpre=" + t.text)
    for t in after:
        f.append("post=" + t.text)
        if t.text in triggers:
            f.append("tpost=" + t.text)
    for m in mentions_between:
        f.append("mb=" + m.cls)
    if any(m.cls in AREAS for m in mentions_between):
        f.append("area_between")
        f.append("area_between|" + pair)
    if o.text in s.text and o.start >= s.start and o.end <= s.end:
        f.append("o_inside_s")
    if s.text in o.text and s.start >= o.start and s.end <= o.end:
        f.append("s_inside_o")
    if o.key and o.key in s.key:
        f.append("o_name_in_s")
    for rule in fired:
        f.append("rule=" + rule)
    if topic:
        f.append("s_topic" if s.key == topic else "s_other")
        f.append("o_topic" if o.key == topic else "o_other")
    if s.key in title_keys:
        f.append("s_title")
    if o.key in title_keys:
        f.append("o_title")
    return f
