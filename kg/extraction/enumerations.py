"""Enumerations whose head word gives the class of their items.

Short company names rarely carry a suffix; articles name them in lists that
end with a head noun or a counter: ``孵化出甲乙科技、丙丁智能等30多家企业``,
``集聚了甲乙、丙丁等一大批知名企业``, ``甲乙电子、丙丁半导体等13家…签约入园``.
The heads and their classes live in ``data/list_heads.tsv``.

Items between two ``、`` are taken whole (an unknown brand is often cut or
mistagged by jieba); the first item reaches left over name-like tokens only.

>>> from kg.extraction.mentions import find_mentions
>>> [m.text for m in find_mentions("区内聚集了甲乙、丙丁、戊己等一大批知名企业。") if m.cls == "Company"]
['甲乙', '丙丁', '戊己']
"""

from __future__ import annotations

import functools
import re

from kg.extraction.lexicon import load_classes, load_words
from kg.extraction.tokens import NAME_CHAR, generic_words

CLAUSE = "，,。；;：:！!？?\n（(）)“”《》"
CONJ = ("以及", "和", "及", "与")
MAX_ITEM = 12
COUNTER = r"[\d一二三四五六七八九十百千几数多余近超]+(?:多|余)?家"
NUMBERED = r"(?:[\d一二三四五六七八九十]+大)?(?:战略性新兴|新兴|未来|主导|重点|优势|特色|高新技术|现代)"
NOT_FIELD = r"链|园|项目|基地|集聚|化|发展|的企业"


@functools.lru_cache(maxsize=1)
def list_heads() -> dict[str, str]:
    """Head noun -> class, from ``data/list_heads.tsv``."""
    return load_classes("list_heads.tsv")


@functools.lru_cache(maxsize=1)
def list_end() -> re.Pattern:
    """等 + a counter, a head noun after a short gap, or an industry head right after 等."""
    heads = list_heads()
    orgs = "|".join(sorted((h for h, c in heads.items() if c != "Industry"), key=len, reverse=True))
    fields = "|".join(sorted((h for h, c in heads.items() if c == "Industry"), key=len, reverse=True))
    return re.compile(
        rf"等(?:(?P<count>{COUNTER})|(?P<field>{NUMBERED}?(?:{fields}))(?!{NOT_FIELD})"
        rf"|[^\s。；;,，、]{{0,12}}?(?P<head>{orgs}))"
    )


def find_lists(f) -> None:
    """Add a mention for every item of every enumeration in the finder's text."""
    heads = list_heads()
    for m in list_end().finditer(f.text):
        if m.group("field"):
            cls, rule = "Industry", "list:industry"
        else:
            cls = "Company" if m.group("count") else heads[m.group("head")]
            rule = "list:" + (m.group("head") or "家")
        items = items_before(f, m.start(), cls)
        if cls == "Company" and items and sum(_field_like(f, s, e) for s, e in items) * 3 >= len(items) * 2:
            cls, rule = "Industry", rule + ":fields"  # 引进新能源、创意设计等企业: firms of these fields
        for s, e in items:
            f.add(s, e, cls, rule, f.text[s:e] if cls == "Industry" else "")


def items_before(f, end: int, cls: str = "Company") -> list[tuple[int, int]]:
    """Spans of the enumeration that ends at ``end`` (the position of 等); two items at least."""
    text, out, right = f.text, [], end
    while right > 0:
        left = right
        while left > 0 and text[left - 1] not in "、" + CLAUSE:
            left -= 1
        if left > 0 and text[left - 1] == "、":  # bounded on both sides: the whole chunk
            left = _after_verb(f, left, right)  # 、分阶段推动生物技术、: from after 推动
            parts = _split_conj(f, left, right)
            if not parts or not all(_is_item(f, s, e, cls) for s, e in parts):
                break
            out += parts[::-1]
            right = left - 1
            continue
        out += _leftmost(f, right, cls)[::-1]
        break
    return out[::-1] if len(out) >= 2 else []


@functools.lru_cache(maxsize=1)
def _industry_heads() -> frozenset[str]:
    return load_words("industry_heads.txt")


def _field_like(f, s: int, e: int) -> bool:
    """An item made of common words that ends like an industry (创意设计, 软件应用技术), not a
    firm's name (甲乙电子 opens with an unknown brand)."""
    heads = _industry_heads()
    toks = list(f.between(s, e))
    return (
        bool(toks)
        and toks[-1].end == e
        and f.text[e - 1] in heads
        and all(
            t.text in f.lex.industries or (t.tag and t.tag not in ("nr", "nz", "nrt", "ns", "j", "eng")) for t in toks
        )
    )


def _after_verb(f, left: int, right: int) -> int:
    """Start of a list chunk after the last boundary word (a verb that introduces names) inside it."""
    for t in f.between(left, right):
        if f.lex.stops_list_item(t.text) and t.end < right:
            left = t.end
    return left


def _split_conj(f, left: int, right: int) -> list[tuple[int, int]]:
    """乙和丙 -> 乙 | 丙, at token boundaries only."""
    parts, s = [], left
    for t in f.between(left, right):
        if t.text in CONJ and t.start > s:
            parts.append((s, t.start))
            s = t.end
    parts.append((s, right))
    parts = [(a, b) for a, b in parts if b > a]
    # 研发及生产基地: a conjunction inside a long name is part of it
    return parts if len(parts) == 1 or all(b - a <= 8 for a, b in parts) else [(left, right)]


