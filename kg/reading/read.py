"""Read input files and folders into Documents (one per article).

Formats, chosen by extension:

* ``.txt`` plain text, a newspaper page or a single article (split by
  :func:`kg.reading.pages.split_page`);
* ``.md`` / ``.markdown`` with optional YAML front matter (url, title, date);
* ``.html`` / ``.htm``: the main text, without navigation (trafilatura; nothing
  is fetched);
* ``.jsonl``: one article per line, ``{"text": ..., "title"?, "url"?, "date"?}``.

Text is decoded as UTF-8 (with or without BOM), UTF-16 or UTF-32 with BOM,
GB18030 (which covers GBK and GB2312) or Big5 (:func:`decode`), line endings
become ``\\n`` and invisible or control characters are dropped (:func:`clean`);
a file name that is not UTF-8 is read the same way.  A file, article or JSON
line that cannot be read becomes a :class:`Skipped` with a one-line reason
(never an exception): binary or undecodable bytes, no text, front matter that
is not YAML, a line that is not a JSON object, an article longer than
``MAX_ARTICLE_CHARS``...  A path that does not exist raises :class:`InputError`.

Nothing runs or is fetched: YAML is loaded with the safe loader, HTML is
parsed as a string (trafilatura; no network, no external entities).

Ids: the file stem when a file gives one article; ``stem-1``, ``stem-2``...
for the articles of a page; ``stem-L<line>`` for JSON Lines.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import yaml

from kg.reading.decoding import clean, decode, one_line, readable_path, shown_path
from kg.reading.frontmatter import _yaml_message, yaml_load, yaml_loader_class  # noqa: F401  (part of the interface)
from kg.reading.inputs import (
    EXTENSIONS,
    HTML_EXTENSIONS,
    JSONL_EXTENSIONS,
    MARKDOWN_EXTENSIONS,
    input_files,
    stem,
    suffix,
)
from kg.reading.pages import split_page
from kg.records import Document, Skipped
from kg.spool import numbered

__all__ = [
    "read_paths",
    "read_file",
    "decode",
    "clean",
    "yaml_load",
    "EXTENSIONS",
    "MAX_ARTICLE_CHARS",
    "MAX_FILE_BYTES",
]

#: A longer article is skipped: no news article is this long, and extraction
#: time grows faster than the length of one article (it stays linear in the
#: number of articles).  A file of many articles (a page with bylines, JSON
#: Lines) may be as large as it likes.
MAX_ARTICLE_CHARS = 200_000
#: A larger file is skipped before it is read (it would be held in memory whole).
MAX_FILE_BYTES = 1 << 30
#: Front matter is a few fields; a longer one is not read as YAML.
MAX_FRONT_MATTER_CHARS = 100_000

# --- paths -------------------------------------------------------------------------


def read_paths(paths: Iterable[str | Path]) -> Iterator[Document | Skipped]:
    """Documents and Skipped inputs of files and folders, in a stable order.

    Folders are walked recursively in sorted order, taking only files with a
    known extension and leaving hidden files and folders out.  A file named
    twice is read once; a Document id met twice gets a ``~2``, ``~3``... suffix.
    """
    records = (r for f in input_files(paths) for r in read_listed(f))
    for record, n in numbered(records, lambda r: r.id if isinstance(r, Document) else None):
        yield replace(record, id=f"{record.id}~{n}") if n > 1 else record


# --- files ---------------------------------------------------------------------------


def read_file(path: str | Path) -> list[Document | Skipped]:
    """The articles of one file (or why it, or some of its articles, were skipped).

    Never raises: whatever goes wrong with a file becomes a Skipped naming
    it, so that the other files are still built.
    """
    return read_listed(str(Path(path)))


def read_listed(path: str, data: bytes | None = None) -> list[Document | Skipped]:
    """:func:`read_file` of a path as :func:`input_files` gives it: a string
    written as ``str(Path(path))`` writes it (no Path is made).  ``data``: the
    file's bytes, when :func:`file_bytes` has read them already."""
    try:
        records = _read_file(path, file_bytes(path) if data is None else data)
    except Exception as e:  # a parser's own error (RecursionError, MemoryError...), or a bug
        return [Skipped(shown_path(path), f"cannot read: {type(e).__name__}: {one_line(str(e))}")]
    return [_check_length(r) for r in records]


