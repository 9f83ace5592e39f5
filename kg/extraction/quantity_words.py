"""The quantity lexicon: units, multipliers, qualifiers and the other words of
``data/quantity_words.tsv``, the indicator triggers of ``data/indicators.tsv``, and the
pattern of a stated quantity built from them (loaded once per process; a bad line raises
:class:`kg.errors.DataFileError` naming file and line).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.errors import DataFileError
from kg.extraction.lexicon import DATA, data_lines

GAP = "…"


QUALIFIERS = ("over", "under", "about")


WORD_KINDS = (
    "unit",
    "multiplier",
    *QUALIFIERS,
    "vague",
    "tail",
    "link",
    "lead",
    "target",
    "deadline",
    "asof",
    "grade",
    "locative",
    "listing",
    "attributive",
    "possessive",
)


_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


_CHINESE = r"[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?"


@dataclass(frozen=True)
class Trigger:
    """One way of naming an indicator: ``before`` the quantity and ``after`` it."""

    label: str
    before: str
    after: str
    units: frozenset[str]


@dataclass(frozen=True)
class QuantityLexicon:
    words: dict[str, tuple[str, ...]]  # kind -> words, longest first
    units: dict[str, str]  # unit as written -> unit recorded
    multipliers: dict[str, Decimal]
    qualifiers: dict[str, str]  # word -> over | under | about
    triggers: tuple[Trigger, ...]  # longest first
    pattern: re.Pattern


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def load_words(path: Path) -> dict[str, dict[str, str]]:
    """kind -> {word: value} of quantity_words.tsv (value after "=", else the word)."""
    out: dict[str, dict[str, str]] = {k: {} for k in WORD_KINDS}
    for p, n, line in data_lines(path):
        kind, _, rest = line.partition("\t")
        if kind.strip() not in out:
            raise DataFileError(p, n, f"unknown kind {kind.strip()!r} (one of {', '.join(WORD_KINDS)})")
        if not rest.strip():
            raise DataFileError(p, n, f"no words after {kind.strip()!r}")
        for item in rest.split():
            word, eq, value = item.partition("=")
            if not word or (eq and not value) or (kind.strip() == "multiplier" and not _positive(value)):
                raise DataFileError(
                    p,
                    n,
                    f"bad entry {item!r}: write word or word=value (word=factor, a positive number, for a multiplier)",
                )
            out[kind.strip()][word] = value or word
    return out


def _positive(text: str) -> bool:
    try:
        return Decimal(text) > 0
    except InvalidOperation:
        return False


def load_triggers(path: Path, units: set[str]) -> tuple[Trigger, ...]:
    """The triggers of indicators.tsv; ``units`` are the units a line may name."""
    out = []
    for p, n, line in data_lines(path):
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) != 3 or not all(cols):
            raise DataFileError(p, n, "expected label<TAB>units<TAB>triggers")
        label, unit_text, trigger_text = cols
        allowed = frozenset(unit_text.split())
        if allowed - units:
            raise DataFileError(p, n, f"unknown unit(s) {', '.join(sorted(allowed - units))}")
        for t in trigger_text.split():
            before, _, after = t.partition(GAP)
            if not before or GAP in after:
                raise DataFileError(
                    p, n, f"bad trigger {t!r}: words before the quantity, optionally {GAP} and words after it"
                )
            out.append(Trigger(label, before, after, allowed))
    return tuple(sorted(out, key=lambda t: (-len(t.before) - len(t.after), t.before, t.after)))


@functools.lru_cache(maxsize=1)
def get_quantity_lexicon() -> QuantityLexicon:
    """The process-wide quantity lexicon (loaded on first use)."""
    raw = load_words(DATA / "quantity_words.tsv")
    triggers = load_triggers(DATA / "indicators.tsv", set(raw["unit"].values()))
    qualifiers = {w: kind for kind in QUALIFIERS for w in raw[kind]}
    qual = _alternation(qualifiers)
    pattern = re.compile(
        rf"(?P<pre>{qual})?(?:百分之(?P<pct>{_ARABIC}|{_CHINESE})"
        rf"|(?P<num>{_ARABIC}|{_CHINESE})(?P<q1>{qual})?(?P<mult>{_alternation(raw['multiplier'])})?"
        rf"(?P<q2>{qual})?(?P<unit>{_alternation(raw['unit'])}))(?P<post>{qual})?"
    )
    words = {k: tuple(sorted(v, key=lambda w: (-len(w), w))) for k, v in raw.items()}
    return QuantityLexicon(
        words, raw["unit"], {k: Decimal(v) for k, v in raw["multiplier"].items()}, qualifiers, triggers, pattern
    )
