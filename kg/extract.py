"""Extraction of one article: mentions -> entities -> assertions.

>>> from kg.records import Document
>>> ex = extract(Document("t", "青禾新材料有限公司位于云溪高新区,聚焦新材料。"))
>>> sorted((a.subject, a.property, a.object) for a in ex.assertions)
[('云溪高新区', 'hosts', '青禾新材料有限公司'), ('青禾新材料有限公司', 'focusesOn', '新材料')]
"""
from __future__ import annotations

from kg.mentions import find_candidates, select
from kg.records import Assertion, Document, Extraction, Mention
from kg.relations import from_patterns, structural, topic_relations
from kg.resolve import resolve
from kg.sentences import split_sentences


def split_levels(mentions: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """Top-level mentions (no overlap, longest first) and the ones nested inside them."""
    top, inner, end = [], [], -1
    for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
        (inner if m.start < end else top).append(m)
        if m.start >= end:
            end = m.end
    return top, inner


def extract(doc: Document) -> Extraction:
    text = doc.text
    mentions, entities = resolve(text, select(find_candidates(text)))
    top, inner = split_levels(mentions)
    found: dict[tuple, Assertion] = {}
    sentences = split_sentences(text)
    for sent in sentences:
        in_sent = [m for m in top if sent.start <= m.start < sent.end]
        for a in structural(doc.id, text, sent, in_sent, inner) + from_patterns(doc.id, sent, in_sent):
            k = (a.subject, a.property, a.object, a.start)
            if k not in found or found[k].confidence < a.confidence:
                found[k] = a
    for a in topic_relations(doc.id, sentences, top, list(found.values())):
        found[(a.subject, a.property, a.object, a.start)] = a
    assertions = sorted(found.values(), key=lambda a: (a.start, a.subject, a.property, a.object, a.rule))
    return Extraction(doc, entities, mentions, assertions)

