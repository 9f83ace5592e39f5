"""What a well-formed graph is (``shapes.ttl``), checked twice.

During the build, :func:`screen` checks every assertion against the domain
and range shapes with the classes the entities finally get, and keeps what
does not fit out of the graph as a :class:`kg.records.Rejection` with its
reason (written to ``DIR/rejected.jsonl``, counted in the summary).  The
relation stage does the same with the classes of the mentions
(``stage="extract"``).  After the build, :func:`validate` runs pySHACL with
every shape over the graph and returns the violations, each with the
offending triple and the sentence that states it.

>>> misfit("hosts", "星河公司", "Company", "青禾公司", "Company")
('domain', '星河公司 is a Company; the subject of hosts must be one of: Zone, Park')
>>> misfit("hosts", "云溪高新区", "Zone", "青禾公司", "Company") is None
True
"""
from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, Namespace, URIRef

from kg.errors import GraphError
from kg.rdf.namespace import KG, ONTOLOGY_GRAPH, PREFIXES, bind_prefixes, local_name
from kg.records import PROPERTIES, Entity, Extraction, Rejection

SHAPES_PATH = Path(__file__).with_name("shapes.ttl")
SH = Namespace("http://www.w3.org/ns/shacl#")
KGSH = Namespace("https://w3id.org/zone-kg/shapes#")
REJECTED_FILE = "rejected.jsonl"
CHECKS = ("domain", "range")
_EVIDENCE_SHOWN = 1     # evidence sentences printed under each offending triple
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
    return sorted(local_name(s) for s in shapes.subjects(RDF.type, SH.NodeShape)
                  if str(s).startswith(str(KGSH)))


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

def misfit(prop: str, s_key: str, s_cls: str, o_key: str, o_cls: str,
           domain: Mapping[str, Iterable[str]] | None = None,
           range_: Mapping[str, Iterable[str]] | None = None) -> tuple[str, str] | None:
    """``(check, reason)`` when the subject or object class does not fit ``prop``,
    None when both do.  Domain and range default to those of ``shapes.ttl``."""
    shapes = domain_range() if domain is None or range_ is None else {}
    domain = shapes["domain"] if domain is None else domain
    range_ = shapes["range"] if range_ is None else range_
    for check, key, cls, allowed in (("domain", s_key, s_cls, domain.get(prop)),
                                     ("range", o_key, o_cls, range_.get(prop))):
        if allowed is not None and cls not in allowed:
            side = "subject" if check == "domain" else "object"
            return check, f"{key} is a {cls}; the {side} of {prop} must be one of: {', '.join(allowed)}"
    return None


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
        known = {e.key for e in ex.entities}    # the article still names what it rejected
        extra = {k: Entity(k, entities[k].cls, entities[k].label) for r in rejected[len(ex.rejected):]
                 for k in (r.assertion.subject, r.assertion.object) if k not in known and k in entities}
        out.append(replace(ex, entities=[*ex.entities, *extra.values()], assertions=kept, rejected=rejected))
    return out


def rejection_record(r: Rejection) -> dict:
    """One rejected assertion as a JSON-ready dict."""
    a = r.assertion
    return {"doc_id": a.doc_id, "subject": a.subject, "property": a.property, "object": a.object,
            "check": r.check, "stage": r.stage, "reason": r.reason, "rule": a.rule,
            "confidence": a.confidence, "start": a.start, "end": a.end, "evidence": a.evidence}


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


# ------------------------------------------------------------- SHACL report

@dataclass(frozen=True)
class Violation:
    """One SHACL result, with the triples it is about and the sentences that state them."""
    shape: str              # local name of the node shape, "hostsDomain"
    message: str
    focus: str              # label (or short IRI) of the focus node
    found: str              # what the focus has on the result path: "rdf:type kg:Company", "rdfs:label missing"
    triples: tuple[tuple[str, str, str, tuple[str, ...]], ...] = ()
    # (subject, property, object, "doc id: sentence" that state it) of each offending core triple
    evidence: tuple[str, ...] = ()      # the focus's own evidence (an assertion or observation)


def data_graph(dataset: Dataset) -> Graph:
    """Every triple of ``dataset`` but the ontology's, as one graph."""
    g = Graph()
    bind_prefixes(g)
    for s, p, o, c in dataset.quads((None, None, None, None)):
        name = getattr(c, "identifier", c)
        if name != ONTOLOGY_GRAPH:
            g.add((s, p, o))
    return g


def _short(term) -> str:
    if isinstance(term, Literal) or term is None:
        return "" if term is None else str(term)
    text = str(term)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda pn: -len(str(pn[1]))):
        if text.startswith(str(ns)):
            return f"{prefix}:{text[len(str(ns)):]}"
    return text


