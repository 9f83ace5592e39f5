"""Score graphs against gold annotations (../shared/spec/ANNOTATION.md).

The numbers agree with the reference scorer ../shared/spec/score.py (and its
folder variant score_folder.py); the logic is reimplemented here so that the
package does not depend on the spec folder.

>>> from rdflib import Graph, Literal, RDF, RDFS
>>> from kg.rdf.namespace import KG, entity_iri
>>> g = Graph()
>>> z = entity_iri("测试高新区")
>>> _ = g.add((z, RDF.type, KG.Zone)).add((z, RDFS.label, Literal("测试高新区", lang="zh")))
>>> gold = {"entities": [{"id": "z", "type": "Zone", "name": "测试高新区"},
...                      {"id": "c", "type": "AdminRegion", "name": "测试市"}], "relations": []}
>>> r = evaluate(gold, g)
>>> r["entities"]["precision"], r["entities"]["recall"], r["entities"]["missed"]
(1.0, 0.5, ['测试市'])
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.errors import GraphError, InputError
from kg.evaluation.gold import check_gold, load_gold, norm  # noqa: F401  (part of the interface)
from kg.rdf.namespace import KG, article_iri, graph_iri, local_name
from kg.records import CLASSES, PROPERTIES

#: Graph file suffixes score.py reads from a folder, and their rdflib formats.
FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld", ".json": "json-ld"}


def load_graph(path: str | os.PathLike) -> Dataset:
    """A graph file, or every graph file in a folder (as score.py reads it); a build folder with an
    on-disk store is read from the store."""
    p = Path(path)
    from kg.storage.store import is_store

    if p.is_dir() and is_store(p):
        from kg.graph.knowledge import KnowledgeGraph

        graph = KnowledgeGraph.load(p)
        ds = Dataset(default_union=True)
        for quad in graph.dataset.quads((None, None, None, None)):
            ds.addN([quad]) if quad[3] is not None else ds.add(quad[:3])
        graph.close()
        return ds
    files = [p] if p.is_file() else sorted(f for f in p.rglob("*") if f.suffix in FORMATS)
    if not files:
        raise GraphError(f"no graph in {p}: run `kg build` first")
    ds = Dataset(default_union=True)
    for f in files:
        try:
            ds.parse(f, format=FORMATS.get(f.suffix, "turtle"))
        except Exception as exc:  # rdflib raises several parser exception types
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise GraphError(f"{f}: unreadable graph: {first}") from exc
    return ds


def _as_graph(graph) -> Graph:
    if isinstance(graph, Graph):
        return graph
    dataset = getattr(graph, "dataset", None)  # a KnowledgeGraph
    if isinstance(dataset, Graph):
        return dataset
    if isinstance(graph, (str, os.PathLike)):
        return load_graph(graph)
    raise GraphError(f"cannot score a {type(graph).__name__}: give a graph, dataset or path")


def _types(entity: dict) -> list[str]:
    t = entity["type"]
    return t if isinstance(t, list) else [t]


def _output_entities(g: Graph) -> dict:
    """entity IRI -> (normalised labels, core class names)"""
    out: dict = {}
    for cls in CLASSES:
        for s in g.subjects(RDF.type, KG[cls]):
            out.setdefault(s, (set(), set()))[1].add(cls)
    for s, (labels, _) in out.items():
        for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
            labels.update(norm(o) for o in g.objects(s, p))
    return out


def prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> dict:
    """Precision, recall and F1 (rounded to 3 places) with the counts behind them."""
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_r if n_r else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f, 3),
        "output": n_p,
        "gold_required": n_r,
        "output_correct": tp_p,
        "gold_found": tp_r,
    }


def _readings(r: dict) -> list[tuple[str, str, str]]:
    out = []
    for alt in [r, *r.get("alt", [])]:
        for p in alt["p"] if isinstance(alt["p"], list) else [alt["p"]]:
            out.append((alt["s"], p, alt["o"]))
    return out


def confidences(graph) -> dict[tuple[URIRef, str, URIRef], float]:
    """Best confidence of each extracted core triple: (s, property local name, o) ->
    the highest ``kg:confidence`` of the ``kg:Assertion`` nodes that state it
    (kg/queries/confidence.rq).  A triple with no provenance node is absent.
    """
    from kg.storage.store import run_query_file

    g = _as_graph(graph)
    found = {}
    for row in run_query_file(g, "confidence"):
        prop = local_name(row.p)
        if prop not in PROPERTIES or row.p != KG[prop]:
            continue
        try:
            found[(row.s, prop, row.o)] = float(row.confidence)
        except (TypeError, ValueError):
            raise GraphError(f"confidence {row.confidence!r} of {row.s} {prop} {row.o} is not a number") from None
    return found


def _gold(gold) -> dict:
    if not isinstance(gold, dict):
        gold = load_gold(gold)
    check_gold(gold)
    return gold


def _triples(g: Graph, conf: dict | None = None, min_confidence: float = 0.0) -> list:
    """Distinct core triples (s, property, o), sorted, keeping those whose best
    confidence is at least ``min_confidence``; a triple without provenance is kept."""
    found = {(s, p, o) for p in PROPERTIES for s, o in g.subject_objects(KG[p])}
    if min_confidence > 0:
        found = {t for t in found if (conf or {}).get(t, 1.0) >= min_confidence}
    return sorted(found)


def _match(gold: dict, g: Graph):
    """gold entities by id, output entities (IRI -> (labels, classes)) and the gold
    ids each output entity matches (by any of its labels)."""
    gold_ent = {e["id"]: e for e in gold["entities"]}
    by_name = {norm(n): e["id"] for e in gold["entities"] for n in [e["name"], *e.get("aliases", [])]}
    ents = _output_entities(g)
    match = {iri: {by_name[n] for n in labels if n in by_name} for iri, (labels, _) in ents.items()}
    return gold_ent, ents, match


def _gold_relations(gold: dict):
    """(reading -> required?) over every reading, and the readings of each required relation."""
    gold_rel: dict[tuple[str, str, str], bool] = {}
    for r in gold["relations"]:
        for key in _readings(r):
            gold_rel[key] = gold_rel.get(key, False) or not r.get("optional")
    return gold_rel, [_readings(r) for r in gold["relations"] if not r.get("optional")]


def evaluate(gold, graph, *, min_confidence: float = 0.0) -> dict:
    """Score ``graph`` (KnowledgeGraph, rdflib Graph/Dataset or path) against ``gold``
    (dict or path of a gold file).  Same result as score.py's ``score``:
    ``entities``, ``relations`` (P/R/F1, counts, missed, spurious) and ``per_property``.

    With ``min_confidence`` only the triples whose best supporting assertion
    has at least that confidence count (see ``confidences``), as if the graph
    had been built with ``kg.build(..., min_confidence=...)``; entities are
    not affected.
    """
    min_confidence = _threshold(min_confidence)
    g = _as_graph(graph)
    conf = confidences(g) if min_confidence > 0 else None
    return _score(_gold(gold), g, conf, min_confidence)


def _threshold(value, name: str = "min_confidence") -> float:
    from kg.pipeline.run import check_confidence

    return check_confidence(value, name)


def _score(gold: dict, g: Graph, conf: dict | None = None, min_confidence: float = 0.0) -> dict:
    gold_ent, ents, match = _match(gold, g)
    found = set().union(*match.values()) if match else set()
    required = {i for i, e in gold_ent.items() if not e.get("optional")}
    ent_tp = sum(1 for iri in ents if match[iri])
    typed_ok = sum(
        1 for iri, (_, types) in ents.items() if any(types & set(_types(gold_ent[gid])) for gid in match[iri])
    )
    entities = prf(ent_tp, len(ents), len(found & required), len(required))
    entities["type_accuracy"] = round(typed_ok / ent_tp, 3) if ent_tp else 0.0
    entities["missed"] = sorted(gold_ent[i]["name"] for i in required - found)
    entities["spurious"] = sorted(
        min(names) if names else str(iri) for iri, (names, _) in ents.items() if not match[iri]
    )[:200]

    gold_rel, req_rel = _gold_relations(gold)

    def label(x) -> str:
        return min(ents[x][0]) if x in ents and ents[x][0] else str(x).rsplit("/", 1)[-1]

    hit_keys: set = set()
    per_prop: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # prop -> [correct, counted]
    spurious = []
    for s, p, o in _triples(g, conf, min_confidence):
        hits = {(gs, p, go) for gs in match.get(s, ()) for go in match.get(o, ())} & gold_rel.keys()
        hit_keys |= hits
        if any(gold_rel[k] for k in hits):
            per_prop[p][0] += 1
            per_prop[p][1] += 1
        elif not hits:  # a triple matching an optional relation only is not counted
            per_prop[p][1] += 1
            spurious.append(f"{label(s)} {p} {label(o)}")
    found_rel = [any(k in hit_keys for k in keys) for keys in req_rel]
    relations = prf(
        sum(v[0] for v in per_prop.values()), sum(v[1] for v in per_prop.values()), sum(found_rel), len(req_rel)
    )
    relations["missed"] = sorted(
        " / ".join(f"{gold_ent[s]['name']} {p} {gold_ent[o]['name']}" for s, p, o in keys)
        for keys, ok in zip(req_rel, found_rel)
        if not ok
    )
    relations["spurious"] = sorted(spurious)[:300]
    per_property = {}
    for p in PROPERTIES:
        req = [ok for keys, ok in zip(req_rel, found_rel) if keys[0][1] == p]
        tp, n = per_prop.get(p, [0, 0])
        per_property[p] = prf(tp, n, sum(req), len(req))
    return {"entities": entities, "relations": relations, "per_property": per_property}


def article_graphs(ds: Graph, doc_id: str, continuations: bool = True) -> list[URIRef]:
    """Names of the graphs that hold article ``doc_id``, sorted.

    With ``continuations`` also the further articles of the same page
    (``doc_id-2``, ``doc_id-3``... read from the same source file, not from
    JSON Lines), since a gold file annotates a whole input file.
    """
    names = {g.identifier for g in ds.graphs()} if isinstance(ds, Dataset) else set()
    first = graph_iri(doc_id)
    if first not in names:
        return []
    found = [first]
    source = ds.value(article_iri(doc_id), KG.sourceFile)
    if continuations and source is not None:
        pattern = re.compile(re.escape(doc_id) + r"-\d+")
        for art in ds.subjects(KG.sourceFile, source):
            other = str(ds.value(art, DCTERMS.identifier) or "")
            if pattern.fullmatch(other) and ds.value(art, KG.line) is None and graph_iri(other) in names:
                found.append(graph_iri(other))
    return sorted(set(found))


def _subgraph(ds: Dataset, names: list[URIRef]) -> Graph:
    sub = Graph()
    for name in names:
        for s, p, o, _ in ds.quads((None, None, None, name)):
            sub.add((s, p, o))
    return sub


def _is_folder(gold) -> bool:
    return isinstance(gold, (str, os.PathLike)) and Path(gold).is_dir()


def _articles(gold_dir, graph, continuations: bool = True) -> list[tuple[str, dict, Graph | None]]:
    """(stem, gold, graph of article <stem> or None when absent) for each GOLD_DIR/<stem>.json."""
    folder = Path(gold_dir)
    golds = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not golds:
        raise InputError(f"no gold files (*.json) in {folder}")
    ds = _as_graph(graph)
    if not isinstance(ds, Dataset):
        raise GraphError("evaluate_folder needs a dataset with one named graph per article")
    out = []
    for path in golds:
        gold = load_gold(path)
        names = article_graphs(ds, path.stem, continuations)
        out.append((path.stem, gold, _subgraph(ds, names) if names else None))
    return out


def _micro(scored: Iterable[tuple[dict, dict | None]], kinds: tuple[str, ...] = ("entities", "relations")) -> dict:
    """P/R/F1 over (gold, evaluate result or None) pairs, counts summed as score_folder.py
    does: an article without a result counts as all missed."""
    totals = {k: [0, 0, 0, 0] for k in kinds}
    for gold, res in scored:
        for k, t in totals.items():
            if res:
                r = res[k]
                t[0] += r["output_correct"]
                t[1] += r["output"]
                t[2] += r["gold_found"]
                t[3] += r["gold_required"]
            else:
                t[3] += sum(1 for x in gold[k] if not x.get("optional"))
    return {k: prf(*t) for k, t in totals.items()}


def evaluate_folder(
    gold_dir: str | os.PathLike, graph, continuations: bool = True, *, min_confidence: float = 0.0
) -> dict:
    """Score each gold file GOLD_DIR/<stem>.json against article <stem> of one build.

    Micro-averaged like score_folder.py: an article with no graph counts as all
    missed.  Returns ``micro`` (entities, relations: P/R/F1 and counts) and
    ``articles`` (stem -> evaluate() result, or None when the article is absent).
    ``min_confidence`` is as for ``evaluate``, applied to each article's triples.
    """
    min_confidence = _threshold(min_confidence)
    articles: dict[str, dict | None] = {}
    scored = []
    for stem, gold, g in _articles(gold_dir, graph, continuations):
        res = None
        if g is not None:
            res = _score(gold, g, confidences(g) if min_confidence > 0 else None, min_confidence)
        articles[stem] = res
        scored.append((gold, res))
    return {"micro": _micro(scored), "articles": articles}


# ------------------------------------------------------------ confidence curve


def curve(gold, graph, thresholds: Iterable[float] | None = None) -> dict:
    """Relation precision, recall and F1 as the minimum confidence rises.

    At each threshold ``t`` only the triples whose best supporting assertion
    has a confidence of at least ``t`` are scored (``evaluate(...,
    min_confidence=t)``), which is what a graph built with ``kg.build(...,
    min_confidence=t)`` scores; entities do not depend on ``t``.  The
    thresholds default to 0 and every distinct confidence in the graph, the
    points where the figures can change.

    ``gold`` is a gold dict or file (scored against the whole graph) or a
    folder of gold files (each scored against its article, micro-averaged as
    ``evaluate_folder`` does).  Returns ``{"points": [{"min_confidence": t,
    "relations": {precision, recall, f1, output, gold_required, ...}}, ...]}``.
    """
    return _curve(gold, _as_graph(graph), thresholds)


def _curve(gold, g: Graph, thresholds: Iterable[float] | None) -> dict:
    if _is_folder(gold):
        items = [(gd, sub) for _, gd, sub in _articles(gold, g)]
    else:
        items = [(_gold(gold), g)]
    items = [(gd, sub, confidences(sub) if sub is not None else {}) for gd, sub in items]
    if thresholds is None:
        levels = sorted({0.0, *(c for _, _, conf in items for c in conf.values())})
    else:
        levels = sorted({_threshold(t, "threshold") for t in thresholds})
    points = []
    for t in levels:
        scored = [(gd, None if sub is None else _score(gd, sub, conf, t)) for gd, sub, conf in items]
        points.append({"min_confidence": t, "relations": _micro(scored, ("relations",))["relations"]})
    return {"points": points}
