"""What a well-formed graph is (``shapes.ttl``), checked twice.

During the build, :func:`screen` checks every assertion against the domain
and range shapes with the classes the entities finally get, and keeps what
does not fit out of the graph as a :class:`kg.records.Rejection` with its
reason (written to ``DIR/rejected.jsonl``, counted in the summary).  The
relation stage does the same with the classes of the mentions
(``stage="extract"``).  After the build, :func:`validate` runs pySHACL with
every shape over the graph (:mod:`kg.graph.validation`).

>>> misfit("hosts", "星河公司", "Company", "青禾公司", "Company")
('domain', '星河公司 is a Company; the subject of hosts must be one of: Zone, Park')
>>> misfit("hosts", "云溪高新区", "Zone", "青禾公司", "Company") is None
True
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from rdflib import RDF, Graph, Namespace

from kg.rdf.namespace import KG, bind_prefixes, local_name
from kg.records import PROPERTIES, Entity, Extraction, Rejection
from kg.records import misfit as records_misfit

SHAPES_PATH = Path(__file__).with_name("shapes.ttl")
SH = Namespace("http://www.w3.org/ns/shacl#")
KGSH = Namespace("https://w3id.org/zone-kg/shapes#")
REJECTED_FILE = "rejected.jsonl"
CHECKS = ("domain", "range")
_CORE = frozenset(KG[p] for p in PROPERTIES)


# ------------------------------------------------------------------ shapes


@functools.lru_cache(maxsize=1)
def _shapes_triples() -> tuple:
    from kg.rdf.dataset import turtle_triples

    return turtle_triples(SHAPES_PATH, "shapes")


def shapes_graph() -> Graph:
    """The shapes of ``shapes.ttl`` as a fresh rdflib Graph."""
    g = Graph()
    bind_prefixes(g)
    g.bind("kgsh", KGSH)
    g.bind("sh", SH)
    for triple in _shapes_triples():
        g.add(triple)
    return g


def shape_names(shapes: Graph | None = None) -> list[str]:
    """Local names of the named node shapes, sorted.

    >>> "hostsDomain" in shape_names() and "Evidence" in shape_names()
    True
    """
    shapes = shapes if shapes is not None else shapes_graph()
    return sorted(local_name(s) for s in shapes.subjects(RDF.type, SH.NodeShape) if str(s).startswith(str(KGSH)))


@functools.lru_cache(maxsize=1)
def domain_range() -> dict[str, dict[str, tuple[str, ...]]]:
    """{"domain": {property: classes}, "range": {...}} read from the shapes that
    target the subjects (or objects) of one relation and list its classes.

    >>> domain_range()["domain"]["hosts"]
    ('Zone', 'Park')
    """
    g = shapes_graph()
    out: dict[str, dict[str, tuple[str, ...]]] = {"domain": {}, "range": {}}
    for check, target in (("domain", SH.targetSubjectsOf), ("range", SH.targetObjectsOf)):
        for shape in g.subjects(RDF.type, SH.NodeShape):
            props = list(g.objects(shape, target))
            if len(props) != 1:
                continue
            for pshape in g.objects(shape, SH.property):
                listing = g.value(pshape, SH["in"])
                if g.value(pshape, SH.path) == RDF.type and listing is not None:
                    out[check][local_name(props[0])] = tuple(local_name(c) for c in g.items(listing))
    return out


# ------------------------------------------------------- checks in the build


def misfit(
    prop: str,
    s_key: str,
    s_cls: str,
    o_key: str,
    o_cls: str,
    domain: Mapping[str, Iterable[str]] | None = None,
    range_: Mapping[str, Iterable[str]] | None = None,
) -> tuple[str, str] | None:
    """:func:`kg.records.misfit`, the domain and range defaulting to those of ``shapes.ttl``."""
    shapes = domain_range() if domain is None or range_ is None else {}
    return records_misfit(
        prop,
        s_key,
        s_cls,
        o_key,
        o_cls,
        shapes["domain"] if domain is None else domain,
        shapes["range"] if range_ is None else range_,
    )


def screen(extractions: Iterable[Extraction], entities: Mapping[str, Entity]) -> list[Extraction]:
    """Each extraction without its assertions that misfit with the entities'
    global classes; those are added to its ``rejected`` list (stage "build").

    >>> from kg.records import Assertion, Document
    >>> ents = {"甲公司": Entity("甲公司", "Company", "甲公司"), "乙公司": Entity("乙公司", "Company", "乙公司")}
    >>> a = Assertion("甲公司", "hosts", "乙公司", "d", 0, 6, "甲公司乙公司。", "demo")
    >>> ex = screen([Extraction(Document("d", "甲公司乙公司。"), [], [], [a])], ents)[0]
    >>> ex.assertions, [r.check for r in ex.rejected]
    ([], ['domain'])
    """
    out = []
    for ex in extractions:
        kept, rejected = [], list(ex.rejected)
        for a in ex.assertions:
            s, o = entities.get(a.subject), entities.get(a.object)
            bad = misfit(a.property, a.subject, s.cls if s else "?", a.object, o.cls if o else "?")
            if bad:
                rejected.append(Rejection(a, *bad, stage="build"))
            else:
                kept.append(a)
        if len(kept) == len(ex.assertions):
            out.append(ex)
            continue
        known = {e.key for e in ex.entities}  # the article still names what it rejected
        extra = {
            k: Entity(k, entities[k].cls, entities[k].label)
            for r in rejected[len(ex.rejected) :]
            for k in (r.assertion.subject, r.assertion.object)
            if k not in known and k in entities
        }
        out.append(replace(ex, entities=[*ex.entities, *extra.values()], assertions=kept, rejected=rejected))
    return out


def rejection_record(r: Rejection) -> dict:
    """One rejected assertion as a JSON-ready dict."""
    a = r.assertion
    return {
        "doc_id": a.doc_id,
        "subject": a.subject,
        "property": a.property,
        "object": a.object,
        "check": r.check,
        "stage": r.stage,
        "reason": r.reason,
        "rule": a.rule,
        "confidence": a.confidence,
        "start": a.start,
        "end": a.end,
        "evidence": a.evidence,
    }


def _order(r: Rejection) -> tuple:
    a = r.assertion
    return (a.doc_id, a.start, a.subject, a.property, a.object, a.rule, r.stage, r.check)


def rejected_jsonl(rejections: Iterable[Rejection]) -> bytes:
    """The rejections as JSON Lines, one per distinct record, in a fixed order."""
    seen, lines = set(), []
    for r in sorted(rejections, key=_order):
        line = json.dumps(rejection_record(r), ensure_ascii=False, sort_keys=True)
        if line not in seen:
            seen.add(line)
            lines.append(line + "\n")
    return "".join(lines).encode("utf-8")


def rejected_by_property(rejections: Iterable[Rejection]) -> dict[str, int]:
    """Distinct rejected triples (subject, property, object) per property, in vocabulary order."""
    triples = {(r.assertion.subject, r.assertion.property, r.assertion.object) for r in rejections}
    counts = {p: sum(1 for t in triples if t[1] == p) for p in PROPERTIES}
    return {p: n for p, n in counts.items() if n}
