"""Short company names known only from what they do: 国盾量子率先推出…, 龙头企业上海司羿,则将….

A Chinese company's short name is its trade name plus, often, a trade word
(甲乙量子, 丙丁医疗).  Two contexts make such a span a company:

* it opens a clause and is followed by what companies do
  (研发, 率先, 推出, 发布: ``data/company_verbs.txt``), and it is either an
  unknown word to jieba or ends with a trade word (``data/trade_words.txt``);
* it follows a company noun (龙头企业, 领军企业) and ends at the clause.

Research institutes of groups and ministries go by number: 中船重工725所,
国家海洋局一所 (the owner's name, then a number and 所).

>>> from kg.extraction.mentions import find_mentions
>>> [m.text for m in find_mentions("星图量子率先推出新一代芯片;园区企业率先复工。") if m.cls == "Company"]
['星图量子']
"""

from __future__ import annotations

import functools
import re

from kg.extraction.lexicon import load_words
from kg.extraction.tokens import STOP_TAGS, generic_words

CLAUSE_START = re.compile(r"(?:^|(?<=[。；;！？!?\n“]))\s*(?:由|而|其中,|其中，)?")
INTRODUCER = re.compile(r"(?:龙头企业|领军企业|头部企业|链主企业|独角兽企业)")
OWNER_ENDS = (
    "重工",
    "科工",
    "航天",
    "航空",
    "电子",
    "兵器",
    "核工业",
    "集团",
    "局",
    "部",
    "院",
)  # groups that number their institutes
NUMBERED = re.compile(
    r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,10}?)(?:\d{1,4}|[一二三四五六七八九十]{1,3})所(?=[^\u4e00-\u9fff]|等|$)"
)


@functools.lru_cache(maxsize=1)
def _words() -> tuple[re.Pattern, frozenset[str]]:
    """(a four-character name before a company verb, the trade words), from the data files."""
    verbs = "|".join(sorted(load_words("company_verbs.txt"), key=len, reverse=True))
    return re.compile(rf"([\u4e00-\u9fff]{{4}})(?:{verbs})"), load_words("trade_words.txt")


def find_short_names(f) -> None:
    """Add Company mentions for short names in company contexts (``f`` is a mention finder)."""
    subject, trades = _words()
    text = f.text
    for m in CLAUSE_START.finditer(text):
        s = m.end()
        v = subject.match(text, s)
        if v and _plausible(f, s, s + len(v.group(1)), trades):
            f.add(s, s + len(v.group(1)), "Company", "context:subject")
    for m in NUMBERED.finditer(text):
        if f.lex.suffix_of(m.group(1)) or m.group(1).endswith(OWNER_ENDS):
            f.add(m.start(), m.end(), "ResearchInstitute", "context:numbered")
    for m in INTRODUCER.finditer(text):
        e = m.end()
        name = re.match(r"[\u4e00-\u9fffA-Za-z]{2,8}(?=[,，;；。、])", text[e:])
        if name and e in f.starts and _plausible(f, e, e + name.end(), trades, need_trade=False):
            f.add(e, e + name.end(), "Company", "context:introduced")


def _plausible(f, s: int, e: int, trades: frozenset[str], need_trade: bool = True) -> bool:
    """Token-aligned, not a known word, region, industry or generic phrase; unknown to jieba
    or ending with a trade word."""
    span, lex = f.text[s:e], f.lex
    if s not in f.starts or e not in f.ends:
        return False
    if span in lex.tags or span in lex.industries or span in lex.regions or span in generic_words():
        return False
    toks = f.tokens[f.starts[s] : f.ends[e] + 1]
    if any(t.tag in STOP_TAGS - {"v", "d"} or t.text in lex.boundaries or t.text in generic_words() for t in toks):
        return False
    if any(t.text in lex.titles for t in toks):
        return False
    unknown = any(t.tag in ("", "nz", "j") and len(t.text) >= 2 for t in toks)
    return unknown or toks[-1].text in trades or not need_trade
