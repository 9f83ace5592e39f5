"""Extractions -> an RDF dataset with one named graph per article.

The model (see also ontology.ttl):

* each article's triples live in the named graph ``graph_iri(doc.id)``; the
  ontology lives in the named graph ``ONTOLOGY_GRAPH``;
* the article node is a ``kg:Article`` with dcterms:title, dcterms:date,
  dcterms:source (URL), dcterms:identifier (doc id) and kg:sourceFile;
* every entity the article mentions gets, in that graph, ``rdf:type kg:<cls>``,
  one ``rdfs:label "<canonical label>"@zh`` and ``skos:altLabel "<alias>"@zh``
  for each other form the article uses;
* each assertion adds its plain triple ``s kg:<property> o`` and a provenance
  node (``kg:Assertion``, an ``rdf:Statement``) with rdf:subject/predicate/
  object, kg:article, kg:evidence (the sentence), kg:start, kg:end, kg:rule,
  kg:confidence and, when known, kg:date and kg:role;
* a ``kg:worksFor`` with a role also gets a ``kg:Position`` node (kg:holder,
  kg:organization, kg:role);
* each observation (a quantity stated about an entity) is a ``kg:Observation``
  with kg:observationOf (the entity), kg:indicator, kg:value (xsd:decimal),
  kg:unit, kg:quantityText, kg:qualifier when the figure is not exact, and
  the provenance an assertion node has (kg:article, kg:evidence, kg:start,
  kg:end, kg:rule, kg:confidence, kg:date when known).

>>> from kg.records import Document, Entity, Extraction
>>> doc = Document(id="d1", text="测试高新区", title="测试高新区")
>>> zone = Entity("测试高新区", "Zone", "测试高新区")
>>> ds = to_dataset([Extraction(doc, [zone], [], [])], {zone.key: zone})
>>> sorted(str(g.identifier).rsplit("/", 1)[-1] for g in ds.graphs() if len(g))
['d1', 'ontology']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.errors import GraphError
from kg.rdf.namespace import (
    KG,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    XSD,
    article_iri,
    assertion_iri,
    bind_prefixes,
    core_class,
    core_property,
    entity_iri,
    graph_iri,
    observation_iri,
    position_iri,
)
from kg.records import Assertion, Document, Entity, Extraction, Observation

ONTOLOGY_PATH = Path(__file__).with_name("ontology.ttl")

_DATE_TYPES = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), XSD.date),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?"), XSD.dateTime),
    (re.compile(r"\d{4}-\d{2}"), XSD.gYearMonth),
    (re.compile(r"\d{4}"), XSD.gYear),
)
_IRI_OK = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


def new_dataset() -> Dataset:
    """An empty Dataset whose default graph is the union of its named graphs."""
    ds = Dataset(default_union=True)
    bind_prefixes(ds)
    return ds


def turtle_triples(path, what: str) -> tuple:
    """The triples of a Turtle file shipped with the package (``what`` names it in errors)."""
    if not path.is_file():
        raise GraphError(f"{what} missing: {path} (reinstall zone-kg)")
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several parser exception types
        raise GraphError(f"{path}: unreadable Turtle: {str(exc).splitlines()[0]}") from exc
    return tuple(g)


@functools.lru_cache(maxsize=1)
def _ontology_triples() -> tuple:
    return turtle_triples(ONTOLOGY_PATH, "ontology")


def ontology_graph() -> Graph:
    """The ontology as a plain rdflib Graph named ONTOLOGY_GRAPH."""
    g = Graph(identifier=ONTOLOGY_GRAPH)
    bind_prefixes(g)
    for triple in _ontology_triples():
        g.add(triple)
    return g


def add_ontology(ds: Dataset) -> None:
    """Put the ontology into its own named graph of ``ds``."""
    g = ds.graph(ONTOLOGY_GRAPH)
    for triple in _ontology_triples():
        g.add(triple)


def date_literal(text: str) -> Literal:
    """An ISO 8601 date as a typed literal, anything else as a plain string.

    >>> date_literal("2024-03-01").datatype == XSD.date
    True
    >>> date_literal("去年").datatype is None
    True
    """
    for pattern, datatype in _DATE_TYPES:
        if pattern.fullmatch(text):
            return Literal(text, datatype=datatype)
    return Literal(text)


def _decimal(value: float, where: str) -> Literal:
    try:
        number = Decimal(repr(float(value)))
    except (TypeError, ValueError, InvalidOperation):
        raise GraphError(f"{where}: confidence {value!r} is not a number") from None
    if not number.is_finite():
        raise GraphError(f"{where}: confidence {value!r} is not a finite number")
    return Literal(number, datatype=XSD.decimal)


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def add_article(g: Graph, doc: Document) -> URIRef:
    """Describe ``doc`` in graph ``g``; returns the article IRI."""
    art = article_iri(doc.id)
    g.add((art, RDF.type, KG.Article))
    g.add((art, DCTERMS.identifier, Literal(doc.id)))
    if doc.title:
        g.add((art, DCTERMS.title, _zh(doc.title)))
    if doc.date:
        g.add((art, DCTERMS.date, date_literal(doc.date)))
    if doc.url:
        url = URIRef(doc.url) if _IRI_OK.fullmatch(doc.url) else Literal(doc.url)
        g.add((art, DCTERMS.source, url))
    if doc.source:
        g.add((art, KG.sourceFile, Literal(str(doc.source))))
    if doc.line is not None:
        g.add((art, KG.line, Literal(int(doc.line))))
    return art


def add_entity(g: Graph, entity: Entity, aliases: Iterable[str] = ()) -> URIRef:
    """Type and label ``entity`` in ``g`` (its canonical label, plus other forms seen)."""
    iri = entity_iri(entity.key)
    if not entity.label:
        raise GraphError(f"entity {entity.key!r} has no label")
    try:
        cls = core_class(entity.cls)
    except GraphError as exc:
        raise GraphError(f"entity {entity.key!r}: {exc}") from None
    g.add((iri, RDF.type, cls))
    g.add((iri, RDFS.label, _zh(entity.label)))
    for alias in aliases:
        if alias and alias != entity.label:
            g.add((iri, SKOS.altLabel, _zh(alias)))
    return iri


def add_assertion(g: Graph, a: Assertion, article: URIRef) -> URIRef:
    """The plain triple, its provenance node and, for a role, the kg:Position."""
    where = f"article {a.doc_id!r}, {a.subject} {a.property} {a.object}"
    try:
        prop = core_property(a.property)
    except GraphError as exc:
        raise GraphError(f"{where}: {exc}") from None
    s, o = entity_iri(a.subject), entity_iri(a.object)
    if not 0 <= a.start <= a.end:
        raise GraphError(f"{where}: bad evidence span {a.start}..{a.end}")
    g.add((s, prop, o))
    node = assertion_iri(a)
    g.add((node, RDF.type, KG.Assertion))
    g.add((node, RDF.type, RDF.Statement))
    g.add((node, RDF.subject, s))
    g.add((node, RDF.predicate, prop))
    g.add((node, RDF.object, o))
    g.add((node, KG.article, article))
    g.add((node, KG.evidence, _zh(a.evidence)))
    g.add((node, KG.start, Literal(int(a.start))))
    g.add((node, KG.end, Literal(int(a.end))))
    g.add((node, KG.rule, Literal(a.rule)))
    g.add((node, KG.confidence, _decimal(a.confidence, where)))
    if a.date:
        g.add((node, KG.date, date_literal(a.date)))
    if a.role:
        g.add((node, KG.role, _zh(a.role)))
        if prop == KG.worksFor:
            pos = position_iri(a.subject, a.object, a.role)
            g.add((pos, RDF.type, KG.Position))
            g.add((pos, KG.holder, s))
            g.add((pos, KG.organization, o))
            g.add((pos, KG.role, _zh(a.role)))
    return node


def number_literal(value, where: str = "value") -> Literal:
    """An exact number as an xsd:decimal literal in plain notation (no exponent).

    >>> number_literal(Decimal("2.55E+7"))
    rdflib.term.Literal('25500000', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    try:
        number = Decimal(str(value))
    except (TypeError, ValueError, InvalidOperation):
        raise GraphError(f"{where}: value {value!r} is not a number") from None
    if not number.is_finite():
        raise GraphError(f"{where}: value {value!r} is not a finite number")
    text = format(number.normalize(), "f")
    return Literal(text, datatype=XSD.decimal)


def add_observation(g: Graph, o: Observation, article: URIRef) -> URIRef:
    """The kg:Observation node of a quantity stated about an entity, with its provenance."""
    where = f"article {o.doc_id!r}, observation {o.indicator} {o.surface} of {o.subject}"
    if not 0 <= o.start <= o.end:
        raise GraphError(f"{where}: bad evidence span {o.start}..{o.end}")
    if not o.indicator or not o.unit:
        raise GraphError(f"{where}: an observation needs an indicator and a unit")
    node = observation_iri(o)
    g.add((node, RDF.type, KG.Observation))
    g.add((node, KG.observationOf, entity_iri(o.subject)))
    g.add((node, KG.indicator, _zh(o.indicator)))
    g.add((node, KG.value, number_literal(o.value, where)))
    g.add((node, KG.unit, Literal(o.unit)))
    g.add((node, KG.quantityText, _zh(o.surface)))
    if o.qualifier:
        g.add((node, KG.qualifier, Literal(o.qualifier)))
    g.add((node, KG.article, article))
    g.add((node, KG.evidence, _zh(o.evidence)))
    g.add((node, KG.start, Literal(int(o.start))))
    g.add((node, KG.end, Literal(int(o.end))))
    g.add((node, KG.rule, Literal(o.rule)))
    g.add((node, KG.confidence, _decimal(o.confidence, where)))
    if o.date:
        g.add((node, KG.date, date_literal(o.date)))
    return node


def _seen_forms(extraction: Extraction) -> dict[str, set[str]]:
    """entity key -> surface forms this article uses for it (its local label and aliases)."""
    forms: dict[str, set[str]] = {}
    for e in extraction.entities:
        forms.setdefault(e.key, set()).update({e.label, *e.aliases})
    return forms


def _lookup(key: str, entities: Mapping[str, Entity], local: Mapping[str, Entity], doc_id: str) -> Entity:
    entity = entities.get(key) or local.get(key)
    if entity is None:
        raise GraphError(f"article {doc_id!r}: entity {key!r} is in no entity table")
    return entity


def add_extraction(ds: Dataset, ex: Extraction, entities: Mapping[str, Entity]) -> URIRef:
    """Write one article's named graph into ``ds``; returns the graph's name."""
    doc = ex.doc
    name = graph_iri(doc.id)
    g = ds.graph(name)
    article = add_article(g, doc)
    local = {e.key: e for e in ex.entities}
    forms = _seen_forms(ex)
    keys = set(forms)
    for a in ex.assertions:
        if a.doc_id != doc.id:
            raise GraphError(f"article {doc.id!r}: holds an assertion of article {a.doc_id!r}")
        keys.update((a.subject, a.object))
    for o in ex.observations:
        if o.doc_id != doc.id:
            raise GraphError(f"article {doc.id!r}: holds an observation of article {o.doc_id!r}")
        keys.add(o.subject)
    for key in sorted(keys):
        add_entity(g, _lookup(key, entities, local, doc.id), sorted(forms.get(key, ())))
    for a in ex.assertions:
        add_assertion(g, a, article)
    for o in ex.observations:
        add_observation(g, o, article)
    return name


def to_dataset(
    extractions: Iterable[Extraction], entities: Mapping[str, Entity], *, reference: bool = False
) -> Dataset:
    """The RDF dataset of a build: the ontology plus one named graph per article.

    ``entities`` is the global table (key -> Entity): its label and class are
    used everywhere; the extraction's own entities only contribute the aliases
    seen in that article.  The same input always gives the same triples.
    With ``reference``, the facts the reference lists hold about the entities
    (zone list, division codes and the regions above) are added as the named
    graph ``kgr:reference`` (kg.rdf.reference); articles' graphs never hold them.
    """
    ds = new_dataset()
    add_ontology(ds)
    seen: set[str] = set()
    extractions = list(extractions)
    for ex in extractions:
        if ex.doc.id in seen:
            raise GraphError(f"two articles share the document id {ex.doc.id!r}")
        seen.add(ex.doc.id)
        add_extraction(ds, ex, entities)
    if reference:
        from kg.rdf.reference import reference_graph

        g = ds.graph(REFERENCE_GRAPH)
        for triple in reference_graph(entities, extractions):
            g.add(triple)
    return ds


# ------------------------------------------------------------- N-Triples


class _Lines:
    """Stands for an rdflib Graph in the ``add_*`` functions: keeps each triple
    as an N-Triples statement without its final `` .``."""

    def __init__(self):
        self.lines: list[str] = []

    def add(self, triple) -> None:
        s, p, o = triple
        self.lines.append(f"{s.n3()} {p.n3()} {o.n3()}")


class _LineDataset:
    def __init__(self):
        self.graphs: dict[URIRef, _Lines] = {}

    def graph(self, name) -> _Lines:
        return self.graphs.setdefault(name, _Lines())


def article_lines(ex: Extraction, entities: Mapping[str, Entity]) -> tuple[URIRef, list[str]]:
    """The name of the article's graph and its triples as N-Triples statements
    (without `` .``): the triples :func:`add_extraction` writes, in the same terms."""
    sink = _LineDataset()
    name = add_extraction(sink, ex, entities)
    return name, sink.graph(name).lines


def triple_lines(triples: Iterable) -> list[str]:
    """rdflib triples as N-Triples statements (without `` .``)."""
    return [f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in triples]


def nquads(name: URIRef, lines: Iterable[str]) -> str:
    """N-Quads of statements in the named graph ``name`` and, again, in the
    default graph (the union of the named graphs, see kg.storage.store)."""
    graph = f" {name.n3()} .\n"
    return "".join(f"{line}{graph}{line} .\n" for line in lines)


def ontology_lines() -> list[str]:
    """The ontology's triples as N-Triples statements (its blank nodes labelled afresh)."""
    return triple_lines(_ontology_triples())
