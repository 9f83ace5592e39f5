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


def gold_problems(gold: dict, text: str) -> list[str]:
    """What is wrong with ``gold`` as an annotation of ``text`` (ANNOTATION.md), one line each:
    a class or property the vocabulary does not have, a name found nowhere in the text.

    >>> gold = {"entities": [{"id": "z", "type": "Zone", "name": "云溪高新区"},
    ...                      {"id": "c", "type": "Firm", "name": "远帆科技"}],
    ...         "relations": [{"s": "z", "p": "houses", "o": "c"}]}
    >>> for line in gold_problems(gold, "远帆科技落户云溪 高新区。"):
    ...     print(line)
    entity 'c' (远帆科技): unknown class 'Firm'
    relation z houses c: unknown property 'houses'
    """
    from kg.records import CLASSES, PROPERTIES

    check_gold(gold)
    plain = norm(text)
    out = []
    for e in gold["entities"]:
        types = e.get("type") if isinstance(e.get("type"), list) else [e.get("type")]
        for t in types:
            if t not in CLASSES:
                out.append(f"entity {e.get('id')!r} ({e.get('name')}): unknown class {t!r}")
        names = [e.get("name"), *e.get("aliases", [])]
        if not any(n and norm(n) in plain for n in names):
            out.append(f"entity {e.get('id')!r}: neither its name {e.get('name')!r} nor an alias is in the article")
    for r in gold["relations"]:
        for reading in [r, *r.get("alt", [])]:
            if reading.get("p") not in PROPERTIES:
                out.append(
                    f"relation {reading.get('s')} {reading.get('p')} {reading.get('o')}: "
                    f"unknown property {reading.get('p')!r}"
                )
    return out
