"""Traditional -> simplified Chinese, one character for one character.

Every lexicon, suffix list and pattern of the project is written in
simplified characters, so an article in traditional characters is converted
before extraction.  The conversion keeps the length of the text, position by
position, so that offsets found in the simplified text index the original
text too (``kg.extraction.extract`` maps mentions and evidence back to it).

OpenCC's ``t2s`` configuration converts phrases first (乾坤 stays 乾坤, 瞭解
becomes 了解) and characters after.  Its dictionaries map every phrase to one
of the same length; should a future dictionary not, the stretch where the
length changes is converted character by character instead.

>>> to_simplified("蘇錫通園區管委會位於江蘇南通")
'苏锡通园区管委会位于江苏南通'
>>> is_traditional("蘇錫通園區管委會位於江蘇南通"), is_traditional("苏锡通园区管委会位于江苏南通")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

# Stretches converted on their own when the whole text does not keep its
# length: runs of characters between punctuation and white space.
_STRETCH = re.compile(r"[^\s，。、；：！？,.;:!?（）()《》「」『』“”\"']+|.", re.S)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

# Share of the Han characters that must change for a text to count as
# traditional: a simplified article quoting one traditional name stays as it is.
TRADITIONAL_SHARE = 0.05


@lru_cache(maxsize=1)
def _converter() -> Callable[[str], str]:
    """OpenCC's traditional-to-simplified converter, created on first use."""
    import opencc

    return opencc.OpenCC("t2s").convert


def aligned(text: str, convert: Callable[[str], str]) -> str:
    """``convert(text)`` when it keeps the length; else stretch by stretch, and
    character by character inside a stretch whose length changes.

    >>> aligned("ab,cd", lambda s: s.replace("ab", "x").upper())
    'AB,CD'
    """
    out = convert(text)
    if len(out) == len(text):
        return out
    parts = []
    for m in _STRETCH.finditer(text):
        piece = m.group()
        converted = convert(piece)
        if len(converted) != len(piece):
            converted = "".join(_one(ch, convert) for ch in piece)
        parts.append(converted)
    return "".join(parts)


def _one(ch: str, convert: Callable[[str], str]) -> str:
    out = convert(ch)
    return out if len(out) == 1 else ch


def to_simplified(text: str) -> str:
    """``text`` in simplified characters, of the same length, position by position."""
    if not text:
        return text
    return aligned(text, _converter())


def changed_share(text: str, simplified: str) -> float:
    """Share of the Han characters of ``text`` that differ in ``simplified``."""
    han = changed = 0
    for a, b in zip(text, simplified):
        if _HAN.match(a):
            han += 1
            changed += a != b
    return changed / han if han else 0.0


def is_traditional(text: str, simplified: str | None = None) -> bool:
    """Whether ``text`` is written in traditional characters: at least
    ``TRADITIONAL_SHARE`` of its Han characters change under conversion.
    Pass ``simplified`` when it is already computed."""
    if simplified is None:
        simplified = to_simplified(text)
    return simplified != text and changed_share(text, simplified) >= TRADITIONAL_SHARE
