"""Where a fact comes from: every article, date and sentence that states a triple.

:func:`explain` returns one :class:`Evidence` record per sentence; the rows
come from ``kg/queries/evidence.rq`` through
:meth:`kg.graph.knowledge.KnowledgeGraph.evidence`, the same query that fills the
evidence of the page's edges (:meth:`KnowledgeGraph.to_networkx`).  Entities
are found by any of their labels; the property by its local name, ``kg:``
name, IRI or label (承载).  :func:`format_explanation` prints them grouped by
article, with the names of the subject and object marked in each sentence.

>>> from kg.graph.knowledge import KnowledgeGraph
>>> from kg.records import Assertion, Document, Entity, Extraction
>>> text = "测试高新区位于测试市。"
>>> ents = {k: Entity(k, c, k) for k, c in [("测试高新区", "Zone"), ("测试市", "AdminRegion")]}
>>> a = Assertion("测试高新区", "locatedIn", "测试市", "d1", 0, 11, text, "demo")
>>> g = KnowledgeGraph.from_extractions([Extraction(Document("d1", text), list(ents.values()), [], [a])], ents)
>>> [e.highlighted() for e in explain(g, "测试高新区", "位于", "测试市")]
['【测试高新区】位于【测试市】。']
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDFS, URIRef
from rdflib.namespace import SKOS

from kg.errors import GraphError
from kg.rdf.namespace import KG, core_property, local_name
from kg.records import PROPERTIES

MARKS = ("【", "】")


@dataclass(frozen=True)
class Evidence:
    """One sentence that states a triple, with its article and how it was read."""

    subject: str  # canonical labels of the subject and object, local name of the property
    property: str
    object: str
    sentence: str
    start: int  # offsets of the sentence in the article text
    end: int
    marks: tuple[tuple[int, int], ...]  # spans of the subject's and object's names, in the sentence
    doc_id: str
    title: str
    date: str  # the article's date
    url: str
    article: str  # IRI of the kg:Article
    rule: str
    confidence: float
    role: str = ""
    fact_date: str = ""  # the date the sentence gives the fact

    def highlighted(self, left: str = MARKS[0], right: str = MARKS[1]) -> str:
        """The sentence with every marked span between ``left`` and ``right``."""
        return highlight(self.sentence, self.marks, left, right)

    @property
    def span(self) -> tuple[int, int]:
        """Offsets of the sentence in the article text."""
        return self.start, self.end


def find_marks(sentence: str, names) -> tuple[tuple[int, int], ...]:
    """Spans of ``names`` in ``sentence``: longest names first, never overlapping.

    >>> find_marks("江苏溧阳高新区与溧阳", ["溧阳", "江苏溧阳高新区"])
    ((0, 7), (8, 10))
    """
    taken: list[tuple[int, int]] = []
    for name in sorted({n for n in names if n}, key=lambda n: (-len(n), n)):
        pos = sentence.find(name)
        while pos >= 0:
            end = pos + len(name)
            if not any(s < end and pos < e for s, e in taken):
                taken.append((pos, end))
            pos = sentence.find(name, pos + 1)
    return tuple(sorted(taken))


def highlight(sentence: str, marks, left: str = MARKS[0], right: str = MARKS[1]) -> str:
    """``sentence`` with each span of ``marks`` wrapped in ``left`` ... ``right``.

    >>> highlight("甲在乙", [(0, 1), (2, 3)], "[", "]")
    '[甲]在[乙]'
    """
    out, pos = [], 0
    for start, end in sorted(marks):
        out += [sentence[pos:start], left, sentence[start:end], right]
        pos = end
    out.append(sentence[pos:])
    return "".join(out)


def property_of(graph, name: str) -> URIRef:
    """The core relation called ``name``: local name, kg: name, IRI or label (承载, "hosts")."""
    try:
        return core_property(name)
    except GraphError:
        pass
    for p in PROPERTIES:
        if any(str(label) == name for label in graph.dataset.objects(KG[p], RDFS.label)):
            return KG[p]
    raise GraphError(f"unknown relation {name!r}: use one of {', '.join(PROPERTIES)}")


def _names(graph, iri) -> list[str]:
    return sorted({str(x) for p in (RDFS.label, SKOS.altLabel) for x in graph.dataset.objects(URIRef(iri), p)})


def _label(graph, iri) -> str:
    return min((str(x) for x in graph.dataset.objects(URIRef(iri), RDFS.label)), default=local_name(iri))


def explain(graph, subject, prop, obj) -> list[Evidence]:
    """Every sentence that states ``subject prop obj``, ordered by article date,
    article and position; GraphError when the graph does not state it (the
    message names the relations it does state between the two)."""
    p = property_of(graph, str(prop))
    rows = graph.evidence(subject, p, obj)
    if not rows:
        raise GraphError(_nothing(graph, subject, p, obj))
    out = []
    for row in rows:
        names = _names(graph, row["subject"]) + _names(graph, row["object"])
        out.append(
            Evidence(
                subject=_label(graph, row["subject"]),
                property=row["property"],
                object=_label(graph, row["object"]),
                sentence=row["sentence"],
                start=row["start"],
                end=row["end"],
                marks=find_marks(row["sentence"], names),
                doc_id=row["doc_id"],
                title=row["title"],
                date=row["date"],
                url=row["url"],
                article=row["article"],
                rule=row["rule"],
                confidence=row["confidence"],
                role=row["role"],
                fact_date=row["fact_date"],
            )
        )
    return sorted(set(out), key=lambda e: (e.date, e.doc_id, e.start, e.subject, e.object, e.rule))


def _refs(graph, ref) -> list[URIRef]:
    if isinstance(ref, URIRef) or str(ref).startswith(("http://", "https://")):
        return [URIRef(str(ref))]
    return graph.entities_by_label(str(ref))


def _nothing(graph, subject, p, obj) -> str:
    core = {KG[q] for q in PROPERTIES}
    said = set()
    for s in _refs(graph, subject):
        for o in _refs(graph, obj):
            said |= {(s, q, o) for q in graph.dataset.predicates(s, o) if q in core}
            said |= {(o, q, s) for q in graph.dataset.predicates(o, s) if q in core}
    stated = sorted(f"{_label(graph, s)} {local_name(q)} {_label(graph, o)}" for s, q, o in said)
    hint = f"; it states: {'; '.join(stated)}" if stated else ""
    return f"the graph does not state {subject} {local_name(p)} {obj}{hint}"


def format_explanation(records: list[Evidence], left: str = MARKS[0], right: str = MARKS[1]) -> str:
    """The records grouped by article: title, id, date and URL, then each
    sentence with its offsets, rule and confidence, the names marked."""
    if not records:
        return "no evidence"
    first = records[0]
    articles: dict[str, list[Evidence]] = {}
    for e in records:
        articles.setdefault(e.doc_id or e.article, []).append(e)
    n, m = len(records), len(articles)
    lines = [
        f"{first.subject} {first.property} {first.object}: "
        f"{n} sentence{'s' if n != 1 else ''} in {m} article{'s' if m != 1 else ''}"
    ]
    for i, (doc, evs) in enumerate(articles.items(), 1):
        head = evs[0]
        lines += ["", f"[{i}] {head.title or doc}"]
        lines.append("    " + ", ".join(x for x in (f"article {doc}", head.date, head.url) if x))
        for e in evs:
            about = [f"characters {e.start}-{e.end}", f"rule {e.rule}", f"confidence {e.confidence:g}"]
            about += [f"role {e.role}"] * bool(e.role) + [f"dated {e.fact_date}"] * bool(e.fact_date)
            lines += ["    " + ", ".join(about), "      " + e.highlighted(left, right)]
    return "\n".join(lines)


def evidence_row(r) -> dict:
    """A row of ``kg/queries/evidence.rq`` as a plain dict (what ``KnowledgeGraph.evidence`` returns)."""

    def text(v) -> str:
        return "" if v is None else str(v)

    return {
        "subject": text(r.s),
        "property": local_name(r.p),
        "object": text(r.o),
        "sentence": text(r.sentence),
        "start": int(r.start),
        "end": int(r.end),
        "title": text(r.title),
        "date": text(r.date),
        "url": text(r.url),
        "article": text(r.article),
        "doc_id": text(r.docId),
        "rule": text(r.rule),
        "confidence": float(r.confidence),
        "role": text(r.role),
        "fact_date": text(r.factDate),
    }
