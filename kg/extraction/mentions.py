"""Mention detection: spans of an article that name an entity.

Chinese organisation names are long compounds that jieba splits, so names are
found from their heads (suffixes in ``data/suffixes.tsv``) extended left over
jieba's tokens (:mod:`kg.extraction.tokens`) until a boundary word, and from reference
lists (national zones, CAS institutes, administrative regions, industries).
The other rules live in their own modules and run in the order of
:data:`STEPS`: persons around titles (:mod:`kg.extraction.persons`), lists whose head
noun gives the class (:mod:`kg.extraction.enumerations`), short company names
(:mod:`kg.extraction.shortnames`), place-named parks (:mod:`kg.extraction.placenames`), bodies of a
title chain (:mod:`kg.extraction.bodies`), graded titles and events
(:mod:`kg.extraction.designations`).  :func:`select` then keeps the longest of
overlapping candidates.

>>> text = "2017年,溧阳高新区与中国科学院物理研究所共建天目湖先进储能技术研究院。"
>>> [(m.text, m.cls) for m in find_mentions(text)]
[('溧阳高新区', 'Zone'), ('溧阳', 'AdminRegion'), ('中国科学院物理研究所', 'ResearchInstitute'), ('天目湖先进储能技术研究院', 'ResearchInstitute')]
"""

from __future__ import annotations

import re

from kg.extraction.bodies import find_sibling_bodies
from kg.extraction.brackets import bracket_group_left, bracket_group_right
from kg.extraction.designations import find_designations, find_events
from kg.extraction.enumerations import find_industry_lists, find_industry_siblings, find_lists
from kg.extraction.lexicon import get_lexicon
from kg.extraction.overlaps import select
from kg.extraction.persons import find_persons
from kg.extraction.placenames import find_valleys, find_zone_areas
from kg.extraction.references import find_aliases, find_anaphors, find_quoted
from kg.extraction.shortnames import find_short_names
from kg.extraction.tokens import NAME_CHAR, STOP_TAGS, Token, generic_words, tokenize  # noqa: F401  (part of this module's interface)
from kg.records import Mention

MAX_NAME = 24
ZONE_HEADS = ("高新区", "开发区", "经开区", "自贸区", "试验区", "示范区")
LIST_STOP_TAGS = {"uj", "ul", "u", "m", "mq", "q", "r", "rr", "rz", "y"}  # 的, 9家, 其…
LATIN_ALIAS = re.compile(r"[(（][A-Za-z][A-Za-z0-9 .&-]{1,24}[)）]")


def _is_name_token(t: Token, lex) -> bool:
    if not NAME_CHAR.match(t.text):
        return False
    if t.text in lex.boundaries or t.text in lex.titles:
        return False
    if t.tag in STOP_TAGS and not any(r.level <= 1 for r in lex.regions.get(t.text, ())):  # 大连 is no adverb
        return False
    return not (t.text[0] in "该本此其" and len(t.text) <= 2)


