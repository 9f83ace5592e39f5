"""What the page shows of a node or an edge: texts, aliases, reference facts, evidence excerpts."""

from __future__ import annotations

import math
import re
from typing import Any

_EVIDENCE_TEXT = ("sentence", "title", "date", "url", "article", "rule", "role")


#: A longer evidence sentence (one without punctuation, say) is shown as an
#: excerpt around the names of its two entities: the page stays small.
EVIDENCE_CHARS = 600


def _text(value: Any) -> str | None:
    """A value from the graph as text for the page (None when absent)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if hasattr(value, "isoformat"):  # date / datetime
        return value.isoformat()
    return str(value)


def _local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri


def _aliases(value: Any, label: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    elif isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)
    out: list[str] = []
    for a in value:
        a = _text(a)
        if a and a != label and a not in out:
            out.append(a)
    return out


def _facts(value: Any) -> list[list[str]]:
    """Reference facts as [name, value] pairs of text, in the order given."""
    if not value:
        return []
    pairs = value.items() if isinstance(value, dict) else value
    out = []
    for k, v in pairs:
        k, v = _text(k), _text(v)
        if k and v:
            out.append([k, v])
    return out


def _evidence(value: Any, ends: list[list[str]] = ()) -> list[dict]:
    """Evidence items of text; a sentence longer than EVIDENCE_CHARS shortened
    around the names of the edge's two ``ends`` (each a list of names)."""
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]
    out = []
    for ev in value:
        if not isinstance(ev, dict):
            ev = {"sentence": ev}
        item: dict[str, Any] = {}
        for k in _EVIDENCE_TEXT:
            t = _text(ev.get(k))
            if t:
                item[k] = t
        if len(item.get("sentence", "")) > EVIDENCE_CHARS:
            item["sentence"] = excerpt(item["sentence"], ends)
        c = ev.get("confidence")
        if isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c):
            item["confidence"] = round(float(c), 4)
        elif c is not None and not isinstance(c, (int, float)):
            item["confidence"] = _text(c)
        out.append(item)
    return out


def excerpt(text: str, ends: list[list[str]], limit: int = EVIDENCE_CHARS) -> str:
    """``text`` if it has at most ``limit`` characters; else the stretches around
    the first place where a name of each end occurs, "…" marking what is left out.

    >>> excerpt("甲" * 50 + "云溪高新区" + "乙" * 50 + "青禾公司" + "丙" * 50, [["云溪高新区"], ["青禾公司"]], 40)
    '…甲甲甲甲甲甲甲云溪高新区乙乙乙乙乙乙乙…乙乙乙乙乙乙乙青禾公司丙丙丙丙丙丙丙…'
    """
    if len(text) <= limit:
        return text
    spots = []
    for names in ends:
        found = [(i, i + len(n)) for n in names if n for i in [text.find(n)] if i >= 0]
        if found:
            spots.append(min(found))
    spots = sorted(set(spots)) or [(0, 0)]
    room = max(0, limit // len(spots) - max(e - s for s, e in spots)) // 2
    pieces: list[list[int]] = []
    for s, e in spots:
        lo, hi = max(0, s - room), min(len(text), e + room)
        if pieces and lo <= pieces[-1][1]:
            pieces[-1][1] = max(pieces[-1][1], hi)
        else:
            pieces.append([lo, hi])
    out = "…".join(text[lo:hi] for lo, hi in pieces)
    return ("…" if pieces[0][0] > 0 else "") + out + ("…" if pieces[-1][1] < len(text) else "")
