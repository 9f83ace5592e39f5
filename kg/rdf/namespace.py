"""IRIs of zone-kg: the closed ontology namespace and the minting of resource IRIs.

Every IRI the package writes comes from here.  ``KG`` is closed: it holds
exactly the terms ontology.ttl declares (a test keeps the two equal), so a
misspelt term fails at once instead of producing a silent new IRI.

>>> KG.hosts
rdflib.term.URIRef('https://w3id.org/zone-kg/ontology#hosts')
>>> KG.hostz
Traceback (most recent call last):
...
AttributeError: "term 'hostz' not in namespace 'https://w3id.org/zone-kg/ontology#'"
>>> entity_iri("溧阳高新区") == entity_iri("溧阳高新区")
True
>>> str(graph_iri("d01"))
'https://w3id.org/zone-kg/resource/graph/d01'
>>> doc_id_of(graph_iri("第1篇 报道"))
'第1篇 报道'
"""

from __future__ import annotations

import hashlib
import unicodedata
from urllib.parse import quote, unquote

from rdflib import OWL, RDF, RDFS, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, ClosedNamespace

from kg.errors import GraphError
from kg.records import CLASSES, PROPERTIES, Assertion, Observation

KG_IRI = "https://w3id.org/zone-kg/ontology#"
KGR_IRI = "https://w3id.org/zone-kg/resource/"

#: Classes beside the core ones: articles, the provenance, observation and position nodes.
EXTRA_CLASSES = ("Article", "Assertion", "Observation", "Position")
#: Object properties beside the core relations.
EXTRA_OBJECT_PROPERTIES = ("holder", "organization", "observationOf", "article")
#: Datatype properties (positions, observations and provenance).
DATATYPE_PROPERTIES = (
    "role",
    "indicator",
    "value",
    "unit",
    "quantityText",
    "qualifier",
    "evidence",
    "start",
    "end",
    "rule",
    "confidence",
    "date",
    "sourceFile",
    "line",
)
#: Facts from the reference lists (zones, institutes, administrative divisions).
REFERENCE_PROPERTIES = (
    "officialName",
    "shortName",
    "province",
    "city",
    "approvalYear",
    "zoneLevel",
    "designation",
    "registryCode",
    "divisionCode",
    "withinRegion",
)
#: Records of the reference lists that are not entities of the articles.
REFERENCE_CLASSES = ("Division",)
#: Every term ontology.ttl declares, in the order of the file's sections.
TERMS = (
    CLASSES
    + EXTRA_CLASSES
    + PROPERTIES
    + EXTRA_OBJECT_PROPERTIES
    + DATATYPE_PROPERTIES
    + REFERENCE_PROPERTIES
    + REFERENCE_CLASSES
)

KG = ClosedNamespace(KG_IRI, list(TERMS))
KGR = Namespace(KGR_IRI)
#: An open namespace (rdflib's XSD warns on every unknown attribute pytest probes).
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

#: IRI of the ontology, also the name of the named graph that holds it.
ONTOLOGY_IRI = URIRef("https://w3id.org/zone-kg/ontology")
ONTOLOGY_GRAPH = ONTOLOGY_IRI
#: Name of the named graph of reference-list facts (never an article's: those are graph/<id>).
REFERENCE_GRAPH = KGR["reference"]

#: Prefixes bound in every query and serialisation.
PREFIXES = {
    "kg": Namespace(KG_IRI),
    "kgr": KGR,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "xsd": XSD,
    "schema": Namespace("https://schema.org/"),
    "org": Namespace("http://www.w3.org/ns/org#"),
}

_ARTICLE = "article/"
_GRAPH = "graph/"


