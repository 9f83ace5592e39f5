"""Split a newspaper page (plain text) into its articles.

A page is a list of paragraphs (non-blank lines).  The conventions used are
the ones Chinese newspapers share:

* A **byline** starts an article: a whole line (``◎ 本报记者 王延斌``), dropped,
  or a prefix of the first paragraph (``科技日报(记者何星辉)``, ``本报讯(记者 X)``,
  ``新华社北京12月1日电(记者 X)``), removed.  The patterns are data:
  ``kg/reading/data/bylines.txt``.  Only bylines start articles; text before the
  first byline belongs to the first article.
* The **headline** lines are the short lines without sentence-final
  punctuation directly before a byline (at most four of them).  They open the
  article text and, joined with a space, make its title.
* **Layout cuts**: a body paragraph that ends in the middle of a word goes on
  elsewhere.  When the next paragraph of the same article is body text, the
  two are joined with no separator.  When the cut paragraph ends its article,
  its continuation is the first later block that starts mid-sentence
  (``化。同时,…``); that block, up to the next article start, is moved to the
  cut article.

Every article keeps ``spans``, the page slices its text is made of:
``article.text == "".join(page[s:e] for s, e in article.spans)``.  The
paragraph separators are slices of the page too (its own ``"\\n\\n"``).

>>> page = "园区新闻\\n\\n◎ 本报记者 张三\\n\\n甲高新区开园。\\n"
>>> [(a.title, a.text) for a in split_page(page)]
[('园区新闻', '园区新闻\\n\\n甲高新区开园。')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.errors import DataFileError

BYLINES_FILE = Path(__file__).parent / "data" / "bylines.txt"

TITLE_MAX_CHARS = 40  # a headline line is at most this long
TITLE_MAX_LINES = 4  # headline lines taken before a byline

# A paragraph is "closed" when it ends a sentence (closing quotes may follow).
_CLOSED = re.compile(r"[。！？!?…；;][”’」』）)》\"']*$")
# A paragraph is "cut" when it ends in the middle of a word or phrase, and is
# not a photo caption ending in its credit ("……一景。新华社记者 赵子硕 摄").
_CUT_END = re.compile(r"[\w，,、（(“‘《【]$")
_CREDIT_END = re.compile(r"(?:\s摄|摄影|供图|(?:记者|通讯员)\s*\S{1,10}摄)$")
# A paragraph "starts mid-sentence" when it starts with a character no sentence
# starts with, or with a short fragment that ends a sentence ("化。同时…").
_MID_START = re.compile(
    r"[，,、。．；;：:！!？?）)」』”’》〉]"
    r"|[^\s“‘「『《〈（(【\[。！？!?，,；;：:]{1,4}[。！？!?]"
)


@dataclass(frozen=True)
class Article:
    """One article of a page.  ``text == "".join(page[s:e] for s, e in spans)``."""

    title: str
    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Para:
    index: int  # position among the page's paragraphs
    start: int  # page offset of the first kept character
    end: int  # page offset after the last character
    text: str  # page[start:end]
    byline: bool = False  # began with a byline (whole-line bylines are dropped)
    dropped: bool = False  # a whole-line byline: not article text


@dataclass
class _Draft:
    titles: list[_Para]
    items: list[_Para]  # kept paragraphs, in article order
    joined: set[int] = field(default_factory=set)  # indices of items glued to the one before


# --- data ----------------------------------------------------------------------


@cache
def load_bylines(path: str | Path = BYLINES_FILE) -> tuple[re.Pattern, ...]:
    """The byline patterns of ``path``: one regex a line, ``#`` comments."""
    patterns = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise DataFileError(path, None, f"cannot read: {e}") from e
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            patterns.append(re.compile(line))
        except re.error as e:
            raise DataFileError(path, number, f"invalid regular expression: {e}") from e
    return tuple(patterns)


def match_byline(paragraph: str, patterns=None) -> int | None:
    """Length of the byline at the start of ``paragraph``, or None.

    >>> match_byline("科技日报(记者何星辉)12月22日,记者获悉。")
    11
    >>> match_byline("◎ 本报记者 王延斌") == len("◎ 本报记者 王延斌")
    True
    >>> match_byline("记者了解到,园区开园。") is None
    True
    """
    best = None
    for pattern in patterns if patterns is not None else load_bylines():
        m = pattern.match(paragraph)
        if m and m.end() > 0 and (best is None or m.end() > best):
            best = m.end()
    return best


# --- paragraph tests ---------------------------------------------------------------


def is_heading(text: str) -> bool:
    """A short line without sentence punctuation: a headline or subheading.

    Headlines have at most one comma; a short line with more is body text.

    >>> is_heading("早布局,下好特色产业“先手棋”"), is_heading("园区引进企业,总投资百亿元,其中包括龙头企")
    (True, False)
    """
    return (
        len(text) <= TITLE_MAX_CHARS
        and not re.search(r"[。；;]", text)
        and len(re.findall(r"[，,]", text)) <= 1
        and not text.endswith(("…", "：", ":"))
    )


def _is_cut(p: _Para) -> bool:
    return not is_heading(p.text) and bool(_CUT_END.search(p.text)) and not _CREDIT_END.search(p.text)


def _is_closed(p: _Para) -> bool:
    return bool(_CLOSED.search(p.text))


def _starts_mid(p: _Para) -> bool:
    return bool(_MID_START.match(p.text))


# --- splitting -----------------------------------------------------------------------


