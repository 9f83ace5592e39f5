"""Quantity facts: counts and amounts stated about an entity, as Observations.

集聚人才1030人, 累计孵化企业2803家, 计划总投资2550万元, 产值突破1000亿元:
an indicator phrase (``kg/extraction/data/indicators.tsv``) right before a quantity, or a
verb and a noun around it (孵化了100多家企业), gives an
:class:`~kg.records.Observation` with the value as an exact number (Chinese
numerals and 万/亿 multipliers applied), its unit, the qualifier (余, 超, 近,
约) and the year the sentence states.  The words around quantities (units,
multipliers, qualifiers, link, lead and target words) are in
``kg/extraction/data/quantity_words.tsv``.

Whom a quantity is about, in this order (else the quantity is skipped):

1. a name right after the quantity and 的 (总投资50亿元的某基地); with no
   name there (总投资20亿元的厂房) the quantity describes something else: skipped;
2. the nearest organisation or region named before the indicator in the same
   clause (clauses end at ，；：);
3. else the first organisation the sentence names before the indicator;
4. else, only when the sentence names no organisation or region at all, the
   article's most-mentioned zone or park (when one is strictly most mentioned).

A name that is a place or partner (在…, 与…, 位于…), an item of a list or an
example (A、B等), or a speaker's affiliation (某管委会主任王某介绍) is never the
subject.  Skipped too: a quantity that describes the noun after it
(30亿元以上项目), and one in a plan or forecast (将达, 有望, 计划在, or a
sentence that sets a deadline: 到2025年).  The date is the last year the
sentence states before the quantity (2023年 -> "2023").

>>> parse_quantity("2550万元")
(Decimal('25500000'), '元', '')
>>> parse_quantity("1000余家"), parse_quantity("近4.3平方公里")[2]
((Decimal('1000'), '家', 'over'), 'under')
>>> [(o.subject, o.indicator, str(o.value), o.unit, o.date) for o in observations(
...     "d", [Sentence(0, 17, "2023年,溧阳高新区集聚人才1030人。")],
...     [Mention(6, 11, "溧阳高新区", "Zone", "t", key="溧阳高新区")])]
[('溧阳高新区', '人才', '1030', '人', '2023')]
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal

from kg.extraction.quantity_words import _ARABIC, _CHINESE, GAP, Trigger, get_quantity_lexicon
from kg.extraction.sentences import by_sentence
from kg.records import ORGANISATIONS, Extraction, Mention, Observation, Sentence

ORGS = frozenset(ORGANISATIONS)
#: Classes whose names may be a subject within the indicator's clause.
SUBJECTS = ORGS | {"AdminRegion"}
MAIN = ("Zone", "Park")
CLAUSE_ENDS = "，,；;：:。！？!?"
PHRASE_ENDS = CLAUSE_ENDS + '、“”"（）()《》 \u3000'
CONFIDENCE = {"clause": 0.8, "sentence": 0.7, "article": 0.6}
NOUN_GAP = 6  # characters allowed between a quantity and the noun of a "verb…noun" trigger

_NUMBER = re.compile(r"[\d零〇一二两三四五六七八九十百千万亿]")  # a sentence without one states no quantity
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def to_number(text: str) -> Decimal:
    """An Arabic or Chinese numeral as an exact number; ValueError if it is none.

    >>> [str(to_number(t)) for t in ("1,030", "2.36", "一千零三十", "两千八百", "百", "三点五")]
    ['1030', '2.36', '1030', '2800', '100', '3.5']
    """
    if re.fullmatch(_ARABIC, text):
        return Decimal(text.replace(",", ""))
    if not re.fullmatch(_CHINESE, text):
        raise ValueError(f"not a numeral: {text!r}")
    import cn2an

    if text[0] in "十百千万亿":
        text = "一" + text  # 百亿 = 一百亿, 千余 = 一千余
    try:
        return Decimal(str(cn2an.cn2an(text, "normal")))
    except (ValueError, KeyError, IndexError) as exc:  # what cn2an raises on malformed numerals
        raise ValueError(f"not a numeral: {text!r}") from exc


def parse_quantity(text: str) -> tuple[Decimal, str, str] | None:
    """(value, unit, qualifier) of a whole quantity expression, None if it is none.

    >>> parse_quantity("超百亿元"), parse_quantity("3万余人"), parse_quantity("百分之三十")
    ((Decimal('10000000000'), '元', 'over'), (Decimal('30000'), '人', 'over'), (Decimal('30'), '%', ''))
    >>> parse_quantity("数十家") is None
    True
    """
    m = get_quantity_lexicon().pattern.fullmatch(text)
    return _read(m) if m else None


def _read(m: re.Match) -> tuple[Decimal, str, str] | None:
    lex = get_quantity_lexicon()
    try:
        value = to_number(m["pct"] or m["num"])
    except ValueError:
        return None
    value *= lex.multipliers.get(m["mult"] or "", Decimal(1))
    unit = "%" if m["pct"] else lex.units[m["unit"]]
    quals = [lex.qualifiers[q] for q in (m["pre"], m["q1"], m["q2"], m["post"]) if q]
    plain = Decimal(format(value.normalize(), "f"))  # 2.55E+7 -> 25500000
    return plain, unit, quals[0] if quals else ""


def find_quantities(text: str) -> list[tuple[int, int, Decimal, str, str]]:
    """(start, end, value, unit, qualifier) of every quantity in ``text``.

    >>> [(text[s:e], str(v), u) for text in ["投资8.3亿元建设3个项目"] for s, e, v, u, _ in find_quantities(text)]
    [('8.3亿元', '830000000', '元'), ('3个', '3', '个')]
    >>> find_quantities("第3个、数十家、3个月")
    []
    """
    lex = get_quantity_lexicon()
    out = []
    for m in lex.pattern.finditer(text):
        head = text[: m.start()]
        if (
            head[-1:] in ".,0123456789"
            or head.endswith(lex.words["vague"])
            or (m["unit"] and text[m.end("unit") :].startswith(lex.words["tail"]))
        ):
            continue
        read = _read(m)
        if read:
            out.append((m.start(), m.end(), *read))
    return out


def _clause_start(text: str, pos: int, ends: str) -> int:
    return max(text.rfind(c, 0, pos) for c in ends) + 1


def _starts_phrase(text: str, clause: int, at: int, name_ends: set[int]) -> bool:
    """Whether an indicator starting at ``at`` starts a phrase (see indicators.tsv)."""
    if at == clause or at in name_ends or not "\u4e00" <= text[at - 1] <= "\u9fff":
        return True
    return text[clause:at].endswith(get_quantity_lexicon().words["lead"])


@dataclass(frozen=True)
class Found:
    """Where and how an indicator names a quantity: ``text[start:stop]`` states it."""

    label: str  # the indicator, with its grade (省级以上众创空间)
    trigger: Trigger
    start: int  # where the indicator (or its grade) starts
    before_end: int  # end of the words before the quantity
    stop: int  # end of the quantity, or of the noun after it


def find_indicator(text: str, start: int, end: int, unit: str, name_ends: set[int] = frozenset()) -> Found | None:
    """The indicator naming the quantity at ``text[start:end]``, None if there is none.

    >>> f = find_indicator("累计孵化企业2803家", 6, 11, "家")
    >>> f.label, f.start, f.stop
    ('孵化企业', 2, 11)
    >>> find_indicator("省创新型领军企业5家", 8, 10, "家") is None
    True
    >>> find_indicator("拥有省级以上众创空间89家", 10, 13, "家").label
    '省级以上众创空间'
    """
    lex = get_quantity_lexicon()
    clause = _clause_start(text, start, PHRASE_ENDS)
    stages, cur = [text[clause:start]], text[clause:start]
    while link := next((w for w in lex.words["link"] if cur.endswith(w) and len(w) < len(cur)), ""):
        cur = cur[: -len(link)]
        stages.append(cur)
    found = []
    for depth, stage in enumerate(stages):
        for t in _triggers_of(unit):
            if not stage.endswith(t.before):
                continue
            stop = _noun_end(text, end, t.after)
            at = clause + len(stage) - len(t.before)
            grade = next((g for g in lex.words["grade"] if text[clause:at].endswith(g)), "")
            if stop >= 0 and _starts_phrase(text, clause, at - len(grade), name_ends):
                found.append(
                    (
                        (-len(t.before) - len(t.after), depth, t.before),
                        Found(grade + t.label, t, at - len(grade), at + len(t.before), stop),
                    )
                )
                break
    return min(found, key=lambda f: f[0])[1] if found else None


@functools.cache
def _triggers_of(unit: str) -> tuple[Trigger, ...]:
    """The triggers that take quantities in ``unit``, in file order."""
    return tuple(t for t in get_quantity_lexicon().triggers if unit in t.units)


def _noun_end(text: str, end: int, noun: str) -> int:
    """End of ``noun`` after a quantity ending at ``end``, a few modifiers allowed
    (孵化了100多家研发型生物医药企业); ``end`` for no noun; -1 if it is not there."""
    if not noun:
        return end
    i = text.find(noun, end, end + len(noun) + NOUN_GAP)
    if i < 0 or any(c in PHRASE_ENDS for c in text[end:i]):
        return -1
    return i + len(noun)


def year_before(text: str, pos: int) -> str:
    """The last year ``text`` states before ``pos`` ("2023年" -> "2023"), else "".

    >>> year_before("2022年建成,2023年产值1000亿元", 20)
    '2023'
    """
    years = [m.group(1) for m in _YEAR.finditer(text, 0, pos)]
    return years[-1] if years else ""


def main_zone(mentions: list[Mention]) -> str:
    """Key of the strictly most-mentioned zone or park, else ""."""
    counts = Counter(m.key for m in mentions if m.cls in MAIN and m.key).most_common(2)
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return ""
    return counts[0][0]


def _usable(text: str, m: Mention, names: list[Mention]) -> bool:
    """A name that is not a place, partner, list item, example or a speaker's affiliation."""
    words = get_quantity_lexicon().words
    before, after = text[: m.start].rstrip(), text[m.end :].lstrip()
    if before.endswith(words["locative"]) or after.startswith(words["listing"]):
        return False
    return not any(
        p.cls == "Person" and 0 <= p.start - m.end <= 15 and not any(c in CLAUSE_ENDS for c in text[m.end : p.start])
        for p in names
    )


