"""Titles a body is given without quotes: 被认定为国家级科技企业孵化器、国家级众创空间.

Ministries rate zones, incubators and companies with graded titles
(国家级…, 省级…).  Written after a verb of awarding (认定为, 评为, 获批), such a
title runs to the end of its clause, and further 、-items of the same grade
(or 和-joined ones) are titles too.  Each becomes an Award mention; ``receivedAward`` patterns
then link it to its holder.

>>> from kg.mentions import find_mentions
>>> [m.text for m in find_mentions("星河孵化器被认定为国家级科技企业孵化器、省级众创空间。") if m.cls == "Award"]
['国家级科技企业孵化器', '省级众创空间']
>>> [m.text for m in find_mentions("甲乙基地获批国家级孵化器和国家级众创空间。") if m.cls == "Award"]
['国家级孵化器', '国家级众创空间']
"""
from __future__ import annotations

import re

GRADE = r"(?:国家级|省级|市级|国家|全国|省|市)"
AWARDED = re.compile(r"(?:被|获|成功)?(?:认定为|评为|评定为|命名为|授予|获批为|获批|获评|荣获|入选)(?:了)?"
                     rf"(?P<title>{GRADE}[\u4e00-\u9fff“”]{{2,24}}?)(?=[,，。；;、]|(?:和|及|以及){GRADE}|$)")
NEXT = re.compile(rf"(?:、|和|及|以及)(?P<title>{GRADE}[\u4e00-\u9fff“”]{{2,24}}?)(?=[,，。；;、]|(?:和|及|以及){GRADE}|$)")


def find_designations(f) -> None:
    """Add Award mentions for graded titles after a verb of awarding (``f`` is a mention finder)."""
    text = f.text
    for m in AWARDED.finditer(text):
        f.add(m.start("title"), m.end("title"), "Award", "designation:graded")
        pos = m.end("title")
        while (n := NEXT.match(text, pos)):
            f.add(n.start("title"), n.end("title"), "Award", "designation:graded")
            pos = n.end("title")
