"""Titles and occasions named by phrases rather than proper names.

Titles a body is given without quotes: 被认定为国家级科技企业孵化器、国家级众创空间.

Ministries rate zones, incubators and companies with graded titles
(国家级…, 省级…).  Written after a verb of awarding (认定为, 评为, 获批), such a
title runs to the end of its clause, and further 、-items of the same grade
(or 和-joined ones) are titles too.  Each becomes an Award mention; ``receivedAward`` patterns
then link it to its holder.

>>> from kg.extraction.mentions import find_mentions
>>> [m.text for m in find_mentions("星河孵化器被认定为国家级科技企业孵化器、省级众创空间。") if m.cls == "Award"]
['国家级科技企业孵化器', '省级众创空间']
>>> [m.text for m in find_mentions("甲乙基地获批国家级孵化器和国家级众创空间。") if m.cls == "Award"]
['国家级孵化器', '国家级众创空间']

Events are named by what they are about, a phrase of any words up to their head
(大会, 研讨会, 巡展: the Event heads of ``data/suffixes.tsv``), from where the
sentence introduces them (在, 召开, a date) on; a numbered edition (第十届星洽会)
is an event whatever its head.

>>> [m.text for m in find_mentions("5月30日,云溪经开区科技创新发展大会召开。") if m.cls == "Event"]
['云溪经开区科技创新发展大会']
>>> [m.text for m in find_mentions("第二十三届星洽会在兰州举行。") if m.cls == "Event"]
['第二十三届星洽会']
"""

from __future__ import annotations

import functools
import re

GRADE = r"(?:国家级|省级|市级|国家|全国|省|市)"
AWARDED = re.compile(
    r"(?:被|获|成功)?(?:认定为|评为|评定为|命名为|授予|获批为|获批|获评|荣获|入选)(?:了)?"
    rf"(?P<title>{GRADE}[\u4e00-\u9fff“”]{{2,24}}?)(?=[,，。；;、]|(?:和|及|以及){GRADE}|$)"
)
NEXT = re.compile(
    rf"(?:、|和|及|以及)(?P<title>{GRADE}[\u4e00-\u9fff“”]{{2,24}}?)(?=[,，。；;、]|(?:和|及|以及){GRADE}|$)"
)


def find_designations(f) -> None:
    """Add Award mentions for graded titles after a verb of awarding (``f`` is a mention finder)."""
    text = f.text
    for m in AWARDED.finditer(text):
        f.add(m.start("title"), m.end("title"), "Award", "designation:graded")
        pos = m.end("title")
        while n := NEXT.match(text, pos):
            f.add(n.start("title"), n.end("title"), "Award", "designation:graded")
            pos = n.end("title")


EVENT_OPENERS = re.compile(
    r"(?:[。！？!?；;,，：:、\n“”\"（()）]|在|于|从|由|召开|举办|举行|参加|出席|开幕|启动|据|的|\d+日|\d+月)$"
)
EDITION = re.compile(
    r"第[\d一二三四五六七八九十百]+届[\u4e00-\u9fffA-Za-z0-9]{1,20}?(?:会|节|展|赛|论坛)"
    r"(?![\u4e00-\u9fff]*?(?:会|节|展|赛)[^\u4e00-\u9fff])"
)
MAX_EVENT = 30


@functools.lru_cache(maxsize=4)
def _event_heads(heads: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(map(re.escape, sorted(heads, key=len, reverse=True))))


def find_events(f) -> None:
    """Add Event mentions: head words with the phrase before them, and numbered editions."""
    text = f.text
    for m in _event_heads(tuple(s.text for s in f.lex.suffixes if s.cls == "Event")).finditer(text):
        start = m.start()
        while start > 0 and m.end() - start < MAX_EVENT and not EVENT_OPENERS.search(text[max(0, start - 4) : start]):
            start -= 1
        if (
            m.start() - start >= 4
            and (start == 0 or EVENT_OPENERS.search(text[max(0, start - 4) : start]))
            and start in f.starts
        ):
            start = f._strip_leading(start, m.start())  # 各类学术论坛: no name
            if not f._is_generic(start, m.start(), f.lex.suffix_of(m.group())):
                f.add(start, m.end(), "Event", "event:phrase")
    for m in EDITION.finditer(text):
        f.add(m.start(), m.end(), "Event", "event:edition")