def _paragraphs(page: str, patterns) -> list[_Para]:
    paras = []
    for m in re.finditer(r"[^\n]+", page):
        line = m.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = m.start() + (len(line) - len(line.lstrip()))
        p = _Para(len(paras), start, start + len(stripped), stripped)
        cut = match_byline(stripped, patterns)
        if cut is not None:
            rest = stripped[cut:]
            p.byline = True
            if not rest.strip():
                p.dropped = True
            else:
                skip = cut + (len(rest) - len(rest.lstrip()))
                p.start += skip
                p.text = stripped[skip:]
        paras.append(p)
    return paras


def _drafts(paras: list[_Para]) -> list[_Draft]:
    """Cut the paragraphs into articles at bylines, with their headline lines."""
    starts: list[tuple[int, list[_Para]]] = []  # (first paragraph index, titles)
    last_byline = -1
    for p in paras:
        if not p.byline:
            continue
        j = p.index - 1
        titles: list[_Para] = []
        while j > last_byline and len(titles) < TITLE_MAX_LINES and not paras[j].byline and is_heading(paras[j].text):
            titles.insert(0, paras[j])
            j -= 1
        first = p.index - len(titles)
        has_body = (last_byline >= 0 and not paras[last_byline].dropped) or any(
            not q.dropped for q in paras[last_byline + 1 : first]
        )
        if starts and not has_body:  # a second byline of the same article
            last_byline = p.index
            continue
        starts.append((first, titles))
        last_byline = p.index
    if not starts:
        titles = [paras[0]] if paras and is_heading(paras[0].text) else []
        starts = [(0, titles)]
    drafts = []
    for k, (first, titles) in enumerate(starts):
        lo = 0 if k == 0 else first
        hi = starts[k + 1][0] if k + 1 < len(starts) else len(paras)
        items = [q for q in paras[lo:hi] if not q.dropped]
        drafts.append(_Draft(titles, items))
    return drafts


def _continues(items: list[_Para], pos: int, titles: set[int]) -> bool:
    """Whether ``items[pos]`` may continue a cut article: a block that starts
    mid-sentence after a closed paragraph (not a byline or headline)."""
    q = items[pos]
    return pos > 0 and not q.byline and q.index not in titles and _starts_mid(q) and _is_closed(items[pos - 1])


def _move_continuations(drafts: list[_Draft]) -> None:
    """Move to each article that ends cut the first later block that continues it.

    Linear in the page: the blocks that may continue an article are listed
    once, in page order, and each is taken at most once (taking one leaves
    the next able to continue: what precedes it is still closed).  Moved
    paragraphs leave their article when its turn comes, not before, so that
    the positions listed stay valid.
    """
    candidates = [
        (k, pos)
        for k, d in enumerate(drafts)
        for titles in [{t.index for t in d.titles}]
        for pos in range(1, len(d.items))
        if _continues(d.items, pos, titles)
    ]
    moved: set[int] = set()
    next_candidate = 0
    for i, draft in enumerate(drafts):
        if moved:
            draft.items = [q for q in draft.items if q.index not in moved]
        while draft.items and _is_cut(draft.items[-1]):
            while next_candidate < len(candidates) and candidates[next_candidate][0] <= i:
                next_candidate += 1
            if next_candidate == len(candidates):
                break
            k, pos = candidates[next_candidate]
            next_candidate += 1
            donor = drafts[k].items
            end = pos + 1
            while end < len(donor) and not (_starts_mid(donor[end]) and _is_closed(donor[end - 1])):
                end += 1
            block = donor[pos:end]
            moved.update(q.index for q in block)
            draft.joined.add(len(draft.items))
            draft.items.extend(block)


def _join_cut_paragraphs(draft: _Draft) -> None:
    for n in range(1, len(draft.items)):
        p, q = draft.items[n - 1], draft.items[n]
        if q.index == p.index + 1 and _is_cut(p) and not is_heading(q.text) and not q.byline:
            draft.joined.add(n)


def _separator(page: str, paras: list[_Para], p: _Para) -> tuple[int, int]:
    """A page slice holding the paragraph break after ``p`` ("\\n\\n" or "\\n")."""
    limit = paras[p.index + 1].start if p.index + 1 < len(paras) else len(page)
    for sep, lo, hi in (("\n\n", p.end, limit), ("\n", p.end, limit), ("\n\n", 0, len(page)), ("\n", 0, len(page))):
        at = page.find(sep, lo, hi)
        if at >= 0:
            return at, at + len(sep)
    raise ValueError("a page of several paragraphs has a newline")  # unreachable


def _assemble(page: str, paras: list[_Para], draft: _Draft) -> Article:
    spans: list[tuple[int, int]] = []

    def add(s: int, e: int) -> None:
        if spans and spans[-1][1] == s:
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))

    for n, p in enumerate(draft.items):
        if n and n not in draft.joined:
            add(*_separator(page, paras, draft.items[n - 1]))
        add(p.start, p.end)
    text = "".join(page[s:e] for s, e in spans)
    title = " ".join(t.text for t in draft.titles)
    return Article(title, text, spans)


def split_page(text: str, patterns=None) -> list[Article]:
    """The articles of a newspaper page, in page order.

    ``patterns`` are compiled byline regexes (default: ``kg/reading/data/bylines.txt``).
    A page without bylines is one article; a blank page has none.
    """
    if patterns is None:
        patterns = load_bylines()
    paras = _paragraphs(text, patterns)
    if not any(not p.dropped for p in paras):
        return []
    drafts = _drafts(paras)
    _move_continuations(drafts)
    for draft in drafts:
        _join_cut_paragraphs(draft)
    if len(drafts) > 1:  # a headline and byline with no text under them is no article
        drafts = [d for d in drafts if len(d.items) > len(d.titles)]
    return [_assemble(text, paras, d) for d in drafts if d.items]
