"""The learned stages applied to an article: the tagger's mentions, the candidate pairs of
entities, and the relation classifier's assertions.

Mentions: the spans the tagger labels are the article's names (a span the rules
found too keeps the rules' key, so that a reference list's canonical name
stays); the rules' anaphors, defined short names and abbreviations outside
them are kept for resolution, and the rules' places and universities nested in
a tagged name (溧阳 in 溧阳高新区) for the relations that need them.

Candidates: every ordered pair of mentions of two entities in one sentence
whose classes some core relation admits, and the article's topic (the zone or
park it is about, :func:`kg.extraction.relations.article_topic`) with every
entity of the other sentences.  The classifier gives each a probability per
property; an entity pair's triple is kept when its best candidate reaches the
model's threshold, with that candidate's sentence as evidence and the
probability as confidence.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kg.extraction.features import AREAS, SIDE, Context, pair_features, trigger_words
from kg.extraction.relations import DOMAIN, RANGE, YEAR, article_topic
from kg.extraction.tokens import Token
from kg.records import Assertion, Mention, Sentence

#: Nested rule mentions kept inside a tagged name (its place, the university it is named after).
NESTED = ("AdminRegion", "University", "Zone")
_ALLOWED = {(s, o) for p in DOMAIN for s in DOMAIN[p] for o in RANGE[p]}


def tagged_spans(tokens: list[Token], labels: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, class) of the BIO spans of ``labels`` (an I- without its B- opens a span).

    >>> toks = [Token(0, 2, "溧阳", ""), Token(2, 5, "高新区", ""), Token(5, 7, "聚焦", "")]
    >>> tagged_spans(toks, ["B-Zone", "I-Zone", "O"])
    [(0, 5, 'Zone')]
    """
    out: list[list] = []
    for t, label in zip(tokens, labels):
        if label == "O":
            continue
        tag, cls = label.split("-", 1)
        if tag == "I" and out and out[-1][2] == cls and out[-1][1] == t.start:
            out[-1][1] = t.end
        else:
            out.append([t.start, t.end, cls])
    return [tuple(s) for s in out]


def model_mentions(ctx: Context, labels: list[str]) -> list[Mention]:
    """The article's mentions: the tagged names, and the rules' other mentions (see the module)."""
    text, refs = ctx.text, ctx.lex.references
    by_span = {(m.start, m.end): m for m in ctx.rule_mentions if m.kind == "name"}
    names = []
    for start, end, cls in tagged_spans(ctx.tokens, labels):
        rule = by_span.get((start, end))
        ref = refs.get(text[start:end])
        key = rule.key if rule is not None and rule.key else (ref.key if ref is not None and ref.cls == cls else "")
        names.append(Mention(start, end, text[start:end], cls, "model:tagger", key))
    covered = sorted((m.start, m.end) for m in names)
    tagged = set(covered)

    def inside(m: Mention) -> bool:
        return any(s <= m.start and m.end <= e for s, e in covered)

    def overlaps(m: Mention) -> bool:
        return any(m.start < e and s < m.end for s, e in covered)

    others = [m for m in ctx.rule_mentions if m.kind != "name" and not overlaps(m)]
    nested = [
        m
        for m in ctx.rule_mentions
        if m.kind == "name" and m.cls in NESTED and inside(m) and (m.start, m.end) not in tagged
    ]
    return sorted(names + others + nested, key=lambda m: (m.start, -(m.end - m.start)))


@dataclass
class Candidate:
    """An ordered pair of mentions that may state a relation, the sentence that holds it, its features."""

    s: Mention
    o: Mention
    sentence: Sentence
    features: list[str]


#: What may stand between two items of one list (甲、乙和丙).
LIST_GLUE = frozenset("、和及与或,，“”\"' ") | {"以及"}


def list_runs(group: list[Mention], text: str) -> dict[int, tuple[Mention, Mention, int]]:
    """id(mention) -> (first, last, size) of the list of same-class names it stands in (itself alone
    when in none): a relation stated next to a list holds for each of its items."""
    out: dict[int, tuple[Mention, Mention, int]] = {}
    names = sorted((m for m in group if m.kind == "name"), key=lambda m: m.start)
    run: list[Mention] = []
    for m in [*names, None]:
        if (
            m is not None
            and run
            and m.cls == run[-1].cls
            and m.start >= run[-1].end
            and all(ch in LIST_GLUE for ch in text[run[-1].end : m.start])
            and m.start - run[-1].end <= 3
        ):
            run.append(m)
            continue
        for r in run:
            out[id(r)] = (run[0], run[-1], len(run))
        run = [m] if m is not None else []
    return out


