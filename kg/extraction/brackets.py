"""Short bracket groups that belong to a name: 中数科谷(清远)科技, 乌鲁木齐高新区(新市区).

>>> text = "中数科谷(清远)科技"
>>> bracket_group_left(text, 8)
4
>>> bracket_group_right("高新区(新市区)发布", 3)
8
"""

from __future__ import annotations

import re

from kg.extraction.tokens import NAME_CHAR

OPEN, CLOSE = "(（“‘《", ")）”’》"
PAIR = dict(zip(CLOSE, OPEN))


def bracket_group_left(text: str, end: int) -> int | None:
    """Start of a short bracket group ending at ``end`` (exclusive), e.g. (清远)."""
    close = text[end - 1]
    if close not in ")）":
        return None
    i = text.rfind(PAIR[close], max(0, end - 10), end - 1)
    if i < 0 and close == ")":
        i = text.rfind("（", max(0, end - 10), end - 1)
    if i < 0 and close == "）":
        i = text.rfind("(", max(0, end - 10), end - 1)
    inner = text[i + 1 : end - 1] if i >= 0 else ""
    if i < 0 or not inner or not all(NAME_CHAR.match(c) for c in inner) or "简称" in inner or "记者" in inner:
        return None
    return i


def bracket_group_right(text: str, end: int) -> int | None:
    """End of a short bracket group starting at ``end``: 高新区(新市区), 管委会(政府)."""
    if end >= len(text) or text[end] not in "(（":
        return None
    m = re.match(r"[(（]([\u4e00-\u9fff]{1,6})[)）]", text[end:])
    if not m or m.group(1).startswith(("以下", "简称", "下称")):
        return None
    return end + m.end()
