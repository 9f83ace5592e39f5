"""Read input files and folders into Documents (one per article).

Formats, chosen by extension:

* ``.txt`` plain text, a newspaper page or a single article (split by
  :func:`kg.pages.split_page`);
* ``.md`` / ``.markdown`` with optional YAML front matter (url, title, date);
* ``.html`` / ``.htm``: the main text, without navigation (trafilatura; nothing
  is fetched);
* ``.jsonl``: one article per line, ``{"text": ..., "title"?, "url"?, "date"?}``.

Text is decoded as UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030
(which covers GBK and GB2312), and line endings become ``\\n``.  A file that
cannot be read becomes a :class:`Skipped` with a one-line reason; a path
that does not exist raises :class:`InputError`.

Ids: the file stem when a file gives one article; ``stem-1``, ``stem-2``...
for the articles of a page; ``stem-L<line>`` for JSON Lines.
"""
from __future__ import annotations

import codecs
import datetime
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from kg.errors import InputError
from kg.pages import split_page
from kg.records import Document, Skipped

TEXT_EXTENSIONS = (".txt",)
MARKDOWN_EXTENSIONS = (".md", ".markdown")
HTML_EXTENSIONS = (".html", ".htm")
JSONL_EXTENSIONS = (".jsonl",)
EXTENSIONS = TEXT_EXTENSIONS + MARKDOWN_EXTENSIONS + HTML_EXTENSIONS + JSONL_EXTENSIONS

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


# --- paths -------------------------------------------------------------------------

def read_paths(paths: Iterable[str | Path]) -> Iterator[Document | Skipped]:
    """Documents and Skipped inputs of files and folders, in a stable order.

    Folders are walked recursively in sorted order, taking only files with a
    known extension and leaving hidden files and folders out.  A file named
    twice is read once; a Document id met twice gets a ``~2``, ``~3``... suffix.
    """
    paths = [Path(p) for p in paths]
    for p in paths:
        if not p.exists():
            raise InputError(f"no such file or folder: {p}")
    seen_files: set[Path] = set()
    seen_ids: dict[str, int] = {}
    for p in paths:
        files = _walk(p, set()) if p.is_dir() else iter([p])
        for f in files:
            key = f.resolve()
            if key in seen_files:
                continue
            seen_files.add(key)
            for record in read_file(f):
                if isinstance(record, Document):
                    n = seen_ids.get(record.id, 0) + 1
                    seen_ids[record.id] = n
                    if n > 1:
                        record = replace(record, id=f"{record.id}~{n}")
                yield record


def _walk(folder: Path, visited: set[Path]) -> Iterator[Path]:
    real = folder.resolve()
    if real in visited:          # a symlink loop
        return
    visited.add(real)
    try:
        entries = sorted(folder.iterdir(), key=lambda e: e.name)
    except OSError as e:
        raise InputError(f"cannot read folder {folder}: {e.strerror or e}") from e
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(entry, visited)
        elif entry.is_file() and entry.suffix.lower() in EXTENSIONS:
            yield entry


# --- files ---------------------------------------------------------------------------

def read_file(path: str | Path) -> list[Document | Skipped]:
    """The articles of one file (or why it was skipped)."""
    path = Path(path)
    source = str(path)
    ext = path.suffix.lower()
    if ext not in EXTENSIONS:
        return [Skipped(source, f"unsupported file type {ext}" if ext
                        else "unsupported file type (no extension)")]
    if not path.is_file():
        return [Skipped(source, "not a regular file")]
    try:
        data = path.read_bytes()
    except OSError as e:
        return [Skipped(source, f"cannot read: {e.strerror or e}")]
    text = decode(data)
    if isinstance(text, Skipped):
        return [replace(text, source=source)]
    if not text.strip():
        return [Skipped(source, "empty file")]
    if ext in MARKDOWN_EXTENSIONS:
        return [_markdown(path, text)]
    if ext in HTML_EXTENSIONS:
        return [_html(path, text)]
    if ext in JSONL_EXTENSIONS:
        return _jsonl(path, text)
    return _page(path, text)