def choose_subject(text: str, names: list[Mention], at: int, stop: int, zone: str) -> tuple[str, str] | None:
    """(entity key, how) of the quantity stated by ``text[at:stop]``; None to skip it.

    ``names`` are the sentence's mentions with offsets into ``text`` (the
    sentence); ``zone`` is the article's main zone or park (or "").
    """
    words = get_quantity_lexicon().words
    candidates = [m for m in names if m.cls in SUBJECTS]
    rest = text[stop:]
    if rest.startswith(words["attributive"]):
        return None
    if rest.startswith(words["possessive"]):
        owner = [m for m in candidates if stop < m.start <= stop + 3]
        return (owner[0].key, "clause") if owner else None
    usable = [m for m in candidates if m.end <= at and _usable(text, m, names)]
    clause = _clause_start(text, at, CLAUSE_ENDS)
    near = [m for m in usable if m.start >= clause]
    if near:
        return near[-1].key, "clause"
    orgs = [m for m in usable if m.cls in ORGS]
    if orgs:
        return orgs[0].key, "sentence"
    if zone and not candidates:
        return zone, "article"
    return None


def is_target(text: str, at: int, trigger_end: int, start: int) -> bool:
    """Whether the quantity at ``start``, named by ``text[at:trigger_end]``, is a plan or forecast.

    >>> is_target("2025年产值将达2000亿元", 5, 7, 9), is_target("计划总投资2550万元", 0, 5, 5)
    (True, False)
    >>> is_target("到2025年,新增高企50家", 9, 11, 11), is_target("截至到2023年,新增高企50家", 11, 13, 13)
    (True, False)
    """
    words = get_quantity_lexicon().words
    clause = _clause_start(text, at, CLAUSE_ENDS)
    outside = text[clause:at] + text[trigger_end:start]
    if any(w in outside for w in words["target"]):
        return True
    return any(
        text[: y.start()].endswith(words["deadline"]) and not text[: y.start()].endswith(words["asof"])
        for y in _YEAR.finditer(text, 0, start)
    )


