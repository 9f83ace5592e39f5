"""Plain records passed between the pipeline's stages.

Document -> Sentence -> Mention -> Entity -> Assertion -> RDF.  Offsets
always index ``Document.text``: ``doc.text[m.start:m.end] == m.text``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

# Core classes and properties of ../shared/spec/VOCABULARY.md (local names).
CLASSES = (
    "Zone",
    "Park",
    "ResearchInstitute",
    "University",
    "Company",
    "GovernmentBody",
    "Association",
    "Platform",
    "Incubator",
    "Person",
    "Industry",
    "AdminRegion",
    "Award",
    "Program",
    "Event",
)
#: The organisation-like classes (the first nine): what hosts, builds, employs or focuses.
ORGANISATIONS = CLASSES[:9]
PROPERTIES = (
    "hosts",
    "incubatedBy",
    "establishedBy",
    "partOf",
    "locatedIn",
    "focusesOn",
    "worksFor",
    "receivedAward",
    "launched",
)


@dataclass(frozen=True)
class Document:
    """One article.  ``text`` is what extraction reads (title first, when there is one)."""

    id: str  # stable, unique within a build: file stem, plus "-2", "-3" for further articles of one page
    text: str
    source: str = ""  # path of the file it came from
    title: str = ""
    url: str = ""
    date: str = ""  # ISO 8601 date when known
    line: int | None = None  # line number in a JSON Lines file


@dataclass(frozen=True)
class Skipped:
    """An input that could not be read; ``reason`` is one line for people."""

    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    """A span of the document that names (or refers to) an entity."""

    start: int
    end: int
    text: str
    cls: str  # core class local name, e.g. "Zone"
    rule: str  # id of the rule or lexicon that found it
    key: str = ""  # canonical name (set by the rule when known, else by the resolver)
    kind: str = "name"  # name | anaphor (该研究院, 园区) | alias (a short form defined in the text)


@dataclass
class Entity:
    """One real-world thing.  ``key`` is its canonical name; IRIs derive from it."""

    key: str
    cls: str
    label: str
    aliases: set[str] = field(default_factory=set)
    facts: dict[str, str] = field(default_factory=dict)  # reference-list facts (province, official name, code...)


@dataclass(frozen=True)
class Assertion:
    """One extracted triple with its evidence."""

    subject: str  # entity key
    property: str  # core property local name
    object: str  # entity key
    doc_id: str
    start: int  # evidence span (the sentence) in Document.text
    end: int
    evidence: str  # the sentence text
    rule: str
    confidence: float = 1.0
    role: str = ""  # position title for worksFor ("局长")
    date: str = ""  # when the sentence dates the fact


@dataclass(frozen=True)
class Observation:
    """A quantity stated about an entity: 集聚人才1030人 -> (zone, 人才, 1030, 人)."""

    subject: str  # entity key
    indicator: str  # what is measured, a label of kg/extraction/data/indicators.tsv ("孵化企业")
    value: Decimal  # the number, multipliers applied: 2550万元 -> 25500000
    unit: str  # 元, 家, 人, 平方米, % ...
    surface: str  # the quantity as written ("2550万元", "1000余家")
    doc_id: str
    start: int  # evidence span (the sentence) in Document.text
    end: int
    evidence: str  # the sentence text
    rule: str
    confidence: float = 1.0
    date: str = ""  # the year the sentence states ("2023")
    qualifier: str = ""  # over (1000余家, 超…), under (近…, 不到…), about (约…); "" when exact


@dataclass(frozen=True)
class Rejection:
    """An assertion kept out of the graph, and why (see kg/rdf/validate.py)."""

    assertion: Assertion
    check: str  # what it fails: "domain" or "range" of its property
    reason: str  # one line for people
    stage: str = "build"  # "extract" (classes of the mentions) or "build" (classes of the entities)


@dataclass
class Extraction:
    """Everything extraction found in one document."""

    doc: Document
    entities: list[Entity]
    mentions: list[Mention]
    assertions: list[Assertion]
    observations: list[Observation] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)  # outside its property's domain or range


@dataclass
class BuildReport:
    """What a build did, for the summary the CLI prints."""

    articles: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    entities_by_class: dict[str, int] = field(default_factory=dict)
    relations_by_property: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rejected: list[Rejection] = field(default_factory=list)  # written to DIR/rejected.jsonl
    notes: list[str] = field(default_factory=list)  # what the build did about a problem it met


def misfit(
    prop: str,
    s_key: str,
    s_cls: str,
    o_key: str,
    o_cls: str,
    domain: Mapping[str, Iterable[str]],
    range_: Mapping[str, Iterable[str]],
) -> tuple[str, str] | None:
    """``(check, reason)`` when the subject or object class does not fit ``prop`` by ``domain`` and
    ``range_`` (property -> allowed classes; a property missing from one is not checked), None
    when both fit.

    >>> misfit("hosts", "星河公司", "Company", "青禾公司", "Company", {"hosts": ("Zone", "Park")}, {})
    ('domain', '星河公司 is a Company; the subject of hosts must be one of: Zone, Park')
    """
    for check, key, cls, allowed in (
        ("domain", s_key, s_cls, domain.get(prop)),
        ("range", o_key, o_cls, range_.get(prop)),
    ):
        if allowed is not None and cls not in allowed:
            side = "subject" if check == "domain" else "object"
            return check, f"{key} is a {cls}; the {side} of {prop} must be one of: {', '.join(allowed)}"
    return None