def file_bytes(path: str) -> bytes | Skipped:
    """The bytes of a file :func:`read_listed` can read, or a Skipped saying
    why it cannot (its type, not a regular file, too large, unreadable)."""
    source = shown_path(path)
    ext = suffix(path).lower()
    if ext not in EXTENSIONS:
        return Skipped(
            source, f"unsupported file type {one_line(ext)}" if ext else "unsupported file type (no extension)"
        )
    if not os.path.isfile(path):
        return Skipped(source, "not a regular file")
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            return Skipped(
                source, f"too large: {size / 2**20:,.0f} MB (at most {MAX_FILE_BYTES / 2**20:,.0f} MB a file)"
            )
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        return Skipped(source, f"cannot read: {one_line(e.strerror or str(e))}")


def _read_file(path: str, data: bytes | Skipped) -> list[Document | Skipped]:
    if isinstance(data, Skipped):
        return [data]
    source = shown_path(path)
    ext = suffix(path).lower()
    text = decode(data)
    del data
    if isinstance(text, Skipped):
        return [replace(text, source=source)]
    path = readable_path(path)  # what ids and sources are made of: valid Unicode
    if ext in HTML_EXTENSIONS or ext in JSONL_EXTENSIONS:  # cleaned once parsed
        if not clean(text).strip():
            return [Skipped(source, "empty file")]
        return [_html(path, text)] if ext in HTML_EXTENSIONS else _jsonl(path, text)
    text = clean(text)
    if not text.strip():
        return [Skipped(source, "empty file")]
    if ext in MARKDOWN_EXTENSIONS:
        return [_markdown(path, text)]
    return _page(path, text)


def _check_length(record: Document | Skipped) -> Document | Skipped:
    if isinstance(record, Skipped) or len(record.text) <= MAX_ARTICLE_CHARS:
        return record
    what = f"article {record.id}" if record.line is None else "article"
    return Skipped(
        shown_path(record.source),
        f"{what} is {len(record.text):,} characters long, "
        f"more than the {MAX_ARTICLE_CHARS:,} an article may have (split the file "
        "into articles: one a file, bylines, or JSON Lines)",
        line=record.line,
    )


def _text(title: str, body: str) -> str:
    return f"{title}\n\n{body}" if title and body else title or body


def _page(path: str, text: str) -> list[Document | Skipped]:
    articles = split_page(text)
    if not articles:
        return [Skipped(shown_path(path), "empty file")]
    if len(articles) == 1:
        a = articles[0]
        return [Document(stem(path), a.text, path, title=a.title)]
    return [Document(f"{stem(path)}-{i}", a.text, path, title=a.title) for i, a in enumerate(articles, 1)]


# --- fields ----------------------------------------------------------------------------


class _NotText(ValueError):
    """A title, url or date that is a list or a mapping."""


