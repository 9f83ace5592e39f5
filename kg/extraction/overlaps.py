"""Overlapping mention candidates resolved: the longest wins, names before anaphors; some nested
names are kept for the relations that need them (溧阳 in 溧阳高新区).
"""

from __future__ import annotations

from kg.records import Mention

PRIORITY = {"alias": 0, "name": 1, "anaphor": 2, "abbrev": 3}


FOUNDED = ("ResearchInstitute", "Park", "Platform", "Incubator")  # 同济大学青岛研究院: a university's offshoot


def select(cands: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping candidates (names before anaphors); return in text order.

    Mentions nested inside a kept one are kept too when they are reference-list
    zones or regions (溧阳 in 溧阳高新区) or the university an institute is named
    after (同济大学青岛研究院), so that structural relations can use them.
    """
    kept: list[Mention] = []
    owner: dict[int, Mention] = {}  # character offset -> the kept mention covering it
    for m in sorted(cands, key=lambda m: (PRIORITY[m.kind], -(m.end - m.start), m.start)):
        if any(i in owner for i in range(m.start, m.end)):
            continue
        kept.append(m)
        owner.update(dict.fromkeys(range(m.start, m.end), m))
    inner = []
    for m in cands:
        k = owner.get(m.start)
        if m.kind != "name" or k is None or k is m or m.end > k.end:
            continue
        if (
            (m.cls == "AdminRegion" and k.cls in ("Zone", "Park"))
            or (
                m.cls == "University"
                and k.cls in FOUNDED
                and m.start == k.start
                and not k.text.startswith("科技园", m.end - k.start)
            )
            or (m.cls == "Zone" and k.cls != "Zone" and m.start == k.start)
        ):
            inner.append(m)
    uniq = {(m.start, m.end, m.cls): m for m in kept + inner}
    return sorted(uniq.values(), key=lambda m: (m.start, -(m.end - m.start)))
