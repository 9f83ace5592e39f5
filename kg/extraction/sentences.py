"""Split a text into sentences, with offsets into the text.

A sentence ends at 。！？!? (a semicolon does not end it: clauses joined by
one often share their subject), together with the closing quotes and
brackets right after the mark; a newline also ends a sentence.  Whitespace around a sentence is not
part of it, and blank sentences are dropped; a sentence longer than
MAX_SENTENCE characters is cut at its last comma before the limit.  One compiled regex scans the
text once, so the split is linear in the length of the text.

>>> [s.text for s in split_sentences("他说：“园区开园了！”随后离开。\\n标题")]
['他说：“园区开园了！”', '随后离开。', '标题']
"""

from __future__ import annotations

import re

from kg.records import Mention, Sentence

ENDS = "。！？!?"
SOFT_ENDS = "；;，,、 "
MAX_SENTENCE = 500  # characters; a longer "sentence" (no end mark) is cut into pieces
CLOSERS = "”’」』）)"

# Either some text up to the end marks (and the closers after them), or a run
# of end marks standing alone.  Neither part crosses a newline.
_SENTENCE = re.compile(
    rf"[^\n{ENDS}]+(?:[{ENDS}]+[{CLOSERS}]*)?"
    rf"|[{ENDS}]+[{CLOSERS}]*"
)


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order; ``text[s.start:s.end] == s.text``.

    >>> split_sentences("  甲。 乙？")
    [Sentence(start=2, end=4, text='甲。'), Sentence(start=5, end=7, text='乙？')]
    """
    sentences = []
    for m in _SENTENCE.finditer(text):
        chunk = m.group()
        stripped = chunk.strip()
        if not stripped:
            continue
        start = m.start() + (len(chunk) - len(chunk.lstrip()))
        sentences.extend(_pieces(text, start, start + len(stripped)))
    return sentences


def _pieces(text: str, start: int, end: int) -> list[Sentence]:
    """``text[start:end]`` as one sentence, or, beyond MAX_SENTENCE characters, as pieces that end at
    the last comma or semicolon before the limit (or at the limit): evidence stays short and what a
    sentence gives stays linear in its length.

    >>> [len(s.text) for s in _pieces("甲" * 450 + "，" + "乙" * 300, 0, 751)]
    [451, 300]
    """
    out = []
    while end - start > MAX_SENTENCE:
        cut = max(text.rfind(c, start, start + MAX_SENTENCE) for c in SOFT_ENDS) + 1
        if cut <= start:
            cut = start + MAX_SENTENCE
        stop = cut
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if stop > start:
            out.append(Sentence(start, stop, text[start:stop]))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        out.append(Sentence(start, end, text[start:end]))
    return out


def by_sentence(sentences: list[Sentence], mentions: list[Mention]) -> list[list[Mention]]:
    """For each sentence, the mentions that start inside it, in text order (one pass over both).

    >>> from kg.records import Mention
    >>> ss = split_sentences("甲乙。丙丁。")
    >>> ms = [Mention(3, 5, "丙丁", "Company", "r"), Mention(0, 2, "甲乙", "Company", "r")]
    >>> [[m.text for m in group] for group in by_sentence(ss, ms)]
    [['甲乙'], ['丙丁']]
    """
    ordered = sorted(mentions, key=lambda m: m.start)
    groups: list[list[Mention]] = [[] for _ in sentences]
    i = 0
    for k, sent in enumerate(sentences):
        while i < len(ordered) and ordered[i].start < sent.start:
            i += 1
        while i < len(ordered) and ordered[i].start < sent.end:
            groups[k].append(ordered[i])
            i += 1
    return groups
