"""Errors of a graph against gold annotations, grouped by cause (``kg evaluate --explain``).

The groups use the matching of :mod:`kg.evaluation.evaluate` (the reference scorer's
rules), so what is listed here is exactly what costs precision or recall
there, plus names the graph shows differently from the annotators.

>>> from rdflib import Graph, Literal, RDF, RDFS
>>> from kg.rdf.namespace import KG, entity_iri
>>> g = Graph()
>>> z = entity_iri("测试高新区")
>>> _ = g.add((z, RDF.type, KG.Zone)).add((z, RDFS.label, Literal("测试高新区", lang="zh")))
>>> gold = {"entities": [{"id": "c", "type": "AdminRegion", "name": "测试市"}], "relations": []}
>>> [(grp["cause"], grp["items"]) for grp in explain(gold, g)]
[('missed_entity', ['测试市 (AdminRegion)']), ('spurious_entity', ['测试高新区 (Zone)'])]
"""

from __future__ import annotations

from rdflib import RDFS, Graph

from kg.evaluation.evaluate import (
    _articles,
    _as_graph,
    _gold,
    _gold_relations,
    _is_folder,
    _match,
    _triples,
    _types,
    norm,
)

#: The causes ``explain`` sorts errors into (key -> title), in the order ties are listed.
CAUSES = {
    "missed_entity": "missed entity",
    "wrong_class": "wrong class (entity found, its class is not the gold type)",
    "wrong_name": "wrong canonical name (entity found, its rdfs:label is not the gold name)",
    "missed_relation_entity": "missed relation, an entity missed",
    "wrong_direction": "wrong direction (the reversed triple is in gold)",
    "spurious_relation": "spurious relation",
    "spurious_entity": "spurious entity",
    "missed_relation": "missed relation, both entities found",
}


def explain(gold, graph) -> list[dict]:
    """What is wrong in ``graph`` against ``gold``, grouped by cause, largest group first.

    Each group is ``{"cause": key of CAUSES, "title": ..., "count": n,
    "items": [...]}``; empty groups are left out.  The causes:

    * ``missed_entity``: a required gold entity no output entity matches;
    * ``spurious_entity``: an output entity that matches no gold entity;
    * ``wrong_class``: an output entity that matches a gold entity but has
      none of its gold types (what lowers the type accuracy);
    * ``wrong_name``: an output entity that matches a gold entity, but whose
      canonical name (``rdfs:label``) is not that entity's gold ``name``: it
      was matched through a gold alias or through one of our ``skos:altLabel``
      only.  It costs no precision or recall, but the graph shows the entity
      under another name than the annotators chose;
    * ``wrong_direction``: an output triple that matches no gold relation but
      whose reverse (same property, subject and object swapped) does.  It
      costs precision, and recall when the gold relation is not found
      otherwise; that gold relation is then not listed again as missed;
    * ``spurious_relation``: any other output triple that matches no gold
      relation (triples matching only an optional relation are not errors);
    * ``missed_relation_entity``: a required gold relation not found, whose
      subject or object (in every reading) no output entity matches;
    * ``missed_relation``: a required gold relation not found although both
      of its entities were found.

    So the spurious relations of ``evaluate`` are ``wrong_direction`` plus
    ``spurious_relation``, and its missed relations are the two ``missed_relation``
    groups plus the gold relations reversed by a ``wrong_direction`` item.
    ``gold`` is a gold dict or file, or a folder of gold files (each scored
    against its article; items then start with the article, ``d01: ...``).
    """
    return causes_of(gold, _as_graph(graph))


def causes_of(gold, g: Graph) -> list[dict]:
    """``explain`` for a graph already read."""
    if _is_folder(gold):
        parts = [
            (f"{stem}: ", _causes(gd, sub if sub is not None else Graph())) for stem, gd, sub in _articles(gold, g)
        ]
    else:
        parts = [("", _causes(_gold(gold), g))]
    order = list(CAUSES)
    groups = []
    for cause in order:
        items = [f"{prefix}{item}" for prefix, causes in parts for item in causes[cause]]
        if items:
            groups.append({"cause": cause, "title": CAUSES[cause], "count": len(items), "items": items})
    return sorted(groups, key=lambda grp: (-grp["count"], order.index(grp["cause"])))