def decode(data: bytes) -> str | Skipped:
    """Text of ``data`` with ``\\n`` line endings, or a Skipped saying why not.

    >>> decode("园区\\r\\n".encode("gbk"))
    '园区\\n'
    >>> decode(b"\\x00\\x01\\x02")
    Skipped(source='', reason='not text (binary)', line=None)
    """
    text = None
    if data.startswith(codecs.BOM_UTF8):
        text = _try(data[len(codecs.BOM_UTF8):], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _try(data, "utf-16")
    elif b"\x00" in data:
        return Skipped("", "not text (binary)")
    else:
        text = _try(data, "utf-8")
        if text is None:
            text = _try(data, "gb18030")
    if text is None:
        return Skipped("", "cannot decode as UTF-8 or GB18030")
    if "\x00" in text or len(_CONTROL.findall(text)) > max(2, len(text) // 100):
        return Skipped("", "not text (binary)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _text(title: str, body: str) -> str:
    return f"{title}\n\n{body}" if title and body else title or body


def _page(path: Path, text: str) -> list[Document | Skipped]:
    articles = split_page(text)
    if not articles:
        return [Skipped(str(path), "empty file")]
    if len(articles) == 1:
        a = articles[0]
        return [Document(path.stem, a.text, str(path), title=a.title)]
    return [Document(f"{path.stem}-{i}", a.text, str(path), title=a.title)
            for i, a in enumerate(articles, 1)]


# --- markdown ---------------------------------------------------------------------------

_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def _markdown(path: Path, text: str) -> Document | Skipped:
    source = str(path)
    meta: dict = {}
    body = text
    if re.match(r"---[ \t]*\n", text):
        head_start = text.index("\n") + 1
        end = _FRONT_MATTER_END.search(text, head_start)
        if end is None:
            return Skipped(source, "front matter is not closed by a --- line")
        head = text[head_start:end.start()]
        body = text[end.end():]
        try:
            loaded = yaml.safe_load(head)
        except yaml.YAMLError as e:
            return Skipped(source, f"front matter is not valid YAML: {_yaml_message(e)}")
        if loaded is not None and not isinstance(loaded, dict):
            return Skipped(source, "front matter is not a mapping of keys to values")
        meta = loaded or {}
    title = _field(meta.get("title"))
    body = body.strip()
    if not body and not title:
        return Skipped(source, "no article text")
    return Document(path.stem, _text(title, body), source, title=title,
                    url=_field(meta.get("url")), date=_date(meta.get("date")))


def _yaml_message(e: Exception) -> str:
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    mark = getattr(e, "problem_mark", None)
    # the front matter starts on the file's second line
    return f"{problem} (line {mark.line + 2})" if mark is not None else problem


def _field(value) -> str:
    return "" if value is None else str(value).strip()


def _date(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _field(value)


# --- html ---------------------------------------------------------------------------------

def _html(path: Path, html: str) -> Document | Skipped:
    import trafilatura   # slow to import: only when there is HTML to read

    source = str(path)
    extracted = trafilatura.extract(html, include_comments=False, include_tables=False,
                                    output_format="json", with_metadata=True)
    data = json.loads(extracted) if extracted else {}
    body = (data.get("text") or "").strip()
    if not body:
        return Skipped(source, "no article text found in the HTML")
    title = _field(data.get("title"))
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    if title and lines and lines[0] == title:      # the headline is in the body too
        lines = lines[1:]
    body = "\n\n".join(lines)
    if not body:
        return Skipped(source, "no article text found in the HTML")
    return Document(path.stem, _text(title, body), source, title=title,
                    url=_field(data.get("source")), date=_field(data.get("date")))


# --- json lines -------------------------------------------------------------------------------

def _jsonl(path: Path, text: str) -> list[Document | Skipped]:
    source = str(path)
    out: list[Document | Skipped] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            out.append(Skipped(source, f"not valid JSON: {e.msg} (column {e.colno})", line=number))
            continue
        if not isinstance(record, dict):
            out.append(Skipped(source, "not a JSON object", line=number))
            continue
        body = record.get("text")
        if not isinstance(body, str):
            out.append(Skipped(source, 'no string "text" field', line=number))
            continue
        title = _field(record.get("title"))
        body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
        if not body:
            out.append(Skipped(source, 'empty "text" field', line=number))
            continue
        out.append(Document(f"{path.stem}-L{number}", _text(title, body), source, title=title,
                            url=_field(record.get("url")), date=_date(record.get("date")),
                            line=number))
    return out
