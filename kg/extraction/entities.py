"""The global entity table: one entity per key, folded article by article in input order.

Extraction gives each article its own entities; a graph needs one entity per
key.  Its label is the one of the first article that names it, its class the
most frequent over the articles (ties: alphabetical), its aliases and
reference facts the union (the first value of a fact wins).  kg.pipeline.run
folds every article into one table; kg.storage.resume keeps it between builds.

>>> from kg.records import Entity
>>> table = EntityTable()
>>> table.add([Entity("星河", "Company", "星河")])
>>> table.add([Entity("星河", "ResearchInstitute", "星河研究院")])
>>> table.add([Entity("星河", "ResearchInstitute", "星河所")])
>>> table.current("星河"), table.current("云溪")
(('ResearchInstitute', '星河'), None)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from kg.records import Entity, Extraction


class EntityTable:
    """The global entity table, folded article by article (in input order)."""

    def __init__(self):
        self._votes: dict[str, Counter] = {}
        self._merged: dict[str, Entity] = {}

    def add(self, entities: Iterable[Entity]) -> None:
        for e in entities:
            self._votes.setdefault(e.key, Counter())[e.cls] += 1
            g = self._merged.setdefault(e.key, Entity(e.key, e.cls, e.label))
            g.aliases |= e.aliases
            for k, v in e.facts.items():
                g.facts.setdefault(k, v)

    def add_summary(self, entities) -> None:
        """``add`` for the (key, cls, label, aliases, facts) tuples of a kg.storage.cache.Summary."""
        votes, merged = self._votes, self._merged
        for key, cls, label, aliases, facts in entities:
            v = votes.get(key)
            if v is None:
                v = votes[key] = Counter()
                g = merged[key] = Entity(key, cls, label)
            else:
                g = merged[key]
            v[cls] += 1
            if aliases:
                g.aliases.update(aliases)
            for k, value in facts:
                g.facts.setdefault(k, value)

    def current(self, key: str) -> tuple[str, str] | None:
        """The class and label ``key`` has so far (None: not in the table)."""
        e = self._merged.get(key)
        return None if e is None else (_winner(self._votes[key]), e.label)

    def result(self) -> dict[str, Entity]:
        """key -> Entity with its final class (new records; the table can go on)."""
        out = {}
        for key, e in self._merged.items():
            out[key] = Entity(key, _winner(self._votes[key]), e.label, set(e.aliases), dict(e.facts))
        return out


def _winner(votes: Counter) -> str:
    """The class with the most votes (ties: the first alphabetically)."""
    return max(sorted(votes), key=lambda c: votes[c])


def merge_entities(extractions: Iterable[Extraction]) -> dict[str, Entity]:
    """The global entity table: one entity per key, its class by majority over articles."""
    table = EntityTable()
    for ex in extractions:
        table.add(ex.entities)
    return table.result()
