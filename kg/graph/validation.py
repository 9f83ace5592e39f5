"""After the build: a graph checked against every shape of ``shapes.ttl`` with pySHACL (``kg validate``).

:func:`validate` returns the violations, each with the offending triple and
the sentences that state it; :func:`format_violations` prints them.  (During
the build, :mod:`kg.rdf.validate` keeps what does not fit out of the graph.)
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef

from kg.errors import GraphError
from kg.rdf.namespace import KG, ONTOLOGY_GRAPH, PREFIXES, bind_prefixes, local_name
from kg.rdf.validate import _CORE, SH, shape_names, shapes_graph
from kg.storage.store import run_query_file

_EVIDENCE_SHOWN = 1  # evidence sentences printed under each offending triple


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with the triples it is about and the sentences that state them."""

    shape: str  # local name of the node shape, "hostsDomain"
    message: str
    focus: str  # label (or short IRI) of the focus node
    found: str  # what the focus has on the result path: "rdf:type kg:Company", "rdfs:label missing"
    triples: tuple[tuple[str, str, str, tuple[str, ...]], ...] = ()
    # (subject, property, object, "doc id: sentence" that state it) of each offending core triple
    evidence: tuple[str, ...] = ()  # the focus's own evidence (an assertion or observation)


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
            return f"{prefix}:{text[len(str(ns)) :]}"
    return text


def _name(g: Graph, node) -> str:
    if isinstance(node, Literal):
        return node.n3()  # with its language or datatype: "溧阳高新区"@zh
    label = min((str(x) for x in g.objects(node, RDFS.label)), default="") if isinstance(node, URIRef) else ""
    return label or _short(node)


def _owner(shapes: Graph, source) -> URIRef | None:
    if isinstance(source, URIRef):
        return source
    return next(iter(sorted(shapes.subjects(SH.property, source))), None)


def _triples(g: Graph, shapes: Graph, owner, focus, path, value) -> list[tuple]:
    if owner is not None:
        subj_of, obj_of = (
            list(shapes.objects(owner, SH.targetSubjectsOf)),
            list(shapes.objects(owner, SH.targetObjectsOf)),
        )
        if len(subj_of) == 1 and not obj_of and path == RDF.type:
            return sorted((focus, subj_of[0], o) for o in g.objects(focus, subj_of[0]))
        if len(obj_of) == 1 and not subj_of and path == RDF.type:
            return sorted((s, obj_of[0], focus) for s in g.subjects(obj_of[0], focus))
    if path in _CORE and value is not None:
        return [(focus, path, value)]
    return []


def _sentences(g: Graph, s, p, o) -> tuple[str, ...]:
    rows = run_query_file(g, "evidence", s=s, p=p, o=o)
    return tuple(
        sorted({f"{row.docId if row.docId is not None else _short(row.article)}: {row.sentence}" for row in rows})
    )


def _found(g: Graph, focus, path, value) -> str:
    if path is None:
        return ""
    if value is None:  # a count or hasValue failure: say what is there
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
        out.append(
            Violation(
                shape=local_name(owner) if owner is not None else "?",
                message=str(results.value(r, SH.resultMessage) or ""),
                focus=_name(data, focus),
                found=_found(data, focus, path, value),
                triples=tuple(
                    (_name(data, s), local_name(p), _name(data, o), _sentences(data, s, p, o)) for s, p, o in triples
                ),
                evidence=tuple(sorted(f"{_short(focus)}: {e}" for e in data.objects(focus, KG.evidence))),
            )
        )
    return sorted(set(out), key=lambda v: (v.shape, v.focus, v.found, v.triples))


def format_violations(violations: list[Violation]) -> str:
    """Violations grouped by shape, each with its triple and evidence; a line when none."""
    total = len(shape_names())
    if not violations:
        return f"The graph conforms to shapes.ttl: no violations of its {total} shapes."
    groups: dict[str, list[Violation]] = {}
    for v in violations:
        groups.setdefault(v.shape, []).append(v)
    lines = [
        f"{len(violations)} violation{'s' if len(violations) != 1 else ''} of "
        f"{len(groups)} shape{'s' if len(groups) != 1 else ''} (of {total} in shapes.ttl)"
    ]
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
