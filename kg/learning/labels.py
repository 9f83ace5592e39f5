"""What a gold annotation says, in the terms the learned stages see: a label per token for the
tagger, a label per candidate pair for the relation classifier.

Gold files name entities without offsets, so every occurrence of a name or alias in the text
that starts and ends on token boundaries takes the entity's (first) class, longest names first.
A pair of mentions is labelled with the property of the gold relation between the entities its
two mentions match (any reading of it, ``alt`` included), "none" when there is none, and left
out of training when it matches only an optional relation (neither right nor wrong).

>>> from kg.extraction.tokens import Token
>>> toks = [Token(0, 2, "溧阳", ""), Token(2, 5, "高新区", ""), Token(5, 7, "聚焦", "")]
>>> gold = {"entities": [{"id": "z", "type": "Zone", "name": "溧阳高新区"}], "relations": []}
>>> token_labels("溧阳高新区聚焦", toks, gold)
['B-Zone', 'I-Zone', 'O']
"""

from __future__ import annotations

from kg.evaluation.gold import norm
from kg.extraction.features import _bio
from kg.extraction.tokens import Token


def _types(entity: dict) -> list[str]:
    t = entity["type"]
    return t if isinstance(t, list) else [t]


def token_labels(text: str, tokens: list[Token], gold: dict) -> list[str]:
    """The BIO label of each token (see the module's docstring)."""
    starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
    names = []
    for e in gold["entities"]:
        for name in dict.fromkeys([e["name"], *e.get("aliases", [])]):  # in order: the same labels in every process
            if len(name) >= 1:
                names.append((name, _types(e)[0]))
    names.sort(key=lambda n: -len(n[0]))
    taken = [False] * (len(text) + 1)
    spans = []
    for name, cls in names:
        i = text.find(name)
        while i >= 0:
            j = i + len(name)
            if i in starts and j in ends and not any(taken[i:j]):
                spans.append((i, j, cls))
                for k in range(i, j):
                    taken[k] = True
            i = text.find(name, i + 1)
    return _bio(tokens, sorted(spans))


class GoldRelations:
    """Which gold entities an extracted entity is, and which property a pair of them has."""

    def __init__(self, gold: dict):
        self.by_name: dict[str, set[str]] = {}
        for e in gold["entities"]:
            for n in (e["name"], *e.get("aliases", [])):
                self.by_name.setdefault(norm(n), set()).add(e["id"])
        self.props: dict[tuple[str, str], tuple[str, bool]] = {}  # (s id, o id) -> (property, required)
        for r in gold["relations"]:
            required = not r.get("optional")
            for reading in [r, *r.get("alt", [])]:
                ps = reading["p"] if isinstance(reading["p"], list) else [reading["p"]]
                key = (reading["s"], reading["o"])
                had = self.props.get(key)
                if had is None or (required and not had[1]):
                    self.props[key] = (ps[0], required)

    def ids(self, names) -> set[str]:
        out: set[str] = set()
        for n in names:
            out |= self.by_name.get(norm(n), set())
        return out

    def label(self, s_names, o_names, optional_positive: bool = False) -> str | None:
        """The property between the entities named ``s_names`` and ``o_names`` (in this direction),
        "none", or, when only an optional relation links them, None (left out of training) or,
        with ``optional_positive``, its property."""
        optional = None
        for s in sorted(self.ids(s_names)):  # sorted: the same label in every process
            for o in sorted(self.ids(o_names)):
                found = self.props.get((s, o))
                if found is not None:
                    if found[1]:
                        return found[0]
                    optional = optional or found[0]
        if optional is not None:
            return optional if optional_positive else None
        return "none"
