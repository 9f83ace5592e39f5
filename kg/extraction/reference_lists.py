"""The reference lists of ``data/reference/``: names such articles use, from public lists.

Each list is a CSV file with the header ``name,class,kind,short_names,aliases,
province,city,code,source`` (where each comes from, its date, count and
licence: ``data/reference/SOURCES.md``): national and provincial zones, new
areas and free-trade areas, science parks and incubators, universities,
central state-owned enterprises, academies and their institutes, listed
companies.  A malformed line raises :class:`kg.errors.DataFileError` naming
the file and line.

Which of an entry's names the extractors look for (:func:`usable_names`):

* its ``name`` and ``aliases``, when they are written in Chinese characters
  and have three characters or more;
* its ``short_names`` of three characters or more (:data:`SHORTEST`): two for a
  university (清华, 川大; the list leaves out the two-character forms that are
  words), five for an institute (中科院物理所, not 物理所, which needs context);
* never a name that is an administrative division, an industry or a generic
  word (the lexicon's), nor one that ``*_risky.txt`` lists (stock names that
  are words or zone names: 中关村, 高新发展), nor one two entries of the lists
  claim (the name is ambiguous: neither gets it).

A provincial "other" development area named like a park (…工业园区) is a
:data:`Park`, as the annotation guidelines class it.

>>> entry = ReferenceEntry("四川大学", "University", "本科", ("川大",), (), "四川省", "成都市", "4151010610")
>>> usable_names(entry, frozenset())
('四川大学', '川大')
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from kg.errors import DataFileError
from kg.records import ORGANISATIONS

COLUMNS = ["name", "class", "kind", "short_names", "aliases", "province", "city", "code", "source"]
CLASSES = ORGANISATIONS  # what a reference list may name
#: Lists loaded by :func:`load_entries`, in this order (earlier ones win a name).
FILES = (
    "zones.csv",
    "parks_incubators.csv",
    "universities.csv",
    "academies.csv",
    "central_soes.csv",
    "listed_companies.csv",
)
#: Kinds whose entries are national designations (kg:zoneLevel "national" for a zone).
NATIONAL = ("国家级", "国家")
#: Kinds of the stock exchanges: the entry's name is its exchange short name, not an official name.
EXCHANGES = ("上交所主板", "科创板", "深交所主板", "创业板", "北交所", "港交所")
#: The shortest short name used, by class (default 3): a university's two-character one (川大) is
#: how people write it; an institute's short one without its academy (物理所) needs context.
SHORTEST = {"University": 2, "ResearchInstitute": 5}
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PARK_NAME = re.compile(r"(园|园区|产业基地)$")


class ReferenceEntry(NamedTuple):
    name: str
    cls: str
    kind: str
    short_names: tuple[str, ...]
    aliases: tuple[str, ...]
    province: str = ""
    city: str = ""
    code: str = ""

    def facts(self) -> tuple[tuple[str, str], ...]:
        """What the list says of the entry, as reference facts (kg.rdf.reference)."""
        out = [] if self.kind in EXCHANGES else [("officialName", self.name)]
        out += [
            ("designation", self.kind),
            ("province", self.province),
            ("city", self.city),
            ("registryCode", self.code),
        ]
        if self.cls == "Zone":
            out.append(("level", "national" if self.kind.startswith(NATIONAL) else "provincial"))
        return tuple((k, v) for k, v in out if v)


def _split(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in (value or "").split(";") if a.strip())


def read_list(path: Path) -> list[ReferenceEntry]:
    """The entries of one list file."""
    out = []
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            header = next(rows, None)
            if header != COLUMNS:
                raise DataFileError(path, 1, f"the header must be {','.join(COLUMNS)}")
            for n, row in enumerate(rows, 2):
                if len(row) != len(COLUMNS):
                    raise DataFileError(path, n, f"expected {len(COLUMNS)} columns, got {len(row)}")
                d = dict(zip(COLUMNS, (c.strip() for c in row)))
                if not d["name"]:
                    raise DataFileError(path, n, "the name is empty")
                if d["class"] not in CLASSES:
                    raise DataFileError(path, n, f"unknown class {d['class']!r} (one of {', '.join(CLASSES)})")
                cls = d["class"]
                if cls == "Zone" and d["kind"].startswith("其他") and _PARK_NAME.search(d["name"]):
                    cls = "Park"
                out.append(
                    ReferenceEntry(
                        d["name"],
                        cls,
                        d["kind"],
                        _split(d["short_names"]),
                        _split(d["aliases"]),
                        d["province"],
                        d["city"],
                        d["code"],
                    )
                )
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataFileError(path, None, f"cannot read: {exc}") from None
    return out


def read_words(path: Path) -> frozenset[str]:
    """One name a line (``#`` comments); an absent file is no names."""
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def usable_names(entry: ReferenceEntry, banned: frozenset[str]) -> tuple[str, ...]:
    """The names of ``entry`` the extractors look for (see the module's docstring), in order."""
    shortest = SHORTEST.get(entry.cls, 3)
    names = [entry.name, *entry.aliases] if len(entry.name) >= 3 else list(entry.aliases)
    names += [s for s in entry.short_names if len(s) >= shortest]
    names = [n for n in names if _HAN.search(n) and len(n) >= 2 and n not in banned]
    return tuple(dict.fromkeys(names))


def load_entries(folder: Path, banned: Iterable[str] = ()) -> list[tuple[ReferenceEntry, tuple[str, ...]]]:
    """Every entry of the lists in ``folder`` with its usable names; a name two entries claim is
    dropped from both, unless it is one entry's own ``name`` (then that entry keeps it)."""
    banned = frozenset(banned)
    entries = []
    for name in FILES:
        path = folder / name
        risky = read_words(folder / f"{path.stem}_risky.txt")
        for entry in read_list(path):
            entries.append((entry, usable_names(entry, banned | risky)))
    owners = Counter(n for _, names in entries for n in set(names))
    own = Counter(e.name for e, _ in entries)
    return [(e, tuple(n for n in names if owners[n] == 1 or (n == e.name and own[n] == 1))) for e, names in entries]