def _causes(gold: dict, g: Graph) -> dict[str, list[str]]:
    """cause -> sorted items, for one gold file and one graph (see ``explain``)."""
    gold_ent, ents, match = _match(gold, g)
    out: dict[str, list[str]] = {c: [] for c in CAUSES}
    found = set().union(*match.values()) if match else set()
    canonical = {iri: sorted(str(x) for x in g.objects(iri, RDFS.label)) for iri in ents}

    def show(iri) -> str:
        if canonical.get(iri):
            return canonical[iri][0]
        return min(ents[iri][0]) if iri in ents and ents[iri][0] else str(iri).rsplit("/", 1)[-1]

    def name(gid: str) -> str:
        return gold_ent[gid]["name"]

    def reading(key: tuple[str, str, str]) -> str:
        return f"{name(key[0])} {key[1]} {name(key[2])}"

    for gid in gold_ent:
        if gid not in found and not gold_ent[gid].get("optional"):
            out["missed_entity"].append(f"{name(gid)} ({'/'.join(_types(gold_ent[gid]))})")
    for iri, (_, classes) in ents.items():
        gids = sorted(match[iri])
        if not gids:
            out["spurious_entity"].append(f"{show(iri)} ({'/'.join(sorted(classes))})")
            continue
        gold_types = sorted({t for gid in gids for t in _types(gold_ent[gid])})
        if not classes & set(gold_types):
            out["wrong_class"].append(f"{show(iri)}: {'/'.join(sorted(classes))} (gold {'/'.join(gold_types)})")
        if not {norm(x) for x in canonical[iri]} & {norm(name(gid)) for gid in gids}:
            out["wrong_name"].append(f"{show(iri)} (gold name {' / '.join(name(gid) for gid in gids)})")

    gold_rel, req_rel = _gold_relations(gold)
    hit_keys: set = set()
    reversed_keys: set = set()
    for s, p, o in _triples(g):
        pairs = [(gs, go) for gs in match.get(s, ()) for go in match.get(o, ())]
        hits = {(gs, p, go) for gs, go in pairs} & gold_rel.keys()
        hit_keys |= hits
        if hits:
            continue
        reverse = sorted({(go, p, gs) for gs, go in pairs} & gold_rel.keys())
        if reverse:
            reversed_keys.update(reverse)
            out["wrong_direction"].append(f"{show(s)} {p} {show(o)} (gold: {' / '.join(map(reading, reverse))})")
        else:
            out["spurious_relation"].append(f"{show(s)} {p} {show(o)}")
    for keys in req_rel:
        if any(k in hit_keys or k in reversed_keys for k in keys):
            continue
        text = " / ".join(map(reading, keys))
        if all(s not in found or o not in found for s, _, o in keys):
            lost = sorted({name(x) for s, _, o in keys for x in (s, o) if x not in found})
            out["missed_relation_entity"].append(f"{text} (not found: {', '.join(lost)})")
        else:
            out["missed_relation"].append(text)
    return {c: sorted(items) for c, items in out.items()}


def format_explanation(groups: list[dict]) -> str:
    """``explain``'s groups as text: each title with its count, then its items.

    >>> print(format_explanation([{"cause": "spurious_entity", "title": "spurious entity",
    ...                            "count": 1, "items": ["本土企业 (Company)"]}]))
    spurious entity: 1
      本土企业 (Company)
    """
    if not groups:
        return "nothing to explain: nothing missed, nothing spurious, nothing misnamed"
    lines = []
    for grp in groups:
        lines += [f"{grp['title']}: {grp['count']}", *(f"  {x}" for x in grp["items"])]
    return "\n".join(lines)
