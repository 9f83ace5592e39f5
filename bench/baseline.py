"""The naive baseline: jieba part-of-speech tags plus same-sentence co-occurrence.

This is the common "jieba + pyvis" recipe, implemented as such a tutorial
would, and neither tuned on gold nor handicapped:

* **Entities.** Each sentence is segmented with jieba's part-of-speech tagger
  (a private ``jieba.Tokenizer()``, default dictionary, HMM on, as
  ``jieba.posseg.cut`` does).  Words of two characters or more tagged
  ``nr`` are persons, ``ns`` places, ``nt`` organisations.  Within an article
  one name is one entity (its class by majority of its tags).
* **Classes.** A deliberately tiny mapping onto VOCABULARY.md: ``nr`` →
  Person, ``ns`` → AdminRegion, ``nt`` → Company unless the name ends with an
  obvious suffix (高新区/开发区 → Zone, 园 → Park, 研究院/研究所 →
  ResearchInstitute, 大学/学院 → University, 局/委/政府 → GovernmentBody).
  Nothing else: no lexicon, no reference lists, no name extension.
* **Relations.** Every pair of entities in one sentence is a co-occurrence
  edge.  To be scoreable, an edge gets the one core property its two classes
  allow (``PAIR_PROPERTY``): Zone/Park hosts an organisation (a Zone also
  hosts a Park), an organisation/Zone/Park is locatedIn an AdminRegion, a
  Person worksFor an organisation or Zone; any other pair is skipped.

Output: one TriG file per article (``<doc id>.trig``) holding the article's
named graph with the project's IRIs (``kg:`` classes and properties, entities
``kgr:e/<hash of the name>``), each entity with ``rdf:type`` and
``rdfs:label "…"@zh`` — what ../shared/spec/score.py reads.  Articles come
from the same reader and sentence splitter as the real pipeline.

usage: python bench/baseline.py PATHS... -o DIR
"""

from __future__ import annotations

import argparse
import functools
import itertools
import logging
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Literal

# Part-of-speech tag -> coarse kind, as in the recipe.
TAG_KIND = {"nr": "person", "ns": "place", "nt": "org"}

# nt names ending in an obvious class suffix (checked in this order); others are companies.
ORG_SUFFIXES = (
    (("高新区", "开发区"), "Zone"),
    (("园",), "Park"),
    (("研究院", "研究所"), "ResearchInstitute"),
    (("大学", "学院"), "University"),
    (("局", "委", "政府"), "GovernmentBody"),
)

ORGS = {"Company", "ResearchInstitute", "University", "GovernmentBody"}
AREAS = {"Zone", "Park"}


def pair_property(a: str, b: str) -> tuple[str, bool] | None:
    """The core property linking classes ``a`` and ``b``, and whether it runs b → a.

    >>> pair_property("Zone", "Company"), pair_property("Company", "Zone")
    (('hosts', False), ('hosts', True))
    >>> pair_property("Person", "Person") is None
    True
    """
    for x, y, flipped in ((a, b, False), (b, a, True)):
        if x in AREAS and (y in ORGS or (x, y) == ("Zone", "Park")):
            return "hosts", flipped
        if x in AREAS | ORGS and y == "AdminRegion":
            return "locatedIn", flipped
        if x == "Person" and y in ORGS | {"Zone"}:
            return "worksFor", flipped
    return None


def class_of(name: str, tag: str) -> str | None:
    """The VOCABULARY.md class of a word tagged ``tag``, None when the tag is not nr/ns/nt.

    >>> class_of("溧阳", "ns"), class_of("星河研究院", "nt"), class_of("星河", "nt")
    ('AdminRegion', 'ResearchInstitute', 'Company')
    """
    kind = TAG_KIND.get(tag)
    if kind == "person":
        return "Person"
    if kind == "place":
        return "AdminRegion"
    if kind == "org":
        for suffixes, cls in ORG_SUFFIXES:
            if name.endswith(suffixes):
                return cls
        return "Company"
    return None


@functools.lru_cache(maxsize=1)
def pos_tokenizer():
    """jieba's part-of-speech tagger over a private tokenizer (never jieba's global one)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return jieba.posseg.POSTokenizer(tok)


@dataclass
class BaselineResult:
    """What the baseline finds in one article: entity name -> class, and triples of names."""

    doc_id: str
    entities: dict[str, str] = field(default_factory=dict)
    triples: set[tuple[str, str, str]] = field(default_factory=set)


def tagged_names(sentence: str) -> list[tuple[str, str]]:
    """(word, class) of the nr/ns/nt words of two characters or more, in order."""
    out = []
    for pair in pos_tokenizer().cut(sentence):
        cls = class_of(pair.word, pair.flag)
        if cls and len(pair.word.strip()) >= 2:
            out.append((pair.word.strip(), cls))
    return out


def run_text(doc_id: str, text: str) -> BaselineResult:
    """The baseline on one article's text."""
    from kg.extraction.sentences import split_sentences

    sentences = [tagged_names(s.text) for s in split_sentences(text)]
    votes: dict[str, Counter] = {}
    for names in sentences:
        for name, cls in names:
            votes.setdefault(name, Counter())[cls] += 1
    res = BaselineResult(doc_id)
    # majority class; ties go to the class seen first
    res.entities = {name: c.most_common(1)[0][0] for name, c in votes.items()}
    for names in sentences:
        distinct = list(dict.fromkeys(name for name, _ in names))
        for a, b in itertools.combinations(distinct, 2):
            link = pair_property(res.entities[a], res.entities[b])
            if link:
                prop, flipped = link
                res.triples.add((b, prop, a) if flipped else (a, prop, b))
    return res


def to_dataset(res: BaselineResult) -> Dataset:
    """The article's named graph: typed, labelled entities and the co-occurrence triples."""
    from kg.rdf.namespace import KG, bind_prefixes, entity_iri, graph_iri

    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    g = ds.graph(graph_iri(res.doc_id))
    for name, cls in res.entities.items():
        iri = entity_iri(name)
        g.add((iri, RDF.type, KG[cls]))
        g.add((iri, RDFS.label, Literal(name, lang="zh")))
    for s, p, o in res.triples:
        g.add((entity_iri(s), KG[p], entity_iri(o)))
    return ds


def baseline_graph(path: str | Path) -> Dataset:
    """The baseline's graph of one file (each of its articles a named graph), as ``kg build FILE``."""
    from kg.pipeline.run import read_documents
    from kg.records import BuildReport

    ds = Dataset(default_union=True)
    for doc in read_documents([path], BuildReport()):
        for quad in to_dataset(run_text(doc.id, doc.text)).quads():
            ds.add(quad)
    return ds


def write_graphs(paths: Iterable[str | Path], out: Path) -> list[BaselineResult]:
    """Read ``paths`` as the pipeline does and write ``out/<doc id>.trig`` per article."""
    from kg.pipeline.run import read_documents
    from kg.records import BuildReport

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for doc in read_documents(paths, BuildReport()):
        res = run_text(doc.id, doc.text)
        to_dataset(res).serialize(out / f"{doc.id}.trig", format="trig")
        results.append(res)
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("-o", "--out", type=Path, required=True, help="folder for the per-article graphs")
    a = ap.parse_args(argv)
    results = write_graphs(a.paths, a.out)
    print(
        f"{len(results)} articles, {sum(len(r.entities) for r in results)} entities, "
        f"{sum(len(r.triples) for r in results)} triples -> {a.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
