"""Words of a text with their part-of-speech tags and offsets: the tokens the mention rules walk.

Segmentation is jieba's (run by rjieba, :class:`kg.extraction.segmenter.Segmenter`), with
two repairs: one-character words that jieba's unknown-word model glues onto a
name are split off (出中科海钠 -> 出 | 中科海钠), and position titles glued to
the word before them too (局局长 -> 局 | 局长).

>>> [(t.text, t.start) for t in tokenize("溧阳高新区科技局局长朱静")][-2:]
[('局长', 8), ('朱静', 10)]
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from kg.extraction.lexicon import get_lexicon, load_words
from kg.extraction.segmenter import get_tokenizer

# jieba tags of words that never belong inside a name
STOP_TAGS = {
    "v",
    "vd",
    "vi",
    "vg",
    "vq",
    "p",
    "c",
    "u",
    "uj",
    "ul",
    "uz",
    "ud",
    "ug",
    "uv",
    "r",
    "d",
    "m",
    "q",
    "t",
    "f",
    "y",
    "e",
    "o",
    "ad",
    "rr",
    "rz",
    "mq",
    "tg",
    "zg",
}
NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·]")


@functools.lru_cache(maxsize=1)
def generic_words() -> frozenset[str]:
    """Words that are never a name on their own (``data/generic_words.txt``: 研究院, 企业 …)."""
    return load_words("generic_words.txt")


class Token(NamedTuple):
    start: int
    end: int
    text: str
    tag: str


@functools.lru_cache(maxsize=4)
def tokenize(text: str) -> list[Token]:
    """jieba's words of ``text`` with their part-of-speech tags ("" when unknown); one-character
    words that jieba's unknown-word model glues onto a name (出中科海钠) and titles glued to the
    word before (局局长) are split off.  The last few texts' tokens are kept (the rules and the
    tagger read the same article): callers never change the list."""
    lex = get_lexicon()
    tok, tags, glue, lead, title_ends = get_tokenizer(), lex.tags, lex.glue_chars, lex.lead_chars, lex.title_ends()
    out: list[Token] = []
    append, pos = out.append, 0
    for w in tok.cut(text):
        n = len(w)
        tag = tags.get(w, "")
        if n == 1 or (tag and w[-1] not in title_ends):  # the common case: a known word
            append(Token(pos, pos + n, w, tag))
            pos += n
            continue
        if not tag and w[0] in lead:  # 出中科海钠 -> 出 | 中科海钠, 另据甲乙 -> 另 | 据 | 甲乙
            while tag in ("", "x") and len(w) >= 2 and w[0] in lead:
                append(Token(pos, pos + 1, w[0], "p"))
                pos, w, tag = pos + 1, w[1:], tags.get(w[1:], "x")
        elif not tag and w[-1] in glue and n <= 3:  # 上为 -> 上 | 为
            append(Token(pos, pos + n - 1, w[:-1], tags.get(w[:-1], "")))
            pos, w = pos + n - 1, w[-1]
            tag = "p"
        title = _title_ending(w)
        if title:  # 局局长 -> 局 | 局长, 党委书记 -> 党委 | 书记
            head = w[: -len(title)]
            append(Token(pos, pos + len(head), head, tags.get(head, "")))
            pos, w, tag = pos + len(head), title, "n"
        append(Token(pos, pos + len(w), w, "" if tag == "x" else tag))
        pos += len(w)
    return out


def _title_ending(word: str) -> str:
    """The position title a longer word ends with (局局长 -> 局长), or ""."""
    lex = get_lexicon()
    if len(word) < 3 or word[-1] not in lex.title_ends() or word in lex.titles:
        return ""
    titles = lex.titles
    return next((word[i:] for i in range(1, len(word) - 1) if word[i:] in titles), "")
