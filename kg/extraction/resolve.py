"""One entity per real-world thing: canonical names, aliases and anaphora.

Every mention gets a ``key`` (the canonical name its entity is known by);
anaphors (该研究院, 园区, 该区) take their antecedent's key or are dropped.

>>> canonical_zone("江苏溧阳高新技术产业开发区")
'溧阳高新区'
>>> sorted(name_variants("乌鲁木齐高新区(新市区)管委会(政府)"))
['乌鲁木齐高新区(新市区)管委会', '乌鲁木齐高新区管委会', '乌鲁木齐高新区管委会(政府)']
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import replace

from kg.extraction.lexicon import get_lexicon, province_short
from kg.records import ORGANISATIONS, Entity, Mention

BRACKET = re.compile(r"[(（][^()（）]*[)）]")
QUOTES = re.compile(r"[“”‘’\"《》]")
ZONE_LONG = re.compile(r"(国家)?高新技术产业开发区$|国家高新区$")
# which classes an anaphor's head may point to
ANAPHOR_TARGETS = {
    "Zone": ("Zone",),
    "Park": ("Park", "Zone"),
    "Platform": ("Platform", "Incubator", "ResearchInstitute"),
    "ResearchInstitute": ("ResearchInstitute",),
    "Company": ("Company",),
    "Incubator": ("Incubator",),
    "Association": ("Association",),
    "University": ("University",),
    "GovernmentBody": ("GovernmentBody",),
}


def norm(text: str) -> str:
    """NFKC with spaces removed, the form names are compared in."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _strip_province(name: str) -> str:
    lex = get_lexicon()
    for n in (3, 2, 4, 5, 8):
        head = name[:n]
        regs = lex.regions.get(head, [])
        if any(r.level == 0 for r in regs) and len(name) - n >= 4:
            return name[n:]
    return name


def canonical_zone(surface: str) -> str:
    """The short form a zone is keyed by: province dropped, 高新技术产业开发区 -> 高新区."""
    lex = get_lexicon()
    name = norm(surface)
    ref = lex.references.get(name) or lex.references.get(BRACKET.sub("", name))
    if ref and ref.cls == "Zone":
        return ref.key
    name = BRACKET.sub("", name)
    name = ZONE_LONG.sub("高新区", name)
    name = _strip_province(name)
    ref = lex.references.get(name)
    return ref.key if ref and ref.cls == "Zone" else name


def name_variants(surface: str) -> set[str]:
    """Other written forms of an organisation name: without brackets, quotes, home province or zone."""
    name = norm(surface)
    out = {name}
    groups = BRACKET.findall(name)
    if groups:
        out.add(BRACKET.sub("", name))
        for g in groups:
            out.add(name.replace(g, "", 1))
    unquoted = QUOTES.sub("", name)
    if unquoted != name:
        out.add(unquoted)
    for v in list(out):
        stripped = _strip_province(v)
        if stripped != v:
            out.add(stripped)
    return {v for v in out if len(v) >= 2} - {name}


def region_key(surface: str, context_codes: set[str]) -> tuple[str, str]:
    """(canonical full name, division code) of a region mention; context picks among namesakes."""
    cands = get_lexicon().regions.get(surface, [])
    if not cands:
        return surface, ""
    for r in cands:
        if set(r.parent_codes) & context_codes:
            return r.full, r.code
    r = cands[0]
    return r.full, r.code