class _Finder:
    def __init__(self, text: str):
        self.text, self.lex = text, get_lexicon()
        self.tokens = tokenize(text)
        self.starts = {t.start: i for i, t in enumerate(self.tokens)}
        self.ends = {t.end: i for i, t in enumerate(self.tokens)}
        self.out: list[Mention] = []

    def between(self, start: int, end: int):
        """The tokens from the one that starts at ``start`` (or from the end, if none does) to ``end``,
        without copying the token list (long texts stay linear)."""
        i = self.starts.get(start, len(self.tokens))
        while i < len(self.tokens) and self.tokens[i].start < end:
            yield self.tokens[i]
            i += 1

    def add(self, start, end, cls, rule, key="", kind="name"):
        self.out.append(Mention(start, end, self.text[start:end], cls, rule, key, kind))

    # -- reference lists, regions, industries --------------------------------
    def lexicon(self):
        text, lex = self.text, self.lex
        found: dict[int, list[int]] = {}  # start -> lengths of listed words starting there
        if len(text) > 1:
            for last, n in lex.spans().iter(text):
                if n <= MAX_NAME:
                    found.setdefault(last + 1 - n, []).append(n)
        for start in sorted(found):  # candidates start at a token boundary; try the longest span first
            t = self.tokens[self.starts[start]] if start in self.starts else None
            if t is None:
                continue
            place_only = False  # after a listed zone or park: only the place its name opens with
            for n in sorted(found[start], reverse=True):
                span = text[t.start : t.start + n]
                end = t.start + n
                ref = lex.references.get(span)
                if ref and not place_only and (end in self.ends or end == len(text)):
                    self.add(t.start, end, ref.cls, "lexicon:reference", ref.key)
                    if ref.cls not in ("Zone", "Park"):
                        break
                    place_only = True  # 苏州工业园区 -> 苏州 too, for locatedIn
                    continue
                if (
                    span in lex.regions
                    and (end in self.ends or self._suffix_follows(end))
                    and (
                        any(r.full == span or r.level <= 1 for r in lex.regions[span])
                        or lex.tags.get(span, "ns") == "ns"
                    )
                ):
                    self.add(t.start, end, "AdminRegion", "lexicon:region")
                    break
                if place_only:
                    continue
                if span in lex.industries and end in self.ends and (len(span) > 2 or self._listed(t.start, end)):
                    e2 = end + 2 if text.startswith("产业", end) else end
                    self.add(t.start, e2, "Industry", "lexicon:industry", span)
                    break

    def _listed(self, start: int, end: int) -> bool:
        """激光、芯片等产业 but not 激光显示亮相: a two-character industry word needs an enumeration or a
        field word beside it."""
        before, after = self.text[max(0, start - 1) : start], self.text[end : end + 2]
        return (
            before in ("、", "和", "及", "与")
            or after[:1] in ("、", "和", "及", "与", "等")
            or after in ("产业", "领域", "行业")
        )

    def _suffix_follows(self, pos: int) -> bool:
        return any(self.text.startswith(s.text, pos) for s in self.lex.suffixes[:40]) or self.text.startswith(
            "高新", pos
        )

    # -- names from their heads ----------------------------------------------
    def suffixed(self):
        text, lex = self.text, self.lex
        ends = lex.suffix_ends()
        for i, t in enumerate(self.tokens):
            if t.text[-1] not in ends:
                continue
            suf = lex.suffix_of(text[max(0, t.end - 8) : t.end])
            if not suf:
                continue
            s_start = t.end - len(suf.text)
            if len(suf.text) == 1 and s_start not in self.starts:
                continue
            j = i
            while self.tokens[j].start > s_start:
                j -= 1
            start = self.tokens[j].start
            # a suffix that is a whole dictionary word of another kind (格局, 布局) is not a head
            if start == s_start and len(suf.text) == 1:
                continue
            k = j - 1
            while k >= 0 and t.end - self.tokens[k].start <= MAX_NAME:
                tk = self.tokens[k]
                if tk.text and tk.text[-1] in ")）":
                    g = bracket_group_left(text, tk.end)
                    if g is None or g == 0:
                        break
                    while k >= 0 and self.tokens[k].start > g:
                        k -= 1
                    start = self.tokens[k].start if k >= 0 else g
                    k -= 1
                    continue
                if tk.text == "”" and (
                    suf.cls in ("Program", "Award", "Event") or (k == j - 1 and suf.cls in ("Incubator", "Park"))
                ):  # “星河点”众创空间
                    q = text.rfind("“", max(0, tk.start - 30), tk.start)
                    if q >= 0:
                        start = q
                    break
                if (
                    not _is_name_token(tk, lex)
                    and not self._verb_inside_name(k)
                    and not self._inside_word(k)
                    and not self._split_off_char(k)
                    and not self._company_ending(k, j, suf)
                ):
                    start = self._region_led_start(k, start)
                    break
                if not suf.absorbs_zone and self._is_zone_token_end(k):
                    break
                start = tk.start
                k -= 1
            end = t.end
            start = self._trim_to_reference(start, end)
            if suf.cls in ("Zone", "Park"):
                start = self._drop_locator(start, s_start)
            start = self._strip_leading(start, s_start)
            start = self._list_item_start(start, end)
            r = bracket_group_right(text, end)
            if self._is_generic(start, end - len(suf.text), suf) and not LATIN_ALIAS.match(text, end):
                continue  # 国际科技园(SISPARK): a name of its own after all
            if r and suf.cls in ("Zone", "GovernmentBody"):
                end = r
            self.add(start, end, suf.cls, "suffix:" + suf.text)

    def _list_item_start(self, start: int, end: int) -> int:
        """…、星河诊疗和医学影像科学中心、…: a name that is an item of a 、-list reaches back to
        the 、 before it, over words that would stop it elsewhere (和, 创新), but not over a
        boundary word (推动) or punctuation."""
        text, lex = self.text, self.lex
        if end >= len(text) or text[end] not in "、等和及":
            return start
        left = text.rfind("、", max(0, end - MAX_NAME), start)
        if left < 0 or left + 1 >= start or left + 1 not in self.starts:
            return start
        for t in self.tokens[self.starts[left + 1] : self.starts.get(start, 0)]:
            if (
                not NAME_CHAR.match(t.text)
                or t.text[0].isdigit()
                or t.tag in LIST_STOP_TAGS
                or lex.stops_list_item(t.text)
            ):
                return start
        return left + 1

    def _verb_inside_name(self, k: int) -> bool:
        """智联招聘集团: a verb between an unknown proper word and the head belongs to the name."""
        tk = self.tokens[k]
        if tk.tag != "v" or tk.text in self.lex.boundaries or k == 0:
            return False
        left = self.tokens[k - 1]
        return (
            left.tag in ("", "nz", "j", "nrt", "eng", "ns")
            and NAME_CHAR.match(left.text) is not None
            and left.text not in self.lex.regions
            and len(left.text) >= 2
            and not left.text.endswith(("高新区", "开发区"))
        )

    def _company_ending(self, k: int, j: int, suf) -> bool:
        """甲乙科技发展有限公司: words such as 发展, 投资 right before a company head (and after a
        name word) are the end of the name."""
        words = self.lex.company_words
        return (
            suf.cls == "Company"
            and k > 0
            and all(t.text in words for t in self.tokens[k:j])
            and _is_name_token(self.tokens[k - 1], self.lex)
        )

    def _split_off_char(self, k: int) -> bool:
        """的松|湖智谷科技园: one character that jieba cut off an unknown name (松湖智谷), tagged as
        a verb or adjective, belongs to it when a function word stands before it."""
        tk = self.tokens[k]
        return (
            len(tk.text) == 1
            and tk.tag in ("v", "a", "vg", "ag")
            and tk.text not in self.lex.boundaries
            and tk.text not in self.lex.glue_chars
            and k > 0
            and self.tokens[k - 1].tag in ("uj", "ul", "p", "c")
            and k + 1 < len(self.tokens)
            and self.tokens[k + 1].tag == ""
            and len(self.tokens[k + 1].text) >= 2
        )

    def _inside_word(self, k: int) -> bool:
        """跨国企业联合创新中心: 联合 between two parts of a name belongs to it (共建联合研发中心 does not)."""
        return self.tokens[k].text in self.lex.inside_words and k > 0 and _is_name_token(self.tokens[k - 1], self.lex)

    def _region_led_start(self, k: int, start: int) -> int:
        """Company names open with their home region (江苏上上电缆集团, 山东半亩花田…): reach back to it."""
        lex = self.lex
        for back in range(k, max(-1, k - 4), -1):
            tk = self.tokens[back]
            if (
                not NAME_CHAR.match(tk.text)
                or tk.text in lex.boundaries
                or tk.text in lex.titles
                or tk.text.endswith(("高新区", "开发区"))
            ):
                return start
            if tk.text in lex.regions and lex.tags.get(tk.text, "ns") == "ns" and back < k:
                return tk.start
        return start

    def _drop_locator(self, start: int, head: int) -> int:
        """溧阳市江苏中关村科技产业园: a place written before a name that opens with a wider place is
        where the park lies, not part of its name."""
        regions = self.lex.regions
        first = next((j for j in range(min(head, start + 8), start + 1, -1) if self.text[start:j] in regions), None)
        if first is None:
            return start
        second = next((j for j in range(min(head, first + 8), first + 1, -1) if self.text[first:j] in regions), None)
        if second is None:
            return start
        level = lambda span: min(r.level for r in regions[span])
        return first if level(self.text[first:second]) < level(self.text[start:first]) else start

    def _strip_leading(self, start: int, head: int) -> int:
        """关心科创平台, 全球性透明质酸原料生产基地: leading verbs and generic words are not part of a name."""
        i = self.starts.get(start)
        while i is not None and self.tokens[i].end < head:
            t = self.tokens[i]
            if (t.tag in ("v", "vn", "vd") and not self._split_off_char(i)) or t.text in generic_words():
                i += 1
                start = self.tokens[i].start
            else:
                break
        return start

    def _trim_to_reference(self, start: int, end: int) -> int:
        """充分发挥中国科学院物理研究所 -> the reference-list name that ends the span."""
        for s in range(start + 1, end - 3):
            if self.text[s:end] in self.lex.references and s in self.starts:
                return s
        return start

    def _is_generic(self, start: int, head: int, suf) -> bool:
        """科创平台, 标杆孵化器, 溧阳高新区高端创新平台: no specific word before the head."""
        lex = self.lex
        modifier = re.sub(r"[(（][^)）]*[)）]|[“”‘’]", "", self.text[start:head])
        if len(modifier) < suf.min_modifier:
            return True
        words = []
        for t in self.between(start if start in self.starts else 0, head):
            words.append(self.text[max(t.start, start) : min(t.end, head)])
        words = [w for w in words if NAME_CHAR.match(w)]
        # drop a leading zone or region: what is left must still be specific
        while words and (
            words[0] in lex.regions or words[0].endswith(("高新区", "开发区")) or words[0] in lex.references
        ):
            if suf.absorbs_zone and len(words) > 1:
                words = words[1:]
            else:
                break
        return bool(words) and all(w in generic_words() for w in words) or not words and suf.min_modifier > 0

    def _is_zone_token_end(self, k: int) -> bool:
        return self.tokens[k].text.endswith(ZONE_HEADS)

    def zone_places(self):
        """江苏溧阳高新区, 无锡国家集成电路设计产业园: the places a zone's or park's name opens with."""
        regions = self.lex.regions
        for m in [m for m in self.out if m.cls in ("Zone", "Park") and m.kind == "name"]:
            i = m.start
            while i < m.end:
                j = next((j for j in range(min(m.end, i + 8), i + 1, -1) if self.text[i:j] in regions), None)
                if j is None:
                    break
                self.add(i, j, "AdminRegion", "name:zone-place")
                i = j


def find_mentions(text: str) -> list[Mention]:
    """All mention candidates of ``text``, overlaps resolved (see :func:`select`)."""
    return select(find_candidates(text))


def find_candidates(text: str) -> list[Mention]:
    """Every rule's mentions of ``text``, overlapping (see :func:`select`), in the order the rules run."""
    f = _Finder(text)
    for step in STEPS:
        step(f)
    return f.out


#: The rules, in order: later ones see what earlier ones found (``f.out``).
STEPS = (
    _Finder.lexicon,
    find_valleys,
    _Finder.suffixed,
    find_zone_areas,
    find_sibling_bodies,
    find_quoted,
    find_designations,
    find_events,
    find_persons,
    find_anaphors,
    find_aliases,
    find_lists,
    find_industry_lists,
    find_industry_siblings,
    _Finder.zone_places,
    find_short_names,
)
