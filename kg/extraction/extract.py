"""Extraction of one article: mentions -> entities -> assertions.

The rules find mentions and relations; the learned model (:mod:`kg.extraction.learned`),
when there is one, decides the names from the tokens' features, the rules' findings among
them, and the relations from the features of candidate pairs.  The rules alone
(``model=None``):

>>> from kg.records import Document
>>> ex = extract(Document("t", "青禾新材料有限公司位于云溪高新区,聚焦新材料。"), model=None)
>>> sorted((a.subject, a.property, a.object) for a in ex.assertions)
[('云溪高新区', 'hosts', '青禾新材料有限公司'), ('青禾新材料有限公司', 'focusesOn', '新材料')]

An article in traditional characters is read in simplified ones (``kg.reading.script``);
mentions and evidence still quote the original, and entities keep simplified
labels with the traditional forms among their aliases:

>>> ex = extract(Document("t", "青禾新材料有限公司位於雲溪高新區,聚焦新材料。"), model=None)
>>> sorted((a.subject, a.property, a.object) for a in ex.assertions)[0], ex.assertions[0].evidence
(('云溪高新区', 'hosts', '青禾新材料有限公司'), '青禾新材料有限公司位於雲溪高新區,聚焦新材料。')
>>> sorted(next(e for e in ex.entities if e.key == "云溪高新区").aliases)
['雲溪高新區']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import NamedTuple

from kg.extraction.features import Context
from kg.extraction.learned import Model, active_model
from kg.extraction.mentions import find_candidates, select
from kg.extraction.pairs import Candidate, candidates, model_assertions, model_mentions
from kg.extraction.quantities import with_observations
from kg.extraction.relations import collecting_rejections, from_patterns, implicit_focus, structural, topic_relations
from kg.extraction.resolve import norm, resolve
from kg.extraction.sentences import by_sentence, split_sentences
from kg.reading.script import is_traditional, to_simplified
from kg.records import Assertion, Document, Entity, Extraction, Mention


def split_levels(mentions: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """Top-level mentions (no overlap, longest first) and the ones nested inside them."""
    top, inner, end = [], [], -1
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        (inner if m.start < end else top).append(m)
        if m.start >= end:
            end = m.end
    return top, inner


def extract(doc: Document, model: Model | None | str = "active") -> Extraction:
    """Everything the rules and the model (the active one: :func:`kg.extraction.learned.use_model`;
    a :class:`kg.extraction.learned.Model`; or None, the rules alone) find in ``doc``."""
    original, doc = doc, simplified(doc)
    text = doc.text
    model = active_model() if model == "active" else model
    if model is None:
        sentences = split_sentences(text)
        mentions, entities = resolve(text, select(find_candidates(text)))
        assertions, rejected = rule_assertions(doc.id, text, sentences, mentions)
    else:
        ctx = Context.of(text)
        sentences = ctx.sentences
        found = tagged(doc.id, ctx, model.tag(ctx.token_features()))
        mentions, entities, rejected = found.mentions, found.entities, found.rejected
        probs = model.relate([c.features for c in found.pairs])
        assertions = model_assertions(doc.id, text, found.pairs, probs, model, found.rules)
        known = {e.key for e in entities}
        assertions = [a for a in assertions if a.subject in known and a.object in known]
    ex = Extraction(doc, entities, mentions, assertions, rejected=rejected)
    return with_observations(in_original(ex, original), sentences, split_levels(mentions)[0])


class Tagged(NamedTuple):
    """What an article gives the relation classifier, from the tagger's labels of its tokens."""

    mentions: list[Mention]
    entities: list[Entity]
    rules: list[Assertion]  # the rules' triples among these mentions (features, and kept per property)
    rejected: list
    pairs: list[Candidate]


def tagged(doc_id: str, ctx: Context, labels: list[str]) -> Tagged:
    """The mentions and entities of the tagger's ``labels``, the rules' triples among them and the
    candidate pairs: the same for extraction and for training (kg.learning.train.pair_data)."""
    mentions, entities = resolve(ctx.text, model_mentions(ctx, labels))
    rules, rejected = rule_assertions(doc_id, ctx.text, ctx.sentences, mentions)
    return Tagged(mentions, entities, rules, rejected, candidates(ctx, mentions, rules))


def rule_assertions(doc_id: str, text: str, sentences, mentions: list[Mention]) -> tuple[list[Assertion], list]:
    """The rules' triples of an article (patterns, name structure, focus, topic) and what their
    classes made them drop."""
    top, inner = split_levels(mentions)
    found: dict[tuple, Assertion] = {}
    tops, inners = by_sentence(sentences, top), by_sentence(sentences, inner)
    with collecting_rejections() as rejected:  # what the rules drop for its classes, and why
        for sent, in_sent, inner_sent in zip(sentences, tops, inners):
            for a in structural(doc_id, text, sent, in_sent, inner_sent) + from_patterns(doc_id, sent, in_sent):
                k = (a.subject, a.property, a.object, a.start)
                if k not in found or found[k].confidence < a.confidence:
                    found[k] = a
        for a in implicit_focus(doc_id, sentences, top):
            found.setdefault((a.subject, a.property, a.object, a.start), a)
        for a in topic_relations(doc_id, sentences, top, list(found.values())):
            found[(a.subject, a.property, a.object, a.start)] = a
    return sorted(found.values(), key=lambda a: (a.start, a.subject, a.property, a.object, a.rule)), rejected


def simplified(doc: Document) -> Document:
    """``doc`` itself, or a copy in simplified characters when it is written in traditional ones."""
    text = to_simplified(doc.text)
    return replace(doc, text=text) if is_traditional(doc.text, text) else doc


def in_original(ex: Extraction, original: Document) -> Extraction:
    """An extraction of ``simplified(original)`` made to quote ``original``: same
    offsets, mention texts and evidence from the original text, the original's
    forms of every entity name among its aliases."""
    if ex.doc is original:
        return ex
    text = original.text
    mentions = [replace(m, text=text[m.start : m.end]) for m in ex.mentions]
    assertions = [replace(a, evidence=text[a.start : a.end]) for a in ex.assertions]
    forms: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.kind == "name":
            forms[m.key].add(norm(m.text))
    spell = _spelling(ex.doc.text, text)
    entities = []
    for e in ex.entities:
        written = forms[e.key] | {spell(n) for n in (e.label, *e.aliases)}
        entities.append(replace(e, aliases=(e.aliases | written) - {e.label, ""}))
    rejected = [
        replace(r, assertion=replace(r.assertion, evidence=text[r.assertion.start : r.assertion.end]))
        for r in ex.rejected
    ]
    return replace(ex, doc=original, entities=entities, mentions=mentions, assertions=assertions, rejected=rejected)


def _spelling(simple: str, original: str):
    """name -> its spelling in ``original``'s characters, as the conversion read
    them; "" when a character of the name is not in the text or is written in
    two ways there (台 and 臺)."""
    seen: dict[str, set[str]] = defaultdict(set)
    for s, o in zip(simple, original):
        seen[s].add(o)

    def spell(name: str) -> str:
        out = []
        for ch in name:
            ways = seen.get(ch, ())
            if len(ways) != 1:
                return ""
            out.append(next(iter(ways)))
        return "".join(out)

    return spell
