"""Gold annotations (ANNOTATION.md): read, checked, and names compared as the scorer compares them."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

from kg.errors import InputError


def norm(name: str) -> str:
    """NFKC with all whitespace removed: how names are compared.

    >>> norm("中数科谷（清远） 科技")
    '中数科谷(清远)科技'
    """
    return "".join(unicodedata.normalize("NFKC", str(name)).split())


def load_gold(path: str | os.PathLike) -> dict:
    """Read and check a gold file."""
    p = Path(path)
    try:
        gold = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{p}: cannot read gold file: {exc}") from None
    check_gold(gold, str(p))
    return gold


def check_gold(gold: dict, where: str = "gold") -> None:
    """InputError unless ``gold`` has entities and relations over known ids."""
    if (
        not isinstance(gold, dict)
        or not isinstance(gold.get("entities"), list)
        or not isinstance(gold.get("relations"), list)
    ):
        raise InputError(f"{where}: a gold file needs 'entities' and 'relations' lists")
    ids = {e.get("id") for e in gold["entities"]}
    for r in gold["relations"]:
        for reading in [r, *r.get("alt", [])]:
            for end in ("s", "o"):
                if reading.get(end) not in ids:
                    raise InputError(f"{where}: relation names unknown entity {reading.get(end)!r}")
