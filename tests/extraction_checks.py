"""Checks every extraction must pass, shared by the extraction and reading tests."""

from kg.extraction.sentences import split_sentences
from kg.records import Extraction


def triples(ex):
    return {(a.subject, a.property, a.object) for a in ex.assertions}


def check_invariants(ex: Extraction):
    text = ex.doc.text
    keys = {e.key for e in ex.entities}
    assert len(keys) == len(ex.entities)  # one entity per key
    for m in ex.mentions:
        assert text[m.start : m.end] == m.text
        assert m.key in keys
    sentences = {(s.start, s.end) for s in split_sentences(text)}
    for a in ex.assertions:
        assert a.doc_id == ex.doc.id
        assert text[a.start : a.end] == a.evidence
        assert (a.start, a.end) in sentences  # the evidence is a whole sentence
        assert a.rule
        assert 0.0 <= a.confidence <= 1.0
        assert a.subject in keys and a.object in keys
        assert a.subject != a.object