def observations(
    doc_id: str, sentences: list[Sentence], mentions: list[Mention], quote: str | None = None
) -> list[Observation]:
    """The quantity facts of one article.

    ``mentions`` are the resolved top-level mentions (offsets into the
    article text, ``key`` set); the subject rule is in the module docstring.
    Evidence and surface are quoted from ``quote`` when given: the article's
    original text, when ``sentences`` are of a converted copy of the same length.
    """
    named = [m for m in mentions if m.key]
    zone = main_zone(named)
    out: dict[tuple, Observation] = {}
    for sent, group in zip(sentences, by_sentence(sentences, named)):
        text = sent.text
        if not _NUMBER.search(text):
            continue
        local = [replace(m, start=m.start - sent.start, end=m.end - sent.start) for m in group if m.end <= sent.end]
        ends = {m.end for m in local if m.cls in SUBJECTS}
        for start, end, value, unit, qualifier in find_quantities(text):
            found = find_indicator(text, start, end, unit, ends)
            if not found:
                continue
            subject = choose_subject(text, local, found.start, found.stop, zone)
            if not subject or is_target(text, found.start, found.before_end, start):
                continue
            key, how = subject
            t = found.trigger
            t_text = t.before + (GAP + t.after if t.after else "")
            said = quote[sent.start : sent.end] if quote is not None else text
            o = Observation(
                key,
                found.label,
                value,
                unit,
                said[start:end],
                doc_id,
                sent.start,
                sent.end,
                said,
                f"quantity.{how}:{t_text}",
                CONFIDENCE[how],
                year_before(text, start),
                qualifier,
            )
            out.setdefault((key, o.indicator, o.value, unit, o.surface, sent.start), o)
    return sorted(out.values(), key=lambda o: (o.start, o.evidence.find(o.surface), o.indicator, o.subject))


def with_observations(ex: Extraction, sentences: list[Sentence], mentions: list[Mention]) -> Extraction:
    """``ex`` with the observations of ``sentences``, quoting ``ex.doc.text``.

    ``sentences`` and ``mentions`` may come from a same-length copy of the
    article's text (simplified from traditional characters): offsets are
    shared, evidence is quoted from the original.
    """
    return replace(ex, observations=observations(ex.doc.id, sentences, mentions, ex.doc.text))