def _fired(assertions: Iterable[Assertion]) -> dict[tuple[str, str], set[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    for a in assertions:
        family = a.rule.split(":", 1)[0]
        out.setdefault((a.subject, a.object), set()).update({a.property, f"{a.property}/{family}"})
        out.setdefault((a.object, a.subject), set()).add("rev:" + a.property)
    return out


def candidates(ctx: Context, mentions: list[Mention], rule_assertions: Iterable[Assertion]) -> list[Candidate]:
    """Every candidate pair of the article (see the module's docstring)."""
    sentences, tokens = ctx.sentences, ctx.tokens
    keyed = [m for m in mentions if m.key]
    groups: list[list[Mention]] = [[] for _ in sentences]
    s_i = 0
    for m in sorted(keyed, key=lambda m: m.start):
        while s_i < len(sentences) - 1 and m.start >= sentences[s_i].end:
            s_i += 1
        groups[s_i].append(m)
    top = [m for m in keyed if m.kind == "name"]
    topic = article_topic(sentences, top)
    title_keys = {m.key for m in groups[0]} if groups else set()
    fired = _fired(rule_assertions)
    starts = [t.start for t in tokens]
    out: list[Candidate] = []
    topic_mention = next((m for m in top if m.key == topic), None)
    with_topic = [i for i, g in enumerate(groups) if any(m.key == topic for m in g)]
    gaps = {id(sent): min((abs(i - j) for j in with_topic), default=9) for i, sent in enumerate(sentences)}

    def window(a: int, b: int) -> list[Token]:
        return tokens[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)]

    def add(s: Mention, o: Mention, sent: Sentence, cross: bool, group: list[Mention], runs, words) -> None:
        if s.key == o.key or (s.cls, o.cls) not in _ALLOWED:
            return
        rs = runs.get(id(s), (s, s, 1)) if not cross else (s, s, 1)
        ro = runs.get(id(o), (o, o, 1)) if not cross or o.key != topic else (o, o, 1)
        if not cross and rs[2] > 1 and rs[0] is ro[0]:
            return  # two items of one list state nothing of each other
        first, last = (rs, ro) if s.start <= o.start else (ro, rs)
        between = [] if cross else window(first[1].end, last[0].start)
        other = rs if o.key == topic and cross else ro
        lo, hi = (other[0].start, other[1].end) if cross else (first[0].start, last[1].end)
        before = window(max(sent.start, lo - 30), lo)[-SIDE:]
        after = window(hi, min(sent.end, hi + 30))[:SIDE]
        mid = [] if cross else [m for m in group if first[1].end <= m.start and m.end <= last[0].start]
        feats = pair_features(
            ctx,
            s,
            o,
            sent,
            between,
            (before, after),
            mid,
            fired.get((s.key, o.key), ()),
            topic,
            title_keys,
            cross,
            (rs[2], ro[2]),
            words,
        )
        areas = [m for m in group if m.cls in AREAS and m.key not in (s.key, o.key)]
        if cross:
            feats.append("sent_area" if areas else "sent_no_area")
            feats.append("gap=" + str(min(gaps.get(id(sent), 9), 4)))
        else:
            far_end, near = (o, s) if s.cls in AREAS else (s, o)
            if near.cls in AREAS and not any(
                abs(m.start - far_end.start) < abs(near.start - far_end.start) for m in areas
            ):
                feats.append("nearest_area")
        out.append(Candidate(s, o, sent, feats))

    triggers = trigger_words()
    for sent, group in zip(sentences, groups):
        runs = list_runs(group, ctx.text)
        words = sorted({t.text for t in window(sent.start, sent.end) if t.text in triggers})
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                add(a, b, sent, False, group, runs, words)
                add(b, a, sent, False, group, runs, words)
        if topic_mention is not None and all(m.key != topic for m in group):
            for m in {m.key: m for m in group}.values():
                add(topic_mention, m, sent, True, group, runs, words)
                add(m, topic_mention, sent, True, group, runs, words)
    return out


def model_assertions(
    doc_id: str, text: str, cands: list[Candidate], probabilities, model, rule_assertions: list[Assertion]
) -> list[Assertion]:
    """The model's triples: of each property, the classifier's (each entity pair's best candidate,
    when it reaches the model's threshold), the rules' or both, as the model chose in training
    (:meth:`kg.extraction.learned.Model.source`)."""
    classes, threshold = model.relations.classes, model.threshold
    roles = {(a.subject, a.object): a.role for a in rule_assertions if a.role}
    best: dict[tuple[str, str, str], tuple[float, Candidate]] = {}
    for cand, row in zip(cands, probabilities):
        for j, prop in enumerate(classes):
            p = float(row[j])
            if prop == "none" or p < threshold or model.source(prop) == "rules":
                continue
            k = (cand.s.key, prop, cand.o.key)
            if k not in best or p > best[k][0]:
                best[k] = (p, cand)
    out = []
    for (s, prop, o), (p, cand) in sorted(best.items()):
        sent = cand.sentence
        year = YEAR.search(sent.text)
        role = roles.get((s, o), "") if prop == "worksFor" else ""
        out.append(
            Assertion(
                s,
                prop,
                o,
                doc_id,
                sent.start,
                sent.end,
                text[sent.start : sent.end],
                "model:relations",
                round(p, 3),
                role,
                year.group(0) if year else "",
            )
        )
    said = {(a.subject, a.property, a.object) for a in out}
    for a in rule_assertions:
        if model.source(a.property) != "model" and (a.subject, a.property, a.object) not in said:
            measured = model.rule_confidence(a.property)
            out.append(a if measured is None else replace(a, confidence=measured))
    return out
