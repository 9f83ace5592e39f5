"""Relation extraction: trigger patterns from ``data/patterns.tsv`` plus name structure.

Each sentence is rewritten as a *skeleton* in which every mention is a
placeholder carrying its class, so that a pattern such as
``位于{s:Zone|Park}的{o:ORG}`` is one regular expression.  Relations that the
names themselves state (江苏溧阳高新区 -> locatedIn 溧阳; 溧阳高新区科技局 ->
partOf 溧阳高新区; 局长朱静 -> worksFor) come from :func:`structural`.

>>> p = compile_pattern("t", "hosts", 0.9, "位于{s:Zone|Park}的{o:ORG}")
>>> bool(p.regex.search("位于\\ue000Z0\\ue001的\\ue000C1\\ue001"))
True
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import re
from collections.abc import Iterator
from contextvars import ContextVar

from kg.extraction.lexicon import get_lexicon, load_words
from kg.extraction.patterns import CLOSE, CODE, ITEM, OPEN, ORG, SEP, compile_pattern, load_patterns, skeleton  # noqa: F401  (part of the interface)
from kg.extraction.sentences import by_sentence
from kg.records import Assertion, Mention, Rejection, Sentence, misfit

# domain and range of the core relations (VOCABULARY.md)
DOMAIN = {
    "hosts": ("Zone", "Park"),
    "incubatedBy": ("Company",),
    "establishedBy": ORG,
    "partOf": ("GovernmentBody", "Park", "Platform", "Incubator", "ResearchInstitute"),
    "locatedIn": ORG,
    "focusesOn": ORG,
    "worksFor": ("Person",),
    "receivedAward": ORG + ("Person",),
    "launched": ORG,
}
RANGE = {
    "hosts": ORG + ("Event",),
    "incubatedBy": ("ResearchInstitute", "Incubator", "Platform", "Zone", "Park", "University"),
    "establishedBy": ORG,
    "partOf": ORG,
    "locatedIn": ("AdminRegion",),
    "focusesOn": ("Industry",),
    "worksFor": ORG,
    "receivedAward": ("Award",),
    "launched": ("Program",),
}
YEAR = re.compile(r"(19|20)\d{2}(?=年)")


#: Where _assert records what it drops for the classes of its mentions (see collecting_rejections).
_REJECTED: ContextVar[list | None] = ContextVar("rejected", default=None)


@contextlib.contextmanager
def collecting_rejections() -> Iterator[list[Rejection]]:
    """Within the block, each assertion a rule drops because the classes of its
    mentions are outside the property's DOMAIN or RANGE is appended, with the
    reason, to the list this yields (never dropped silently)."""
    sink: list[Rejection] = []
    token = _REJECTED.set(sink)
    try:
        yield sink
    finally:
        _REJECTED.reset(token)


@functools.lru_cache(maxsize=64)
def _year_in(sentence: str) -> str:
    """The year a sentence states first ("" if none): searched once per sentence, not per assertion."""
    year = YEAR.search(sentence)
    return year.group(0) if year else ""


def _assert(
    s: Mention, prop: str, o: Mention, doc_id: str, sent: Sentence, rule: str, conf: float, role: str = ""
) -> Assertion | None:
    if s.key == o.key:
        return None
    a = Assertion(s.key, prop, o.key, doc_id, sent.start, sent.end, sent.text, rule, conf, role, _year_in(sent.text))
    bad = misfit(prop, s.key, s.cls, o.key, o.cls, DOMAIN, RANGE)
    if bad:
        sink = _REJECTED.get()
        if sink is not None:
            sink.append(Rejection(a, *bad, stage="extract"))
        return None
    return a


def from_patterns(doc_id: str, sent: Sentence, mentions: list[Mention]) -> list[Assertion]:
    if len(mentions) < 2:  # every pattern relates two mentions
        return []
    text, slots = skeleton(sent, mentions)
    out = []
    for p in load_patterns():
        for m in p.regex.finditer(text):
            groups = {k: v for k, v in m.groupdict().items() if v}
            role = groups.pop("role", "")
            subs = [slots[int(i)] for k, v in groups.items() if k.startswith("s") for i in ITEM.findall(v)]
            objs = [slots[int(i)] for k, v in groups.items() if k.startswith("o") for i in ITEM.findall(v)]
            for s in subs:
                for o in objs:
                    a = _assert(s, p.property, o, doc_id, sent, "pattern:" + p.id, p.confidence, role)
                    if a:
                        out.append(a)
    return out


def structural(doc_id: str, text: str, sent: Sentence, top: list[Mention], inner: list[Mention]) -> list[Assertion]:
    """Relations written into names and titles."""
    out: list[Assertion | None] = []
    inner = sorted(inner, key=lambda i: i.start)
    starts = [i.start for i in inner]
    for m in top:
        if not (sent.start <= m.start < sent.end):
            continue
        lo, hi = bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end)
        inside = [i for i in inner[lo:hi] if i.end <= m.end and i is not m]
        if m.cls in ("Zone", "Park"):  # 江苏溧阳高新区 -> 溧阳 (the most specific place in the name)
            regions = [i for i in inside if i.cls == "AdminRegion"]
            if regions:
                out.append(_assert(m, "locatedIn", regions[-1], doc_id, sent, "name:zone-place", 0.9))
        parent = next((i for i in inside if i.cls == "University" and i.start == m.start), None)
        if parent is not None:  # 同济大学青岛研究院 -> establishedBy 同济大学
            out.append(_assert(m, "establishedBy", parent, doc_id, sent, "name:founder", 0.8))
        zone = next((i for i in inside if i.cls == "Zone" and i.start == m.start), None)
        if zone is not None and m.cls != "Zone":  # 溧阳高新区科技局 -> partOf; 济南高新区X研究院 -> hosts
            if m.cls in DOMAIN["partOf"] and m.cls != "ResearchInstitute":
                out.append(_assert(m, "partOf", zone, doc_id, sent, "name:zone-unit", 0.85))
            else:
                out.append(_assert(zone, "hosts", m, doc_id, sent, "name:zone-member", 0.8))
    out += _titles(doc_id, text, sent, top)
    return [a for a in out if a]


@functools.lru_cache(maxsize=1)
def _title_chain() -> re.Pattern:
    """One or more position titles, joined by 、 or commas (compiled once); a title may carry a
    grade (高级副总裁, 常务副主任) and follow the unit it is in (部门负责人)."""
    lex = get_lexicon()
    titles, grades, units = (
        "|".join(sorted(words, key=len, reverse=True)) for words in (lex.titles, lex.title_grades, lex.title_units)
    )
    return re.compile(rf"^(?:(?:{units})?(?:{grades})?(?:{titles})[、,，]?)+$")


def _titles(doc_id: str, text: str, sent: Sentence, top: list[Mention]) -> list[Assertion | None]:
    """局长朱静, 党工委副书记、管委会常务副主任任广锋: each organisation before a title chain."""
    chain = _title_chain()
    out = []
    ms = [m for m in top if sent.start <= m.start < sent.end]
    for i, p in enumerate(ms):
        if p.cls != "Person":
            continue
        j, right = i - 1, p.start
        while j >= 0:
            org = ms[j]
            between = text[org.end : right]
            if org.cls not in ORG or not between or not chain.match(between):
                break
            role = between.rstrip("、,，")
            out.append(_assert(p, "worksFor", org, doc_id, sent, "title:adjacent", 0.9, role))
            if j == 0 or not text[ms[j - 1].end : org.start].rstrip("、,，"):
                break
            right, j = org.start, j - 1
            if not chain.match(text[ms[j].end : right]):
                break
    return out


HOSTED = ("Park", "ResearchInstitute", "University", "Company", "Platform", "Incubator")


def _wider_than_a_park(m: Mention) -> bool:
    """中国科学院, 国家海洋局, 美国国家科学院, 甘肃省科学院: a national, foreign or provincial
    institution is not settled inside a local zone just because an article about the zone names it."""
    if m.cls not in ("ResearchInstitute", "University", "Association"):
        return False
    return (
        m.key.startswith(get_lexicon().national_prefixes) or m.key.startswith("省") or m.key.startswith(_provinces())
    )  # 甘肃省科学院: a province's own academy


@functools.lru_cache(maxsize=1)
def _provinces() -> tuple[str, ...]:
    """Full names of the provinces that end with 省 (甘肃省)."""
    regions = get_lexicon().regions
    return tuple(sorted({r.full for rs in regions.values() for r in rs if r.level == 0 and r.full.endswith("省")}))


_LIST_GLUE = re.compile(r"[“”‘’\"]*(、|，|,|和|及|与|或|以及)?[“”‘’\"]*")
_LIST_END = re.compile(
    r"[“”‘’\"]*(等等|等)?([一二三四五六七八九十两\d]+(大|个|项))?"
    r"(新兴|战略性新兴|未来|高新技术|主导|重点|特色|支柱|优势)?"
)


@functools.lru_cache(maxsize=1)
def _focus_cues() -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(load_words("focus_cues.txt", "before")), tuple(load_words("focus_cues.txt", "after"))


@functools.lru_cache(maxsize=1)
def _here_words() -> tuple[str, ...]:
    return tuple(load_words("here_words.txt"))


def industries_used(sent: Sentence, mentions: list[Mention], reach: int = 12, focus_only: bool = False) -> set[int]:
    """``id()`` of the industry mentions of ``sent`` that it names as industries (a field, a focus),
    not as words inside another phrase: those of a list (A、B和C) with a focus verb
    (data/focus_cues.txt, @before) within ``reach`` characters before it, or (unless
    ``focus_only``) a field word (@after) right after it.  Each list is judged once.

    >>> from kg.records import Mention, Sentence
    >>> t = "园区重点发展储能、氢能等产业。大赛包括储能、氢能。"
    >>> s1, s2 = Sentence(0, 15, t[:15]), Sentence(15, len(t), t[15:])
    >>> ms = [Mention(6, 8, "储能", "Industry", "r"), Mention(9, 11, "氢能", "Industry", "r"),
    ...       Mention(19, 21, "储能", "Industry", "r"), Mention(22, 24, "氢能", "Industry", "r")]
    >>> [id(m) in industries_used(s1 if m.start < 15 else s2, ms) for m in ms]
    [True, True, False, False]
    """

    def at(i: int, j: int) -> str:
        return sent.text[i - sent.start : j - sent.start]

    items = sorted(
        (x for x in mentions if x.cls == "Industry" and sent.start <= x.start < sent.end), key=lambda x: x.start
    )
    before, after = _focus_cues()
    used: set[int] = set()
    first = 0
    while first < len(items):
        last = first
        while last + 1 < len(items) and _LIST_GLUE.fullmatch(at(items[last].end, items[last + 1].start)):
            last += 1
        left = at(max(sent.start, items[first].start - reach), items[first].start)
        tail = at(items[last].end, sent.end)
        tail = tail[_LIST_END.match(tail).end() :]
        if any(c in left for c in before) or (not focus_only and tail.startswith(after)):
            used.update(id(x) for x in items[first : last + 1])
        first = last + 1
    return used


def implicit_focus(doc_id: str, sentences: list[Sentence], top: list[Mention], back: int = 5) -> list[Assertion]:
    """此外还将围绕新能源、新材料等产业…: a sentence that names no organisation before the
    industries a focus verb is about continues the subject of the sentences before it: the zone or
    park that opened one of the last ``back`` sentences (the latest)."""
    groups = by_sentence(sentences, top)
    out = []
    for i, (sent, group) in enumerate(zip(sentences, groups)):
        first_industry = next((m.start for m in group if m.cls == "Industry"), None)
        if first_industry is None or any(m.cls in ORG and m.start < first_industry for m in group):
            continue  # no industry, or a subject of its own
        subject = None
        for j in range(i - 1, max(-1, i - back - 1), -1):
            first = groups[j][0] if groups[j] else None
            if first is not None and first.cls in ("Zone", "Park") and first.start == sentences[j].start:
                subject = first
                break
        if subject is None:
            continue
        used = industries_used(sent, group, focus_only=True)
        for m in group:
            if id(m) in used:
                a = _assert(subject, "focusesOn", m, doc_id, sent, "discourse:implicit-subject", 0.6)
                if a:
                    out.append(a)
    return out


def article_topic(sentences: list[Sentence], top: list[Mention]) -> str:
    """The key of the zone or park an article is about: the one its first sentence (the title,
    when there is one) names, else the one mentioned most (the first mention breaks ties); ""
    when it names none."""
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for m in top:
        if m.cls in ("Zone", "Park"):
            counts[m.key] = counts.get(m.key, 0) + 1
            first.setdefault(m.key, m.start)
    if not counts:
        return ""
    head = sentences[0] if sentences else None
    in_head = {m.key for m in top if head and head.start <= m.start < head.end}
    return max(counts, key=lambda k: (k in in_head, counts[k], -first[k]))


def topic_relations(
    doc_id: str, sentences: list[Sentence], top: list[Mention], found: list[Assertion], window: int = 1
) -> list[Assertion]:
    """An article about one zone or park: what it discusses around that place belongs to it.

    Organisations mentioned near the topic are hosted by it; industries named
    near it are its focus.

    The topic is the zone or park the first sentence (the title, when there
    is one) names; failing that, the one mentioned most (anaphors count, the
    first mention breaks ties).  An organisation gets ``topic hosts X`` when it is
    mentioned within ``window`` sentences of a mention of the topic, or in a
    sentence that points at it (在此, 区内: ``data/here_words.txt``), and nothing
    else in the article already places it.
    """
    topic = article_topic(sentences, top)
    if not topic:
        return []
    placed = {a.object for a in found if a.property in ("hosts", "focusesOn")}
    placed |= {a.subject for a in found if a.property in ("hosts", "partOf")}
    groups = by_sentence(sentences, top)
    here = _here_words()
    near = [any(m.key == topic for m in group) for group in groups]
    pointed = [any(w in sent.text for w in here) for sent in sentences]  # 在此设立研究院
    topic_m = next(t for t in top if t.key == topic)
    out, seen = [], set()
    for i, sent in enumerate(sentences):
        if not pointed[i] and not any(near[max(0, i - window) : i + window + 1]):
            continue
        used = industries_used(sent, groups[i])
        for m in groups[i]:
            if (
                m.cls in HOSTED + ("Industry",)
                and m.key not in placed
                and m.key not in seen
                and m.key != topic
                and not _wider_than_a_park(m)
            ):
                if m.cls == "Industry" and id(m) not in used:
                    continue
                seen.add(m.key)
                prop = "focusesOn" if m.cls == "Industry" else "hosts"
                a = _assert(topic_m, prop, m, doc_id, sent, f"discourse:topic-{prop}", 0.5)
                if a:
                    out.append(a)
    return out
