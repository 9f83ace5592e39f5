"""Parks named by a place: 青岛蓝谷, 武汉光谷 (a valley word), 云溪高新区甲滩园区 (a zone's area).

Chinese innovation districts are often called after their city with a
two-character word ending in 谷 (valley: 光谷 optics, 药谷 medicine, 蓝谷 the
blue economy).  Such a word right after a place name is a park when jieba does
not know it as a common word (峡谷, 山谷, 低谷 are landforms) or it is one of
the valley heads of ``data/suffixes.tsv``.  Later bare uses of the word (蓝谷)
in the same article name the same park.

>>> from kg.extraction.mentions import find_mentions
>>> [(m.text, m.key) for m in find_mentions("青岛甲谷新签约项目十个。甲谷已有高校16所。") if m.cls == "Park"]
[('青岛甲谷', '青岛甲谷'), ('甲谷', '青岛甲谷')]
>>> [m.text for m in find_mentions("青岛山谷风景优美。") if m.cls == "Park"]
[]
"""

from __future__ import annotations

import re

VALLEY = re.compile(r"[\u4e00-\u9fff]谷")


def find_valleys(f) -> None:
    """Add Park mentions for place + X谷 names and their later bare X谷 (``f`` is a mention finder)."""
    text, lex = f.text, f.lex
    heads = {s.text for s in lex.suffixes if s.cls == "Park" and s.text.endswith("谷")}
    named: dict[str, str] = {}  # X谷 -> the full name
    for m in [m for m in f.out if m.cls == "AdminRegion"]:
        word = VALLEY.match(text, m.end)
        if not word or text[m.end : word.end()] in named:
            continue
        valley = word.group()
        if valley in lex.tags and valley not in heads:
            continue
        full = text[m.start : word.end()]
        named[valley] = full
        f.add(m.start, word.end(), "Park", "place:valley", full)
    for valley, full in named.items():
        for hit in re.finditer(valley, text):
            start = hit.start()
            if text[max(0, start - len(full) + len(valley)) : hit.end()] != full:
                f.add(start, hit.end(), "Park", "place:valley", full)


AREA = re.compile(r"([\u4e00-\u9fff]{2,3}?)(园区|分园)")
AREA_TAGS = ("ns", "nz", "nr", "")


def find_zone_areas(f) -> None:
    """云溪高新区甲滩园区: a zone's name, a place word and 园区 (or 分园) name an area of the zone,
    a Park (the structural rule then makes it part of the zone).

    >>> from kg.extraction.mentions import find_mentions
    >>> [m.text for m in find_mentions("签约仪式在星河高新区甲滩园区举行。") if m.cls == "Park"]
    ['星河高新区甲滩园区']
    """
    text, generic = f.text, f.lex.boundaries
    for m in [m for m in f.out if m.cls == "Zone" and m.kind == "name"]:
        area = AREA.match(text, m.end)
        if not area or m.end not in f.starts:
            continue
        word = area.group(1)
        toks = list(f.between(m.end, area.end(1)))
        if toks and toks[-1].end == area.end(1) and all(t.tag in AREA_TAGS for t in toks) and word not in generic:
            f.add(m.start, area.end(), "Park", "place:zone-area")