def _name(g: Graph, node) -> str:
    if isinstance(node, Literal):
        return node.n3()                # with its language or datatype: "溧阳高新区"@zh
    label = min((str(x) for x in g.objects(node, RDFS.label)), default="") if isinstance(node, URIRef) else ""
    return label or _short(node)


def _owner(shapes: Graph, source) -> URIRef | None:
    if isinstance(source, URIRef):
        return source
    return next(iter(sorted(shapes.subjects(SH.property, source))), None)


def _triples(g: Graph, shapes: Graph, owner, focus, path, value) -> list[tuple]:
    if owner is not None:
        subj_of, obj_of = list(shapes.objects(owner, SH.targetSubjectsOf)), list(shapes.objects(owner, SH.targetObjectsOf))
        if len(subj_of) == 1 and not obj_of and path == RDF.type:
            return sorted((focus, subj_of[0], o) for o in g.objects(focus, subj_of[0]))
        if len(obj_of) == 1 and not subj_of and path == RDF.type:
            return sorted((s, obj_of[0], focus) for s in g.subjects(obj_of[0], focus))
    if path in _CORE and value is not None:
        return [(focus, path, value)]
    return []


def _sentences(g: Graph, s, p, o) -> tuple[str, ...]:
    from kg.graph.knowledge import run_query_file
    rows = run_query_file(g, "evidence", s=s, p=p, o=o)
    return tuple(sorted({f"{row.docId if row.docId is not None else _short(row.article)}: {row.sentence}"
                         for row in rows}))


def _found(g: Graph, focus, path, value) -> str:
    if path is None:
        return ""
    if value is None:           # a count or hasValue failure: say what is there
        values = sorted(_name(g, v) for v in g.objects(focus, path)) if not isinstance(path, BNode) else []
        return f"{_short(path)} {', '.join(values) if values else 'missing'}"
    return f"{_short(path)} {_name(g, value)}"


def validate(graph) -> list[Violation]:
    """Check a graph (a KnowledgeGraph or an rdflib Dataset) against ``shapes.ttl``.

    Returns the violations in a fixed order (shape, focus, found, triples);
    an empty list means the graph conforms.
    """
    from pyshacl import validate as shacl

    dataset = getattr(graph, "dataset", graph)
    data, shapes = data_graph(dataset), shapes_graph()
    conforms, results, text = shacl(data, shacl_graph=shapes, inference="none")
    if not isinstance(results, Graph):
        raise GraphError(f"SHACL validation failed: {text.strip().splitlines()[-1]}")
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus, path, value = (results.value(r, SH[k]) for k in ("focusNode", "resultPath", "value"))
        owner = _owner(shapes, results.value(r, SH.sourceShape))
        triples = _triples(data, shapes, owner, focus, path, value)
        out.append(Violation(
            shape=local_name(owner) if owner is not None else "?",
            message=str(results.value(r, SH.resultMessage) or ""),
            focus=_name(data, focus), found=_found(data, focus, path, value),
            triples=tuple((_name(data, s), local_name(p), _name(data, o), _sentences(data, s, p, o))
                          for s, p, o in triples),
            evidence=tuple(sorted(f"{_short(focus)}: {e}" for e in data.objects(focus, KG.evidence)))))
    return sorted(set(out), key=lambda v: (v.shape, v.focus, v.found, v.triples))


def format_violations(violations: list[Violation]) -> str:
    """Violations grouped by shape, each with its triple and evidence; a line when none."""
    total = len(shape_names())
    if not violations:
        return f"The graph conforms to shapes.ttl: no violations of its {total} shapes."
    groups: dict[str, list[Violation]] = {}
    for v in violations:
        groups.setdefault(v.shape, []).append(v)
    lines = [f"{len(violations)} violation{'s' if len(violations) != 1 else ''} of "
             f"{len(groups)} shape{'s' if len(groups) != 1 else ''} (of {total} in shapes.ttl)"]
    for shape in sorted(groups, key=lambda s: (-len(groups[s]), s)):
        vs = groups[shape]
        lines += ["", f"kgsh:{shape} ({len(vs)}): {vs[0].message}"]
        for v in vs:
            for s, p, o, sentences in v.triples:
                about = "" if v.found.startswith(f"kg:{p} ") else f"  ({v.focus}: {v.found})"
                lines.append(f"  {s} {p} {o}{about}")
                lines += _shown(sentences)
            if not v.triples:
                lines.append(f"  {v.focus}: {v.found}" if v.found else f"  {v.focus}")
                lines += _shown(v.evidence)
    return "\n".join(lines)


def _shown(sentences: tuple[str, ...]) -> list[str]:
    out = [f"    {e}" for e in sentences[:_EVIDENCE_SHOWN]]
    if len(sentences) > _EVIDENCE_SHOWN:
        out.append(f"    ... and {len(sentences) - _EVIDENCE_SHOWN} more sentences")
    return out
