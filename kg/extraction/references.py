"""Mentions that refer rather than name: quoted awards and programmes, anaphors (该研究院, 本区),
bare heads (园区, 公司) and short names the text defines (以下简称…, 又称…).

Each rule takes the mention finder of :mod:`kg.extraction.mentions` (``f.text``,
``f.tokens``, ``f.ends``, ``f.lex``, ``f.add``).  The heads and their classes are data:
``data/anaphor_heads.tsv`` and ``data/bare_heads.tsv``.

>>> from kg.extraction.mentions import find_mentions
>>> [(m.text, m.cls, m.kind) for m in find_mentions("该研究院位于园区。") if m.kind == "anaphor"]
[('该研究院', 'ResearchInstitute', 'anaphor'), ('园区', 'Zone', 'anaphor')]
"""

from __future__ import annotations

import functools
import re

from kg.extraction.lexicon import load_classes
from kg.extraction.tokens import NAME_CHAR, STOP_TAGS

ALIAS_DEF = re.compile(r"[(（](?:以下|下文)?(?:简称|下称)[:：]?[“\"]?([^)）”\"]{2,12})[”\"]?[)）]")
ALIAS_SAID = re.compile(
    r"(又称为|又称|又名|也称为|也称|俗称)[“\"]?([\u4e00-\u9fffA-Za-z0-9]{2,12}?)[”\"]?(?=[,，。；;、]|$)"
)
QUOTED = re.compile(r"[“\"]([^“”\"\n]{2,30})[”\"]")
AWARD_BEFORE = re.compile(r"(入选|获评|荣获|获得|评为|授予|上榜|获|跻身)(了|为)?$")
AWARD_AFTER = re.compile(r"^(评选|称号|榜单|奖)")
PROGRAM_INSIDE = re.compile(r"[\u4e00-\u9fff]{2,10}(计划|工程|战略|专项行动|行动计划)")
PROGRAM_AFTER = re.compile(r"^(计划|行动计划|行动|工程|品牌工程|专项|三年行动计划)")


@functools.lru_cache(maxsize=1)
def anaphor_heads() -> dict[str, str]:
    """Head -> class of 该/本/此 + head (``data/anaphor_heads.tsv``)."""
    return load_classes("anaphor_heads.tsv")


@functools.lru_cache(maxsize=1)
def anaphor_pattern() -> re.Pattern:
    return re.compile(r"(该|本|此)(" + "|".join(sorted(anaphor_heads(), key=len, reverse=True)) + r")")


@functools.lru_cache(maxsize=1)
def bare_heads() -> dict[str, str]:
    """Head -> class of a head standing alone (``data/bare_heads.tsv``)."""
    return load_classes("bare_heads.tsv")


def find_quoted(f) -> None:
    """Quoted awards and programmes: 荣获“最佳雇主”称号, “白鹭创谷”计划."""
    text = f.text
    for m in QUOTED.finditer(text):
        before, after = text[max(0, m.start() - 4) : m.start()], text[m.end() : m.end() + 6]
        if AWARD_BEFORE.search(before) or AWARD_AFTER.match(after):
            f.add(m.start(), m.end(), "Award", "quoted:award")
        elif pa := PROGRAM_AFTER.match(after):
            f.add(m.start(), m.end() + pa.end(), "Program", "quoted:program")
        elif PROGRAM_INSIDE.fullmatch(m.group(1)):  # 国家“千人计划”: the quoted name is the programme
            f.add(m.start(1), m.end(1), "Program", "quoted:program-name")


def find_anaphors(f) -> None:
    """该研究院, 本区 (anaphors) and bare heads after a boundary (园区, 公司)."""
    for m in anaphor_pattern().finditer(f.text):
        if m.end() in f.ends or m.end() == len(f.text):
            f.add(m.start(), m.end(), anaphor_heads()[m.group(2)], "anaphor:" + m.group(0), kind="anaphor")
    for i, t in enumerate(f.tokens):
        cls = bare_heads().get(t.text)
        if cls and (
            t.start == 0
            or not NAME_CHAR.match(f.text[t.start - 1])
            or f.text[t.start - 1] in "、在的和与及是"
            or f.tokens[i - 1].tag in STOP_TAGS
        ):
            f.add(t.start, t.end, cls, "bare:" + t.text, kind="anaphor")


def find_aliases(f) -> None:
    """Short names the text defines (简称, 又称) and jieba's abbreviations (上海交大)."""
    for m in ALIAS_DEF.finditer(f.text):
        f.add(m.start(1), m.end(1), "", "alias:defined", kind="alias")
    for m in ALIAS_SAID.finditer(f.text):  # 甲乙高新区又称为星河科技城
        f.add(m.start(2), m.end(2), "", "alias:said", kind="alias")
    for t in f.tokens:  # 上海交大, 中国科大: jieba's abbreviations; the resolver finds their full names
        if t.tag == "j" and 2 <= len(t.text) <= 6 and t.text not in f.lex.regions:
            f.add(t.start, t.end, "", "alias:abbreviation", kind="abbrev")