def industry_key(surface: str) -> str:
    name = norm(surface)
    for suffix in ("产业集群", "产业链", "产业", "行业", "领域"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def key_of(m: Mention, context_codes: set[str]) -> str:
    if m.key:
        return m.key
    if m.cls == "Zone":
        return canonical_zone(m.text)
    if m.cls == "AdminRegion":
        return region_key(m.text, context_codes)[0]
    if m.cls == "Industry":
        return industry_key(m.text)
    if m.cls == "Award":
        return QUOTES.sub("", norm(m.text))
    return norm(m.text)


def resolve(text: str, mentions: list[Mention]) -> tuple[list[Mention], list[Entity]]:
    """Give every mention its entity key; return the kept mentions and the article's entities."""
    lex = get_lexicon()
    codes = {r.code for m in mentions if m.cls == "AdminRegion" for r in lex.regions.get(m.text, [])}
    codes |= {c for c in list(codes) for c in [c[:2] + "0000", c[:4] + "00"]}
    names = [replace(m, key=key_of(m, codes)) for m in mentions if m.kind == "name"]
    names = _short_forms(text, names)
    names += _defined_aliases(text, mentions, names)
    names = _rekey_defined(names)
    names = _abbreviated_owners(names)
    names += _repeats(text, names)
    names.sort(key=lambda m: m.start)
    resolved = names + _anaphors(mentions, names) + _abbreviations(mentions, names)
    resolved.sort(key=lambda m: (m.start, -(m.end - m.start)))
    return resolved, _entities(resolved)


def _short_forms(text: str, names: list[Mention]) -> list[Mention]:
    """江苏中关村 for 江苏中关村科技产业园: a place and a zone name written together that open a
    longer park or zone name of the article are that park's short form."""
    longer = [m for m in names if m.cls in ("Park", "Zone") and m.rule.startswith("suffix:")]
    out, skip = [], set()
    for a, b in zip(names, names[1:]):
        if a.cls == "AdminRegion" and b.cls == "Zone" and a.end == b.start and id(a) not in skip:
            short = text[a.start : b.end]
            owner = next((m for m in longer if m.text.startswith(short) and len(m.text) > len(short) + 1), None)
            if owner is not None:
                out.append(Mention(a.start, b.end, short, owner.cls, "short:prefix", owner.key))
                skip |= {id(a), id(b)}
    return sorted([m for m in names if id(m) not in skip] + out, key=lambda m: m.start)


def _defined_aliases(text: str, mentions: list[Mention], names: list[Mention]) -> list[Mention]:
    """中数科谷(清远)科技发展有限公司(以下简称中数科谷): later 中数科谷 is the company."""
    out = []
    for a in (m for m in mentions if m.kind == "alias"):
        if a.rule == "alias:said":  # 甲乙高新区又称为星河科技城: the name right before the verb
            said = re.search(r"(又称为|又称|又名|也称为|也称|俗称)[“\"]?$", text[max(0, a.start - 5) : a.start])
            verb = a.start - len(said.group()) if said else -1
            owner = next((n for n in names if n.end == verb), None)
        else:
            paren = (
                text.rfind("(", 0, a.start)
                if "(" in text[max(0, a.start - 8) : a.start]
                else text.rfind("（", 0, a.start)
            )
            owner = next((n for n in names if paren - 1 <= n.end <= paren), None)
        if owner is None:
            continue
        out.append(replace(a, cls=owner.cls, key=owner.key, kind="name", rule="alias:defined"))
        out += _occurrences(text, a.text, owner, _covered(names + out), "alias:repeat")
    return out


def _rekey_defined(names: list[Mention]) -> list[Mention]:
    """A name that the article defines as another's alias (甲乙高新区又称为星河科技城) names that
    other entity wherever it stands, also where a rule found it as a name of its own."""
    owner = {m.text: m for m in names if m.rule == "alias:defined"}
    return [
        replace(m, key=owner[m.text].key, cls=owner[m.text].cls)
        if m.text in owner and m.rule != "alias:defined" and m.key != owner[m.text].key
        else m
        for m in names
    ]


def _occurrences(text: str, surface: str, like: Mention, taken: set[int], rule: str) -> list[Mention]:
    """Mentions like ``like`` wherever ``surface`` recurs on characters no mention covers yet
    (``taken``: the covered offsets, updated)."""
    out, pos = [], text.find(surface)
    while pos >= 0:
        end = pos + len(surface)
        if not any(i in taken for i in range(pos, end)):
            out.append(Mention(pos, end, surface, like.cls, rule, like.key))
            taken.update(range(pos, end))
        pos = text.find(surface, end)
    return out


def _covered(mentions: list[Mention]) -> set[int]:
    return {i for m in mentions for i in range(m.start, m.end)}


def _repeats(text: str, names: list[Mention]) -> list[Mention]:
    """A short company or person name found once by context is a mention wherever it recurs."""
    out: list[Mention] = []
    seen = set()
    taken = _covered(names)
    for m in names:
        if m.cls in ("Company", "Person") and m.text not in seen and len(m.text) >= 2:
            seen.add(m.text)
            out += _occurrences(text, m.text, m, taken, "repeat")
    return out


ORGS = frozenset(ORGANISATIONS)


def is_abbreviation(short: str, full: str) -> bool:
    """上海交大 of 上海交通大学, 中国科大 of 中国科学技术大学: same first character, the rest in
    order, and characters left out (a substring is a part, not an abbreviation).

    >>> is_abbreviation("上海交大", "上海交通大学"), is_abbreviation("交通", "上海交通大学")
    (True, False)
    """
    if len(short) >= len(full) or short[0] != full[0] or short in full:
        return False
    it = iter(full)
    return all(c in it for c in short)


def _abbreviated_owners(names: list[Mention]) -> list[Mention]:
    """上海交大张江科学园 is 上海交通大学张江科学园: a name that differs from another of the article
    only in abbreviating the institution it opens with (a university or college of the article)."""
    institutions = {n.key for n in names if n.cls == "University"}
    keys = {n.key for n in names if n.cls in ORGS}
    opened = [
        (b[len(inst) :], inst, b)
        for b in keys
        for inst in institutions  # 上海交通大学|张江科学园
        if b.startswith(inst) and len(b) > len(inst) + 1
    ]
    full = {}
    for a in keys:
        for tail, inst, b in opened:
            if a != b and a.endswith(tail) and len(a) > len(tail) + 1 and is_abbreviation(a[: -len(tail)], inst):
                full[a] = b
    return [replace(n, key=full[n.key]) if n.key in full else n for n in names]


def _abbreviations(mentions: list[Mention], names: list[Mention]) -> list[Mention]:
    """An abbreviation is the organisation of the article it abbreviates, or nothing when that is unclear."""
    out = []
    for a in (m for m in mentions if m.kind == "abbrev"):
        owners = sorted({(len(n.key), n.key, n.cls) for n in names if n.cls in ORGS and is_abbreviation(a.text, n.key)})
        # the shortest name it abbreviates (上海交大: the university, not 上海交通大学张江科学园), if only one
        if owners and (len(owners) == 1 or owners[0][0] < owners[1][0]):
            _, key, cls = owners[0]
            out.append(replace(a, key=key, cls=cls, kind="name", rule="alias:abbreviation"))
    return out


def _nearest_before(by_class: dict[str, tuple[list[int], list[Mention]]], classes, pos: int) -> Mention | None:
    """The name of one of ``classes`` that ends last at or before ``pos`` (ties: the later in text order)."""
    best = None
    for cls in classes:
        ends, ms = by_class.get(cls, ([], []))
        i = bisect.bisect_right(ends, pos)
        if i and (best is None or (ms[i - 1].end, ms[i - 1].start) > (best.end, best.start)):
            best = ms[i - 1]
    return best


def _anaphors(mentions: list[Mention], names: list[Mention]) -> list[Mention]:
    counts = Counter((m.cls, m.key) for m in names)
    by_class: dict[str, tuple[list[int], list[Mention]]] = {}
    for cls in {m.cls for m in names}:
        ms = sorted((m for m in names if m.cls == cls), key=lambda m: (m.end, m.start))
        by_class[cls] = ([m.end for m in ms], ms)
    zones = Counter(m.key for m in names if m.cls == "Zone")
    salient: dict[tuple[str, str], Mention | None] = {}  # (class, head) -> antecedent: found once
    out = []
    for a in (m for m in mentions if m.kind == "anaphor"):
        head = a.text.lstrip("该本此")
        targets = ANAPHOR_TARGETS.get(a.cls, (a.cls,))
        if a.text != head:  # 该研究院: the nearest one before
            ante = _nearest_before(by_class, targets, a.start)
        elif a.cls == "GovernmentBody":  # bare 管委会: the body of the article's zone
            if zones:
                zone = zones.most_common(1)[0][0]
                out.append(replace(a, key=zone + head, kind="name", rule="bare:zone-body"))
            continue
        else:  # bare 园区, 研究院: the most salient one with that head
            if (a.cls, head) not in salient:
                cands = [m for m in names if m.cls in targets and (m.key.endswith(head) or a.cls == "Zone")]
                salient[(a.cls, head)] = max(cands, key=lambda m: (counts[(m.cls, m.key)], -m.start)) if cands else None
            ante = salient[(a.cls, head)]
        if ante is not None:
            out.append(replace(a, key=ante.key, cls=ante.cls))
    return out


def _entities(mentions: list[Mention]) -> list[Entity]:
    lex = get_lexicon()
    classes: dict[str, Counter] = {}
    for m in mentions:
        classes.setdefault(m.key, Counter())[m.cls] += 2 if m.kind == "name" else 1
    out = {}
    for m in mentions:
        e = out.get(m.key)
        if e is None:
            cls = classes[m.key].most_common(1)[0][0]
            e = out[m.key] = Entity(m.key, cls, m.key)
            ref = lex.references.get(m.key)
            if ref and ref.cls == cls:
                e.facts.update(ref.facts)
                e.aliases.update(n for n in ref.names if n in (ref.key, dict(ref.facts).get("officialName")))
        if m.kind == "name":
            e.aliases.add(norm(m.text))
            if e.cls not in ("Person", "Industry", "AdminRegion"):
                e.aliases |= name_variants(m.text)
            if e.cls == "AdminRegion":
                e.aliases.add(province_short(m.key) if m.key.endswith(("省", "自治区")) else m.text)
    for e in out.values():
        e.aliases.discard(e.label)
    return sorted(out.values(), key=lambda e: e.key)