def _digest(*parts: str) -> str:
    """First 16 hex digits of the SHA-1 of the NFKC-normalised parts."""
    text = "\x1f".join(unicodedata.normalize("NFKC", p) for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _safe(doc_id: str) -> str:
    if not doc_id:
        raise GraphError("empty document id: every article needs an id")
    return quote(doc_id, safe="-_.~")


def entity_iri(key: str) -> URIRef:
    """IRI of the entity whose canonical name is ``key``; the same in every build.

    >>> str(entity_iri("溧阳高新区"))[:36]
    'https://w3id.org/zone-kg/resource/e/'
    """
    if not key or not key.strip():
        raise GraphError("empty entity key: every entity needs a canonical name")
    return KGR["e/" + _digest(key)]


def article_iri(doc_id: str) -> URIRef:
    """IRI of the article (the kg:Article node) with document id ``doc_id``."""
    return KGR[_ARTICLE + _safe(doc_id)]


def graph_iri(doc_id: str) -> URIRef:
    """Name of the article's named graph; ``doc_id_of`` inverts it."""
    return KGR[_GRAPH + _safe(doc_id)]


def doc_id_of(iri: str) -> str | None:
    """Document id of an article graph name or article IRI, None for any other IRI."""
    for prefix in (KGR_IRI + _GRAPH, KGR_IRI + _ARTICLE):
        if str(iri).startswith(prefix):
            return unquote(str(iri)[len(prefix) :])
    return None


def assertion_iri(assertion: Assertion) -> URIRef:
    """IRI of an assertion's provenance node: one per triple, article, span and rule."""
    a = assertion
    return KGR["a/" + _digest(a.subject, a.property, a.object, a.doc_id, str(a.start), str(a.end), a.rule)]


def observation_iri(o: Observation) -> URIRef:
    """IRI of an observation: one per subject, indicator, quantity, article and sentence."""
    return KGR[
        "o/" + _digest(o.subject, o.indicator, str(o.value), o.unit, o.surface, o.doc_id, str(o.start), str(o.end))
    ]


def division_iri(code: str) -> URIRef:
    """IRI of the kg:Division record of an administrative division code.

    >>> str(division_iri("320481"))
    'https://w3id.org/zone-kg/resource/division/320481'
    """
    if not code.isdigit():
        raise GraphError(f"bad division code {code!r}: six digits expected")
    return KGR["division/" + code]


def position_iri(person_key: str, org_key: str, role: str) -> URIRef:
    """IRI of the kg:Position a person holds in an organisation under a title."""
    return KGR["p/" + _digest(person_key, org_key, role)]


def _kg_local(name: str) -> str:
    """Local name of ``name`` given as ``hosts``, ``kg:hosts`` or the full kg: IRI."""
    text = str(name)
    for prefix in (KG_IRI, "kg:"):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def kg_term(name: str) -> URIRef:
    """The kg: term with local name ``name`` (or its full IRI, or ``kg:name``).

    >>> kg_term("kg:Zone") == KG.Zone
    True
    """
    local = _kg_local(name)
    try:
        return KG[local]
    except KeyError:
        raise GraphError(f"unknown ontology term {name!r}: not declared in ontology.ttl") from None


def core_class(name: str) -> URIRef:
    """IRI of a core class (VOCABULARY.md); GraphError for anything else."""
    local = _kg_local(name)
    if local not in CLASSES:
        raise GraphError(f"{name!r} is not a core class ({', '.join(CLASSES)})")
    return KG[local]


def core_property(name: str) -> URIRef:
    """IRI of a core relation (VOCABULARY.md); GraphError for anything else.

    >>> core_property("hosts") == KG.hosts
    True
    """
    local = _kg_local(name)
    if local not in PROPERTIES:
        raise GraphError(f"{name!r} is not a core relation ({', '.join(PROPERTIES)})")
    return KG[local]


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``#`` or ``/``.

    >>> local_name(KG.worksFor)
    'worksFor'
    """
    text = str(iri)
    return text[max(text.rfind("#"), text.rfind("/")) + 1 :]


def bind_prefixes(graph) -> None:
    """Bind the project prefixes on an rdflib Graph or Dataset."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, str(ns), override=True, replace=True)
