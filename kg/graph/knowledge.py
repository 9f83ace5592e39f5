"""KnowledgeGraph: a built graph to query, explain, draw and save.

The dataset lives in memory (rdflib, saved as graph.trig) or on disk (an
Oxigraph store, graph.oxigraph: kg.storage.store); every method works on both, and
on disk queries run inside Oxigraph.

>>> from kg.records import Assertion, Document, Entity, Extraction
>>> text = "测试高新区位于测试市。"
>>> ents = {k: Entity(k, c, k) for k, c in [("测试高新区", "Zone"), ("测试市", "AdminRegion")]}
>>> a = Assertion("测试高新区", "locatedIn", "测试市", "d1", 0, 11, text, "demo")
>>> g = KnowledgeGraph.from_extractions([Extraction(Document("d1", text), list(ents.values()), [], [a])], ents)
>>> [str(r.label) for r in g.query("SELECT ?label WHERE { ?z a kg:Zone ; rdfs:label ?label }")]
['测试高新区']
>>> [(e["sentence"], e["start"], e["end"]) for e in g.evidence("测试高新区", "locatedIn", "测试市")]
[('测试高新区位于测试市。', 0, 11)]
>>> G = g.to_networkx()
>>> G.number_of_nodes(), G.number_of_edges()
(2, 1)
>>> g.stats()["relations"]
{'locatedIn': 1}
"""

from __future__ import annotations

import importlib
import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import networkx as nx
from rdflib import RDF, RDFS, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import SKOS
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.query import Result

from kg.errors import GraphError
from kg.graph.endpoints import is_url
from kg.graph.remote import RemoteGraph
from kg.queries.sparql import QueryMethods, QueryResult, as_term
from kg.rdf.namespace import KG, ONTOLOGY_GRAPH, bind_prefixes, core_property, kg_term, local_name
from kg.rdf.provenance import evidence_row
from kg.records import CLASSES, PROPERTIES, BuildReport, Entity, Extraction
from kg.storage.folder import GRAPH_FILE, PAGE_FILE, STORE_DIR, check_target, discard, publish, staging, writing
from kg.storage.store import _on_disk, rdflib_query, run_query_file  # noqa: F401  (run_query_file: part of this module's interface)

_LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)


class _SortedTrig(TrigSerializer):
    """TriG with graphs in a fixed order: the ontology first, then by name."""

    def __init__(self, store: Dataset):
        graphs = [g for g in store.graphs() if len(g)]
        self.contexts = sorted(graphs, key=lambda g: (g.identifier != ONTOLOGY_GRAPH, str(g.identifier)))
        self.default_context = DATASET_DEFAULT_GRAPH_ID
        TurtleSerializer.__init__(self, store)

    def preprocess(self) -> None:
        # As TrigSerializer.preprocess, without counting every subject as referenced
        # once more: blank nodes used once (the ontology's owl:unionOf lists) are
        # then written inline, so their random labels never reach the file.
        for context in self.contexts:
            self.store = context
            self.get_pname(context.identifier, False)
            self._subjects = {}
            for triple in context:
                self.preprocessTriple(triple)
            self._contexts[context] = (self.orderSubjects(), self._subjects)