def _leftmost(f, right: int, cls: str) -> list[tuple[int, int]]:
    """The first item(s): name-like tokens left of ``right``, across 和/及/与."""
    out = []
    k = _token_ending_at(f, right)
    while k is not None and k >= 0:
        e = min(f.tokens[k].end, right)
        s = e
        while k >= 0 and _list_token(f, f.tokens[k]) and e - f.tokens[k].start <= MAX_ITEM:
            s = f.tokens[k].start
            k -= 1
        if s == e:
            break
        if s + 3 < e and f.text[s] in f.lex.glue_chars and s + 1 not in f.starts:  # 培育|了乐诚|技术
            s += 1
        if _is_item(f, s, e, cls):
            out.append((s, e))
        if k < 0 or f.tokens[k].text not in CONJ:
            break
        k -= 1
    return out[::-1]


def _token_ending_at(f, pos: int) -> int | None:
    """Index of the token that ends at ``pos`` or contains it (特等 holds the list's 等)."""
    if pos in f.ends:
        return f.ends[pos]
    return next((i for i, t in enumerate(f.tokens) if t.start < pos < t.end), None)


def _list_token(f, t) -> bool:
    lex = f.lex
    return (
        NAME_CHAR.match(t.text) is not None
        and t.text not in lex.boundaries
        and t.text not in lex.titles
        and t.tag not in ("v", "p", "c", "u", "uj", "ul", "r", "d", "m", "q")
        and t.text not in list_heads()
    )


def _is_item(f, s: int, e: int, cls: str = "Company") -> bool:
    """A name-like stretch: 2-12 name characters, not a title or generic word (nor an industry,
    unless industries are listed)."""
    item = f.text[s:e]
    lex = f.lex
    return (
        2 <= len(item) <= MAX_ITEM
        and all(NAME_CHAR.match(c) for c in item)
        and (cls == "Industry" or item not in lex.industries)
        and item not in generic_words()
        and item not in lex.titles
        and item not in lex.boundaries
        and item not in list_heads()
        and not item[0].isdigit()
    )


CLAUSE_RUN = re.compile(r"[^，,。；;：:！!？?\n（()）“”《》]+")
ITEM = re.compile(r"[\u4e00-\u9fff]{2,10}")


def find_industry_siblings(f) -> None:
    """量子科技、未来网络、大数据: a list is of one kind, so in a 、-list that lexicon
    industries dominate, the items between two 、 that are no known word of another kind are
    industries too."""
    industries = {(m.start, m.end) for m in f.out if m.cls == "Industry"}
    starts = {s for s, _ in industries}
    ends = {e for _, e in industries}
    taken = [(m.start, m.end) for m in f.out]
    for run in CLAUSE_RUN.finditer(f.text):
        chunk = run.group()
        if chunk.count("、") < 2:
            continue
        cuts = [run.start() + i for i, c in enumerate(chunk) if c == "、"]
        middle = list(zip([c + 1 for c in cuts], cuts[1:]))  # items bounded by 、 on both sides
        known = sum((s, e) in industries for s, e in middle)
        known += (cuts[0] in ends) + (cuts[-1] + 1 in starts)  # the first and the last item
        if known < 2 or known * 2 < len(middle) + 2:
            continue
        for s, e in middle:
            if (
                not ITEM.fullmatch(f.text[s:e])
                or "等" in f.text[s:e]
                or f.lex.suffix_of(f.text[s:e])
                or any(a < e and s < b for a, b in taken)
            ):
                continue
            f.add(s, e, "Industry", "list:industry-sibling", f.text[s:e])


INDUSTRY_TRIGGER = re.compile(r"(聚焦|重点发展|紧盯|瞄准|围绕|计划引进|主攻|深耕|重点布局|主导产业为|主导产业是)")
INDUSTRY_END = re.compile(r"(等)?(产业|领域|行业|方向|赛道)")


def find_industry_lists(f) -> None:
    """Items listed after a focus trigger and before 产业/领域: 紧盯智能网联、电动航空及新材料领域."""
    text = f.text
    for m in INDUSTRY_TRIGGER.finditer(text):
        seg_end = len(text)
        for p in "。；;!?！？":
            x = text.find(p, m.end())
            if 0 <= x < seg_end:
                seg_end = x
        seg = re.split(r"[,，:：]", text[m.end() : min(seg_end, m.end() + 60)])[0]
        e = INDUSTRY_END.search(seg)
        if not e or e.start() == 0:
            continue
        body_start = m.end()
        pos = body_start
        for part in re.split(r"[、,，和及与]", seg[: e.start()]):
            s = pos
            pos += len(part) + 1
            part_s = part.strip('“”"')
            if (
                2 <= len(part_s) <= 10
                and all(NAME_CHAR.match(c) for c in part_s)
                and part_s.endswith(tuple(_industry_heads()))
                and part_s not in generic_words()
            ):
                off = s + part.find(part_s)
                f.add(off, off + len(part_s), "Industry", "list:industry")