def _field(value, name: str = "field") -> str:
    """A title or url as one line of text ('' when absent)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, dict, set)):
        raise _NotText(f'"{name}" is a {_kind(value)}, not text')
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(clean(str(value)).split())


def _kind(value) -> str:
    return "mapping" if isinstance(value, dict) else "list"


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(T.*)?)?)?")


def _date(value) -> str:
    """A date as text: ISO 8601 when it is one; a date written like one that
    cannot be (2023-02-30, 2023-13) is left out.

    >>> _date(datetime.date(2023, 12, 20)), _date("２０２３年１２月"), _date("2023-02-30")
    ('2023-12-20', '2023年12月', '')
    """
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = unicodedata.normalize("NFKC", _field(value, "date"))  # ２０２３ -> 2023
    m = _ISO_DATE.fullmatch(text)
    if m:  # \d: any digits, as kg.rdf.dataset types dates; written in ASCII ones here
        text = "".join(str(unicodedata.decimal(c, c)) for c in text)
        year, month, day, time_ = _ISO_DATE.fullmatch(text).groups()
        try:
            if time_:
                datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
            datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            return ""
    return text


# --- markdown ---------------------------------------------------------------------------

_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def _markdown(path: str, text: str) -> Document | Skipped:
    source = shown_path(path)
    meta: dict = {}
    body = text
    if re.match(r"---[ \t]*\n", text):
        head_start = text.index("\n") + 1
        end = _FRONT_MATTER_END.search(text, head_start)
        if end is None:
            return Skipped(source, "front matter is not closed by a --- line")
        head = text[head_start : end.start()]
        body = text[end.end() :]
        if len(head) > MAX_FRONT_MATTER_CHARS:
            return Skipped(
                source, f"front matter is {len(head):,} characters long (at most {MAX_FRONT_MATTER_CHARS:,})"
            )
        try:
            loaded = yaml_load(head)
        except (yaml.YAMLError, ValueError, RecursionError) as e:  # ValueError: 5,000 digits
            return Skipped(source, f"front matter is not valid YAML: {_yaml_message(e)}")
        if loaded is not None and not isinstance(loaded, dict):
            return Skipped(source, "front matter is not a mapping of keys to values")
        meta = loaded or {}
    try:
        title = _field(meta.get("title"), "title")
        url = _field(meta.get("url"), "url")
        date = _date(meta.get("date"))
    except _NotText as e:
        return Skipped(source, f"front matter: {e}")
    body = body.strip()
    if not body and not title:
        return Skipped(source, "no article text")
    return Document(stem(path), _text(title, body), path, title=title, url=url, date=date)


# --- html ---------------------------------------------------------------------------------

# Loggers of trafilatura and the libraries it calls: they log a line (to
# stderr, when the application configures no logging) for every page they
# cannot parse, which the Skipped reason already says.
_HTML_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext")


@contextmanager
def _quiet(*names: str):
    """No record of these loggers (or of their children) while inside."""
    loggers = [logging.getLogger(n) for n in names]
    before = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, before):
            lg.setLevel(level)


def _html(path: str, html: str) -> Document | Skipped:
    import trafilatura  # slow to import: only when there is HTML to read

    source = shown_path(path)
    try:
        # a string is parsed, never fetched; lxml resolves no external entity
        with _quiet(*_HTML_LOGGERS):
            extracted = trafilatura.extract(
                html, include_comments=False, include_tables=False, output_format="json", with_metadata=True
            )
        data = json.loads(extracted) if extracted else {}
    except (Exception, RecursionError) as e:
        return Skipped(source, f"cannot parse the HTML: {type(e).__name__}: {one_line(str(e))}")
    body = clean(data.get("text") or "").strip()
    if not body:
        return Skipped(source, "no article text found in the HTML")
    title = _field(data.get("title"), "title")
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    if title and lines and lines[0] == title:  # the headline is in the body too
        lines = lines[1:]
    body = "\n\n".join(lines)
    if not body:
        return Skipped(source, "no article text found in the HTML")
    return Document(
        stem(path),
        _text(title, body),
        path,
        title=title,
        url=_field(data.get("source"), "url"),
        date=_field(data.get("date"), "date"),
    )


# --- json lines -------------------------------------------------------------------------------


def _jsonl(path: str, text: str) -> list[Document | Skipped]:
    """One Document per line, or a Skipped with the line number saying why not."""
    source = shown_path(path)
    out: list[Document | Skipped] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            out.append(Skipped(source, f"not valid JSON: {e.msg} (column {e.colno})", line=number))
            continue
        except RecursionError:
            out.append(Skipped(source, "not valid JSON: nested too deeply", line=number))
            continue
        except ValueError as e:  # a number of more than 4,300 digits
            out.append(Skipped(source, f"not valid JSON: {one_line(str(e))}", line=number))
            continue
        if not isinstance(record, dict):
            out.append(Skipped(source, "not a JSON object", line=number))
            continue
        body = record.get("text")
        if not isinstance(body, str):
            out.append(Skipped(source, 'no string "text" field', line=number))
            continue
        try:
            title = _field(record.get("title"), "title")
            url = _field(record.get("url"), "url")
            date = _date(record.get("date"))
        except _NotText as e:
            out.append(Skipped(source, str(e), line=number))
            continue
        body = clean(body).strip()
        if not body:
            out.append(Skipped(source, 'empty "text" field', line=number))
            continue
        out.append(
            Document(f"{stem(path)}-L{number}", _text(title, body), path, title=title, url=url, date=date, line=number)
        )
    return out