class KnowledgeGraph(QueryMethods):
    """A zone-kg dataset (named graph per article plus the ontology) and its build report.

    The dataset is rdflib's, in memory, or (``db``: a pyoxigraph Store, see
    kg.storage.store) on disk; every method works on both, and queries on the
    on-disk store run inside Oxigraph.
    """

    def __init__(
        self, dataset: Dataset | None = None, report: BuildReport | None = None, *, db=None, read_only: bool = False
    ):
        if db is not None:
            from kg.storage.store import open_dataset

            dataset = open_dataset(db, read_only)
        elif dataset is None:
            dataset = Dataset(default_union=True)
        dataset.default_union = True
        bind_prefixes(dataset)
        self.dataset = dataset
        self.report = report
        self.db = db

    @property
    def store(self) -> str:
        """Where the dataset lives: "memory" (rdflib) or "oxigraph" (on disk)."""
        return "memory" if self.db is None else "oxigraph"

    def close(self) -> None:
        """Let go of the on-disk store (nothing to do for an in-memory graph)."""
        if self.db is not None:
            store = self.dataset.store
            if hasattr(store, "db"):
                store.db = None  # rdflib's objects hold cycles: let the store go now
            self.dataset = Dataset(default_union=True)
            self.db = None

    @classmethod
    def from_extractions(
        cls, extractions: Iterable[Extraction], entities: Mapping[str, Entity], report: BuildReport | None = None
    ) -> KnowledgeGraph:
        """Build the dataset with kg.rdf.dataset.to_dataset."""
        from kg.rdf.dataset import to_dataset

        return cls(to_dataset(extractions, entities), report)

    @classmethod
    def load(cls, folder: str | os.PathLike) -> KnowledgeGraph:
        """Read a graph saved by ``save`` (the folder, or its graph.trig); a
        folder with an on-disk store (graph.oxigraph) is opened, read-only,
        where it is.  A URL (``http://host:port/``) gives a
        :class:`kg.graph.remote.RemoteGraph` on that SPARQL server instead."""
        if is_url(folder):
            return RemoteGraph(str(folder))
        path = Path(folder)
        store = path if path.name == STORE_DIR else path / STORE_DIR
        if path.is_dir() and (store / "CURRENT").is_file():
            from kg.storage.oxstore import open_store

            return cls(db=open_store(store, read_only=True), read_only=True)
        trig = path if path.is_file() and path.suffix == ".trig" else path / GRAPH_FILE
        if not trig.is_file():
            raise GraphError(f"no graph in {path}: run `kg build` first")
        ds = Dataset(default_union=True)
        try:
            ds.parse(trig, format="trig")
        except Exception as exc:  # rdflib raises several parser exception types
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise GraphError(f"{trig}: unreadable TriG: {first}") from exc
        return cls(ds)

    def __len__(self) -> int:
        return len(self.dataset)

    # ------------------------------------------------------------------ queries

    def query(self, sparql: str, **bindings) -> Result:
        """Run SPARQL with the project prefixes bound; keywords bind variables.

        rdflib terms are bound as they are, other values as plain literals.
        """
        init = {name: as_term(value) for name, value in bindings.items()}
        if self.db is not None:
            from kg.storage.store import native_query

            result = native_query(self.db, sparql, init)
        else:
            result = rdflib_query(self.dataset, sparql, init)
        return QueryResult.wrap(result, self.label_of)  # .to_df(), .to_dicts()

    def query_file(self, name: str, **bindings) -> Result:
        """Run kg/queries/<name>.rq; keywords bind variables as in ``query``."""
        return QueryResult.wrap(run_query_file(self.dataset, name, **bindings), self.label_of)

    def label_of(self, iri) -> str | None:
        """The rdfs:label of ``iri`` (the smallest, as the page shows it), or None."""
        return min(map(str, self.dataset.objects(URIRef(str(iri)), RDFS.label)), default=None)

    def entities_by_label(self, label: str) -> list[URIRef]:
        """Entities (of a core class) with ``label`` as rdfs:label, skos:prefLabel or altLabel."""
        found = set()
        for lit in (Literal(label, lang="zh"), Literal(label)):
            for p in _LABELS:
                found.update(s for s in self.dataset.subjects(p, lit) if self._core_class(s))
        return sorted(found)

    def _entity(self, ref) -> list[URIRef]:
        if isinstance(ref, URIRef):
            return [ref]
        if str(ref).startswith(("http://", "https://")):
            return [URIRef(str(ref))]
        found = self.entities_by_label(str(ref))
        if not found:
            raise GraphError(f"no entity labelled {ref!r}")
        return found

    def evidence(self, subject, prop, obj) -> list[dict]:
        """Evidence of the triple ``subject prop obj``: one dict per sentence stating it.

        Subject and object are labels (any rdfs:label or skos:altLabel) or IRIs;
        ``prop`` is a core relation's local name, ``kg:`` name or IRI.
        """
        p = core_property(prop)
        rows = []
        for s in self._entity(subject):
            for o in self._entity(obj):
                rows.extend(evidence_row(r) for r in self.query_file("evidence", s=s, p=p, o=o))
        return rows

    def _evidence_index(self) -> dict[tuple[str, str, str], list[dict]]:
        index: dict[tuple[str, str, str], list[dict]] = {}
        for r in self.query_file("evidence"):
            row = evidence_row(r)
            index.setdefault((str(r.s), row["property"], str(r.o)), []).append(row)
        return index

    # ---------------------------------------------------------------- analysis

    def _core_class(self, iri) -> str:
        types = {local_name(t) for t in self.dataset.objects(iri, RDF.type)}
        return next((c for c in CLASSES if c in types), "")

    def entities(self) -> list[URIRef]:
        """IRIs of every subject typed with a core class, sorted."""
        found = set()
        for cls in CLASSES:
            found.update(self.dataset.subjects(RDF.type, KG[cls]))
        return sorted(found)

    def core_triples(self) -> list[tuple[URIRef, str, URIRef]]:
        """Distinct (subject, property local name, object) of the core relations, sorted."""
        found = set()
        for p in PROPERTIES:
            found.update((s, p, o) for s, o in self.dataset.subject_objects(KG[p]))
        return sorted(found)

    def property_label(self, prop: str, lang: str = "zh") -> str:
        """The ontology's label of a kg: property in ``lang`` (its local name if none)."""
        for label in self.dataset.objects(kg_term(prop), RDFS.label):
            if getattr(label, "language", None) == lang:
                return str(label)
        return local_name(prop)

    def to_networkx(self) -> nx.MultiDiGraph:
        """One node per entity (id = IRI), one edge per distinct core triple.

        Node attributes: label, cls, aliases (sorted), facts ((name, value) pairs
        from the reference lists, when any).  Edge attributes:
        property (local name), label (its Chinese label), evidence (list of
        dicts from kg/queries/evidence.rq, as ``evidence`` returns them).
        """
        if self.db is not None:
            from kg.network.views import store_network

            return store_network(self)
        G = nx.MultiDiGraph()
        for iri in self.entities():
            G.add_node(str(iri), **self._node_attrs(iri))
        index = self._evidence_index()
        labels = {p: self.property_label(p) for p in PROPERTIES}
        for s, p, o in self.core_triples():
            for node in (s, o):
                if str(node) not in G:
                    G.add_node(str(node), **self._node_attrs(node))
            G.add_edge(str(s), str(o), key=p, property=p, label=labels[p], evidence=index.get((str(s), p, str(o)), []))
        for r in self.query_file("reference_facts"):  # province, level, ... (reference lists)
            if str(r.s) in G:
                G.nodes[str(r.s)].setdefault("facts", []).append((str(r.propertyName or r.property), str(r.value)))
        return G

    def _node_attrs(self, iri) -> dict:
        label = min((str(x) for x in self.dataset.objects(iri, RDFS.label)), default=local_name(iri))
        aliases = {str(a) for p in (SKOS.prefLabel, SKOS.altLabel) for a in self.dataset.objects(iri, p)} - {label}
        return {"label": label, "cls": self._core_class(iri), "aliases": sorted(aliases)}

    def stats(self) -> dict:
        """Entities by class, relations by property (distinct triples), articles."""
        by_class: dict[str, int] = {}
        for iri in self.entities():
            cls = self._core_class(iri)
            by_class[cls] = by_class.get(cls, 0) + 1
        by_prop: dict[str, int] = {}
        for _, p, _ in self.core_triples():
            by_prop[p] = by_prop.get(p, 0) + 1
        articles = len(set(self.dataset.subjects(RDF.type, KG.Article)))
        return {
            "entities": {c: by_class[c] for c in CLASSES if c in by_class},
            "relations": {p: by_prop[p] for p in PROPERTIES if p in by_prop},
            "articles": articles,
        }

    # ------------------------------------------------------------------ output

    def to_trig(self) -> bytes:
        """The whole dataset as TriG, byte-identical for the same triples."""
        buf = io.BytesIO()
        _SortedTrig(self.dataset).serialize(buf, encoding="utf-8")
        return buf.getvalue()

    def _repr_html_(self) -> str:
        """In a notebook: a summary table and the page, inline (kg.graph.ipython.graph_html)."""
        return importlib.import_module("kg.graph.ipython").graph_html(self)

    def to_html(self, path: str | os.PathLike, **kw) -> None:
        """Draw the graph as one HTML page (kg.page.render.write_page).

        From the on-disk store, only the entities the page draws (its node
        budget, ``max_nodes``) get their evidence read (kg.network.views).
        """
        page = importlib.import_module("kg.page.render")
        kw.setdefault("title", "zone-kg")
        if self.db is not None:
            from kg.network.views import store_network

            G = store_network(self, budget=kw.get("max_nodes", page.MAX_NODES))
        else:
            G = self.to_networkx()
        page.write_page(G, Path(path), **kw)

    def save(self, folder: str | os.PathLike, title: str = "zone-kg") -> Path:
        """Write folder/graph.trig (or, for the on-disk store, a copy of it in
        folder/graph.oxigraph) and folder/graph.html, replacing both at once.

        A graph folder (new, empty or holding a previous graph) is written as a
        temporary folder beside ``folder`` that then takes its place, so an
        interrupted save leaves the previous graph as it was; other files of a
        previous graph folder are carried over.  A folder of other files is
        left as it is: each file is written beside its final name and renamed
        into place, the page first and the graph last (kg.storage.folder).
        """
        target = check_target(folder)
        with writing(target):
            work = staging(target)
            try:
                self.write_into(work, title)
                publish(work, target)
            except BaseException:
                discard(work)
                raise
        return target

    def write_into(self, folder: Path, title: str = "zone-kg") -> None:
        """Write the graph, the page and rejected.jsonl into the (new) ``folder``."""
        if self.db is not None:
            from kg.storage.oxstore import copy_store

            copy_store(self.db, folder / STORE_DIR)
        else:
            (folder / GRAPH_FILE).write_bytes(self.to_trig())
        self.to_html(folder / PAGE_FILE, title=title)
        self._write_rejected(folder)

    def _write_rejected(self, folder: Path) -> None:
        """folder/rejected.jsonl: what the build kept out of the graph and why (kg.rdf.validate)."""
        if self.report is None:
            return  # a loaded graph: the build's list stays as it was
        from kg.rdf.validate import REJECTED_FILE, rejected_jsonl

        tmp = folder / f".{REJECTED_FILE}.tmp"
        tmp.write_bytes(rejected_jsonl(self.report.rejected))
        os.replace(tmp, folder / REJECTED_FILE)


def open_graph(location, **options):
    """A RemoteGraph for a URL (``options`` go to it), else the KnowledgeGraph saved in the folder ``location``."""
    if is_url(location):
        return RemoteGraph(str(location), **options)
    return KnowledgeGraph.load(os.fspath(location))
