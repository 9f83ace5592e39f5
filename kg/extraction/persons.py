"""Persons named next to their position titles: 局长朱静, 甲乙集团王建国董事长, 教授阿利耶·瓦谢尔.

A name follows a title (党工委书记王建国: a family name of ``data/surnames.txt``
and one or two characters), or stands between an organisation's name and a
title (甲乙集团王建国董事长).  Transliterated names join their parts with a
middle dot.

>>> from kg.extraction.mentions import find_mentions
>>> [m.text for m in find_mentions("星河科技局局长王建国、教授约翰·史密斯出席。") if m.cls == "Person"]
['王建国', '约翰·史密斯']
"""

from __future__ import annotations

import re

from kg.extraction.tokens import STOP_TAGS
from kg.records import ORGANISATIONS

SPEECH = {"表示", "说", "介绍", "指出", "认为", "透露", "强调", "告诉", "称", "坦言", "看来"}
FOREIGN_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}(?:[·•・][\u4e00-\u9fff]{1,8})+")
HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")
ORG_CLASSES = frozenset(ORGANISATIONS)


def find_persons(f) -> None:
    """Add Person mentions next to position titles (``f`` is a mention finder)."""
    lex, toks = f.lex, f.tokens
    org_ends = {m.end for m in f.out if m.cls in ORG_CLASSES}
    for i, t in enumerate(toks[:-1]):
        if t.text not in lex.titles:
            continue
        nxt = toks[i + 1]
        name = _person_at(f, i + 1)
        foreign = _foreign_name(f, nxt.start)
        if foreign:  # 教授阿利耶·瓦谢尔: a transliterated name
            name = foreign
        if name:
            f.add(nxt.start, nxt.start + len(name), "Person", "title:" + t.text)
        _person_before_title(f, i, org_ends)


def _foreign_name(f, start: int) -> str | None:
    """A transliterated name at ``start`` (阿利耶·瓦谢尔): its last part ends where a title, a
    function word or a non-Chinese character follows."""
    m = FOREIGN_NAME.match(f.text, start)
    if not m:
        return None
    last = max(m.group().rfind(c) for c in "·•・") + start + 1
    end = last
    for t in f.between(last, len(f.text)):
        if t.text in f.lex.titles or t.tag in STOP_TAGS or not HAN_ONLY.fullmatch(t.text) or t.end - last > 5:
            break
        end = t.end
    return f.text[start:end] if end > last else None


def _person_before_title(f, i: int, org_ends: set[int]) -> None:
    """甲乙集团王建国董事长: a name between an organisation's name and a title."""
    for n in (2, 3):
        start = f.tokens[i].start - n
        name = f.text[max(0, start) : f.tokens[i].start]
        if (
            start in org_ends
            and start in f.starts
            and re.fullmatch(r"[\u4e00-\u9fff]+", name)
            and (name[:1] in f.lex.surnames or name[:2] in f.lex.surnames)
            and f.lex.tags.get(name, "nr") in ("nr", "nrfg", "nrt")
        ):
            f.add(start, start + n, "Person", "title-after:" + f.tokens[i].text)
            return


def _person_at(f, i: int) -> str | None:
    """The name that token ``i`` opens: a family name and one or two characters more."""
    lex, toks = f.lex, f.tokens
    t = toks[i]
    w = t.text
    if not (w[:1] in lex.surnames or w[:2] in lex.surnames):
        return None
    if (t.tag not in ("", "nr", "nrfg", "nrt") and not (len(w) == 1 and w in lex.surnames)) or not re.fullmatch(
        r"[\u4e00-\u9fff]{1,3}", w
    ):
        return None
    if len(w) == 1 and i + 1 < len(toks) and re.fullmatch(r"[\u4e00-\u9fff]{1,2}", toks[i + 1].text):
        w += toks[i + 1].text
    elif len(w) == 2 and i + 1 < len(toks):
        n = toks[i + 1]
        after = toks[i + 2].text if i + 2 < len(toks) else ""
        if (
            len(n.text) == 1
            and re.fullmatch(r"[\u4e00-\u9fff]", n.text)
            and n.text not in lex.boundaries
            and (n.tag in ("", "nr", "ng", "n", "a") or after in SPEECH)
        ):
            w += n.text
    return w if 2 <= len(w) <= 4 else None
