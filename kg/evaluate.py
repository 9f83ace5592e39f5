"""Score graphs against gold annotations (../shared/spec/ANNOTATION.md).

The numbers agree with the reference scorer ../shared/spec/score.py (and its
folder variant score_folder.py); the logic is reimplemented here so that the
package does not depend on the spec folder.

>>> from rdflib import Graph, Literal, RDF, RDFS
>>> from kg.namespace import KG, entity_iri
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

import json
import os
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.errors import GraphError, InputError
from kg.namespace import KG, article_iri, graph_iri
from kg.records import CLASSES, PROPERTIES

#: Graph file suffixes score.py reads from a folder, and their rdflib formats.
FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads",
           ".jsonld": "json-ld", ".json": "json-ld"}


def norm(name: str) -> str:
    """NFKC with all whitespace removed: how names are compared.

    >>> norm("中数科谷（清远） 科技")
    '中数科谷(清远)科技'
    """
    return "".join(unicodedata.normalize("NFKC", str(name)).split())


def load_gold(path: str | os.PathLike) -> dict:
    """Read and check a gold file."""
    p = Path(path)
    try:
        gold = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{p}: cannot read gold file: {exc}") from None
    check_gold(gold, str(p))
    return gold


def check_gold(gold: dict, where: str = "gold") -> None:
    """InputError unless ``gold`` has entities and relations over known ids."""
    if not isinstance(gold, dict) or not isinstance(gold.get("entities"), list) \
            or not isinstance(gold.get("relations"), list):
        raise InputError(f"{where}: a gold file needs 'entities' and 'relations' lists")
    ids = {e.get("id") for e in gold["entities"]}
    for r in gold["relations"]:
        for reading in [r, *r.get("alt", [])]:
            for end in ("s", "o"):
                if reading.get(end) not in ids:
                    raise InputError(f"{where}: relation names unknown entity {reading.get(end)!r}")


def load_graph(path: str | os.PathLike) -> Dataset:
    """A graph file, or every graph file in a folder (as score.py reads it)."""
    p = Path(path)
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
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "output": n_p, "gold_required": n_r, "output_correct": tp_p, "gold_found": tp_r}


def _readings(r: dict) -> list[tuple[str, str, str]]:
    out = []
    for alt in [r, *r.get("alt", [])]:
        for p in (alt["p"] if isinstance(alt["p"], list) else [alt["p"]]):
            out.append((alt["s"], p, alt["o"]))
    return out


def evaluate(gold, graph) -> dict:
    """Score ``graph`` (KnowledgeGraph, rdflib Graph/Dataset or path) against ``gold``
    (dict or path of a gold file).  Same result as score.py's ``score``:
    ``entities``, ``relations`` (P/R/F1, counts, missed, spurious) and ``per_property``.
    """
    if not isinstance(gold, dict):
        gold = load_gold(gold)
    check_gold(gold)
    g = _as_graph(graph)
    gold_ent = {e["id"]: e for e in gold["entities"]}
    by_name = {norm(n): e["id"] for e in gold["entities"]
               for n in [e["name"], *e.get("aliases", [])]}
    ents = _output_entities(g)
    match = {iri: {by_name[l] for l in labels if l in by_name} for iri, (labels, _) in ents.items()}

    found = set().union(*match.values()) if match else set()
    required = {i for i, e in gold_ent.items() if not e.get("optional")}
    ent_tp = sum(1 for iri in ents if match[iri])
    typed_ok = sum(1 for iri, (_, types) in ents.items()
                   if any(types & set(_types(gold_ent[gid])) for gid in match[iri]))
    entities = prf(ent_tp, len(ents), len(found & required), len(required))
    entities["type_accuracy"] = round(typed_ok / ent_tp, 3) if ent_tp else 0.0
    entities["missed"] = sorted(gold_ent[i]["name"] for i in required - found)
    entities["spurious"] = sorted(min(l) if l else str(iri)
                                  for iri, (l, _) in ents.items() if not match[iri])[:200]

    gold_rel: dict[tuple[str, str, str], bool] = {}
    for r in gold["relations"]:
        for key in _readings(r):
            gold_rel[key] = gold_rel.get(key, False) or not r.get("optional")
    req_rel = [_readings(r) for r in gold["relations"] if not r.get("optional")]

    def label(x) -> str:
        return min(ents[x][0]) if x in ents and ents[x][0] else str(x).rsplit("/", 1)[-1]

    triples = sorted({(s, p, o) for p in PROPERTIES for s, o in g.subject_objects(KG[p])})
    hit_keys: set = set()
    per_prop: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # prop -> [correct, counted]
    spurious = []
    for s, p, o in triples:
        hits = {(gs, p, go) for gs in match.get(s, ()) for go in match.get(o, ())} & gold_rel.keys()
        hit_keys |= hits
        if any(gold_rel[k] for k in hits):
            per_prop[p][0] += 1
            per_prop[p][1] += 1
        elif not hits:  # a triple matching an optional relation only is not counted
            per_prop[p][1] += 1
            spurious.append(f"{label(s)} {p} {label(o)}")
    found_rel = [any(k in hit_keys for k in keys) for keys in req_rel]
    relations = prf(sum(v[0] for v in per_prop.values()), sum(v[1] for v in per_prop.values()),
                    sum(found_rel), len(req_rel))
    relations["missed"] = sorted(
        " / ".join(f"{gold_ent[s]['name']} {p} {gold_ent[o]['name']}" for s, p, o in keys)
        for keys, ok in zip(req_rel, found_rel) if not ok)
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
            if pattern.fullmatch(other) and ds.value(art, KG.line) is None \
                    and graph_iri(other) in names:
                found.append(graph_iri(other))
    return sorted(set(found))


def _subgraph(ds: Dataset, names: list[URIRef]) -> Graph:
    sub = Graph()
    for name in names:
        for s, p, o, _ in ds.quads((None, None, None, name)):
            sub.add((s, p, o))
    return sub


def evaluate_folder(gold_dir: str | os.PathLike, graph, continuations: bool = True) -> dict:
    """Score each gold file GOLD_DIR/<stem>.json against article <stem> of one build.

    Micro-averaged like score_folder.py: an article with no graph counts as all
    missed.  Returns ``micro`` (entities, relations: P/R/F1 and counts) and
    ``articles`` (stem -> evaluate() result, or None when the article is absent).
    """
    folder = Path(gold_dir)
    golds = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not golds:
        raise InputError(f"no gold files (*.json) in {folder}")
    ds = _as_graph(graph)
    if not isinstance(ds, Dataset):
        raise GraphError("evaluate_folder needs a dataset with one named graph per article")
    totals = {k: [0, 0, 0, 0] for k in ("entities", "relations")}
    articles: dict[str, dict | None] = {}
    for path in golds:
        gold = load_gold(path)
        names = article_graphs(ds, path.stem, continuations)
        res = evaluate(gold, _subgraph(ds, names)) if names else None
        for k, t in totals.items():
            if res:
                r = res[k]
                t[0] += r["output_correct"]
                t[1] += r["output"]
                t[2] += r["gold_found"]
                t[3] += r["gold_required"]
            else:
                t[3] += sum(1 for x in gold[k] if not x.get("optional"))
        articles[path.stem] = res
    return {"micro": {k: prf(*t) for k, t in totals.items()}, "articles": articles}


def _row(name: str, r: dict) -> str:
    return (f"{name:16}{r['precision']:7.3f}{r['recall']:7.3f}{r['f1']:7.3f}"
            f"{r['output']:6}{r['gold_required']:6}")


def _items(title: str, items: list[str]) -> list[str]:
    return [f"{title} ({len(items)}):", *(f"  {x}" for x in items)] if items else []


def format_report(result: dict, explain: bool = False) -> str:
    """A table of P/R/F1, overall and per property; ``explain`` adds missed and spurious.

    Takes an ``evaluate`` or an ``evaluate_folder`` result.
    """
    header = f"{'':16}{'P':>7}{'R':>7}{'F1':>7}{'out':>6}{'gold':>6}"
    if "micro" in result:
        lines = []
        for stem, r in result["articles"].items():
            lines.append(f"{stem:16}  no output" if not r else
                         f"{stem:16}  entities F1 {r['entities']['f1']:.3f}"
                         f"  relations F1 {r['relations']['f1']:.3f}")
        lines += ["", header, *(_row(f"micro {k}", v) for k, v in result["micro"].items())]
        if explain:
            for stem, r in result["articles"].items():
                if r:
                    lines += ["", f"== {stem}", _explain(r)]
        return "\n".join(lines)
    lines = [header, _row("entities", result["entities"]), _row("relations", result["relations"])]
    lines += [_row(f"  {p}", r) for p, r in result["per_property"].items()]
    lines.append(f"entity type accuracy {result['entities']['type_accuracy']:.3f}")
    if explain:
        lines += ["", _explain(result)]
    return "\n".join(lines)


def _explain(r: dict) -> str:
    lines = (_items("missed entities", r["entities"]["missed"])
             + _items("spurious entities", r["entities"]["spurious"])
             + _items("missed relations", r["relations"]["missed"])
             + _items("spurious relations", r["relations"]["spurious"]))
    return "\n".join(lines) if lines else "nothing missed, nothing spurious"
