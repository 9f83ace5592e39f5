"""A zone's bodies named once in full and then by their bare head in the same title chain.

Officials of a zone usually hold posts in both its party working committee
and its administrative committee, written as one chain:
``星河园区党工委副书记、管委会主任王建国``.  The bare 管委会 there is the
管委会 of the same owner (星河园区管委会), so it becomes a GovernmentBody
mention whose key is the full name, and the title rule links the person to
both bodies.

>>> from kg.extraction.mentions import find_mentions
>>> [(m.text, m.key) for m in find_mentions("星河园区党工委副书记、管委会主任王建国表示。") if m.cls == "GovernmentBody"]
[('星河园区党工委', ''), ('管委会', '星河园区管委会')]
"""

from __future__ import annotations

import functools
import re

HEADS = ("党工委", "管委会", "工委", "党委")
BARE = re.compile(r"[、,，]?(党工委|管委会)")


@functools.lru_cache(maxsize=1)
def _titles(titles: frozenset[str]) -> re.Pattern:
    """One or more position titles, optionally joined by 、 (compiled once)."""
    return re.compile(r"(?:(?:" + "|".join(sorted(titles, key=len, reverse=True)) + r")、?)+")


def find_sibling_bodies(f) -> None:
    """Add the bare bodies of title chains (``f`` is a mention finder; runs after the suffix rule)."""
    text, chain = f.text, _titles(f.lex.titles)
    for m in [m for m in f.out if m.cls == "GovernmentBody" and m.text.endswith(HEADS)]:
        head = next(h for h in HEADS if m.text.endswith(h))
        owner = m.text[: -len(head)]
        if len(owner) < 2:
            continue
        pos = m.end
        while True:  # titles, then a bare sibling body, then titles again
            t = chain.match(text, pos)
            if not t:
                break
            b = BARE.match(text, t.end())
            if not b or b.group(1) == head:
                break
            f.add(b.start(1), b.end(1), "GovernmentBody", "body:sibling", owner + b.group(1))
            pos = b.end()
